"""Writes to the jurisdiction tree: validate → scope check → write → audit, in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from zhenxing.core.audit.services import audit_create, audit_delete, audit_update, snapshot
from zhenxing.core.errors import Conflict, DomainError, Forbidden, NotFound
from zhenxing.core.regions.models import NAME_MAX_LENGTH, Region, region_code_errors
from zhenxing.core.scoping import ensure_can_add_under, ensure_still_in_scope, get_for_user


def _validate(*, code: str, name: str, kind: str, parent: Region | None, pk: int | None) -> None:
    errors: dict[str, list[Any]] = dict(region_code_errors(kind=kind, code=code, parent=parent))
    if not name.strip():
        errors.setdefault("name", []).append(_("A name is required."))
    elif len(name) > NAME_MAX_LENGTH or any(ord(ch) < 32 for ch in name):
        errors.setdefault("name", []).append(
            _("A name has at most %(n)d characters and no control characters.")
            % {"n": NAME_MAX_LENGTH}
        )
    if "code" not in errors and Region.objects.filter(code=code).exclude(pk=pk or 0).exists():
        errors.setdefault("code", []).append(
            _("The code %(code)s is already in use.") % {"code": code}
        )
    if errors:
        field, messages = next(iter(errors.items()))
        raise DomainError(messages[0], field=field, errors=errors)


def region_create(*, actor: Any, parent: Region, code: str, name: str, kind: str) -> Region:
    """Add a region under ``parent``, which must be inside the actor's scope."""
    code, name = code.strip(), name.strip()
    with transaction.atomic():
        ensure_can_add_under(actor, Region, parent)
        _validate(code=code, name=name, kind=kind, parent=parent, pk=None)
        try:
            region = Region.objects.create(code=code, name=name, kind=kind, parent=parent)
        except IntegrityError as exc:  # a concurrent insert of the same code
            raise DomainError(
                _("The code %(code)s is already in use.") % {"code": code}, field="code"
            ) from exc
        audit_create(actor=actor, obj=region)
        return region


def region_update(
    *, actor: Any, region: Region, name: str | None = None, code: str | None = None
) -> Region:
    """Rename a region or correct its code (children's codes must still begin with it)."""
    with transaction.atomic():
        region = get_for_user(Region.objects.select_for_update(), actor, "change", pk=region.pk)
        before = snapshot(region)
        new_code = region.code if code is None else code.strip()
        new_name = region.name if name is None else name.strip()
        _validate(
            code=new_code, name=new_name, kind=region.kind, parent=region.parent, pk=region.pk
        )
        if new_code != region.code and region.children.exists():
            raise DomainError(_("A region with children cannot change its code."), field="code")
        region.code, region.name = new_code, new_name
        region.save()
        ensure_still_in_scope(actor, region)
        audit_update(actor=actor, obj=region, before=before)
        return region


def region_delete(*, actor: Any, region: Region) -> None:
    """Delete a region that has no children and nothing bound to it."""
    with transaction.atomic():
        region = get_for_user(Region.objects.select_for_update(), actor, "delete", pk=region.pk)
        if region.children.exists():
            raise DomainError(
                _("%(name)s still has %(count)d subordinate regions; delete or move them first.")
                % {"name": region.name, "count": region.children.count()},
                code="has_children",
            )
        if region.accounts.exists():
            raise DomainError(
                _("%(name)s still has accounts bound to it; bind them to another region first.")
                % {"name": region.name},
                code="has_accounts",
            )
        before = snapshot(region)
        audit_delete(actor=actor, obj=region, before=before)
        try:
            region.delete()
        except (ProtectedError, RestrictedError) as exc:
            # Households, vouchers, organisations… still point here (PROTECT): the request is
            # valid, the data's state refuses it. Raising inside the transaction rolls back the
            # audit entry above.
            kinds = sorted({str(o._meta.verbose_name_plural) for o in _referrers(exc)})
            raise Conflict(
                _("%(name)s is still referenced (%(what)s); move or delete those records first.")
                % {"name": region.name, "what": ", ".join(kinds)}
            ) from exc


def _referrers(exc: ProtectedError | RestrictedError) -> set[Any]:
    objs = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    return set(objs)


__all__ = ["Conflict", "Forbidden", "NotFound", "region_create", "region_delete", "region_update"]
