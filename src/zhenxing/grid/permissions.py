"""Grid management's permissions, by role (composed by ``core.accounts.roles``)."""

from __future__ import annotations

from zhenxing.core.accounts.roles import Role

# The village lays out its grids, assigns households and workers, and records the spending of
# the money it was allocated.
_GRID_VILLAGE = {
    "grid.grid.add",
    "grid.grid.change",
    "grid.contractspending.add",
}
# The buyer (township or city) signs contracts, allocates their money, and assesses.
_GRID_BUYER = {
    "grid.servicecontract.add",
    "grid.contractallocation.add",
    "grid.assessmentperiod.add",
    "grid.assessmentperiod.change",
    "grid.assessmentperiod.confirm",
}

# Visits are recorded by the grid's own workers, on their phones: the service takes a visit
# only from an account posted on the household's grid (and only grid workers are posted).
# The roles above hold it too, so that they may create grid workers' accounts (a role grants
# only roles whose permissions it holds itself).
_VISIT = {"grid.visit.add"}

GRANTS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _GRID_VILLAGE | _GRID_BUYER | _VISIT,
    Role.TOWNSHIP_OFFICER: _GRID_VILLAGE | _GRID_BUYER | _VISIT,
    Role.VILLAGE_CADRE: _GRID_VILLAGE | _VISIT,
    Role.GRID_WORKER: _VISIT,
}
