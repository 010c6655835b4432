"""The party-building rules that are arithmetic on dates and posts, kept apart from the writes so
services, selectors and importers share one reading of them."""

from __future__ import annotations

import calendar
import datetime as dt

from zhenxing.party.models import POST_BODY, Body, PartyPolicy, Stage


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months; the 31st (or 29 February) falls back to the month's last day,
    so one year after 2024-02-29 is 2025-02-28."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def policy_value(key: str, year: int, default: int | None = None) -> int:
    """The setting in force in ``year`` (the latest one that took effect by then)."""
    row = (
        PartyPolicy.objects.filter(key=key, effective_from__lte=year)
        .order_by("-effective_from")
        .values_list("value", flat=True)
        .first()
    )
    if row is None:
        if default is None:
            raise LookupError(f"no party policy {key!r} in force in {year}")
        return default
    return int(row)


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


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
