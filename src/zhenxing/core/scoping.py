"""The one scoping mechanism (NetBox's ``RestrictedQuerySet``, Healthchecks' ``_get_check_for_user``).

Every region-bound model uses :class:`ScopedQuerySet` and names the path to its region in
``scope_region_field``. ``visible_to(user)`` limits reads, ``writable_by(user, action)`` limits
writes, and :func:`get_for_user` turns "missing" and "outside scope" into the same 404. Pages,
the API and exports all go through these three, so a route cannot forget scoping on its own.

A region's subtree is a range on its code: official codes are prefixes of their children's codes
(520281 → 520281004 → 520281004201 → 520281004201001), so "everything under X" is
``X <= code < X + ':'`` (':' sorts just after '9'), one b-tree range scan on any database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q

from zhenxing.core.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from zhenxing.core.accounts.models import User

M = TypeVar("M", bound=models.Model)

#: Sorts after every digit, so ``code < prefix + SUBTREE_END`` bounds a prefix's subtree.
SUBTREE_END = ":"


def subtree_q(code: str, field: str = "code") -> Q:
    """Rows whose region code is ``code`` or lies under it."""
    return Q(**{f"{field}__gte": code, f"{field}__lt": code + SUBTREE_END})


def _active_user(user: Any) -> User | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if getattr(user, "region_id", None) is None:
        return None
    return user  # type: ignore[no-any-return]


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset that knows how to restrict itself to a user's region subtree."""

    def _code_field(self) -> str:
        path = getattr(self.model, "scope_region_field", None)
        if path is None:
            raise TypeError(f"{self.model.__name__} does not declare scope_region_field")
        return f"{path}__code" if path else "code"

    def visible_to(self, user: Any) -> ScopedQuerySet[M]:
        """What ``user`` may read: their region's subtree; nothing for anyone unscoped."""
        active = _active_user(user)
        if active is None:
            return self.none()
        return self.filter(subtree_q(active.region.code, self._code_field()))

    def writable_by(self, user: Any, action: str) -> ScopedQuerySet[M]:
        """What ``user`` may ``action`` ("change", "delete"): visible and permitted by role."""
        from zhenxing.core.accounts.roles import has_permission

        active = _active_user(user)
        if active is None or not has_permission(active, self.model, action):
            return self.none()
        qs = self.visible_to(active)
        if getattr(self.model, "scope_excludes_own_region", False):
            # Nobody edits the region they are bound to: it was set above them.
            qs = qs.exclude(**{self._code_field(): active.region.code})
        return qs


def get_for_user(queryset: models.QuerySet[M], user: Any, action: str = "view", **lookup: Any) -> M:
    """One object ``user`` may ``action``: missing or outside scope raise the same ``NotFound``.

    Inside scope but not permitted by role raises ``Forbidden`` (403), so a village cadre learns
    the page exists only for objects already in their own subtree.
    """
    scoped = queryset.visible_to(user)  # type: ignore[attr-defined]
    try:
        obj = scoped.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise NotFound() from exc
    if action != "view" and not scoped.writable_by(user, action).filter(pk=obj.pk).exists():
        raise Forbidden()
    return obj  # type: ignore[no-any-return]


def ensure_can_add_under(user: Any, model: type[models.Model], region: Any) -> None:
    """Adding a ``model`` row bound to ``region``: the region must be in scope, the role allowed."""
    from zhenxing.core.accounts.roles import has_permission
    from zhenxing.core.regions.models import Region

    active = _active_user(user)
    if active is None or not Region.objects.visible_to(active).filter(pk=region.pk).exists():
        raise NotFound()
    if not has_permission(active, model, "add"):
        raise Forbidden()


def ensure_still_in_scope(user: Any, obj: models.Model) -> None:
    """Re-check after a write, inside the transaction (NetBox's ``PermissionsViolation``).

    A change that moves an object out of the actor's scope (say, re-parenting a village to
    another township) raises, and the caller's ``atomic`` block rolls the write back.
    """
    manager = type(obj)._default_manager
    if not manager.visible_to(user).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise NotFound()
