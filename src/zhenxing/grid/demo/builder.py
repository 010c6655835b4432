"""Build the demo city's grids, contracts, visits and assessment (see the package's doc)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenxing.core.accounts.models import User
from zhenxing.core.accounts.roles import Role
from zhenxing.core.audit.services import audit_created_in_bulk
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.grid.models import (
    ContractAllocation,
    ContractSpending,
    Criterion,
    CriterionEntry,
    Grid,
    GridHousehold,
    GridWorkerPost,
    ServiceContract,
    VillageArea,
    Visit,
)
from zhenxing.grid.rules.assessment import COMPUTED, period_dates
from zhenxing.grid.services import assessment as assessment_services
from zhenxing.grid.services.figures import figures_rebuild
from zhenxing.registry import selectors as registry
from zhenxing.registry import services as registry_services

LABEL = "demo"
HOUSEHOLDS_PER_GRID = 150
MAX_GRIDS = 6
# Panzhou (盘州市) spans about 25.3–26.1 °N and 104.3–104.9 °E.
LAT_RANGE, LNG_RANGE = (25.35, 26.05), (104.35, 104.85)
HALF_LAT, HALF_LNG = 0.0075, 0.009  # half a village's extent in degrees (about 0.8 × 0.9 km)
MONTHLY_PAY = Decimal(1500)  # a grid worker's pay per month (yuan), as Guizhou counties pay
NOTES = [
    "",
    "",
    "",
    "家中老人身体尚好",
    "孩子已返校",
    "反映饮水管道老化",
    "外出务工返乡",
    "医保已续缴",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = "芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _quarter(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def _aware(day: dt.date, minute: int) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(8, 0)) + dt.timedelta(minutes=minute)
    )


def demo_grid_load(
    *, actor: Any, grid_login: str = "grid", today: dt.date | None = None
) -> dict[str, int]:
    """Load the demo grids over every village with households; ``actor`` (the city
    administrator's account) confirms the previous quarter. Returns what was written."""
    today = today or timezone.localdate()
    if Grid.objects.exists():
        return {"grids": 0, "visits": 0, "contracts": 0}
    villages = list(Region.objects.filter(kind__in=VILLAGE_LEVEL).order_by("code"))
    year, quarter = _quarter(today)
    prev_year, prev_quarter = _previous_quarter(year, quarter)
    prev_start, prev_end = period_dates("quarter", prev_year, prev_quarter)
    login = User.objects.filter(username=grid_login).first()
    counts = {"grids": 0, "visits": 0, "contracts": 0, "workers": 0}
    with transaction.atomic():
        positions: list[tuple[int, Decimal, Decimal]] = []
        created_at = timezone.now()
        visit_ids: dict[str, list[int]] = {}
        for village in villages:
            households = registry.household_ids_of_village(village_id=village.pk)
            if not households:
                continue
            rng = random.Random(f"grid-{village.code}")
            lat0 = rng.uniform(*LAT_RANGE)
            lng0 = rng.uniform(*LNG_RANGE)
            village.latitude, village.longitude = _d(lat0), _d(lng0)
            village.save(update_fields=["latitude", "longitude"])
            VillageArea.objects.create(
                village=village,
                boundary=_rectangle(
                    lat0 - HALF_LAT - 0.001,
                    lng0 - HALF_LNG - 0.001,
                    lat0 + HALF_LAT + 0.001,
                    lng0 + HALF_LNG + 0.001,
                ),
            )
            k = max(1, min(MAX_GRIDS, round(len(households) / HOUSEHOLDS_PER_GRID)))
            width = 2 * HALF_LNG / k
            grids = []
            for i in range(k):
                west = lng0 - HALF_LNG + i * width
                grid = Grid(
                    village=village,
                    name=f"{village.name}第{i + 1}网格",
                    boundary=_rectangle(lat0 - HALF_LAT, west, lat0 + HALF_LAT, west + width),
                )
                grid.save()
                grids.append(grid)
            workers = []
            for i, grid in enumerate(grids):
                if i == 0 and login is not None and login.region_id == village.pk:
                    worker = login
                else:
                    worker = User(
                        username=f"g{village.code}{i + 1}",
                        full_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                        role=Role.GRID_WORKER,
                        region=village,
                    )
                    worker.set_unusable_password()
                    worker.save()
                    counts["workers"] += 1
                GridWorkerPost.objects.create(grid=grid, worker=worker, since=prev_start)
                workers.append(worker)
            members = []
            for household_id in households:
                lat = lat0 + rng.uniform(-HALF_LAT * 0.95, HALF_LAT * 0.95)
                lng = lng0 + rng.uniform(-HALF_LNG * 0.98, HALF_LNG * 0.98)
                positions.append((household_id, _d(lat), _d(lng)))
                index = min(k - 1, int((lng - (lng0 - HALF_LNG)) / width))
                members.append((household_id, index))
            rows = []
            visits = []
            for household_id, index in members:
                last = None
                day = prev_start
                while day <= today:
                    month_end = min(
                        today,
                        (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                        - dt.timedelta(days=1),
                    )
                    # The month under way is visited in proportion to its days gone.
                    share = 1.0 if month_end < today else today.day / 31
                    if rng.random() < 0.7 * share:
                        on = day + dt.timedelta(days=rng.randrange((month_end - day).days + 1))
                        visits.append(
                            Visit(
                                client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                                household_id=household_id,
                                grid=grids[index],
                                village=village,
                                county_code=village.code[:6],
                                worker=workers[index],
                                visited_at=_aware(on, rng.randrange(600)),
                                checked=list(registry_services.CHECKLIST),
                                notes=rng.choice(NOTES),
                                household_version=1,
                            )
                        )
                        last = on if last is None or on > last else last
                    day = month_end + dt.timedelta(days=1)
                rows.append(
                    GridHousehold(
                        household_id=household_id, grid=grids[index], last_visited_on=last
                    )
                )
            GridHousehold.objects.bulk_create(rows, batch_size=2000)
            made = Visit.objects.bulk_create(visits, batch_size=2000)
            if made and made[0].pk is not None:
                visit_ids[village.code] = [v.pk for v in made]
            counts["grids"] += len(grids)
            counts["visits"] += len(visits)
            counts["contracts"] += _contract(
                village, grids, workers, prev_start, prev_end, today, rng
            )
        registry_services.household_positions_load(label=LABEL, positions=positions)
        if visit_ids:
            at = Visit.objects.order_by("-pk").values_list("received_at", flat=True).first()
            audit_created_in_bulk(actor=LABEL, model=Visit, at=at or created_at, created=visit_ids)
        figures_rebuild()
        _assess(actor, prev_year, prev_quarter, confirm=True)
        _assess(actor, year, quarter, confirm=False)
    return counts


def _d(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _rectangle(south: float, west: float, north: float, east: float) -> dict[str, Any]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _contract(
    village: Region,
    grids: list[Grid],
    workers: list[User],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    rng: random.Random,
) -> int:
    township = village.parent
    assert township is not None
    amount = MONTHLY_PAY * 12 * len(grids)
    ends_on = dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1)
    contract = ServiceContract.objects.create(
        number=f"GMFW{start.year}-{village.code}",
        buyer=township,
        village=village,
        amount=amount,
        starts_on=start,
        ends_on=ends_on,
        services="网格巡查\n入户走访\n政策宣传\n代办服务\n矛盾纠纷排查",
        buyer_signatory=f"{township.name}人民政府",
        village_signatory=f"{village.name}村民委员会",
        signed_on=start - dt.timedelta(days=10),
    )
    for grid, worker in zip(grids, workers, strict=True):
        allocation = ContractAllocation.objects.create(
            contract=contract,
            grid=grid,
            worker=worker,
            starts_on=start,
            ends_on=end,
            amount=MONTHLY_PAY * 3,
            note="首期按月定额",
        )
        for month in range(3):
            paid = start.replace(day=1) + dt.timedelta(days=31 * month + 27)
            if paid <= today and paid <= end + dt.timedelta(days=5):
                ContractSpending.objects.create(
                    allocation=allocation,
                    spent_on=min(paid, end),
                    amount=MONTHLY_PAY,
                    payee=worker.full_name or worker.username,
                    purpose=f"网格员补贴 {paid:%Y-%m}",
                )
    return 1


def _assess(actor: Any, year: int, quarter: int, *, confirm: bool) -> None:
    """Open the quarter for every township with grids, enter the criteria no record computes
    yet (a plausible spread), compute; confirm when asked (allocating the next quarter)."""
    townships = Region.objects.filter(
        kind=RegionKind.TOWNSHIP,
        code__in={code[:9] for code in Grid.objects.values_list("village__code", flat=True)},
    ).order_by("code")
    for township in townships:
        period = assessment_services.period_open(
            actor=actor, township=township, kind="quarter", year=year, number=quarter
        )
        posts = GridWorkerPost.objects.filter(
            grid__village__code__startswith=township.code
        ).select_related("grid")
        entries = []
        for post in posts:
            rng = random.Random(f"assess-{year}-{quarter}-{post.worker_id}")
            for criterion in Criterion.values:
                if criterion in COMPUTED:
                    continue
                entries.append(
                    CriterionEntry(
                        period=period,
                        worker_id=post.worker_id,
                        village_id=post.grid.village_id,
                        criterion=criterion,
                        score=Decimal(rng.randrange(600, 990)) / 10,
                        reason="乡镇季度督查",
                        entered_by=actor,
                    )
                )
        CriterionEntry.objects.bulk_create(entries, batch_size=1000, ignore_conflicts=True)
        assessment_services.period_compute(actor=actor, period=period)
        if confirm:
            assessment_services.period_confirm(actor=actor, period=period)
