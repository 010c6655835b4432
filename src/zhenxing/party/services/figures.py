"""Keeping the summary table ``VillagePartyFigures``: writes forget the rows of the villages they
touch (:func:`forget_villages`, inside their own transaction); reads ask for a region's rows of a
year (:func:`village_rows`), which works out the missing and lapsed ones set-based, in a fixed
number of queries, and stores them.

What a row counts is the live reading's: the persons in post in the village on the day the
year is read on (31 December, or today while it runs), those of them trained at a session of the
year that was not cancelled (wherever the attendance was recorded), 一肩挑, the secretary's
background, the reserve pool and its entrepreneurs. A region above the village adds its
villages' rows up, so a person in post in two villages is a cadre of each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import subtree_q
from zhenxing.party.models import (
    TWO_COMMITTEE_POSTS,
    VILLAGE_KINDS,
    Attendance,
    CadrePosition,
    PartyOrganization,
    Post,
    ReserveTalent,
    SecretarySource,
    TalentProgress,
    TraineeCategory,
    VillagePartyFigures,
)

#: A reserve candidate still in the pool (one who "achieved" has taken up the post).
IN_POOL = (TalentProgress.IDENTIFIED, TalentProgress.CULTIVATING)

#: Below this many villages a fill names them; above it, it reads the region's subtree (a
#: province's 15,000 ids would pass SQLite's limit on query parameters).
NAMED_LIMIT = 500

#: What a row counts, in the order of ``VillageFigures``.
VALUES = (
    "has_organization",
    "has_secretary",
    "one_shoulder",
    "secretary_source",
    "reserve_secretaries",
    "reserves",
    "entrepreneurs",
    "cadres",
    "trained",
    "by_category",
    "committee_posts",
    "committee_term_ends_on",
    "committee",
)
FIELDS = ("as_of", "stale_on", *VALUES)


class VillageFigures(NamedTuple):
    """A row's figures, as plain values."""

    has_organization: bool
    has_secretary: bool
    one_shoulder: bool
    secretary_source: str
    reserve_secretaries: int
    reserves: int
    entrepreneurs: int
    cadres: int
    trained: int
    by_category: dict[str, list[int]]
    committee_posts: int
    committee_term_ends_on: dt.date | None
    committee: list[list[int]]


def read_on(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's figures are read on: today for the current year, else 31 December."""
    return min(today or timezone.localdate(), dt.date(year, 12, 31))


def forget_villages(village_ids: Iterable[int]) -> None:
    """Drop every year's figures of these villages (a write changed what they count); the next
    read works them out again. Runs in the caller's transaction."""
    ids = sorted(set(village_ids))
    for start in range(0, len(ids), NAMED_LIMIT):
        VillagePartyFigures.objects.filter(village_id__in=ids[start : start + NAMED_LIMIT]).delete()


def forget_persons(person_ids: Iterable[int]) -> None:
    """Drop the figures of every village where one of these persons holds or held a post (their
    attendance changed: a cadre's training counts in each of their villages)."""
    ids = sorted(set(person_ids))
    villages: set[int] = set()
    for start in range(0, len(ids), NAMED_LIMIT):
        villages.update(
            CadrePosition.objects.filter(person_id__in=ids[start : start + NAMED_LIMIT])
            .values_list("village_id", flat=True)
            .order_by()
        )
    forget_villages(villages)


#: Past this many persons changed at once (a registry import), every row is dropped: cheaper
#: than finding their posts.
MANY_PERSONS = 5000


def forget_changed_persons(sender: Any, person_ids: list[int], **kwargs: Any) -> None:
    """The registry's ``persons_changed``: forget the rows of the villages where they hold or
    held a post (only when any row is stored)."""
    if not VillagePartyFigures.objects.exists():
        return
    if len(person_ids) > MANY_PERSONS:
        forget_all()
    else:
        forget_persons(person_ids)


def forget_all() -> None:
    """Drop every row (a bulk load such as the demo, or a change of the trainee categories)."""
    VillagePartyFigures.objects.all().delete()


def village_rows(
    *,
    region: Region,
    year: int,
    today: dt.date | None = None,
    categories: bool = False,
    committee: bool = False,
    villages: list[int] | None = None,
) -> dict[int, VillageFigures]:
    """Every village's figures under ``region`` for ``year``, by village id: the stored rows
    that hold on the day the year is read on, and the others worked out now and stored. Read
    as plain values: a province's 15,000 rows as model instances took most of a second.
    ``categories``: also the figures by trainee category, ``committee``: also the two
    committees' members (else left empty); ``villages``: the
    ids of the villages under ``region``, when the caller has read them already."""
    day = read_on(year, today)
    if villages is None:
        villages = list(
            Region.objects.filter(subtree_q(region.code), kind__in=VILLAGE_LEVEL)
            .order_by()
            .values_list("pk", flat=True)
        )
    # The rows that hold on ``day``, chosen by the database; the trainee categories only for
    # a reader that wants them (decoding 15,000 of them was a fifth of a province's dashboard).
    # The JSON columns (trainee categories, the committee's members) only for a reader that
    # wants them: decoding 15,000 of them was a fifth of a province's dashboard.
    skipped: dict[str, Any] = {"by_category": {}, "committee": []}
    if categories:
        skipped.pop("by_category")
    if committee:
        skipped.pop("committee")
    columns = [name for name in VALUES if name not in skipped]
    stored: dict[int, VillageFigures] = {}
    for village_id, *values in (
        VillagePartyFigures.objects.filter(
            subtree_q(region.code, "village__code"), year=year, as_of__lte=day
        )
        .filter(Q(stale_on__isnull=True) | Q(stale_on__gt=day))
        .order_by()
        .values_list("village_id", *columns)
    ):
        read = dict(zip(columns, values, strict=True))
        stored[village_id] = VillageFigures(**{**skipped, **read})
    missing = [pk for pk in villages if pk not in stored]
    if missing:
        whole = len(missing) > NAMED_LIMIT
        for pk, row in _work_out(region, missing, year, day, whole_region=whole).items():
            stored[pk] = VillageFigures(*(getattr(row, name) for name in VALUES))
    return stored


def _work_out(
    region: Region, villages: list[int], year: int, day: dt.date, *, whole_region: bool
) -> dict[int, VillagePartyFigures]:
    """Figures of ``villages`` (all under ``region``) for ``year`` read on ``day``: six queries,
    over the region's subtree when the villages are many, else over the villages named."""

    def under(queryset: Any, path: str) -> Any:
        if whole_region:
            return queryset.filter(subtree_q(region.code, f"{path}__code"))
        return queryset.filter(**{f"{path}_id__in": villages})

    rows = {
        pk: VillagePartyFigures(village_id=pk, year=year, as_of=day, by_category={}, committee=[])
        for pk in villages
    }
    for pk in under(PartyOrganization.objects.filter(kind__in=VILLAGE_KINDS), "region").values_list(
        "region_id", flat=True
    ):
        if pk in rows:
            rows[pk].has_organization = True
    # Every post the villages ever had: those held on ``day`` count, the others tell when the
    # row lapses (the first start or end after ``day``).
    held: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    committees: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for village_id, post, person_id, source, started, ended, ends, sex, born, education in (
        under(CadrePosition.objects.all(), "village")
        .values_list(
            "village_id",
            "post",
            "person_id",
            "source",
            "started_on",
            "ended_on",
            "term_ends_on",
            "person__sex",
            "person__birth_date",
            "person__education",
        )
        .order_by()
    ):
        row = rows.get(village_id)
        if row is None:
            continue
        if started <= day and (ended is None or ended >= day):
            held[village_id].append((post, person_id, source))
            if post in TWO_COMMITTEE_POSTS:
                row.committee_posts += 1
                if row.committee_term_ends_on is None or ends < row.committee_term_ends_on:
                    row.committee_term_ends_on = ends
                committees[village_id][person_id] = [
                    born.toordinal(),
                    int(sex == "F"),
                    int(education == "college"),
                ]
        for change in (started, ended + dt.timedelta(days=1) if ended else None):
            if change is not None and change > day:
                row.stale_on = change if row.stale_on is None else min(row.stale_on, change)
    for counted in (
        under(ReserveTalent.objects.all(), "village")
        .values("village_id")
        .annotate(
            secretaries=Count(
                "pk", filter=Q(reserve_for=Post.PARTY_SECRETARY, progress__in=IN_POOL)
            ),
            # People, not pool entries (one person may be on both tracks); cultivating one
            # successfully still counts for the village's batch.
            entrepreneurs=Count(
                "person", distinct=True, filter=Q(source=SecretarySource.ENTREPRENEUR)
            ),
            reserves=Count("person", distinct=True, filter=Q(progress__in=IN_POOL)),
        )
        .order_by()
    ):
        if (row := rows.get(counted["village_id"])) is not None:
            row.reserve_secretaries = counted["secretaries"]
            row.entrepreneurs = counted["entrepreneurs"]
            row.reserves = counted["reserves"]
    attended = Attendance.objects.filter(
        session__cancelled=False,
        session__starts_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    )
    if not whole_region:
        # A few villages' cadres are named; a region's whole year of attendance is read as it
        # is (cheaper than a semi-join on a province's 130,000 posts).
        persons = {person for posts in held.values() for _post, person, _source in posts}
        attended = attended.filter(position__person_id__in=persons)
    trained = set(attended.order_by().values_list("position__person_id", flat=True).distinct())
    categories = [(c.code, set(c.posts)) for c in TraineeCategory.objects.all()]
    for village_id, people in committees.items():
        rows[village_id].committee = list(people.values())
    for village_id, posts in held.items():
        row = rows[village_id]
        heads = {
            post: person
            for post, person, _source in posts
            if post in (Post.PARTY_SECRETARY, Post.DIRECTOR)
        }
        secretary = next((s for p, _person, s in posts if p == Post.PARTY_SECRETARY), None)
        row.has_secretary = Post.PARTY_SECRETARY in heads
        row.one_shoulder = row.has_secretary and heads.get(Post.PARTY_SECRETARY) == heads.get(
            Post.DIRECTOR
        )
        row.secretary_source = (secretary or SecretarySource.OTHER) if row.has_secretary else ""
        persons = {person for _post, person, _source in posts}
        row.cadres = len(persons)
        row.trained = len(persons & trained)
        for code, covered in categories:
            in_category = {person for post, person, _source in posts if post in covered}
            if in_category:
                row.by_category[code] = [len(in_category), len(in_category & trained)]
    with transaction.atomic():
        VillagePartyFigures.objects.bulk_create(
            rows.values(),
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["village", "year"],
            update_fields=list(FIELDS),
        )
    return rows
