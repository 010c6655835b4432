"""The permissions core defines for regions, accounts and exports, by role (the audit log's are
in ``core/audit/permissions.py``).

Each app declares its own in ``<app>/permissions.py`` with the same two names; core composes
them (:func:`zhenxing.core.accounts.roles.permissions_of`), so a new app never edits core.
"""

from __future__ import annotations

from zhenxing.core.accounts.roles import Role

_REGION_WRITE = {"regions.region.add", "regions.region.change", "regions.region.delete"}
_USER_MANAGE = {"accounts.user.add", "accounts.user.change"}
#: Taking any table, report or chart's numbers out as XLSX or CSV.
EXPORT = "export"

GRANTS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _REGION_WRITE | _USER_MANAGE | {EXPORT},
    Role.TOWNSHIP_OFFICER: _REGION_WRITE | _USER_MANAGE | {EXPORT},
    # Village cadres keep their own villager groups.
    Role.VILLAGE_CADRE: _REGION_WRITE | {EXPORT},
    Role.GRID_WORKER: set(),
    # Read-only over a subtree, including the audit log.
    Role.AUDITOR: {EXPORT},
}
