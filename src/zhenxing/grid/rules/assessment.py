"""The assessment's arithmetic, pure: criteria scores from the records, weighted totals, ranks
and the next period's allocation by the configured rule."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError

#: The criteria the records compute; the others the township enters until the service desk
#: (issue 16) records errands and ratings.
COMPUTED = ("visits", "coverage")
SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)
ONE_PLACE = Decimal("0.1")
CENT = Decimal("0.01")


def period_dates(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month (1–12) or a quarter (1–4)."""
    if kind == "quarter":
        if not 1 <= number <= 4:
            raise DomainError(_("A quarter is 1 to 4."), field="number")
        first_month, last_month = 3 * number - 2, 3 * number
    else:
        if not 1 <= number <= 12:
            raise DomainError(_("A month is 1 to 12."), field="number")
        first_month = last_month = number
    last_day = calendar.monthrange(year, last_month)[1]
    return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)


def next_period(kind: str, year: int, number: int) -> tuple[int, int]:
    last = 4 if kind == "quarter" else 12
    return (year + 1, 1) if number == last else (year, number + 1)


def period_months(kind: str) -> int:
    return 3 if kind == "quarter" else 1


def check_score(value: Decimal) -> Decimal:
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise DomainError(
            _("A score is between %(min)s and %(max)s.") % {"min": SCORE_MIN, "max": SCORE_MAX},
            field="score",
        )
    return value.quantize(ONE_PLACE, ROUND_HALF_UP)


def visits_score(visits: int, households: int, expected_per_household: int) -> Decimal:
    """Visits made against those expected (every household ``expected`` times), capped at
    100; a worker with no households scores 0 (nothing to visit is not a full mark)."""
    expected = households * expected_per_household
    if expected <= 0:
        return Decimal(0)
    return min(SCORE_MAX, Decimal(100 * visits) / expected).quantize(ONE_PLACE, ROUND_HALF_UP)


def coverage_score(households_visited: int, households: int) -> Decimal:
    if households <= 0:
        return Decimal(0)
    return (Decimal(100 * households_visited) / households).quantize(ONE_PLACE, ROUND_HALF_UP)


def weighted_total(scores: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> Decimal:
    """Σ weight × score / Σ weight over every criterion; a criterion not yet entered counts 0
    (so an incomplete assessment shows low, and confirming it is refused until complete)."""
    weight_sum = sum(weights.values(), Decimal(0))
    if weight_sum <= 0:
        return Decimal(0)
    total = sum((weights[c] * (scores.get(c) or Decimal(0)) for c in weights), Decimal(0))
    return (total / weight_sum).quantize(ONE_PLACE, ROUND_HALF_UP)


def ranks(values: Iterable[tuple[object, Decimal]]) -> dict[object, int]:
    """Competition ranks (1, 2, 2, 4), highest first; ties share the better rank."""
    ordered = sorted(values, key=lambda kv: kv[1], reverse=True)
    result: dict[object, int] = {}
    previous: Decimal | None = None
    rank = 0
    for index, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = index, value
        result[key] = rank
    return result


@dataclass(frozen=True)
class Share:
    key: object
    amount: Decimal
    needs_review: bool


def allocate(
    pool: Decimal,
    totals: Mapping[Any, Decimal],
    *,
    base_percent: Decimal,
    review_floor: Decimal,
) -> list[Share]:
    """Split ``pool`` among the workers: ``base_percent`` of it equally, the rest by score
    (each worker's total over the sum of totals). Amounts are in cents, rounded down, the
    remainder cents going to the highest scores first, so the shares sum to exactly ``pool``
    and never more. A total below ``review_floor`` marks the share for the township's
    review."""
    if not totals or pool <= 0:
        return []
    keys = sorted(totals, key=lambda k: (-totals[k], str(k)))
    cents = int((pool / CENT).to_integral_value(rounding="ROUND_DOWN"))
    base_cents = cents * base_percent / 100
    score_sum = sum(totals.values(), Decimal(0))
    raw: dict[object, Decimal] = {}
    for key in keys:
        by_score = (
            (cents - base_cents) * totals[key] / score_sum
            if score_sum > 0
            else (cents - base_cents) / len(keys)
        )
        raw[key] = base_cents / len(keys) + by_score
    floors = {key: int(raw[key]) for key in keys}
    left = cents - sum(floors.values())
    for key in keys[:left]:
        floors[key] += 1
    return [Share(key, Decimal(floors[key]) * CENT, totals[key] < review_floor) for key in keys]
