"""Writes for members' shares and the yearly income-distribution plans (收益分配方案).

A plan is proposed by the village, approved by the village (another cadre, for the villagers'
assembly) and then by the township; only then does it take effect. Taking effect fixes each
member household's dividend (shares × dividend per share) and posts the distribution to the
books, prepared by the proposer and approved by the township officer:

    借 322 收益分配        reserve + dividends
        贷 311 公积公益金   reserve
        贷 211 应付款       dividends (payable to the members until paid)

A plan never pays out more than the undistributed result (the credit balance of 321 本年收益
and 322 收益分配 in the books), checked when proposed and again when it takes effect.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_create, audit_rows, audit_update, snapshot
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.scoping import get_for_user
from zhenxing.economy.models import (
    AccountRole,
    CollectiveOrganization,
    DistributionPlan,
    Dividend,
    PlanStatus,
    ShareBasis,
    Shareholding,
)
from zhenxing.economy.rules.books import LineIn
from zhenxing.economy.rules.distribution import (
    check_affordable,
    check_basis,
    check_rejection_reason,
    check_same_village,
)
from zhenxing.economy.rules.values import CENT, check_amount
from zhenxing.economy.selectors.charts import chart_on, role_accounts
from zhenxing.economy.selectors.distribution import available_for_distribution
from zhenxing.economy.services.books import voucher_post, voucher_prepare
from zhenxing.registry.selectors import household_in_scope

ZERO = decimal.Decimal("0.00")
ACTIVE = (PlanStatus.PROPOSED, PlanStatus.VILLAGE_APPROVED, PlanStatus.EFFECTIVE)


def shareholding_set(
    *,
    actor: Any,
    organization: CollectiveOrganization,
    household: Any,
    shares: Any,
    basis: str = ShareBasis.PER_PERSON,
    joined_on: dt.date | None = None,
) -> Shareholding:
    """Record a household's member shares in its village's organisation (new or changed)."""
    with transaction.atomic():
        organization = get_for_user(CollectiveOrganization.objects.all(), actor, pk=organization.pk)
        household = household_in_scope(actor=actor, pk=household.pk)
        if household is None:
            raise NotFound()
        if not has_permission(actor, Shareholding, "change"):
            raise Forbidden()
        check_same_village(household.village_id, organization.village_id)
        basis = check_basis(basis)
        count = check_amount(shares, "shares")
        holding = Shareholding.objects.filter(
            organization=organization, household=household
        ).first()
        if holding is None:
            holding = Shareholding.objects.create(
                organization=organization,
                household=household,
                shares=count,
                basis=basis,
                joined_on=joined_on or timezone.localdate(),
            )
            audit_create(actor=actor, obj=holding)
            return holding
        before = snapshot(holding)
        holding.shares, holding.basis = count, basis
        holding.save()
        audit_update(actor=actor, obj=holding, before=before)
        return holding


def distribution_plan_propose(
    *,
    actor: Any,
    organization: CollectiveOrganization,
    year: int,
    reserve: Any,
    dividend_per_share: Any,
    collective_shares: Any = 0,
) -> DistributionPlan:
    """The village proposes how to distribute a year's result."""
    with transaction.atomic():
        organization = get_for_user(CollectiveOrganization.objects.all(), actor, pk=organization.pk)
        if not has_permission(actor, DistributionPlan, "add"):
            raise Forbidden()
        if DistributionPlan.objects.filter(
            organization=organization, year=year, status__in=ACTIVE
        ).exists():
            raise DomainError(
                _("%(year)d already has a distribution plan.") % {"year": year}, field="year"
            )
        member_shares = (
            Shareholding.objects.filter(organization=organization).aggregate(s=Sum("shares"))["s"]
            or ZERO
        )
        plan = DistributionPlan(
            organization=organization,
            year=year,
            available=available_for_distribution(organization),
            reserve=check_amount(reserve, "reserve"),
            collective_shares=check_amount(collective_shares, "collective_shares"),
            member_shares=decimal.Decimal(member_shares).quantize(CENT),
            dividend_per_share=check_amount(dividend_per_share, "dividend_per_share"),
            proposed_by=actor if getattr(actor, "pk", None) else None,
        )
        check_affordable(plan)
        plan.save()
        audit_create(actor=actor, obj=plan)
        return plan


def may_decide(actor: Any, plan: DistributionPlan) -> bool:
    """Whether ``actor`` takes the decision the plan now waits for: at the village stage an
    account bound to that very village (its assembly), at the township stage an account above
    the village (township or city), each with the stage's permission."""
    in_village = getattr(actor, "region_id", None) == plan.organization.village_id
    if plan.status == PlanStatus.PROPOSED:
        return in_village and has_permission(actor, DistributionPlan, "approve_village")
    if plan.status == PlanStatus.VILLAGE_APPROVED:
        return not in_village and has_permission(actor, DistributionPlan, "approve_township")
    return False


def distribution_plan_approve(*, actor: Any, plan: DistributionPlan) -> DistributionPlan:
    """The village's approval, then the township's, which puts the plan into effect."""
    with transaction.atomic():
        plan = get_for_user(
            DistributionPlan.objects.select_for_update().select_related("organization"),
            actor,
            pk=plan.pk,
        )
        before = snapshot(plan)
        if plan.status not in (PlanStatus.PROPOSED, PlanStatus.VILLAGE_APPROVED):
            raise DomainError(_("This plan is no longer awaiting approval."), code="decided")
        if not may_decide(actor, plan):
            raise Forbidden()
        if plan.status == PlanStatus.PROPOSED:
            if plan.proposed_by_id == getattr(actor, "pk", None):
                raise DomainError(
                    _("The village approves through another cadre than the proposer."),
                    code="same_person",
                )
            plan.status = PlanStatus.VILLAGE_APPROVED
            plan.village_approved_by = actor
        else:
            _take_effect(actor, plan)
        plan.save()
        audit_update(actor=actor, obj=plan, before=before)
        return plan


def _take_effect(actor: Any, plan: DistributionPlan) -> None:
    organization = plan.organization
    holdings = list(
        Shareholding.objects.filter(organization=organization).select_related("household")
    )
    plan.member_shares = sum((h.shares for h in holdings), ZERO)
    plan.available = available_for_distribution(organization)
    check_affordable(plan)  # the books or the members may have changed since the proposal
    paying = [h for h in holdings if h.shares]
    dividends = Dividend.objects.bulk_create(
        Dividend(
            plan=plan,
            household_id=h.household_id,
            shares=h.shares,
            amount=(h.shares * plan.dividend_per_share).quantize(CENT),
        )
        for h in paying
    )
    # One audit row per dividend, written in one statement like the rows themselves.
    region = organization.village.code
    audit_rows(
        actor=actor,
        model=Dividend,
        items=[
            (
                AuditAction.CREATE,
                d.pk,
                f"{h.household.number} {d.amount}",
                region,
                {
                    "plan": [None, str(plan.pk)],
                    "household": [None, h.household.number],
                    "shares": [None, str(d.shares)],
                    "amount": [None, str(d.amount)],
                },
            )
            for d, h in zip(dividends, paying, strict=True)
        ],
    )
    payable = plan.dividends.quantize(CENT)
    # The chart's accounts for the distribution (收益分配), the reserve (公积公益金) and the
    # dividends owed to members (应付款): data, per chart.
    chart = chart_on(organization, timezone.localdate())
    accounts = role_accounts(chart)
    lines = [LineIn(accounts[AccountRole.DISTRIBUTION].code, debit=plan.reserve + payable)]
    if plan.reserve:
        lines.append(LineIn(accounts[AccountRole.RESERVE].code, credit=plan.reserve))
    if payable:
        lines.append(LineIn(accounts[AccountRole.PAYABLE].code, credit=payable))
    if plan.reserve + payable:
        voucher = voucher_prepare(
            actor=plan.proposed_by,
            organization=organization,
            date=timezone.localdate(),
            summary=_("Income distribution for %(year)d") % {"year": plan.year},
            lines=lines,
        )
        plan.voucher = voucher_post(actor=actor, voucher=voucher)
    plan.status = PlanStatus.EFFECTIVE
    plan.township_approved_by = actor


def distribution_plan_reject(
    *, actor: Any, plan: DistributionPlan, reason: str
) -> DistributionPlan:
    """Send a plan back (the village may then propose another)."""
    with transaction.atomic():
        plan = get_for_user(
            DistributionPlan.objects.select_for_update().select_related("organization"),
            actor,
            pk=plan.pk,
        )
        if plan.status not in (PlanStatus.PROPOSED, PlanStatus.VILLAGE_APPROVED):
            raise DomainError(_("This plan is no longer awaiting approval."), code="decided")
        if not may_decide(actor, plan):
            raise Forbidden()
        reason = check_rejection_reason(reason)
        before = snapshot(plan)
        plan.status = PlanStatus.REJECTED
        plan.rejection_reason = reason
        plan.save()
        audit_update(actor=actor, obj=plan, before=before)
        return plan
