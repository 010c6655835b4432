"""Reads of the jurisdiction tree, always scoped to the reader."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import get_for_user, subtree_q
from zhenxing.core.text import MAX_QUERY_LENGTH, normalise_query


def region_list(
    *,
    actor: Any,
    parent: str | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> QuerySet[Region]:
    """Regions the actor may see, filtered by parent code, kind and name search."""
    qs = Region.objects.visible_to(actor).select_related("parent")
    if parent:
        qs = qs.filter(parent__code=parent)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        if len(q) > MAX_QUERY_LENGTH:
            return qs.none()  # longer than any name and its pinyin: nothing can match
        qs = qs.filter(search_text__contains=normalise_query(q))
    return qs.order_by("code")


def region_get(*, actor: Any, code: str) -> Region:
    return get_for_user(Region.objects.select_related("parent"), actor, "view", code=code)


def region_children(*, actor: Any, region: Region) -> QuerySet[Region]:
    return (
        Region.objects.visible_to(actor)
        .filter(parent=region)
        .annotate(child_count=Count("children"))
        .order_by("code")
    )


def region_counts(*, region: Region) -> dict[str, int]:
    """How many regions of each kind lie under ``region``, in one grouped query."""
    rows = (
        Region.objects.filter(subtree_q(region.code))
        .exclude(pk=region.pk)
        .values("kind")
        .annotate(n=Count("id"))
    )
    counts = {kind.value: 0 for kind in RegionKind}
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def region_subtree(*, actor: Any, region: Region) -> QuerySet[Region]:
    """``region`` and everything under it that the actor may see, parents first."""
    return (
        Region.objects.visible_to(actor)
        .filter(subtree_q(region.code))
        .select_related("parent")
        .order_by("code")
    )
