"""The collective economy's permissions, by role (composed by ``core.accounts.roles``)."""

from __future__ import annotations

from zhenxing.core.accounts.roles import Role

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
# Converting a village's books to the new chart (新旧制度衔接) is the township station's work.
_CONVERSION = {"economy.chartconversion.add"}
_ABOVE_VILLAGE = (
    _BOOKS | _ECONOMY_REGISTER | _PLAN_VILLAGE | _PLAN_TOWNSHIP | _LINKAGE_SUPPORT | _CONVERSION
)

GRANTS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _ABOVE_VILLAGE,
    Role.TOWNSHIP_OFFICER: _ABOVE_VILLAGE,
    Role.VILLAGE_CADRE: _BOOKS | _PLAN_VILLAGE,
}
