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

    def tier(self, accumulation: decimal.Decimal, operating_income: decimal.Decimal) -> str:
        """The tier of a village with these year-end figures."""
        if operating_income < self.min_operating_income:
            return Tier.HOLLOW
        if accumulation >= self.rich_accumulation:
            return Tier.RICH
        if accumulation >= self.strong_accumulation:
            return Tier.STRONG
        if accumulation >= self.min_accumulation:
            return Tier.ON_TARGET
        return Tier.BELOW
