"""The registry's permissions, by role (composed by ``core.accounts.roles``)."""

from __future__ import annotations

from zhenxing.core.accounts.roles import Role

_REGISTRY_WRITE = {
    "registry.household.add",
    "registry.household.change",
    "registry.person.add",
    "registry.person.change",
}
# Recording what a door-to-door visit found: the 两不愁三保障 + safe-water checklist and where
# the house stands (a grid worker may do this and nothing else to a household).
_CHECK = {"registry.household.check"}
# Seeing resident ID numbers and phones in clear (every view is audited).
_SENSITIVE = {"registry.person.view_sensitive"}

GRANTS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _REGISTRY_WRITE | _SENSITIVE | _CHECK,
    Role.TOWNSHIP_OFFICER: _REGISTRY_WRITE | _SENSITIVE | _CHECK,
    Role.VILLAGE_CADRE: _REGISTRY_WRITE | _SENSITIVE | _CHECK,
    Role.GRID_WORKER: _CHECK,
}
