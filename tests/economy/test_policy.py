"""The economy's targets are yearly policy values (``economy.policy``): declared defaults, and a
later year's targets are a row in the policy store, read by the dashboards' tiers and counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.economy.conftest import Books, post
from zhenxing.core.policy.registry import settings_by_key
from zhenxing.core.policy.services import policy_set
from zhenxing.economy.rules.figures import Targets
from zhenxing.economy.selectors import figures as figure_selectors


def test_the_targets_are_declared_with_their_defaults_and_source() -> None:
    declared = settings_by_key()
    assert declared["economy.min_accumulation"].default == Decimal("200000")
    assert declared["economy.rich_villages"].default == 20
    assert all(declared[k].source for k in declared if k.startswith("economy."))


def test_a_later_years_target_changes_that_years_tiers_only(books: Books) -> None:
    # ¥360,000 accumulated and ¥60,000 operating income in 沙坡村 by 2020.
    post(books, [("102", "300000", 0), ("301", 0, "300000")], date=dt.date(2020, 3, 1))
    post(books, [("102", "60000", 0), ("501", 0, "60000")], date=dt.date(2020, 4, 1))
    # The same income in 2022: ¥420,000 accumulated by then.
    post(books, [("102", "60000", 0), ("501", 0, "60000")], date=dt.date(2022, 4, 1))
    world = books.world

    def tier(year: int) -> str:
        figures = figure_selectors.village_figures(region=world.township_a, year=year)
        return next(f.tier for f in figures if f.code == world.village_a.code)

    assert tier(2020) == tier(2022) == "on_target"
    policy_set(
        actor=world.city, key="economy.min_accumulation", effective_from=2022, value="450000"
    )
    assert tier(2020) == "on_target"
    assert tier(2022) == "below"
    summary = figure_selectors.economy_summary(region=world.township_a, year=2022)
    assert summary["targets"]["year"] == 2022
    assert summary["targets"]["min_accumulation"] == Decimal("450000")
    assert (
        figure_selectors.economy_summary(region=world.township_a, year=2021)["targets"]["year"]
        == 2020
    )


def test_the_hollow_threshold_is_a_yearly_value_of_its_own(books: Books) -> None:
    # The national definition of 空壳村 is declared on its own, apart from the city's target.
    declared = settings_by_key()["economy.hollow_operating_income"]
    assert declared.default == Decimal("50000")
    assert declared.since == 2020
    assert "空壳村" in declared.source
    world = books.world
    # 沙坡村: ¥300,000 accumulated and ¥40,000 operating income in 2021; 龙井村: ¥20,000.
    post(books, [("102", "300000", 0), ("301", 0, "300000")], date=dt.date(2021, 3, 1))
    post(books, [("102", "40000", 0), ("501", 0, "40000")], date=dt.date(2021, 4, 1))
    post(
        books,
        [("102", "20000", 0), ("501", 0, "20000")],
        date=dt.date(2021, 4, 1),
        organization=books.org_b,
    )

    def tiers(year: int) -> dict[str, str]:
        figures = figure_selectors.village_figures(region=world.county, year=year)
        return {f.code: f.tier for f in figures}

    assert tiers(2021)[world.village_a.code] == "hollow"  # under ¥50,000: hollow by default
    policy_set(
        actor=world.city, key="economy.hollow_operating_income", effective_from=2021, value="30000"
    )
    target = figure_selectors.target_for(2021)
    assert target.hollow_operating_income == Decimal("30000")
    assert target.min_operating_income == Decimal("50000")  # the target minimum stays
    assert tiers(2021)[world.village_a.code] == "below"  # short of the target, not hollow
    assert tiers(2021)[world.village_b.code] == "hollow"
    summary = figure_selectors.economy_summary(region=world.county, year=2021)
    assert summary["tiers"]["below"] == 1
    assert summary["tiers"]["hollow"] == len(tiers(2021)) - 1
    assert summary["targets"]["every_village"]["have"] == 0


def test_a_tier_short_of_either_target_minimum_is_below_unless_hollow() -> None:
    target = Targets(
        year=2021,
        min_accumulation=Decimal("200000"),
        min_operating_income=Decimal("50000"),
        strong_accumulation=Decimal("500000"),
        rich_accumulation=Decimal("1000000"),
        strong_villages=100,
        rich_villages=20,
        hollow_operating_income=Decimal("30000"),
    )
    assert target.tier(Decimal("1200000"), Decimal("29999.99")) == "hollow"
    assert target.tier(Decimal("1200000"), Decimal("40000")) == "below"  # income short
    assert target.tier(Decimal("150000"), Decimal("80000")) == "below"  # accumulation short
    assert target.tier(Decimal("200000"), Decimal("50000")) == "on_target"
    assert target.tier(Decimal("500000"), Decimal("50000")) == "strong"
    assert target.tier(Decimal("1000000"), Decimal("50000")) == "rich"
