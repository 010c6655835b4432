"""The grid panel on a household's page (registered in ``GridConfig.ready``)."""

from __future__ import annotations

from typing import Any

from zhenxing.grid.models import GridHousehold, Visit


def household_grid_panel(*, actor: Any, household: Any) -> dict[str, Any] | None:
    """The household's grid, its workers and the last visits, for readers of the household."""
    membership = (
        GridHousehold.objects.visible_to(actor)
        .select_related("grid")
        .filter(household_id=household.pk)
        .first()
    )
    if membership is None:
        return {"grid": None, "visits": []}
    grid = membership.grid
    workers = [p.worker for p in grid.posts.select_related("worker")]
    visits = list(
        Visit.objects.visible_to(actor)
        .filter(household_id=household.pk)
        .select_related("worker")
        .order_by("-visited_at")[:5]
    )
    return {"grid": grid, "workers": workers, "membership": membership, "visits": visits}
