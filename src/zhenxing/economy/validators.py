"""Compatibility name for tests owned elsewhere (issue 12 moved these checks to
``zhenxing.economy.rules.values``); remove once nothing imports ``zhenxing.economy.validators``."""

from zhenxing.economy.rules.values import check_amount, check_uscc

__all__ = ["check_amount", "check_uscc"]
