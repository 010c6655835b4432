"""The grid dashboards' summary table (``VillageGridFigures``), kept by the services that
assign households, post workers and record visits; ``figures_rebuild`` recomputes it from the
records (the demo, and the ``grid_figures`` command after a repair)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, F, Q

from zhenxing.grid.models import Grid, GridHousehold, GridWorkerPost, VillageGridFigures, Visit

STANDING = (0, 0)  # (year, month) of a village's standing figures


def _row(village_id: int, code: str, year: int, month: int) -> VillageGridFigures:
    row, _ = VillageGridFigures.objects.get_or_create(
        village_id=village_id, year=year, month=month, defaults={"code": code}
    )
    return row


def figures_refresh_standing(*, village_id: int, code: str) -> None:
    """Recount a village's grids, workers, households in grids and never-visited households
    (a few indexed counts over one village)."""
    row = _row(village_id, code, *STANDING)
    grids = Grid.objects.filter(village_id=village_id)
    row.grids = grids.count()
    row.workers = (
        GridWorkerPost.objects.filter(grid__village_id=village_id)
        .values("worker")
        .distinct()
        .count()
    )
    households = GridHousehold.objects.filter(grid__village_id=village_id)
    row.households_in_grids = households.count()
    row.never_visited = households.filter(last_visited_on__isnull=True).count()
    row.save()


def figures_count_visit(
    *, village_id: int, code: str, on: dt.date, first_ever: bool, first_in_month: bool
) -> None:
    """One visit recorded: the month's visits, and the households visited that month and
    never visited, as they change."""
    row = _row(village_id, code, on.year, on.month)
    VillageGridFigures.objects.filter(pk=row.pk).update(
        visits=F("visits") + 1,
        households_visited=F("households_visited") + (1 if first_in_month else 0),
    )
    if first_ever:
        VillageGridFigures.objects.filter(
            village_id=village_id, year=0, month=0, never_visited__gt=0
        ).update(never_visited=F("never_visited") - 1)


def figures_rebuild(*, village_ids: Iterable[int] | None = None) -> int:
    """Every figure of the villages (all villages with grids when None), from the records,
    in a few grouped queries. Returns the rows written."""
    villages = dict(
        Grid.objects.filter(**({"village_id__in": list(village_ids)} if village_ids else {}))
        .values_list("village_id", "village__code")
        .distinct()
    )
    if not villages:
        return 0
    ids = list(villages)
    VillageGridFigures.objects.filter(village_id__in=ids).delete()
    standing = {v: VillageGridFigures(village_id=v, code=villages[v], year=0, month=0) for v in ids}
    for v, n in (
        Grid.objects.filter(village_id__in=ids).values_list("village_id").annotate(n=Count("pk"))
    ):
        standing[v].grids = n
    for v, n in (
        GridWorkerPost.objects.filter(grid__village_id__in=ids)
        .values_list("grid__village_id")
        .annotate(n=Count("worker", distinct=True))
    ):
        standing[v].workers = n
    for v, n, never in (
        GridHousehold.objects.filter(grid__village_id__in=ids)
        .values_list("grid__village_id")
        .annotate(n=Count("pk"), never=Count("pk", filter=Q(last_visited_on__isnull=True)))
    ):
        standing[v].households_in_grids, standing[v].never_visited = n, never
    rows = list(standing.values())
    monthly = (
        Visit.objects.filter(village_id__in=ids)
        .values_list("village_id", "visited_at__year", "visited_at__month")
        .annotate(n=Count("pk"), hh=Count("household", distinct=True))
    )
    rows += [
        VillageGridFigures(
            village_id=v, code=villages[v], year=y, month=m, visits=n, households_visited=hh
        )
        for v, y, m, n, hh in monthly
    ]
    VillageGridFigures.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
