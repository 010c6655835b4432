"""Roles and what each may do. Scope (which region) is separate: see ``zhenxing.core.scoping``.

A permission is ``"<app_label>.<model>.<action>"``; a role either has it or not. Each app
declares the permissions it defines and which roles hold them in its ``permissions.py``; this
module composes them and is the only place that answers "may this role …": services, querysets
and the web kernel ask :func:`has_permission`.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    VILLAGE_CADRE = "village_cadre", _("Village cadre")
    GRID_WORKER = "grid_worker", _("Grid worker")
    AUDITOR = "auditor", _("Auditor")


#: The region kinds an account of each role may be bound to.
ROLE_REGION_KINDS: dict[str, set[str]] = {
    Role.CITY_ADMIN: {"county"},
    Role.TOWNSHIP_OFFICER: {"township"},
    Role.VILLAGE_CADRE: {"village", "community"},
    Role.GRID_WORKER: {"village", "community", "group"},
    Role.AUDITOR: {"county", "township", "village", "community"},
}


def _compose() -> dict[str, frozenset[str]]:
    """Every installed app's ``permissions.GRANTS`` (role → permissions), merged by role.

    Apps are found through Django's registry, so core names no app above it and a new app only
    adds its own ``permissions.py``.
    """
    merged: dict[str, set[str]] = {role: set() for role in Role.values}
    for config in apps.get_app_configs():
        if not config.name.startswith("zhenxing."):
            continue
        name = f"{config.name}.permissions"
        if importlib.util.find_spec(name) is None:
            continue
        for role, granted in importlib.import_module(name).GRANTS.items():
            merged[str(role)] |= set(granted)
    return {role: frozenset(granted) for role, granted in merged.items()}


@functools.cache
def _table() -> dict[str, frozenset[str]]:
    return _compose()


def permissions_of(role: str) -> frozenset[str]:
    """Every permission ``role`` holds, across all apps."""
    return _table().get(role, frozenset())


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{action}"


def has_permission(user: Any, model: type[models.Model] | None, action: str) -> bool:
    """Whether ``user``'s role allows ``action`` on ``model`` (scope is checked elsewhere)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    granted = permissions_of(getattr(user, "role", ""))
    if action == "view":
        return True
    if model is None:
        return action in granted
    return permission_name(model, action) in granted


def assignable_roles(user: Any) -> list[str]:
    """Roles ``user`` may grant: those whose permissions ``user`` holds all of (never more)."""
    if not has_permission(user, None, "view"):
        return []
    held = permissions_of(getattr(user, "role", ""))
    if not {p for p in held if p.startswith("accounts.user.")}:
        return []
    return [role for role in Role.values if permissions_of(role) <= held]


def can_view_audit_log(user: Any) -> bool:
    return has_permission(user, None, "audit.auditentry.view")


def can_export(user: Any) -> bool:
    return has_permission(user, None, "export")
