"""The routes the kernel tests walk, as data (NetBox's ``ViewTestCases``: one line per route).

A new page, export or API list joins the scope and permission tests by one line here, and
``test_routes.py`` fails for a list, detail or export URL (found through the URL resolver and
the OpenAPI document) that has no line.

- ``DETAILS``: a URL about one object. Its own township's object answers 200, another
  township's 404 (and another village's, for a village cadre).
- ``LISTS``: a list page. 200 for every persona bound to a region; ``?region=`` another
  township 404; the other township's ``marker`` (a name) never appears.
- ``EXPORTS``: a file. 403 for a grid worker (no ``export`` permission), 200 for the
  township officer, 404 for another township (by object or ``?region=``).
- ``API_LISTS``: an API list and the model whose ids it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from tests.factories import Rows
from zhenxing.core.regions.models import Region

Arg = Callable[[Rows, Region], Any]


def pk_of(label: str) -> Arg:
    return lambda rows, village: rows.one(label, village).pk


def code_of(rows: Rows, village: Region) -> str:
    return village.code


def attr_of(label: str, attr: str) -> Callable[[Rows, Region], str]:
    def marker(rows: Rows, village: Region) -> str:
        obj: models.Model = rows.one(label, village)
        value = obj
        for part in attr.split("."):
            value = getattr(value, part)
        return str(value)

    return marker


@dataclass(frozen=True)
class Route:
    name: str
    arg: Arg | None = None  # the URL's one argument, for the object in a village
    params: dict[str, str] = field(default_factory=dict)
    marker: Callable[[Rows, Region], str] | None = None  # a name that lists the village's rows
    region_param: bool = True  # ``?region=`` narrows the page (outside scope: 404)
    village_scoped: bool = True  # a village cadre may not see another village's object
    readers: tuple[str, ...] = ("city", "officer_a", "officer_b", "cadre_a")  # may open it
    reader: str = "officer_a"  # the township-A persona whose view of the page is checked

    def __str__(self) -> str:
        return self.name


def household_number(rows: Rows, village: Region) -> str:
    return str(rows.one("registry.Household", village).number)


DETAILS = [
    Route("regions:region_detail", code_of),
    Route("registry:household_detail", pk_of("registry.Household")),
    Route("registry:person_detail", pk_of("registry.Person")),
    Route("registry:household_edit", pk_of("registry.Household")),
    Route("registry:person_edit", pk_of("registry.Person")),
    Route("economy:organization_detail", pk_of("economy.CollectiveOrganization")),
    Route("economy:organization_reports", pk_of("economy.CollectiveOrganization")),
    Route("economy:shareholding_list", pk_of("economy.CollectiveOrganization")),
    Route("economy:plan_detail", pk_of("economy.DistributionPlan")),
    Route("economy:voucher_detail", pk_of("economy.Voucher")),
    Route("party:organization_detail", pk_of("party.PartyOrganization")),
    Route("party:member_detail", pk_of("party.PartyMember")),
    Route("party:session_detail", pk_of("party.TrainingSession")),
    Route("grid:village_grids", code_of),
    Route("grid:grid_detail", pk_of("grid.Grid")),
    Route("grid:contract_detail", pk_of("grid.ServiceContract")),
    # A township's period: its villages' cadres read it too.
    Route("grid:period_detail", pk_of("grid.AssessmentPeriod"), village_scoped=False),
]

LISTS = [
    Route("home", region_param=False),
    Route("regions:region_search", params={"q": "村"}, region_param=False),
    Route(
        "accounts:account_list",
        region_param=False,
        marker=attr_of("accounts.User", "username"),
        readers=("city", "officer_a", "officer_b"),
    ),
    Route("accounts:token_list", region_param=False),  # the reader's own API tokens
    Route("registry:household_list", marker=household_number, region_param=False),
    Route("economy:dashboard"),
    Route(
        "economy:plan_list",
        marker=attr_of("economy.DistributionPlan", "organization.village.name"),
        region_param=False,
    ),
    Route("economy:industries"),
    Route("economy:supported_villages"),
    Route("economy:contracts", marker=attr_of("economy.Company", "name"), region_param=False),
    Route("economy:companies", marker=attr_of("economy.Company", "name"), region_param=False),
    Route(
        "audit:audit_list", region_param=False, readers=("auditor", "auditor_a"), reader="auditor_a"
    ),
    Route("party:dashboard"),
    Route("party:organizations", marker=attr_of("party.PartyOrganization", "name")),
    Route("party:worklist", marker=attr_of("party.PartyMember", "person.name")),
    Route("party:readiness"),
    Route("party:talent", marker=attr_of("party.ReserveTalent", "person.name")),
    Route("party:training"),
    Route("party:training_coverage"),
    Route("grid:dashboard"),
    Route("grid:contract_list", marker=attr_of("grid.ServiceContract", "number")),
    Route("grid:period_list", region_param=False),
]

EXPORTS = [
    Route("home_chart_export", region_param=False),
    Route("regions:region_export", code_of, region_param=False),
    Route("registry:household_export", region_param=False),
    Route("audit:audit_export", region_param=False, reader="auditor_a"),
    Route("economy:dashboard_export"),
    Route("economy:summary_report"),
    Route("economy:industries", params={"format": "xlsx"}),
    Route("economy:plan_dividends", pk_of("economy.DistributionPlan"), region_param=False),
    Route("economy:plan_list", params={"format": "xlsx"}, region_param=False),
    Route("economy:contracts", params={"format": "xlsx"}, region_param=False),
    Route("economy:companies", params={"format": "xlsx"}, region_param=False),
    Route("audit:audit_list", params={"format": "xlsx"}, region_param=False, reader="auditor_a"),
    Route("party:dashboard", params={"format": "xlsx"}),
    Route("party:organizations", params={"format": "xlsx"}),
    Route("party:readiness", params={"format": "xlsx"}),
    Route("party:talent", params={"format": "xlsx"}),
    Route("grid:dashboard", params={"format": "xlsx"}),
    Route(
        "grid:period_detail",
        pk_of("grid.AssessmentPeriod"),
        params={"format": "xlsx"},
        region_param=False,
    ),
]

#: Exports that fail today (a defect in another engineer's area, reported): one line moves
#: to EXPORTS when it is fixed. The completeness test counts them as known.
PENDING_EXPORTS: list[Route] = []


@dataclass(frozen=True)
class ApiList:
    model: str  # the model whose rows the items are
    key: str = "id"  # the item's field that names the row
    attr: str = ""  # the model's attribute it holds (default: the same name)
    readers: tuple[str, ...] = ("city", "officer_a", "officer_b", "cadre_a")
    reader: str = "officer_a"  # the township-A persona that asks for another township

    @property
    def column(self) -> str:
        return self.attr or self.key


#: API list path → what it lists.
API_LISTS: dict[str, ApiList] = {
    "/api/v1/regions/": ApiList("regions.Region", key="code"),
    "/api/v1/accounts/": ApiList("accounts.User", readers=("city", "officer_a", "officer_b")),
    "/api/v1/households/": ApiList("registry.Household"),
    "/api/v1/persons/": ApiList("registry.Person"),
    "/api/v1/audit/": ApiList(
        "audit.AuditEntry", readers=("auditor", "auditor_a"), reader="auditor_a"
    ),
    "/api/v1/economy/organizations/": ApiList("economy.CollectiveOrganization"),
    "/api/v1/economy/vouchers/": ApiList("economy.Voucher"),
    "/api/v1/economy/figures/": ApiList(
        "economy.YearFigures", key="organization", attr="organization_id"
    ),
    "/api/v1/economy/plans/": ApiList("economy.DistributionPlan"),
    "/api/v1/economy/contracts/": ApiList("economy.LinkageContract"),
    "/api/v1/economy/supported-villages/": ApiList("economy.SupportedVillage"),
    "/api/v1/economy/support-records/": ApiList("economy.SupportRecord"),
    "/api/v1/party/organizations/": ApiList("party.PartyOrganization"),
    "/api/v1/party/members/": ApiList("party.PartyMember"),
    "/api/v1/party/worklist/": ApiList("party.PartyMember", key="member", attr="id"),
    "/api/v1/party/positions/": ApiList("party.CadrePosition"),
    "/api/v1/party/talent/": ApiList("party.ReserveTalent"),
    "/api/v1/party/sessions/": ApiList("party.TrainingSession"),
    "/api/v1/party/attendance/": ApiList("party.Attendance"),
}

#: GET operations without a path parameter that are not lists of rows.
API_NOT_LISTS = {
    "/api/v1/economy/summary",
    "/api/v1/party/summary",
    "/api/v1/auth/tokens",  # the reader's own tokens, not rows of a region
}
