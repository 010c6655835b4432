"""Reads of accounts, scoped to the reader's region subtree."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhenxing.core.accounts.models import User
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.text import MAX_QUERY_LENGTH


def region_options(*, actor: Any) -> QuerySet[Region]:
    """Regions an account may be bound to, for the form's suggestions (groups left out)."""
    return (
        Region.objects.visible_to(actor)
        .exclude(kind=RegionKind.GROUP)
        .only("code", "name", "kind")
        .order_by("code")
    )


def account_list(*, actor: Any, q: str | None = None, role: str | None = None) -> QuerySet[User]:
    qs = User.objects.visible_to(actor).select_related("region")
    if q:
        if len(q) > MAX_QUERY_LENGTH:
            return qs.none()
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("region__code", "username")
