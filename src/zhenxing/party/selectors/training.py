"""Reads for training: the coverage of cadres by trainee category, the sessions and orders a
reader sees, and the attendance sheet of a session. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.scoping import ancestor_codes, scope_code, subtree_q
from zhenxing.party.models import (
    Attendance,
    CadrePosition,
    CourseOrder,
    Post,
    TraineeCategory,
    TrainingSession,
)
from zhenxing.party.selectors import summary
from zhenxing.party.services import figures as figures_service
from zhenxing.party.services.cadres import held_on

#: Posts in the order the catalogue lists them (party organisation first), for display.
POST_ORDER = {post: i for i, post in enumerate(Post.values)}


def _year_bounds(year: int, today: dt.date | None) -> tuple[dt.date, dt.date]:
    """The first day of ``year`` and the day the cadres are counted on: 31 December, or today
    while the year is running (someone appointed from next month is not yet a cadre to be
    trained)."""
    return dt.date(year, 1, 1), figures_service.read_on(year, today)


def _positions_in_year(region: Region, first: dt.date, last: dt.date) -> QuerySet[CadrePosition]:
    """The posts held under ``region`` on ``last``: the cadres the year's training is for. One
    who left in January is no longer a cadre to train, and would keep the goal ("all of them")
    out of reach for the rest of the year."""
    return CadrePosition.objects.filter(subtree_q(region.code, "village__code")).filter(
        held_on(last)
    )


@dataclass(slots=True)
class CoveredPost:
    """A post held at the year's end, as the coverage report lists it."""

    pk: int
    post: str
    post_label: str
    started_on: dt.date
    person_id: int
    person_name: str
    village_code: str
    village_name: str


def _collect(
    region: Region, year: int, today: dt.date | None
) -> tuple[list[CoveredPost], set[int], list[TraineeCategory]]:
    """Three queries: the posts held under ``region`` during the year, the holders trained at a
    session of the year that was not cancelled, and the category catalogue."""
    first, last = _year_bounds(year, today)
    held = _positions_in_year(region, first, last)
    # Plain rows, not model instances: the city's nine thousand posts as posts, persons (with
    # their encrypted numbers) and villages took most of a second to build.
    labels = {value: str(label) for value, label in Post.choices}
    positions = sorted(
        (
            CoveredPost(pk, post, labels.get(post, post), started, person_id, name, code, village)
            for pk, post, started, person_id, name, code, village in held.values_list(
                "pk",
                "post",
                "started_on",
                "person_id",
                "person__name",
                "village__code",
                "village__name",
            )
        ),
        key=lambda p: (p.village_code, POST_ORDER.get(p.post, 99), p.person_name, -p.pk),
    )
    # A person trained once counts as trained in every post they hold, wherever the
    # attendance was recorded (a cadre who moved villages keeps their training).
    trained = set(
        Attendance.objects.filter(
            session__cancelled=False,
            session__starts_on__gte=dt.date(year, 1, 1),
            session__starts_on__lte=dt.date(year, 12, 31),
            position__person__in=held.values("person"),
        )
        # No ordering: the model's default would add its columns to the DISTINCT.
        .order_by()
        .values_list("position__person_id", flat=True)
        .distinct()
    )
    return positions, trained, list(TraineeCategory.objects.all())


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _summarise(
    positions: list[CoveredPost], trained: set[int], categories: list[TraineeCategory]
) -> dict[str, Any]:
    # Cadres are counted per village, as the summary table counts them (a person holding two
    # posts in one village is one cadre there; one in post in two villages is a cadre of each),
    # so a township's page and the city's row for it give the same figures.
    cadres = {(p.village_code, p.person_id) for p in positions}
    done = sum(person in trained for _village, person in cadres)
    category_of = {post: c.code for c in categories for post in c.posts}
    by_code: dict[str, dict[str, Any]] = {
        c.code: {"category": c, "cadres": set(), "untrained": []} for c in categories
    }
    for position in positions:
        code = category_of.get(position.post)
        if code is None:
            continue
        entry = by_code[code]
        key = (position.village_code, position.person_id)
        if key in entry["cadres"]:
            continue  # one row per cadre and category, so untrained = cadres - trained
        entry["cadres"].add(key)
        if position.person_id not in trained:
            entry["untrained"].append(position)
    by_category = [
        {
            "category": e["category"],
            "cadres": len(e["cadres"]),
            "trained": len(e["cadres"]) - len(e["untrained"]),
            "untrained": e["untrained"],
            "untrained_count": len(e["untrained"]),
        }
        for e in by_code.values()
    ]
    return {
        "cadres": len(cadres),
        "trained": done,
        "ratio": _ratio(done, len(cadres)),
        "by_category": by_category,
    }


def training_coverage(*, region: Region, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """How many of the cadres under ``region`` had training in ``year``, by trainee category.

    Cadres are the persons holding a post in a village under ``region`` at the end of the
    year (today, for the running year), counted once per village; trained are those of them with
    attendance at a session of the year that was not cancelled. Returns ``cadres``,
    ``trained``, ``ratio`` (0–1, 0.0 when there are no cadres) and ``by_category``: for each
    ``TraineeCategory``, its ``cadres``, ``trained`` and ``untrained`` (one ``CoveredPost``
    per untrained person, by village). Three queries, whatever the size of the region.
    """
    return _summarise(*_collect(region, year, today))


def coverage_report(
    *, region: Region, year: int, today: dt.date | None = None, names: bool = True
) -> dict[str, Any]:
    """:func:`training_coverage` and the same figures for each child region (drill-down), from
    one read of the data (four queries). Above the township without ``names`` (the page, not
    the download), the figures are the villages' rows of the summary table added up and each
    category's ``untrained`` list is left empty (``untrained_count`` says how many): a city's
    or a province's posts are not read on each request."""
    if region.kind == RegionKind.COUNTY and not names:
        return _coverage_from_figures(region, year, today)
    positions, trained, categories = _collect(region, year, today)
    report = _summarise(positions, trained, categories)
    children: list[dict[str, Any]] = []
    if region.kind not in VILLAGE_LEVEL:
        # Cadres sit in villages; a child's share is read off the village code's prefix.
        regions = {c.code: c for c in Region.objects.filter(parent=region).order_by("code")}
        persons: dict[str, set[tuple[str, int]]] = {code: set() for code in regions}
        lengths = {len(code) for code in regions}
        for position in positions:
            for n in lengths:
                if (prefix := position.village_code[:n]) in persons:
                    persons[prefix].add((position.village_code, position.person_id))
        for code, child in regions.items():
            done = sum(person in trained for _village, person in persons[code])
            children.append(
                {
                    "region": child,
                    "cadres": len(persons[code]),
                    "trained": done,
                    "ratio": _ratio(done, len(persons[code])),
                }
            )
    return {**report, "children": children}


def _coverage_from_figures(region: Region, year: int, today: dt.date | None) -> dict[str, Any]:
    """The coverage report's figures from the villages' rows of the summary table, added up
    per child region and per trainee category."""
    regions = {c.code: c for c in Region.objects.filter(parent=region).order_by("code")}
    children = {code: [0, 0] for code in regions}
    child_for = summary.row_under(children)
    categories = list(TraineeCategory.objects.all())
    by_code = {c.code: [0, 0] for c in categories}
    cadres = trained = 0
    for village in summary.village_figures(region=region, year=year, today=today, categories=True):
        figures = village.figures
        cadres += figures.cadres
        trained += figures.trained
        if (child := child_for(village.code)) is not None:
            child[0] += figures.cadres
            child[1] += figures.trained
        for code, (held, done) in figures.by_category.items():
            if (entry := by_code.get(code)) is not None:
                entry[0] += held
                entry[1] += done
    return {
        "cadres": cadres,
        "trained": trained,
        "ratio": _ratio(trained, cadres),
        "by_category": [
            {
                "category": c,
                "cadres": by_code[c.code][0],
                "trained": by_code[c.code][1],
                "untrained": [],
                "untrained_count": by_code[c.code][0] - by_code[c.code][1],
            }
            for c in categories
        ],
        "children": [
            {
                "region": child,
                "cadres": children[code][0],
                "trained": children[code][1],
                "ratio": _ratio(children[code][1], children[code][0]),
            }
            for code, child in regions.items()
        ],
    }


def session_list(*, actor: Any, region: Region, year: int) -> QuerySet[TrainingSession]:
    """Sessions of ``year`` the reader sees, organised in ``region``'s subtree or above it
    (a township's session is open to its villages' cadres), with the attendance count the
    reader may see (their own subtree's cadres)."""
    code = scope_code(actor) or "\x00"
    return (
        TrainingSession.objects.visible_to(actor)
        .filter(
            subtree_q(region.code, "region__code") | Q(region__code__in=ancestor_codes(region.code))
        )
        .filter(starts_on__year=year)
        .select_related("region", "course")
        .annotate(
            attended=Count(
                "attendance", filter=subtree_q(code, "attendance__position__village__code")
            )
        )
        .order_by("-starts_on", "-pk")
    )


def order_list(*, actor: Any, region: Region, year: int) -> QuerySet[CourseOrder]:
    """Course orders (点单) and assignments (配菜) of ``year`` for the villages under ``region``."""
    return (
        CourseOrder.objects.visible_to(actor)
        .filter(subtree_q(region.code, "village__code"), year=year)
        .select_related("village", "course", "session")
        .order_by("village__code", "course__code")
    )


@dataclass
class SheetRow:
    """One cadre on a session's attendance sheet, with what is already recorded for them."""

    position: CadrePosition
    attendance: Attendance | None


def attendance_sheet(*, actor: Any, session: TrainingSession) -> list[SheetRow]:
    """The cadres the reader may record attendance for at ``session``: in post on its dates,
    in the reader's own villages under the session's region (two queries)."""
    positions = (
        CadrePosition.objects.writable_by(actor, "change")
        .filter(subtree_q(session.region.code, "village__code"))
        .filter(held_on(session.ends_on) | held_on(session.starts_on))
        .select_related("person", "village")
    )
    rows = sorted(
        positions, key=lambda p: (p.village.code, POST_ORDER.get(p.post, 99), p.person.name)
    )
    recorded = {
        a.position_id: a
        for a in Attendance.objects.filter(session=session, position__in=[p.pk for p in rows])
    }
    return [SheetRow(position=p, attendance=recorded.get(p.pk)) for p in rows]


def attendance_recorded(*, actor: Any, session: TrainingSession) -> QuerySet[Attendance]:
    """Attendance at ``session`` the reader sees (their own subtree's cadres)."""
    return (
        Attendance.objects.visible_to(actor)
        .filter(session=session)
        .select_related("position__person", "position__village")
        .order_by("position__village__code", "position__person__name")
    )
