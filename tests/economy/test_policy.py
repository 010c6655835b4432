"""The economy's targets are yearly policy values (``economy.policy``): declared defaults, and a
later year's targets are a row in the policy store, read by the dashboards' tiers and counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.economy.conftest import Books, post
from zhenxing.core.policy.registry import settings_by_key
from zhenxing.core.policy.services import policy_set
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
