"""Rows of every region-scoped model in both townships of the test world.

A scope test over an empty table passes whatever ``visible_to`` does, so :func:`populate`
creates at least one row of each model whose default manager is a
:class:`~zhenxing.core.scoping.ScopedQuerySet` in 沙坡村 and 竹箐村 (township A) and in 龙井村
(township B), and records under which region it created each row. Tests compute what each
persona should see from that record, never from the model's own ``scope_region_field`` (a wrong
field path must not decide its own expectation).

Models are looked up with ``apps.get_model`` so that apps moving their modules around do not
break the factories. Rows are written with the ORM (the services' rules are tested elsewhere);
persons go through the registry service, which encrypts the ID number.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

from tests.conftest import World, make_household, make_person, make_region, make_user, valid_id
from zhenxing.core.accounts.roles import Role
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import ScopedQuerySet

COUNTY_CODE = "520281"


def scoped_models() -> list[type[models.Model]]:
    """Every project model whose default queryset is scoped (about 32)."""
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("zhenxing.")
        and isinstance(m._default_manager.all(), ScopedQuerySet)
    ]


def model(label: str) -> type[models.Model]:
    app_label, name = label.split(".")
    return apps.get_model(app_label, name)


@dataclass
class Rows:
    """Which region (by code) each created row belongs to, per model label."""

    world: World
    regions: dict[str, dict[Any, str]] = field(default_factory=lambda: defaultdict(dict))
    #: The rows created in each village, per model label (for routes that need one object).
    by_village: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    def add(self, obj: models.Model, region: Region, village: Region | None = None) -> Any:
        label = obj._meta.label
        self.regions[label][obj.pk] = region.code
        self.by_village[label][(village or region).code].append(obj)
        return obj

    def expected(self, label: str, code: str | None, *, ancestors: bool = False) -> set[Any]:
        """The pks a reader bound to ``code`` should see (None: nothing)."""
        if code is None:
            return set()
        return {
            pk
            for pk, row_code in self.regions[label].items()
            if row_code.startswith(code) or (ancestors and code.startswith(row_code))
        }

    def one(self, label: str, village: Region) -> Any:
        return self.by_village[label][village.code][0]


_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


def _runner(w: World, village: Region) -> Any:
    """Who ran an import in ``village``: its cadre where the world has one, else its officer
    (an import run is its actor's own)."""
    if village == w.village_a:
        return w.cadre_a
    if village == w.village_b:
        return w.cadre_b
    return w.officer_a if village.code.startswith(w.township_a.code) else w.officer_b


def _bundle(rows: Rows, village: Region, copy: int) -> None:
    """One row (or a few) of every scoped model under ``village``."""
    w = rows.world
    township = village.parent
    assert township is not None
    n = _n()
    tag = f"{village.code}-{copy}-{n}"
    year = 2024

    # registry -------------------------------------------------------------------------------
    household = make_household(w, f"H{tag}", village)
    rows.add(household, village)
    person = make_person(
        w,
        household,
        f"村民{n:04d}号",
        seq=n % 1000,
        id_number=valid_id(birth="19760315", seq=(n * 2 + 1) % 1000),
    )
    rows.add(person, village)
    Membership = model("registry.HouseholdMembership")
    for membership in Membership._default_manager.filter(person=person):
        rows.add(membership, village)
    rows.add(
        model("registry.HouseholdIncome")._default_manager.create(
            household=household, year=year, income_per_head=Decimal("8000")
        ),
        village,
    )

    # io ---------------------------------------------------------------------------------------
    rows.add(
        model("io.ImportRun")._default_manager.create(
            kind="households", actor=_runner(w, village), region=village, filename=f"{tag}.xlsx"
        ),
        village,
    )

    # economy ---------------------------------------------------------------------------------
    org = model("economy.CollectiveOrganization")._default_manager.create(
        county_code=COUNTY_CODE, village=village, name=f"{village.name}股份经济合作社{n:04d}号"
    )
    rows.add(org, village)
    company = model("economy.Company")._default_manager.create(
        region=village,
        name=f"公司{n:04d}号",
        kind="private",
        uscc=f"91520281MA{n:08d}",
        legal_representative="张三",
    )
    rows.add(company, village)
    rows.add(
        model("economy.ChartConversion")._default_manager.create(
            organization=org,
            from_chart="2004",
            to_chart="2023",
            effective_on=dt.date(2024, 1, 1),
            source="file",
            status="undone",
        ),
        village,
    )
    Account = model("economy.Account")
    account = Account._default_manager.order_by("pk").first()
    assert account is not None, "the chart of accounts is not loaded"
    voucher = model("economy.Voucher")._default_manager.create(
        county_code=COUNTY_CODE,
        organization=org,
        year=year,
        month=3,
        number=1,
        date=dt.date(year, 3, 15),
        summary="收到土地租金",
    )
    rows.add(voucher, village)
    rows.add(
        model("economy.VoucherLine")._default_manager.create(
            county_code=COUNTY_CODE,
            voucher=voucher,
            line_no=1,
            account=account,
            debit=Decimal("100"),
            credit=Decimal("0"),
        ),
        village,
    )
    rows.add(
        model("economy.VoucherAttachment")._default_manager.create(
            voucher=voucher, file=f"vouchers/{tag}.pdf", name="receipt.pdf", size=10
        ),
        village,
    )
    rows.add(
        model("economy.AccountBalance")._default_manager.create(
            organization=org, account=account, year=year, month=3
        ),
        village,
    )
    rows.add(
        model("economy.YearFigures")._default_manager.create(organization=org, year=year),
        village,
    )
    rows.add(
        model("economy.Shareholding")._default_manager.create(
            organization=org,
            household=household,
            shares=Decimal("1"),
            basis="per_household",
            joined_on=dt.date(2020, 1, 1),
        ),
        village,
    )
    plan = model("economy.DistributionPlan")._default_manager.create(
        organization=org,
        year=year,
        available=Decimal("1000"),
        reserve=Decimal("100"),
        member_shares=Decimal("1"),
        dividend_per_share=Decimal("900"),
    )
    rows.add(plan, village)
    rows.add(
        model("economy.Dividend")._default_manager.create(
            plan=plan, household=household, shares=Decimal("1"), amount=Decimal("900")
        ),
        village,
    )
    rows.add(
        model("economy.LinkageContract")._default_manager.create(
            company=company,
            organization=org,
            kind="order_farming",
            signed_on=dt.date(year, 1, 1),
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            amount=Decimal("5000"),
        ),
        village,
    )
    industry = model("economy.Industry")._default_manager.order_by("pk").first()
    assert industry is not None, "the industries catalogue is not loaded"
    rows.add(
        model("economy.VillageIndustry")._default_manager.create(
            village=village, industry=industry, year=year
        ),
        village,
    )
    supported = model("economy.SupportedVillage")._default_manager.create(
        village=village, year=year
    )
    rows.add(supported, village)
    rows.add(
        model("economy.SupportRecord")._default_manager.create(
            supported=supported, form="funding", date=dt.date(year, 5, 1), source="财政衔接资金"
        ),
        village,
    )

    # party -----------------------------------------------------------------------------------
    party_org = model("party.PartyOrganization")._default_manager.create(
        name=f"{village.name}党支部{n:04d}号", kind="village_branch", region=village
    )
    rows.add(party_org, village)
    member = model("party.PartyMember")._default_manager.create(
        person=person, organization=party_org, stage="applicant", applied_on=dt.date(2024, 1, 2)
    )
    rows.add(member, village)
    rows.add(
        model("party.PipelineException")._default_manager.create(
            member=member, stage="activist", reason="测试", approved_by=w.city
        ),
        village,
    )
    rows.add(
        model("party.FunctionalGroup")._default_manager.create(
            organization=party_org,
            name=f"产业小组{n}",
            function="industry",
            specialty="种植",
            leader=member,
        ),
        village,
    )
    rows.add(
        model("party.SocialOrganization")._default_manager.create(region=village, name=f"协会{n}"),
        village,
    )
    position = model("party.CadrePosition")._default_manager.create(
        village=village,
        person=person,
        post="director",
        started_on=dt.date(2022, 1, 1),
        term_ends_on=dt.date(2026, 12, 31),
    )
    rows.add(position, village)
    rows.add(
        model("party.ReserveTalent")._default_manager.create(
            village=village,
            person=person,
            source="entrepreneur",
            track="youth_to_member",
            since=dt.date(2024, 3, 1),
        ),
        village,
    )
    rows.add(
        model("party.VillagePartyFigures")._default_manager.create(
            village=village, year=2024, as_of=dt.date(2024, 12, 31), cadres=1
        ),
        village,
    )
    course = model("party.Course")._default_manager.order_by("pk").first()
    assert course is not None, "the course catalogue is not loaded"
    rows.add(
        model("party.CourseOrder")._default_manager.create(
            village=village, course=course, year=year, origin="ordered"
        ),
        village,
    )
    Session = model("party.TrainingSession")
    session_fields = {
        "course": course,
        "mode": "offline",
        "starts_on": dt.date(year, 6, 1),
        "ends_on": dt.date(year, 6, 2),
        "place": "党群服务中心",
        "trainers": "讲师",
        "hours": Decimal("8"),
    }
    session = Session._default_manager.create(region=village, **session_fields)
    rows.add(session, village)
    # A township's session, which its villages' readers also see (scope_includes_ancestors).
    rows.add(Session._default_manager.create(region=township, **session_fields), township, village)
    rows.add(
        model("party.Attendance")._default_manager.create(session=session, position=position),
        village,
    )

    # grid ------------------------------------------------------------------------------------
    _grid_rows(rows, village, household, n)


def _grid_rows(rows: Rows, village: Region, household: Any, n: int) -> None:
    township = village.parent
    assert township is not None
    m = model
    if not m("grid.VillageArea")._default_manager.filter(village=village).exists():
        rows.add(
            m("grid.VillageArea")._default_manager.create(
                village=village,
                boundary={
                    "type": "Polygon",
                    "coordinates": [[[104, 25], [105, 25], [105, 26], [104, 25]]],
                },
            ),
            village,
        )
    grid = m("grid.Grid")._default_manager.create(village=village, name=f"网格{n:04d}号")
    rows.add(grid, village)
    worker = make_user(f"gw{n:04d}", Role.GRID_WORKER, village)
    rows.add(
        m("grid.GridWorkerPost")._default_manager.create(
            grid=grid, worker=worker, since=dt.date(2024, 1, 1)
        ),
        village,
    )
    rows.add(
        m("grid.GridHousehold")._default_manager.create(household=household, grid=grid), village
    )
    visit = m("grid.Visit")._default_manager.create(
        client_id=uuid.uuid4(),
        household=household,
        grid=grid,
        village=village,
        county_code=village.code[:6],
        worker=worker,
        visited_at=dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC),
        household_version=1,
    )
    rows.add(visit, village)
    rows.add(
        m("grid.VisitPhoto")._default_manager.create(
            visit=visit, file=f"visits/{n}.jpg", content_type="image/jpeg", size=10
        ),
        village,
    )
    contract = m("grid.ServiceContract")._default_manager.create(
        number=f"GC{n:05d}",
        buyer=township,
        village=village,
        amount=Decimal("12000"),
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 12, 31),
        services="网格巡查",
        buyer_signatory="乡镇",
        village_signatory="村委会",
        signed_on=dt.date(2023, 12, 20),
    )
    rows.add(contract, village)
    allocation = m("grid.ContractAllocation")._default_manager.create(
        contract=contract,
        grid=grid,
        worker=worker,
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 3, 31),
        amount=Decimal("3000"),
    )
    rows.add(allocation, village)
    rows.add(
        m("grid.ContractSpending")._default_manager.create(
            allocation=allocation,
            spent_on=dt.date(2024, 2, 1),
            amount=Decimal("1000"),
            payee="网格员",
            purpose="补贴",
        ),
        village,
    )
    period = m("grid.AssessmentPeriod")._default_manager.create(
        township=township,
        kind="month",
        year=2000 + n,
        number=1,
        starts_on=dt.date(2000 + n, 1, 1),
        ends_on=dt.date(2000 + n, 1, 31),
    )
    # A township's period, which its villages' readers also see (scope_includes_ancestors).
    rows.add(period, township, village)
    rows.add(
        m("grid.CriterionEntry")._default_manager.create(
            period=period,
            worker=worker,
            village=village,
            criterion="ratings",
            score=Decimal("90"),
            reason="测试",
            entered_by=rows.world.city,
        ),
        village,
    )
    rows.add(
        m("grid.WorkerScore")._default_manager.create(
            period=period,
            worker=worker,
            village=village,
            households=1,
            visits=1,
            households_visited=1,
            total=Decimal("80"),
            rank_in_village=1,
            rank_in_township=1,
        ),
        village,
    )
    rows.add(
        m("grid.GridScore")._default_manager.create(
            period=period,
            grid=grid,
            households=1,
            visits=1,
            households_visited=1,
            total=Decimal("80"),
            rank_in_township=1,
        ),
        village,
    )
    rows.add(
        m("grid.VillageGridFigures")._default_manager.create(
            village=village, code=village.code, year=2024, month=n % 12 + 1, visits=1
        ),
        village,
    )


def _extra_village(world: World, township: Region, copy: int, i: int) -> Region:
    return make_region(
        f"{township.code}{240 + copy * 10 + i}", f"新{copy}{i}村", RegionKind.VILLAGE, township
    )


def populate(world: World, copies: int = 1, rows: Rows | None = None, start: int = 0) -> Rows:
    """Rows of every scoped model in 沙坡村, 竹箐村 (township A) and 龙井村 (township B);
    each further copy adds as many in new villages of the same townships (``start``: the first
    copy to add, to grow ``rows`` already populated)."""
    rows = rows or Rows(world)
    for copy in range(start, start + copies):
        if copy == 0:
            villages = [world.village_a, world.village_a2, world.village_b]
        else:
            villages = [
                _extra_village(world, world.township_a, copy, 1),
                _extra_village(world, world.township_a, copy, 2),
                _extra_village(world, world.township_b, copy, 1),
            ]
        for village in villages:
            _bundle(rows, village, copy)
    record_existing(rows)
    check_complete(rows)
    return rows


def record_existing(rows: Rows) -> None:
    """Rows the world and the services wrote on their own: regions, accounts, audit entries."""
    for region in Region._default_manager.all():
        rows.regions[region._meta.label][region.pk] = region.code
        rows.by_village[region._meta.label][region.code].append(region)
    User = model("accounts.User")
    for user in User._default_manager.select_related("region"):
        if user.region is not None:  # an unbound account belongs to no region
            rows.regions[User._meta.label][user.pk] = user.region.code
            rows.by_village[User._meta.label][user.region.code].append(user)
    Audit = model("audit.AuditEntry")
    for entry in Audit._default_manager.all():
        if entry.region_code:
            rows.regions[Audit._meta.label][entry.pk] = entry.region_code
            rows.by_village[Audit._meta.label][entry.region_code].append(entry)


def check_complete(rows: Rows) -> None:
    """Every scoped model has rows in both townships, and every row has a known region (a new
    scoped model without a factory fails here, naming itself)."""
    w = rows.world
    problems = []
    for m in scoped_models():
        label = m._meta.label
        known = rows.regions.get(label, {})
        for township in (w.township_a, w.township_b):
            if not any(code.startswith(township.code) for code in known.values()):
                problems.append(f"{label}: no row in {township.name}")
        unknown = set(m._default_manager.values_list("pk", flat=True)) - set(known)
        if label == "accounts.User":
            unknown -= set(
                m._default_manager.filter(region__isnull=True).values_list("pk", flat=True)
            )
        if label == "audit.AuditEntry":
            unknown -= set(m._default_manager.filter(region_code="").values_list("pk", flat=True))
        if label == "party.VillagePartyFigures":
            # Summary rows a read worked out (a dashboard fills the running year's) are derived
            # from the rows above, not made by a factory; the factories' own row is for 2024.
            unknown -= set(m._default_manager.exclude(year=2024).values_list("pk", flat=True))
        if unknown:
            problems.append(f"{label}: {len(unknown)} rows the factories did not record")
    assert not problems, "tests/factories.py is incomplete:\n" + "\n".join(problems)
