"""What the collective economy asks of a reader now, for the home page (``core.waiting``):
vouchers another person prepared, waiting for their approval, and distribution plans waiting
for the decision their role and region take. One query each, whatever the number of villages:
drafts and undecided plans are few, and the counts read them through the organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.waiting import WaitingItem
from zhenxing.economy.models import DistributionPlan, PlanStatus, Voucher, VoucherStatus

#: Organisations listed one by one; drafts in any further ones are summed on one more line.
MAX_ORGANIZATIONS = 8


def vouchers_to_approve(*, actor: Any) -> list[WaitingItem]:
    """Drafts in the reader's scope that someone else prepared, by organisation (most first),
    for a role that approves vouchers: the rule of ``voucher_post`` (never one's own)."""
    if not has_permission(actor, Voucher, "approve"):
        return []
    drafts = (
        Voucher.objects.visible_to(actor)
        .filter(status=VoucherStatus.DRAFT)
        .exclude(preparer_id=getattr(actor, "pk", None))
    )
    rows = list(
        drafts.values("organization_id", "organization__name")
        .annotate(n=Count("pk"), first=Min("pk"))
        .order_by("-n", "organization__name")[: MAX_ORGANIZATIONS + 1]
    )
    items = []
    for row in rows[:MAX_ORGANIZATIONS]:
        # One voucher: straight to it; several: the organisation's page lists its drafts.
        url = (
            reverse("economy:voucher_detail", args=[row["first"]])
            if row["n"] == 1
            else reverse("economy:organization_detail", args=[row["organization_id"]])
        )
        label = _("Vouchers to approve: %(organization)s") % {
            "organization": row["organization__name"]
        }
        items.append(WaitingItem("vouchers", label, row["n"], url))
    if len(rows) > MAX_ORGANIZATIONS:
        shown = sum(item.count for item in items)
        items.append(
            WaitingItem(
                "vouchers_more",
                _("Vouchers to approve in other villages"),
                drafts.count() - shown,
                reverse("economy:dashboard"),
            )
        )
    return items


def plans_to_decide(*, actor: Any) -> list[WaitingItem]:
    """Distribution plans waiting for the reader's decision, the rule of
    ``services.distribution.may_decide``: a proposal waits for the village's approval by an
    account bound to that village (not its proposer, whom the approval refuses), a
    village-approved plan for the township's by an account above the village."""
    region_id = getattr(actor, "region_id", None)
    in_village = Q(organization__village_id=region_id)
    stages: list[tuple[str, Q, str]] = []
    if has_permission(actor, DistributionPlan, "approve_village"):
        proposer = Q(proposed_by_id=getattr(actor, "pk", None))
        stages.append(
            (
                PlanStatus.PROPOSED.value,
                in_village & ~proposer,
                _("Distribution plans for the village to approve"),
            )
        )
    if has_permission(actor, DistributionPlan, "approve_township"):
        stages.append(
            (
                PlanStatus.VILLAGE_APPROVED.value,
                ~in_village,
                _("Distribution plans for the township to decide"),
            )
        )
    if not stages:
        return []
    figures: dict[str, Any] = {}
    for status, condition, _label in stages:
        waiting = Q(status=status) & condition
        figures[f"n_{status}"] = Count("pk", filter=waiting)
        figures[f"first_{status}"] = Min("pk", filter=waiting)
    found = DistributionPlan.objects.visible_to(actor).aggregate(**figures)
    items = []
    for status, _condition, label in stages:
        count = found[f"n_{status}"]
        if not count:
            continue
        url = (
            reverse("economy:plan_detail", args=[found[f"first_{status}"]])
            if count == 1
            else f"{reverse('economy:plan_list')}?status={status}"
        )
        items.append(WaitingItem(f"plans_{status}", label, count, url))
    return items
