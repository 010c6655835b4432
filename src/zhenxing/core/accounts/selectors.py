"""Reads of accounts, scoped to the reader's region subtree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from zhenxing.core.accounts.filtersets import AccountFilterSet
from zhenxing.core.accounts.models import ApiToken, User
from zhenxing.core.accounts.roles import Role
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import subtree_q
from zhenxing.core.web.filters import filter_queryset


def region_options(*, actor: Any) -> QuerySet[Region]:
    """Regions an account may be bound to, for the form's suggestions (groups left out)."""
    return (
        Region.objects.visible_to(actor)
        .exclude(kind=RegionKind.GROUP)
        .only("code", "name", "kind")
        .order_by("code")
    )


def account_list(
    *, actor: Any, filters: Mapping[str, Any] | None = None, **params: str | None
) -> QuerySet[User]:
    """Accounts the actor manages, with their regions, by region and username, narrowed by
    :class:`AccountFilterSet` (``q``, ``role``); a bad value raises a ``DomainError`` (400)."""
    qs = (
        User.objects.visible_to(actor).select_related("region").order_by("region__code", "username")
    )
    data = {**dict((filters or {}).items()), **{k: v for k, v in params.items() if v}}
    if not data:
        return qs
    return filter_queryset(AccountFilterSet, data, qs, actor=actor)


def active_account_count(*, actor: Any) -> int:
    """How many active accounts the actor manages (their subtree, below their own level)."""
    return User.objects.visible_to(actor).filter(is_active=True).count()


def own_tokens(*, actor: Any) -> QuerySet[ApiToken]:
    """The actor's own API tokens, newest first (expired ones too, until revoked)."""
    user_id: int = getattr(actor, "pk", None) or 0
    return ApiToken.objects.filter(user_id=user_id).order_by("-created_at", "-id")


def account_is_editable(*, actor: Any, account: User) -> bool:
    """Whether the actor may change ``account`` (below their own level, in their subtree)."""
    return User.objects.writable_by(actor, "change").filter(pk=account.pk).exists()


def grid_workers_of(*, actor: Any, village: Region) -> list[User]:
    """The active grid workers' accounts bound to a village (or its groups) the actor sees."""
    return list(
        User.objects.visible_to(actor)
        .filter(subtree_q(village.code, "region__code"), role=Role.GRID_WORKER, is_active=True)
        .order_by("username")
    )
