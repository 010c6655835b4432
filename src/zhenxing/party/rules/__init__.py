"""The party-building rules that are arithmetic on dates and posts, kept apart from the writes so
services, selectors and importers share one reading of them."""

from __future__ import annotations

import calendar
import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from zhenxing.party.models import POST_BODY, Body, PartyPolicy, Stage


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months; the 31st (or 29 February) falls back to the month's last day,
    so one year after 2024-02-29 is 2025-02-28."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: Inside ``policies_cached()``, settings already read (a worklist reads one per member).
_cache: contextvars.ContextVar[dict[tuple[str, int], int | None] | None] = contextvars.ContextVar(
    "party_policy_cache", default=None
)


@contextlib.contextmanager
def policies_cached() -> Iterator[None]:
    """Read each setting once for the duration (settings do not change within a request)."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def policy_value(key: str, year: int, default: int | None = None) -> int:
    """The setting in force in ``year`` (the latest one that took effect by then)."""
    cache = _cache.get()
    if cache is not None and (key, year) in cache:
        row = cache[(key, year)]
    else:
        row = _policy_row(key, year)
        if cache is not None:
            cache[(key, year)] = row
    if row is None:
        if default is None:
            raise LookupError(f"no party policy {key!r} in force in {year}")
        return default
    return int(row)


def _policy_row(key: str, year: int) -> int | None:
    return (
        PartyPolicy.objects.filter(key=key, effective_from__lte=year)
        .order_by("-effective_from")
        .values_list("value", flat=True)
        .first()
    )


def earliest_step(stage: str, *, previous: dt.date) -> dt.date:
    """The first day a step into ``stage`` may be taken, given the date of the stage before it:
    a development target after a year as activist, a full member after a year's probation."""
    if stage == Stage.TARGET:
        months = policy_value(PartyPolicy.Key.ACTIVIST_MIN_MONTHS, previous.year, 12)
        return add_months(previous, months)
    if stage == Stage.FULL:
        months = policy_value(PartyPolicy.Key.PROBATION_MONTHS, previous.year, 12)
        return add_months(previous, months)
    return previous


def talk_deadline(applied_on: dt.date) -> dt.date:
    """The last day for the talk with an applicant (within a month of the application)."""
    months = policy_value(PartyPolicy.Key.TALK_WITHIN_MONTHS, applied_on.year, 1)
    return add_months(applied_on, months)


def posts_incompatible(a: str, b: str) -> bool:
    """Whether one person may not hold posts ``a`` and ``b`` at once.

    One post per body; the supervision committee watches the two committees, so its chair holds
    no post in them; the resident work team comes from outside the village's committees. A post
    in the party organisation and one in the villagers' committee may be held together
    (交叉任职; secretary and director together is "一肩挑"). Group leaders and instructors
    combine with anything.
    """
    body_a, body_b = POST_BODY[a], POST_BODY[b]
    if Body.OTHER in (body_a, body_b):
        return a == b
    if body_a == body_b:
        return True
    watched = {Body.PARTY, Body.VILLAGERS}
    return bool({body_a, body_b} & {Body.SUPERVISION, Body.WORK_TEAM}) and bool(
        {body_a, body_b} & watched
    )


def holdings_incompatible(post_a: str, village_a: int, post_b: str, village_b: int) -> bool:
    """Whether one person may not hold ``post_a`` in one village and ``post_b`` in another (or
    the same) at once: the posts themselves, and no seat on two villages' committees."""
    if posts_incompatible(post_a, post_b):
        return True
    committees = {Body.PARTY, Body.VILLAGERS}
    return (
        village_a != village_b
        and POST_BODY[post_a] in committees
        and POST_BODY[post_b] in committees
    )


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def periods_overlap(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None
) -> bool:
    """Whether two periods in post share a day. An open end (``None``) runs on; both ends count,
    as ``party.cadres.held_on`` reads them (a post ending on a day is still held that day)."""
    return a_start <= (b_end or dt.date.max) and b_start <= (a_end or dt.date.max)
