"""Party building's permissions, by role (composed by ``core.accounts.roles``)."""

from __future__ import annotations

from zhenxing.core.accounts.roles import Role

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

GRANTS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _PARTY_VILLAGE | _PARTY_TOWNSHIP,
    Role.TOWNSHIP_OFFICER: _PARTY_VILLAGE | _PARTY_TOWNSHIP,
    Role.VILLAGE_CADRE: _PARTY_VILLAGE,
}
