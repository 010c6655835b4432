"""The targets villages are measured against, and a village's tier: pure (no queries)."""

from __future__ import annotations

import decimal
from dataclasses import dataclass

from zhenxing.economy.models import Tier


@dataclass(frozen=True)
class Targets:
    """The targets in force in a year (``economy.policy``), set for ``year``."""

    year: int
    min_accumulation: decimal.Decimal
    min_operating_income: decimal.Decimal
    strong_accumulation: decimal.Decimal
    rich_accumulation: decimal.Decimal
    strong_villages: int
    rich_villages: int
    hollow_operating_income: decimal.Decimal

    def tier(self, accumulation: decimal.Decimal, operating_income: decimal.Decimal) -> str:
        """The tier of a village with these year-end figures: hollow (空壳村) under the hollow
        threshold of operating income, below when short of either target minimum, else by
        accumulation."""
        if operating_income < self.hollow_operating_income:
            return Tier.HOLLOW
        if accumulation < self.min_accumulation or operating_income < self.min_operating_income:
            return Tier.BELOW
        if accumulation >= self.rich_accumulation:
            return Tier.RICH
        if accumulation >= self.strong_accumulation:
            return Tier.STRONG
        return Tier.ON_TARGET
