"""``/api/v1/party/summary``: a region's party building for a year, scoped."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from zhenxing.core.errors import NotFound
from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import get_for_user
from zhenxing.party.selectors import summary as selectors

router = Router(tags=["party"])


class PartySummaryOut(Schema):
    """A region's party building. Ratios are 0–1."""

    region: str
    year: int
    villages: int
    joint_committees: int
    organizations: int
    members: int
    pipeline: dict[str, int]
    one_shoulder_ratio: float
    one_shoulder_target: float
    villages_without_reserve_secretary: int
    entrepreneurs: int
    villages_short_of_entrepreneurs: int
    reserve_talent: int
    secretary_sources: dict[str, int]
    training_coverage: float
    cadres: int
    cadres_trained: int


@router.get("/summary", response=PartySummaryOut)
def party_summary(
    request: HttpRequest, region: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """Joint-village committees, organisations, members (probationary and full), the pipeline
    (a count per stage), the 一肩挑 ratio, villages without a reserve candidate for secretary and
    the share of cadres trained in ``year``, for the region's subtree. ``region`` defaults to
    the caller's own, ``year`` to the current one."""
    user = request.auth  # type: ignore[attr-defined]
    code = region or (user.region.code if user.region else "")
    if not code:
        raise NotFound()
    place = get_for_user(Region.objects.all(), user, code=code)
    this_year = timezone.localdate().year
    if year is None or not 2000 <= year <= this_year:
        year = this_year
    return selectors.party_summary(region=place, year=year)
