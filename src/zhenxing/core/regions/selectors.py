"""Reads of the jurisdiction tree, always scoped to the reader."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet

from zhenxing.core.regions.filtersets import RegionFilterSet
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import get_for_user, subtree_q
from zhenxing.core.web.filters import filter_queryset


def region_list(
    *, actor: Any, filters: Mapping[str, Any] | None = None, **params: str | None
) -> QuerySet[Region]:
    """Regions the actor may see, parents with them, by code, narrowed by
    :class:`RegionFilterSet` (``parent``, ``kind``, ``q``) from ``filters`` (a query string)
    or keyword parameters; a bad value raises a ``DomainError`` naming it (400)."""
    qs = Region.objects.visible_to(actor).select_related("parent").order_by("code")
    data = {**dict((filters or {}).items()), **{k: v for k, v in params.items() if v}}
    if not data:
        return qs
    return filter_queryset(RegionFilterSet, data, qs, actor=actor)


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
