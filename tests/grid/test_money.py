"""Contracts' money: allocations never exceed the contract, spending never exceeds the
allocation; the assessment's scores lock on confirmation and drive the next allocation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import World
from tests.grid.setup import build, enter_criteria, visit
from zhenxing.core.errors import Conflict, DomainError
from zhenxing.grid.models import ContractAllocation, CriterionEntry, WorkerScore
from zhenxing.grid.rules.assessment import allocate
from zhenxing.grid.services import assessment, contracts


def _period_dates():  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return today.replace(day=1), today


def _allocate(w: World, contract, grid, amount: str):  # type: ignore[no-untyped-def]
    start, end = _period_dates()
    return contracts.allocation_add(
        actor=w.officer_a, contract=contract, grid=grid, amount=amount, starts_on=start, ends_on=end
    )


def test_allocations_never_exceed_the_contract(world: World) -> None:
    g = build(world)
    _allocate(world, g.contract_a, g.grid_a, "11999.99")
    with pytest.raises(DomainError, match=r"0\.01"):
        _allocate(world, g.contract_a, g.grid_a, "0.02")
    _allocate(world, g.contract_a, g.grid_a, "0.01")
    total = sum(a.amount for a in ContractAllocation.objects.filter(contract=g.contract_a))
    assert total == Decimal("12000.00")
    with pytest.raises(DomainError):
        _allocate(world, g.contract_a, g.grid_a, "0.01")


def test_spending_never_exceeds_the_allocation(world: World) -> None:
    g = build(world)
    start, _end = _period_dates()
    allocation = _allocate(world, g.contract_a, g.grid_a, "1500")
    contracts.spending_add(
        actor=world.cadre_a,
        allocation=allocation,
        spent_on=start,
        amount="1000",
        payee="网格员",
        purpose="补贴",
    )
    with pytest.raises(DomainError, match=r"500\.00"):
        contracts.spending_add(
            actor=world.cadre_a,
            allocation=allocation,
            spent_on=start,
            amount="500.01",
            payee="网格员",
            purpose="补贴",
        )
    assert allocation.spendings.count() == 1


def test_another_townships_contract_cannot_be_allocated(world: World) -> None:
    g = build(world)
    with pytest.raises(DomainError):
        _allocate(world, g.contract_b, g.grid_b, "1")
    assert not ContractAllocation.objects.exists()


@pytest.mark.parametrize(
    ("pool", "totals"),
    [
        ("1000.00", {1: Decimal(90), 2: Decimal(60), 3: Decimal(30)}),
        ("0.05", {1: Decimal(1), 2: Decimal(1)}),
        ("999.99", {1: Decimal(0), 2: Decimal(0)}),
    ],
)
def test_the_rule_splits_the_pool_exactly(pool: str, totals: dict[int, Decimal]) -> None:
    shares = allocate(Decimal(pool), totals, base_percent=Decimal(60), review_floor=Decimal(60))
    assert sum(s.amount for s in shares) == Decimal(pool)
    by_key = {s.key: s for s in shares}
    if totals[1] > totals.get(3, totals[1]):
        assert by_key[1].amount > by_key[3].amount and by_key[3].needs_review


def test_confirmed_scores_are_locked_and_drive_the_next_allocation(world: World) -> None:
    g = build(world)
    for household in g.households_a[:2]:
        visit(world.grid_a, household)
    assessment.period_compute(actor=world.officer_a, period=g.period_a)
    score = WorkerScore.objects.get(period=g.period_a, worker=world.grid_a)
    assert (score.visits, score.households_visited, score.households) == (2, 2, 3)
    assert Decimal(score.scores["coverage"]) == Decimal("66.7")
    with pytest.raises(DomainError) as incomplete:  # one worker lacks four entered criteria
        assessment.period_confirm(actor=world.officer_a, period=g.period_a)
    assert incomplete.value.code == "incomplete" and " 1 " in f" {incomplete.value} "
    enter_criteria(world, g.period_a, world.grid_a, "80")
    with pytest.raises(DomainError):
        assessment.criterion_enter(
            actor=world.officer_a,
            period=g.period_a,
            worker=world.grid_a,
            criterion="ratings",
            score="101",
            reason="督查",
        )
    made = assessment.period_confirm(actor=world.officer_a, period=g.period_a)
    g.period_a.refresh_from_db()
    assert g.period_a.locked and g.period_a.confirmed_by == world.officer_a
    # One worker in the village: the whole month's share of the contract (12,000 over 24
    # months = 500), dated the next month.
    assert [(a.worker, a.amount, a.basis) for a in made] == [
        (world.grid_a, Decimal("500.00"), g.period_a)
    ]
    assert made[0].starts_on.day == 1 and made[0].starts_on > g.period_a.ends_on
    with pytest.raises(Conflict):
        assessment.criterion_enter(
            actor=world.officer_a,
            period=g.period_a,
            worker=world.grid_a,
            criterion="ratings",
            score="10",
            reason="改分",
        )
    with pytest.raises(Conflict):
        assessment.period_compute(actor=world.officer_a, period=g.period_a)
    with pytest.raises(Conflict):
        assessment.period_confirm(actor=world.officer_a, period=g.period_a)
    assert CriterionEntry.objects.get(worker=world.grid_a, criterion="ratings").score == Decimal(
        "80.0"
    )


def test_a_period_is_opened_once(world: World) -> None:
    g = build(world)
    with pytest.raises(DomainError):
        assessment.period_open(
            actor=world.officer_a,
            township=world.township_a,
            kind="month",
            year=g.period_a.year,
            number=g.period_a.number,
        )
