"""Kept for callers outside party that still import this module (tests/core's scoping
fixtures): the writes live in ``zhenxing.party.services.cadres``. Remove once they do."""

from zhenxing.party.services.cadres import *  # noqa: F403
