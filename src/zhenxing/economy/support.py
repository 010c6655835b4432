"""Compatibility name for tests owned elsewhere: issue 12 moved this module to
``zhenxing.economy.services.support``. Remove once nothing imports it from here."""

from zhenxing.economy.services.support import (
    industry_scale_set,
    support_record_add,
    supported_village_designate,
)

__all__ = ["industry_scale_set", "support_record_add", "supported_village_designate"]
