"""The one scoping mechanism (NetBox's ``RestrictedQuerySet``; Healthchecks' access helpers).

Every region-bound model uses :class:`ScopedQuerySet` and names the path to its region in
``scope_region_field``. ``visible_to(user)`` limits reads, ``writable_by(user, action)`` limits
writes, and :func:`get_for_user` turns "missing" and "outside scope" into the same 404. Pages,
the API and exports all go through these three, so a route cannot forget scoping on its own.

A region's subtree is a range on its code: official codes are prefixes of their children's codes
(520281 → 520281004 → 520281004201 → 520281004201001), so "everything under X" is
``X <= code < X + ':'`` (':' sorts just after '9'), one b-tree range scan on any database.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.errors import Forbidden, NotFound

M = TypeVar("M", bound=models.Model)

#: Sorts after every digit, so ``code < prefix + SUBTREE_END`` bounds a prefix's subtree.
SUBTREE_END = ":"


def subtree_q(code: str, field: str = "code") -> Q:
    """Rows whose region code is ``code`` or lies under it."""
    return Q(**{f"{field}__gte": code, f"{field}__lt": code + SUBTREE_END})


#: Lengths of the official division codes: province, city, county, township, village, group.
CODE_LENGTHS = (2, 4, 6, 9, 12, 15)
#: Length of a county-level division code, the leading part of every code under it.
COUNTY_CODE_LENGTH = 6


def ancestor_codes(code: str) -> list[str]:
    """The codes of the regions above ``code``, read off its prefixes (no query)."""
    return [code[:n] for n in CODE_LENGTHS if n < len(code)]


def scope_code(user: Any) -> str | None:
    """The code of the region an active user answers for; None means "sees nothing"."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    region = getattr(user, "region", None)
    return region.code if region is not None else None


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset that knows how to restrict itself to a user's region subtree.

    The model names its region with ``scope_region_field`` (a path to a ``Region`` foreign
    key, or ``""`` for ``Region`` itself), or names a column that holds a copied region code
    with ``scope_code_field`` (for append-only rows such as audit entries). A model that keeps
    its county's code in a column names it with ``scope_county_field``.
    """

    def _code_field(self) -> str:
        code_field = getattr(self.model, "scope_code_field", None)
        if code_field:
            return str(code_field)
        path = getattr(self.model, "scope_region_field", None)
        if path is None:
            raise TypeError(f"{self.model.__name__} declares neither scope field")
        return f"{path}__code" if path else "code"

    def visible_to(self, user: Any) -> Self:
        """What ``user`` may read: their region's subtree; nothing for anyone unscoped.

        A model with ``scope_includes_ancestors`` (a training session a township organises for
        its villages' cadres) is also visible to users below its region, read-only.
        """
        # Resolve the model's scope field first, for everyone: a wrong path fails loudly even
        # for an outsider, who would otherwise get ``.none()`` and hide the mistake.
        field = self._code_field()
        code = scope_code(user)
        if code is None:
            return self.none().filter(**{f"{field}__isnull": False})
        condition = subtree_q(code, field)
        if getattr(self.model, "scope_includes_ancestors", False):
            condition |= Q(**{f"{field}__in": ancestor_codes(code)})
        elif (county_field := getattr(self.model, "scope_county_field", None)) and len(
            code
        ) >= COUNTY_CODE_LENGTH:
            # The same rows, also named by their county (the distribution key) when the user
            # is at or below a county: an index led by the county can then serve the scope and
            # the page's order together (the audit log, newest first).
            condition &= Q(**{county_field: code[:COUNTY_CODE_LENGTH]})
        return self.filter(condition)

    def writable_by(self, user: Any, action: str) -> Self:
        """What ``user`` may ``action`` ("change", "delete"): visible and permitted by role."""
        field = self._code_field()
        code = scope_code(user)
        if code is None or not has_permission(user, self.model, action):
            return self.none().filter(**{f"{field}__isnull": False})
        # Writes stay inside the subtree, whatever the model lets users below it read.
        qs = self.filter(subtree_q(code, field))
        if getattr(self.model, "scope_excludes_own_region", False):
            # Nobody edits the region they are bound to: it was set above them.
            qs = qs.exclude(**{field: code})
        return qs


def get_for_user(queryset: models.QuerySet[M], user: Any, action: str = "view", **lookup: Any) -> M:
    """One object ``user`` may ``action``: missing or outside scope raise the same ``NotFound``.

    Inside scope but not permitted by role raises ``Forbidden`` (403), so a village cadre learns
    the page exists only for objects already in their own subtree.
    """
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} is not a scoped model")
    scoped = queryset.visible_to(user)
    try:
        obj = scoped.get(**lookup)
    except ObjectDoesNotExist as exc:
        raise NotFound() from exc
    if action != "view" and not scoped.writable_by(user, action).filter(pk=obj.pk).exists():
        raise Forbidden()
    return obj


def ensure_can_add_under(user: Any, model: type[models.Model], region: Any) -> None:
    """Adding a ``model`` row bound to ``region``: the region must be in scope, the role allowed."""
    regions = type(region)._default_manager.all()
    if not isinstance(regions, ScopedQuerySet) or not (
        regions.visible_to(user).filter(pk=region.pk).exists()
    ):
        raise NotFound()
    if not has_permission(user, model, "add"):
        raise Forbidden()


def ensure_still_in_scope(user: Any, obj: models.Model) -> None:
    """Re-check after a write, inside the transaction (NetBox's ``PermissionsViolation``).

    A change that moves an object out of the actor's scope (say, re-parenting a village to
    another township) raises, and the caller's ``atomic`` block rolls the write back.
    """
    queryset = type(obj)._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet) or not (
        queryset.visible_to(user).filter(pk=obj.pk).exists()
    ):
        raise NotFound()
