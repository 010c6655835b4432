"""Scoped reads the party pages make around their own rows: the regions a form offers, an
object a button acts on, whether the reader may change a row. Views call these with
``actor=``; they never call ``visible_to``/``get_for_user`` themselves."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import get_for_user, subtree_q


def regions_visible(*, actor: Any) -> QuerySet[Region]:
    """Every region ``actor`` may see."""
    return Region.objects.visible_to(actor)


def villages_under(*, actor: Any, region: Region) -> QuerySet[Region]:
    """The villages under ``region`` that ``actor`` may see, by code (for a form's list)."""
    return (
        Region.objects.visible_to(actor)
        .filter(subtree_q(region.code), kind__in=VILLAGE_LEVEL)
        .order_by("code")
    )


def visible(*, actor: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``queryset`` (of a scoped model) narrowed to what ``actor`` may see."""
    return queryset.visible_to(actor)  # type: ignore[attr-defined]


def object_for(*, actor: Any, queryset: QuerySet[Any], action: str = "view", **lookup: Any) -> Any:
    """One object ``actor`` may ``action``: missing or outside scope ``NotFound``, inside scope
    but not permitted ``Forbidden``."""
    return get_for_user(queryset, actor, action, **lookup)


def may_change(*, actor: Any, obj: Model) -> bool:
    """Whether ``actor``'s role and scope let them change ``obj``."""
    manager: Any = type(obj)._default_manager
    return bool(manager.writable_by(actor, "change").filter(pk=obj.pk).exists())
