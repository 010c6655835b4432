"""Pure checks of members' shares and income-distribution plans (no queries, no writes)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError
from zhenxing.economy.models import ShareBasis


def check_affordable(plan: Any) -> None:
    """A plan never pays out more than the undistributed result available."""
    total = plan.reserve + plan.dividends
    if total > plan.available:
        raise DomainError(
            _(
                "The plan pays out %(total)s (reserve %(reserve)s, dividends %(dividends)s) but "
                "only %(available)s is available for distribution."
            )
            % {
                "total": total,
                "reserve": plan.reserve,
                "dividends": plan.dividends,
                "available": plan.available,
            },
            code="over_distribution",
            field="dividend_per_share",
        )


def check_same_village(household_village_id: int, organization_village_id: int) -> None:
    """A household holds shares in its own village's organisation."""
    if household_village_id != organization_village_id:
        raise DomainError(
            _("A household holds shares in its own village's organisation."),
            field="household",
        )


def check_basis(basis: str) -> str:
    """How the shares were allotted: one of ``ShareBasis``."""
    if basis not in ShareBasis.values:
        raise DomainError(_("Choose how the shares were allotted."), field="basis")
    return basis


def check_rejection_reason(reason: str) -> str:
    """A rejection says why (at most 200 characters are kept)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the plan is rejected."), field="reason")
    return reason[:200]
