"""Members' shares and the income-distribution plan: village proposes, village approves, the
township puts it into effect; dividends per household; never more than is available."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import make_household, make_user
from tests.economy.conftest import Books, post
from zhenxing.core.accounts.roles import Role
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.economy.models import DistributionPlan, Dividend, PlanStatus, Shareholding
from zhenxing.economy.selectors import books as books_selectors
from zhenxing.economy.selectors.distribution import available_for_distribution
from zhenxing.economy.services import distribution
from zhenxing.economy.services.summaries import ledger_mismatches


@pytest.fixture
def members(books: Books) -> list:
    """Two member households of 沙坡村 with 3 and 5 shares, and a year's result of ¥20,000
    carried into 本年收益."""
    world = books.world
    households = [make_household(world, "SP-001"), make_household(world, "SP-002")]
    for household, shares in zip(households, ("3", "5"), strict=True):
        distribution.shareholding_set(
            actor=world.cadre_a, organization=books.org_a, household=household, shares=shares
        )
    post(books, [("102", "20000", 0), ("321", 0, "20000")], date=dt.date(2020, 12, 31))
    return households


def propose(books: Books, reserve: str = "4000", per_share: str = "1000") -> DistributionPlan:
    return distribution.distribution_plan_propose(
        actor=books.world.cadre_a,
        organization=books.org_a,
        year=2020,
        reserve=reserve,
        dividend_per_share=per_share,
    )


def test_the_township_approves_and_the_plan_takes_effect(books: Books, members: list) -> None:
    plan = propose(books)
    assert (plan.available, plan.member_shares, plan.dividends) == (
        Decimal("20000.00"),
        Decimal("8.00"),
        Decimal("8000.00"),
    )
    # The township cannot decide before the village has approved.
    with pytest.raises(Forbidden):
        distribution.distribution_plan_approve(actor=books.world.officer_a, plan=plan)
    plan = distribution.distribution_plan_approve(actor=books.accountant_a, plan=plan)
    assert plan.status == PlanStatus.VILLAGE_APPROVED
    plan = distribution.distribution_plan_approve(actor=books.world.officer_a, plan=plan)
    assert plan.status == PlanStatus.EFFECTIVE
    payouts = dict(Dividend.objects.values_list("household__number", "amount"))
    assert payouts == {"SP-001": Decimal("3000.00"), "SP-002": Decimal("5000.00")}
    # Posted to the books: reserve to 公积公益金, dividends payable, accumulation down by 8,000.
    tb = {
        r.account.code: r.closing for r in books_selectors.trial_balance(books.org_a, 2026, 12).rows
    }
    assert tb["311"] == Decimal("4000.00") and tb["211"] == Decimal("8000.00")
    assert available_for_distribution(books.org_a) == Decimal("8000.00")
    assert plan.voucher.preparer == books.world.cadre_a
    assert plan.voucher.approver == books.world.officer_a
    assert ledger_mismatches() == []


def test_a_plan_that_pays_out_more_than_is_available_is_refused(
    books: Books, members: list
) -> None:
    with pytest.raises(DomainError, match=r"only 20000\.00 is available") as caught:
        propose(books, reserve="5000", per_share="2000")  # 5,000 + 8 × 2,000 = 21,000
    assert caught.value.code == "over_distribution"
    assert not DistributionPlan.objects.exists()
    propose(books, reserve="4000", per_share="2000")  # exactly 20,000: allowed


def test_the_books_are_checked_again_when_the_plan_takes_effect(
    books: Books, members: list
) -> None:
    plan = propose(books, reserve="4000", per_share="2000")
    plan = distribution.distribution_plan_approve(actor=books.accountant_a, plan=plan)
    # Meanwhile a household's shares grow: the plan would now pay 4,000 + 9 × 2,000.
    distribution.shareholding_set(
        actor=books.world.cadre_a,
        organization=books.org_a,
        household=members[0],
        shares="4",
    )
    with pytest.raises(DomainError, match=r"only 20000\.00 is available"):
        distribution.distribution_plan_approve(actor=books.world.officer_a, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.VILLAGE_APPROVED and not Dividend.objects.exists()


def test_the_proposer_does_not_approve_their_own_plan(books: Books, members: list) -> None:
    plan = propose(books)
    with pytest.raises(DomainError, match="another cadre"):
        distribution.distribution_plan_approve(actor=books.world.cadre_a, plan=plan)


def test_another_township_sees_no_plan_and_rejection_needs_a_reason(
    books: Books, members: list
) -> None:
    plan = propose(books)
    with pytest.raises(NotFound):
        distribution.distribution_plan_approve(actor=books.world.officer_b, plan=plan)
    with pytest.raises(DomainError, match="Say why"):
        distribution.distribution_plan_reject(actor=books.accountant_a, plan=plan, reason=" ")
    plan = distribution.distribution_plan_reject(
        actor=books.accountant_a, plan=plan, reason="村民代表大会未通过"
    )
    assert plan.status == PlanStatus.REJECTED
    propose(books)  # a rejected plan leaves the year open for another


def test_share_counts_are_never_negative_and_stay_in_the_village(
    books: Books, members: list
) -> None:
    with pytest.raises(DomainError, match="never negative"):
        distribution.shareholding_set(
            actor=books.world.cadre_a,
            organization=books.org_a,
            household=members[0],
            shares="-1",
        )
    assert Shareholding.objects.get(household=members[0]).shares == 3
    elsewhere = make_household(books.world, "ZQ-001", village=books.world.village_a2)
    with pytest.raises(DomainError, match="own village"):
        distribution.shareholding_set(
            actor=books.world.city, organization=books.org_a, household=elsewhere, shares="1"
        )


def test_a_township_officer_is_not_the_villages_assembly(books: Books, members: list) -> None:
    officer = make_user("officer_a2", Role.TOWNSHIP_OFFICER, books.world.township_a)
    plan = propose(books)
    with pytest.raises(Forbidden):
        distribution.distribution_plan_approve(actor=officer, plan=plan)
