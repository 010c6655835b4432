"""Compatibility name for tests owned elsewhere: issue 12 moved this module to
``zhenxing.economy.services.distribution``. Remove once nothing imports it from here."""

from zhenxing.economy.services.distribution import (
    distribution_plan_approve,
    distribution_plan_propose,
    distribution_plan_reject,
    shareholding_set,
)

__all__ = [
    "distribution_plan_approve",
    "distribution_plan_propose",
    "distribution_plan_reject",
    "shareholding_set",
]
