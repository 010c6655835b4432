"""Reads for grid pages and the grid worker's phone: scoped, a few queries per page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from zhenxing.core.accounts import selectors as accounts
from zhenxing.core.errors import NotFound
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import get_for_user, subtree_q
from zhenxing.grid.models import (
    ZERO,
    AssessmentPeriod,
    ContractAllocation,
    ContractSpending,
    Grid,
    GridHousehold,
    GridScore,
    GridWorkerPost,
    ServiceContract,
    VillageArea,
    VillageGridFigures,
    Visit,
    VisitPhoto,
    WorkerScore,
)
from zhenxing.registry import selectors as registry

#: The phone's list shows at most this many households (a grid has 100–300; the rest are
#: reached by scrolling the next time, after these were visited).
PHONE_LIST_LIMIT = 200


def grids_of_worker(*, actor: Any) -> list[Grid]:
    """The grids the signed-in grid worker works."""
    return list(
        Grid.objects.visible_to(actor)
        .filter(posts__worker=actor)
        .select_related("village")
        .order_by("name")
    )


def month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


@dataclass
class PhoneHousehold:
    id: int
    number: str
    head: str
    address: str
    gaps: list[str]
    flagged: bool
    last_visited_on: dt.date | None
    grid: str


@dataclass
class PhoneToday:
    grids: list[Grid]
    to_visit: list[PhoneHousehold] = field(default_factory=list)
    visited: int = 0
    total: int = 0
    since: dt.date | None = None


def phone_today(*, actor: Any, today: dt.date | None = None) -> PhoneToday:
    """Today's list: households of my grids not visited this month, those with checklist gaps
    or a monitoring flag first, then the longest unvisited."""
    today = today or timezone.localdate()
    since = month_start(today)
    grids = grids_of_worker(actor=actor)
    result = PhoneToday(grids=grids, since=since)
    if not grids:
        return result
    names = {g.pk: g.name for g in grids}
    rows = list(
        GridHousehold.objects.filter(grid__in=grids).values_list(
            "household_id", "grid_id", "last_visited_on"
        )
    )
    result.total = len(rows)
    due = [(h, g, last) for h, g, last in rows if last is None or last < since]
    result.visited = result.total - len(due)
    cards = registry.household_cards(ids=[h for h, _g, _l in due])
    items = []
    for household_id, grid_id, last in due:
        household = cards.get(household_id)
        if household is None:
            continue
        items.append(
            PhoneHousehold(
                id=household_id,
                number=household.number,
                head=household.head.name if household.head else "",
                address=household.address,
                gaps=household.checklist_gaps,
                flagged=bool(household.monitoring_status),
                last_visited_on=last,
                grid=names[grid_id],
            )
        )
    items.sort(
        key=lambda h: (
            not (h.gaps or h.flagged),
            h.last_visited_on is not None,
            h.last_visited_on or dt.date.min,
            h.number,
        )
    )
    result.to_visit = items[:PHONE_LIST_LIMIT]
    return result


@dataclass
class PhoneCard:
    household: Any
    grid: Grid
    members: list[tuple[str, str, Any, str]]
    visits: list[Visit]
    checklist: list[tuple[str, str, bool | None]]


def phone_card(*, actor: Any, household_id: int) -> PhoneCard:
    """One household of my grids, for the phone: members, checklist, last visits; a
    household outside my grids is NotFound (404)."""
    membership = (
        GridHousehold.objects.visible_to(actor)
        .filter(household_id=household_id, grid__posts__worker=actor)
        .select_related("grid")
        .first()
    )
    if membership is None:
        raise NotFound()
    household = registry.household_cards(ids=[household_id])[household_id]
    visits = list(
        Visit.objects.filter(household_id=household_id)
        .select_related("worker")
        .prefetch_related("photos")
        .order_by("-visited_at")[:3]
    )
    checklist = [
        (
            name,
            str(getattr(type(household)._meta.get_field(name), "verbose_name", name)),
            getattr(household, name),
        )
        for name in household.CHECKLIST
    ]
    return PhoneCard(
        household=household,
        grid=membership.grid,
        members=registry.household_members_brief(household_id=household_id),
        visits=visits,
        checklist=checklist,
    )


def village_grids(*, actor: Any, village: Region) -> list[dict[str, Any]]:
    """A village's grids with their households, workers and visits this month."""
    grids = list(Grid.objects.visible_to(actor).filter(village=village).order_by("name"))
    counts = dict(
        GridHousehold.objects.filter(grid__in=grids)
        .values_list("grid_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    workers: dict[int, list[Any]] = {}
    for post in GridWorkerPost.objects.filter(grid__in=grids).select_related("worker"):
        workers.setdefault(post.grid_id, []).append(post.worker)
    since = timezone.make_aware(dt.datetime.combine(month_start(timezone.localdate()), dt.time.min))
    visits = dict(
        Visit.objects.filter(grid__in=grids, visited_at__gte=since)
        .values_list("grid_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {
            "grid": g,
            "households": counts.get(g.pk, 0),
            "workers": workers.get(g.pk, []),
            "visits": visits.get(g.pk, 0),
        }
        for g in grids
    ]


def map_data(
    *, village: Region, grids: list[Grid], selected: int | None = None, tiles: str = ""
) -> dict[str, Any]:
    """What ``grid_map.js`` draws: the village's area, its grids and its households' points."""
    area = VillageArea.objects.filter(village=village).values_list("boundary", flat=True).first()
    in_grid = dict(
        GridHousehold.objects.filter(grid__village=village).values_list("household_id", "grid_id")
    )
    points = registry.household_points(village_id=village.pk)
    center = None
    if village.latitude is not None and village.longitude is not None:
        center = [float(village.latitude), float(village.longitude)]
    return {
        "center": center,
        "tiles": tiles,
        "area": area,
        "grids": [
            {
                "id": g.pk,
                "name": g.name,
                "boundary": g.boundary,
                "url": f"/grid/grids/{g.pk}/",
                "selected": g.pk == selected,
            }
            for g in grids
        ],
        "households": [
            {"id": pk, "number": n, "lat": float(lat), "lng": float(lng), "grid": in_grid.get(pk)}
            for pk, n, lat, lng in points
        ],
    }


def grid_households(*, grid: Grid) -> QuerySet[GridHousehold]:
    return GridHousehold.objects.filter(grid=grid).order_by("household_id")


def grid_posts(*, grid: Grid) -> list[GridWorkerPost]:
    return list(grid.posts.select_related("worker").order_by("since"))


def assignable_workers(*, actor: Any, village: Region) -> list[Any]:
    """Grid workers' accounts of the village (for the post form)."""
    return accounts.grid_workers_of(actor=actor, village=village)


# ---- dashboards ---------------------------------------------------------------------------


@dataclass
class AreaFigures:
    code: str
    name: str
    grids: int = 0
    workers: int = 0
    households_in_grids: int = 0
    never_visited: int = 0
    visits: int = 0
    households_visited: int = 0
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    contracted: Decimal = ZERO

    @property
    def coverage(self) -> float | None:
        if not self.households_in_grids:
            return None
        return 100 * self.households_visited / self.households_in_grids


def area_figures(
    *, region: Region, children: list[Region], year: int, month: int
) -> tuple[list[AreaFigures], AreaFigures]:
    """Each child area's grid figures and the region's total: the standing figures and the
    month's visits from the summary table, the contracts' money summed by village in the
    database; every village's row is added to its child area by the code's prefix."""
    rows = {c.code: AreaFigures(c.code, c.name) for c in children}
    length = len(children[0].code) if children else len(region.code)
    total = AreaFigures(region.code, region.name)

    def add(code: str, **amounts: Any) -> None:
        row = rows.get(code[:length])
        for target in (row, total) if row else (total,):
            for name, amount in amounts.items():
                setattr(target, name, getattr(target, name) + amount)

    figures = VillageGridFigures.objects.filter(
        subtree_q(region.code, "code"), year__in=[0, year], month__in=[0, month]
    )
    for code, y, grids, workers, in_grids, never, visits, visited in figures.values_list(
        "code",
        "year",
        "grids",
        "workers",
        "households_in_grids",
        "never_visited",
        "visits",
        "households_visited",
    ).iterator():
        if y == 0:
            add(
                code,
                grids=grids,
                workers=workers,
                households_in_grids=in_grids,
                never_visited=never,
            )
        else:
            add(code, visits=visits, households_visited=visited)
    money = (
        (ServiceContract, "village__code", "amount", "contracted"),
        (ContractAllocation, "contract__village__code", "amount", "allocated"),
        (ContractSpending, "allocation__contract__village__code", "amount", "spent"),
    )
    for model, path, column, name in money:
        for code, amount in (
            model.objects.filter(subtree_q(region.code, path))
            .values_list(path)
            .annotate(s=Sum(column))
            .order_by()
        ):
            add(code, **{name: amount or ZERO})
    return list(rows.values()), total


def visits_by_month(*, region: Region, months: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Visits per month in the region, from the summary table."""
    counts = {
        (y, m): n
        for y, m, n in VillageGridFigures.objects.filter(subtree_q(region.code, "code"))
        .exclude(month=0)
        .values_list("year", "month")
        .annotate(n=Sum("visits"))
        .order_by()
    }
    return [(f"{y}-{m:02d}", counts.get((y, m), 0)) for y, m in months]


# ---- contracts ----------------------------------------------------------------------------


def contract_list(*, actor: Any) -> QuerySet[ServiceContract]:
    return (
        ServiceContract.objects.visible_to(actor)
        .select_related("village", "village__parent", "buyer")
        .annotate(allocated=Sum("allocations__amount"))
        .order_by("-starts_on", "number")
    )


@dataclass
class AllocationLine:
    allocation: ContractAllocation
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return self.allocation.amount - self.spent


def contract_lines(*, contract: ServiceContract) -> tuple[list[AllocationLine], dict[str, Decimal]]:
    allocations = list(
        contract.allocations.select_related("grid", "worker", "basis").order_by(
            "-starts_on", "grid__name"
        )
    )
    spent = dict(
        ContractSpending.objects.filter(allocation__contract=contract)
        .values_list("allocation_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    lines = [AllocationLine(a, Decimal(spent.get(a.pk) or ZERO)) for a in allocations]
    allocated = sum((line.allocation.amount for line in lines), ZERO)
    spent_total = sum((line.spent for line in lines), ZERO)
    totals = {
        "amount": contract.amount,
        "allocated": allocated,
        "unallocated": contract.amount - allocated,
        "spent": spent_total,
        "left": allocated - spent_total,
    }
    return lines, totals


def contract_spendings(*, contract: ServiceContract) -> QuerySet[ContractSpending]:
    return (
        ContractSpending.objects.filter(allocation__contract=contract)
        .select_related("allocation__grid", "allocation__worker")
        .order_by("-spent_on", "-pk")
    )


# ---- assessment ---------------------------------------------------------------------------


def periods(*, actor: Any) -> QuerySet[AssessmentPeriod]:
    return AssessmentPeriod.objects.visible_to(actor).select_related("township", "confirmed_by")


def region_in_scope(*, actor: Any, code: str) -> Region:
    """A region the reader sees, by code (NotFound otherwise)."""
    return get_for_user(Region.objects.all(), actor, code=code)


def village_in_scope(*, actor: Any, code: str) -> Region:
    """A village or community the reader sees, by code (NotFound otherwise)."""
    village = region_in_scope(actor=actor, code=code)
    if village.kind not in VILLAGE_LEVEL:
        raise NotFound()
    return village


def grids_of_village(*, actor: Any, village_id: int) -> list[Grid]:
    return list(Grid.objects.visible_to(actor).filter(village_id=village_id).order_by("name"))


def period_worker_scores(*, actor: Any, period: AssessmentPeriod) -> list[WorkerScore]:
    return list(
        WorkerScore.objects.visible_to(actor)
        .filter(period=period)
        .select_related("worker", "village")
        .order_by("rank_in_township", "worker__username")
    )


def period_grid_scores(
    *, actor: Any, period: AssessmentPeriod, limit: int = 200
) -> list[GridScore]:
    return list(
        GridScore.objects.visible_to(actor)
        .filter(period=period)
        .select_related("grid__village")
        .order_by("rank_in_township")[:limit]
    )


def period_allocations(*, actor: Any, period: AssessmentPeriod) -> list[ContractAllocation]:
    return list(
        ContractAllocation.objects.visible_to(actor)
        .filter(basis=period)
        .select_related("grid", "worker", "contract")
    )


def visit_photo(*, actor: Any, pk: int) -> VisitPhoto:
    """A visit's photo the reader sees (NotFound otherwise)."""
    return get_for_user(VisitPhoto.objects.all(), actor, pk=pk)
