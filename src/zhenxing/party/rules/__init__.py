"""The party-building rules that are arithmetic on dates and posts, pure (no queries, no
writes), kept apart from the writes so services, selectors and importers share one reading of
them. The policy values they take (intervals, terms) are read in ``party.policy``."""

from __future__ import annotations

import calendar
import datetime as dt

from zhenxing.party.models import POST_BODY, Body


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months; the 31st (or 29 February) falls back to the month's last day,
    so one year after 2024-02-29 is 2025-02-28."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
