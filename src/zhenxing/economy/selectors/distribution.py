"""Reads of members' shares and distribution plans, scoped to the reader."""

from __future__ import annotations

import decimal
from typing import Any

from django.db.models import QuerySet, Sum

from zhenxing.economy.models import (
    AccountBalance,
    AccountRole,
    ChartRole,
    CollectiveOrganization,
    DistributionPlan,
    Dividend,
    Shareholding,
)
from zhenxing.economy.rules.values import to_yuan


def available_for_distribution(organization: CollectiveOrganization) -> decimal.Decimal:
    """The undistributed result in the books now: net credit of the year-result (本年收益) and
    distribution (收益分配) accounts, of every chart the books were kept under."""
    roles = (AccountRole.YEAR_RESULT, AccountRole.DISTRIBUTION)
    accounts = ChartRole.objects.filter(role__in=roles).values("account")
    sums = AccountBalance.objects.filter(organization=organization, account__in=accounts).aggregate(
        d=Sum("debit_fen"), c=Sum("credit_fen")
    )
    return to_yuan((sums["c"] or 0) - (sums["d"] or 0))


def plan_list(*, actor: Any) -> QuerySet[DistributionPlan]:
    """Every plan in the reader's scope, latest year first, with its village and township."""
    return (
        DistributionPlan.objects.visible_to(actor)
        .select_related("organization__village__parent")
        .order_by("-year", "organization__village__code", "pk")
    )


def plan_detail_queryset() -> QuerySet[DistributionPlan]:
    """Plans with what their page shows (the kernel narrows it to the reader's scope)."""
    return DistributionPlan.objects.select_related(
        "organization__village", "proposed_by", "village_approved_by", "voucher"
    )


def plan_payouts(plan: DistributionPlan) -> QuerySet[Dividend]:
    """A plan's dividends by household number."""
    return plan.payouts.select_related("household").order_by("household__number")


def shareholdings(organization: CollectiveOrganization) -> QuerySet[Shareholding]:
    """An organisation's members and their shares."""
    return (
        Shareholding.objects.filter(organization=organization)
        .select_related("household")
        .order_by("household__number")
    )


def member_shares(organization: CollectiveOrganization) -> decimal.Decimal:
    """The member shares an organisation holds in all."""
    total = Shareholding.objects.filter(organization=organization).aggregate(s=Sum("shares"))["s"]
    return decimal.Decimal(total or 0)
