"""A small grid world over the suite's personas: a grid with households and the grid worker
in each township's village, a contract for each, an assessment period for each township."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.conftest import World, make_household, make_user
from zhenxing.core.accounts.roles import Role
from zhenxing.grid.models import AssessmentPeriod, Grid, ServiceContract
from zhenxing.grid.services import assessment, contracts, grids, visits


@dataclass
class GridWorld:
    grid_a: Grid
    grid_b: Grid
    households_a: list[Any]
    households_b: list[Any]
    worker_b: Any
    contract_a: ServiceContract
    contract_b: ServiceContract
    period_a: AssessmentPeriod
    period_b: AssessmentPeriod


def square(lat: float, lng: float, half: float = 0.01) -> dict[str, Any]:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def build(w: World, *, households: int = 3) -> GridWorld:
    today = timezone.localdate()
    made: dict[str, Any] = {}
    worker_b = make_user("grid_b", Role.GRID_WORKER, w.village_b)
    for key, village, worker in (("a", w.village_a, w.grid_a), ("b", w.village_b, worker_b)):
        hh = [make_household(w, f"G{key.upper()}{i:03d}", village) for i in range(households)]
        grid = grids.grid_create(actor=w.city, village=village, name=f"{village.name}一网格")
        if hh:
            grids.grid_assign_households(actor=w.city, grid=grid, numbers=[h.number for h in hh])
        grids.grid_worker_post(actor=w.city, grid=grid, worker=worker)
        contract = contracts.contract_create(
            actor=w.city,
            buyer=village.parent,
            village=village,
            number=f"C-{key}",
            amount=Decimal("12000"),
            starts_on=dt.date(today.year, 1, 1),
            ends_on=dt.date(today.year + 1, 12, 31),
            services="网格巡查\n入户走访",
            buyer_signatory="乡镇",
            village_signatory="村委会",
            signed_on=dt.date(today.year, 1, 1),
        )
        period = assessment.period_open(
            actor=w.city,
            township=village.parent,
            kind="month",
            year=today.year,
            number=today.month,
        )
        made[key] = (grid, hh, contract, period)
    return GridWorld(
        grid_a=made["a"][0],
        grid_b=made["b"][0],
        households_a=made["a"][1],
        households_b=made["b"][1],
        worker_b=worker_b,
        contract_a=made["a"][2],
        contract_b=made["b"][2],
        period_a=made["a"][3],
        period_b=made["b"][3],
    )


def visit(worker: Any, household: Any, **kwargs: Any) -> visits.VisitResult:
    household.refresh_from_db()
    fields: dict[str, Any] = {
        "client_id": uuid.uuid4(),
        "household_id": household.pk,
        "visited_at": timezone.now(),
        "household_version": household.version,
        "checked": ["food_secure"],
    }
    return visits.visit_record(actor=worker, **(fields | kwargs))


def enter_criteria(w: World, period: AssessmentPeriod, worker: Any, score: str = "90") -> None:
    """The township's scores for every criterion no record computes yet."""
    for criterion in ("errands", "ratings", "inspection", "complaints"):
        assessment.criterion_enter(
            actor=w.officer_a,
            period=period,
            worker=worker,
            criterion=criterion,
            score=score,
            reason="督查",
        )
