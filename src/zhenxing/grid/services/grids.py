"""Writes to grids: lay them out, draw their boundaries, assign households and post workers.
Each validates → checks scope → writes → audits, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import Role, has_permission
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import (
    audit_bulk,
    audit_create,
    audit_delete,
    audit_update,
    snapshot,
)
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import ensure_can_add_under, get_for_user
from zhenxing.grid.models import Grid, GridHousehold, GridWorkerPost, VillageArea
from zhenxing.grid.rules.geometry import bounds, contains, lies_within, parse_polygon
from zhenxing.grid.services.figures import figures_refresh_standing
from zhenxing.registry import selectors as registry

#: How many offending household numbers a refusal lists before "and N more".
LISTED = 10


def _listed(numbers: list[str]) -> str:
    shown = "、".join(numbers[:LISTED])
    if len(numbers) > LISTED:
        shown += _(" and %(n)d more") % {"n": len(numbers) - LISTED}
    return shown


def _checked_boundary(village: Region, boundary: Any) -> dict[str, Any] | None:
    if boundary in (None, ""):
        return None
    polygon = parse_polygon(boundary)
    area = VillageArea.objects.filter(village=village).first()
    if area is not None and not lies_within(polygon, area.boundary):
        raise DomainError(
            _("The boundary lies outside %(village)s's area.") % {"village": village.name},
            field="boundary",
        )
    return polygon


def village_area_set(*, actor: Any, village: Region, boundary: Any) -> VillageArea:
    """Set a village's area (its outline); grids drawn later must lie inside it."""
    polygon = parse_polygon(boundary)
    with transaction.atomic():
        ensure_can_add_under(actor, Grid, village)
        area = VillageArea.objects.select_for_update().filter(village=village).first()
        if area is None:
            area = VillageArea.objects.create(village=village, boundary=polygon)
            audit_create(actor=actor, obj=area)
        else:
            before = snapshot(area)
            area.boundary = polygon
            area.save()
            audit_update(actor=actor, obj=area, before=before)
        return area


def grid_create(
    *, actor: Any, village: Region, name: str, boundary: Any = None, note: str = ""
) -> Grid:
    """A new grid in a village or community."""
    name = name.strip()
    with transaction.atomic():
        ensure_can_add_under(actor, Grid, village)
        if village.kind not in VILLAGE_LEVEL:
            raise DomainError(_("A grid belongs to a village or a community."), field="village")
        if not 1 <= len(name) <= 64:
            raise DomainError(_("A grid's name has 1 to 64 characters."), field="name")
        if Grid.objects.filter(village=village, name=name).exists():
            raise DomainError(
                _("%(village)s already has a grid named %(name)s.")
                % {"village": village.name, "name": name},
                field="name",
            )
        grid = Grid(
            village=village,
            name=name,
            boundary=_checked_boundary(village, boundary),
            note=note.strip()[:200],
        )
        grid.save()
        audit_create(actor=actor, obj=grid)
        figures_refresh_standing(village_id=village.pk, code=village.code)
        return grid


def grid_update(
    *, actor: Any, grid: Grid, name: str | None = None, boundary: Any = ..., note: str | None = None
) -> Grid:
    """Rename a grid, redraw or clear its boundary (``boundary=None``), change its note."""
    with transaction.atomic():
        grid = get_for_user(Grid.objects.select_for_update(), actor, "change", pk=grid.pk)
        before = snapshot(grid)
        if name is not None:
            name = name.strip()
            if not 1 <= len(name) <= 64:
                raise DomainError(_("A grid's name has 1 to 64 characters."), field="name")
            if Grid.objects.filter(village_id=grid.village_id, name=name).exclude(pk=grid.pk):
                raise DomainError(
                    _("%(village)s already has a grid named %(name)s.")
                    % {"village": grid.village.name, "name": name},
                    field="name",
                )
            grid.name = name
        if boundary is not ...:
            grid.boundary = _checked_boundary(grid.village, boundary)
        if note is not None:
            grid.note = note.strip()[:200]
        grid.save()
        audit_update(actor=actor, obj=grid, before=before)
        return grid


def _assign(actor: Any, grid: Grid, ids_by_number: dict[str, int]) -> int:
    taken = dict(
        GridHousehold.objects.filter(household_id__in=list(ids_by_number.values()))
        .exclude(grid=grid)
        .values_list("household_id", "grid__name")
    )
    if taken:
        numbers = sorted(n for n, pk in ids_by_number.items() if pk in taken)
        raise DomainError(
            _(
                "A household belongs to one grid only; already in another grid: %(numbers)s. "
                "Remove them there first."
            )
            % {"numbers": _listed(numbers)},
            field="households",
        )
    already = set(
        GridHousehold.objects.filter(
            grid=grid, household_id__in=list(ids_by_number.values())
        ).values_list("household_id", flat=True)
    )
    new = [
        GridHousehold(household_id=pk, grid=grid)
        for pk in ids_by_number.values()
        if pk not in already
    ]
    GridHousehold.objects.bulk_create(new, batch_size=1000)
    audit_bulk(
        actor=actor,
        items=[(AuditAction.CREATE, row, {"grid": [None, grid.pk]}) for row in new],
    )
    figures_refresh_standing(village_id=grid.village_id, code=grid.village.code)
    return len(new)


def grid_assign_households(*, actor: Any, grid: Grid, numbers: Iterable[str]) -> int:
    """Put the listed households (by number) into ``grid``; returns how many were added.

    Every number must be a household of the grid's village and in no other grid: otherwise
    nothing is written and the message lists the numbers at fault.
    """
    wanted = [n.strip() for n in numbers if n.strip()]
    if not wanted:
        raise DomainError(_("List at least one household number."), field="households")
    with transaction.atomic():
        grid = get_for_user(Grid.objects.select_for_update(), actor, "change", pk=grid.pk)
        found = registry.household_ids_by_number(village_id=grid.village_id, numbers=wanted)
        missing = [n for n in dict.fromkeys(wanted) if n not in found]
        if missing:
            raise DomainError(
                _("Not households of %(village)s: %(numbers)s")
                % {"village": grid.village.name, "numbers": _listed(missing)},
                field="households",
            )
        return _assign(actor, grid, found)


def grid_assign_drawn(*, actor: Any, grid: Grid) -> int:
    """Put into ``grid`` every household of its village whose position lies inside its
    boundary and that is in no grid yet; returns how many. Households in another grid are
    left there (their grids overlap: redraw one)."""
    with transaction.atomic():
        grid = get_for_user(Grid.objects.select_for_update(), actor, "change", pk=grid.pk)
        if not grid.boundary:
            raise DomainError(_("Draw the grid's boundary first."), field="boundary")
        min_lng, min_lat, max_lng, max_lat = bounds(grid.boundary)
        inside = {
            number: pk
            for pk, number, lat, lng in registry.household_points(village_id=grid.village_id)
            if min_lng <= float(lng) <= max_lng
            and min_lat <= float(lat) <= max_lat
            and contains(grid.boundary, (float(lng), float(lat)))
        }
        in_grids = set(
            GridHousehold.objects.filter(household_id__in=list(inside.values())).values_list(
                "household_id", flat=True
            )
        )
        free = {n: pk for n, pk in inside.items() if pk not in in_grids}
        if not free:
            return 0
        return _assign(actor, grid, free)


def grid_remove_households(*, actor: Any, grid: Grid, numbers: Iterable[str]) -> int:
    """Take the listed households out of ``grid``; returns how many."""
    wanted = [n.strip() for n in numbers if n.strip()]
    with transaction.atomic():
        grid = get_for_user(Grid.objects.select_for_update(), actor, "change", pk=grid.pk)
        found = registry.household_ids_by_number(village_id=grid.village_id, numbers=wanted)
        rows = list(GridHousehold.objects.filter(grid=grid, household_id__in=found.values()))
        audit_bulk(
            actor=actor,
            items=[(AuditAction.DELETE, row, {"grid": [grid.pk, None]}) for row in rows],
        )
        GridHousehold.objects.filter(pk__in=[r.pk for r in rows]).delete()
        figures_refresh_standing(village_id=grid.village_id, code=grid.village.code)
        return len(rows)


def grid_worker_post(
    *, actor: Any, grid: Grid, worker: Any, since: dt.date | None = None
) -> GridWorkerPost:
    """Post a grid worker's account on ``grid``. The account must be a grid worker's, bound
    to the grid's village (or one of its villager groups)."""
    with transaction.atomic():
        grid = get_for_user(Grid.objects.select_for_update(), actor, "change", pk=grid.pk)
        region = getattr(worker, "region", None)
        if getattr(worker, "role", "") != Role.GRID_WORKER or region is None:
            raise DomainError(_("Only a grid worker's account works a grid."), field="worker")
        if not region.code.startswith(grid.village.code):
            raise DomainError(
                _("%(name)s works in another village.") % {"name": worker.get_full_name()},
                field="worker",
            )
        if GridWorkerPost.objects.filter(grid=grid, worker=worker).exists():
            raise DomainError(_("This worker already works this grid."), field="worker")
        post = GridWorkerPost.objects.create(
            grid=grid, worker=worker, since=since or timezone.localdate()
        )
        audit_create(actor=actor, obj=post)
        figures_refresh_standing(village_id=grid.village_id, code=grid.village.code)
        return post


def grid_worker_remove(*, actor: Any, post: GridWorkerPost) -> None:
    with transaction.atomic():
        post = get_for_user(
            GridWorkerPost.objects.select_related("grid__village"), actor, "view", pk=post.pk
        )
        if not has_permission(actor, Grid, "change"):
            raise Forbidden()
        village = post.grid.village
        audit_delete(actor=actor, obj=post, before=snapshot(post))
        post.delete()
        figures_refresh_standing(village_id=village.pk, code=village.code)
