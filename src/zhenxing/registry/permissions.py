"""The registry's permissions, by role (composed by ``core.accounts.roles``)."""

from __future__ import annotations

from zhenxing.core.accounts.roles import Role

_REGISTRY_WRITE = {
    "registry.household.add",
    "registry.household.change",
    "registry.person.add",
    "registry.person.change",
}
# Seeing resident ID numbers and phones in clear (every view is audited).
_SENSITIVE = {"registry.person.view_sensitive"}

GRANTS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _REGISTRY_WRITE | _SENSITIVE,
    Role.TOWNSHIP_OFFICER: _REGISTRY_WRITE | _SENSITIVE,
    Role.VILLAGE_CADRE: _REGISTRY_WRITE | _SENSITIVE,
}
