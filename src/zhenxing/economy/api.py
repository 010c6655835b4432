"""``/api/v1/economy/summary``: a region's collective economy at a year's end, scoped."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from zhenxing.core.errors import NotFound
from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import get_for_user
from zhenxing.economy import selectors

router = Router(tags=["economy"])


class EconomySummaryOut(Schema):
    """A region's collective economy at a year's end. Money: yuan as decimal strings."""

    region: str
    year: int
    villages: int
    cooperatives: int
    companies: int
    total_accumulation: str
    average_accumulation: str
    total_operating_income: str
    tiers: dict[str, int]
    targets: dict[str, Any]


def _money(value: Any) -> str:
    return f"{value:.2f}"


@router.get("/summary", response=EconomySummaryOut)
def economy_summary(
    request: HttpRequest, region: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """Villages, cooperatives, companies, accumulation (total and average), operating income and
    the count per tier for the region's subtree at the end of ``year`` (money: yuan as decimal
    strings). ``region`` defaults to the caller's own, ``year`` to the last closed year."""
    user = request.auth  # type: ignore[attr-defined]
    code = region or (user.region.code if user.region else "")
    if not code:
        raise NotFound()
    place = get_for_user(Region.objects.all(), user, code=code)
    summary = selectors.economy_summary(
        region=place, year=year or selectors.default_year(region=place)
    )
    for key in ("total_accumulation", "average_accumulation", "total_operating_income"):
        summary[key] = _money(summary[key])
    targets = summary["targets"]
    for key in ("min_accumulation", "min_operating_income"):
        if key in targets:
            targets[key] = _money(targets[key])
    return summary
