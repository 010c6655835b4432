"""Roles and what each may do. Scope (which region) is separate: see ``zhenxing.core.scoping``.

A permission is ``"<app_label>.<model>.<action>"``; a role either has it or not. Keep this table
the only place that says who may write: services and querysets ask :func:`has_permission`.
"""

from __future__ import annotations

from typing import Any

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

_REGION_WRITE = {"regions.region.add", "regions.region.change", "regions.region.delete"}
_USER_MANAGE = {"accounts.user.add", "accounts.user.change"}
_REGISTRY_WRITE = {
    "registry.household.add",
    "registry.household.change",
    "registry.person.add",
    "registry.person.change",
}
# Keeping a village collective's books: prepare vouchers, approve (post) another person's,
# close months. Township rural-economy stations keep many villages' books (村账乡代管).
_BOOKS = {
    "economy.voucher.add",
    "economy.voucher.approve",
    "economy.shareholding.change",
    "economy.villageindustry.change",
}
# Contracts with companies and support for key villages are recorded above the village.
_LINKAGE_SUPPORT = {
    "economy.linkagecontract.add",
    "economy.supportedvillage.add",
    "economy.supportrecord.add",
}
# Income distribution: the village proposes and approves (its assembly), the township decides.
# Which stage an account may approve also depends on where it is bound (economy.distribution):
# higher roles hold the village's permissions so they may create village accounts.
_PLAN_VILLAGE = {"economy.distributionplan.add", "economy.distributionplan.approve_village"}
_PLAN_TOWNSHIP = {"economy.distributionplan.approve_township"}
_ECONOMY_REGISTER = {
    "economy.collectiveorganization.add",
    "economy.collectiveorganization.change",
    "economy.company.add",
    "economy.company.change",
}
# Party building in the village: applicants' steps, cadres' posts, the reserve pool, ordering
# courses (点单) and recording attendance; functional groups of the village's organisation.
_PARTY_VILLAGE = {
    "party.partymember.add",
    "party.partymember.change",
    "party.cadreposition.add",
    "party.cadreposition.change",
    "party.reservetalent.add",
    "party.reservetalent.change",
    "party.courseorder.add",
    "party.attendance.add",
    "party.functionalgroup.add",
}
# Above the village: organisations (joint committees, branches in companies), exceptions to the
# pipeline's intervals, training sessions and the department's assignments (配菜).
_PARTY_TOWNSHIP = {
    "party.partyorganization.add",
    "party.partyorganization.change",
    "party.socialorganization.add",
    "party.pipelineexception.add",
    "party.trainingsession.add",
    "party.trainingsession.change",
    "party.courseorder.assign",
}
# Seeing resident ID numbers and phones in clear (every view is audited).
_SENSITIVE = {"registry.person.view_sensitive"}

PERMISSIONS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _REGION_WRITE
    | _USER_MANAGE
    | _REGISTRY_WRITE
    | _SENSITIVE
    | _BOOKS
    | _ECONOMY_REGISTER
    | _PLAN_VILLAGE
    | _PLAN_TOWNSHIP
    | _LINKAGE_SUPPORT
    | _PARTY_VILLAGE
    | _PARTY_TOWNSHIP
    | {"audit.auditentry.view", "export"},
    Role.TOWNSHIP_OFFICER: _REGION_WRITE
    | _USER_MANAGE
    | _REGISTRY_WRITE
    | _SENSITIVE
    | _BOOKS
    | _ECONOMY_REGISTER
    | _PLAN_VILLAGE
    | _PLAN_TOWNSHIP
    | _LINKAGE_SUPPORT
    | _PARTY_VILLAGE
    | _PARTY_TOWNSHIP
    | {"export"},
    # Village cadres keep their own villager groups, their village's registry and its books.
    Role.VILLAGE_CADRE: _REGION_WRITE
    | _REGISTRY_WRITE
    | _SENSITIVE
    | _BOOKS
    | _PLAN_VILLAGE
    | _PARTY_VILLAGE
    | {"export"},
    Role.GRID_WORKER: set(),
    # Read-only over a subtree, including the audit log.
    Role.AUDITOR: {"audit.auditentry.view", "export"},
}


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{action}"


def has_permission(user: Any, model: type[models.Model] | None, action: str) -> bool:
    """Whether ``user``'s role allows ``action`` on ``model`` (scope is checked elsewhere)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    granted = PERMISSIONS.get(getattr(user, "role", ""), set())
    if action == "view":
        return True
    if model is None:
        return action in granted
    return permission_name(model, action) in granted


def assignable_roles(user: Any) -> list[str]:
    """Roles ``user`` may grant: those whose permissions ``user`` holds all of (never more)."""
    if not has_permission(user, None, "view"):
        return []
    held = PERMISSIONS.get(getattr(user, "role", ""), set())
    if not {p for p in held if p.startswith("accounts.user.")}:
        return []
    return [role for role in Role.values if PERMISSIONS[role] <= held]


def can_view_audit_log(user: Any) -> bool:
    return has_permission(user, None, "audit.auditentry.view")


def can_export(user: Any) -> bool:
    return has_permission(user, None, "export")
