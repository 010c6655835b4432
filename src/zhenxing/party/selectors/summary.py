"""Reads of party building, always for a region's subtree (the caller checks the reader may see
the region; lists of people also pass through ``visible_to``).

Per-village figures are gathered in a fixed handful of queries whatever the region's size and
then added up by child region for the drill-down tables, so a city dashboard costs the same
number of queries as a village's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar, overload

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.scoping import subtree_q
from zhenxing.economy import selectors as economy_selectors
from zhenxing.party import policy as party_policy
from zhenxing.party.models import (
    MEMBER_STAGES,
    STAGE_ORDER,
    TWO_COMMITTEE_POSTS,
    CadrePosition,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
    PipelineException,
    Post,
    ReserveTalent,
    SecretarySource,
    SocialOrganization,
    Stage,
)
from zhenxing.party.policy import earliest_step, policies_cached, talk_deadline
from zhenxing.party.rules import add_months, age_on
from zhenxing.party.services import figures as figures_service
from zhenxing.party.services.cadres import held_on
from zhenxing.party.services.figures import IN_POOL, VillageFigures
from zhenxing.registry import selectors as registry_selectors

Row = TypeVar("Row")


def villages_under(region: Region) -> Any:
    return Region.objects.filter(subtree_q(region.code), kind__in=VILLAGE_LEVEL)


class VillageParty(NamedTuple):
    """One village, with its row of the summary table."""

    village_id: int
    code: str
    name: str
    figures: VillageFigures


@dataclass
class PartyRollup:
    """Figures for one row of a drill-down table: a township, or a village."""

    code: str
    name: str
    kind: str
    villages: int = 0
    organizations: int = 0
    members: int = 0
    pipeline: Counter[str] = field(default_factory=Counter)
    one_shoulder: int = 0
    without_reserve_secretary: list[str] = field(default_factory=list)
    reserves: int = 0
    entrepreneurs: int = 0
    villages_short_of_entrepreneurs: int = 0
    secretary_sources: Counter[str] = field(default_factory=Counter)
    # The villages' own counts added up (``party.services.figures``).
    cadres: int = 0
    trained: int = 0

    @property
    def one_shoulder_ratio(self) -> float:
        return self.one_shoulder / self.villages if self.villages else 0.0

    @property
    def training_ratio(self) -> float:
        return self.trained / self.cadres if self.cadres else 0.0


def village_figures(
    *,
    region: Region,
    year: int,
    today: dt.date | None = None,
    categories: bool = False,
    committee: bool = False,
) -> list[VillageParty]:
    """Every village under ``region`` with its organisation, 一肩挑, reserve and training
    figures for ``year``, in code order, from the summary table (two queries when its rows are
    current; ``party.services.figures`` works out the others). ``categories``: with the
    cadres and trained per trainee category; ``committee``: with the two committees'
    members."""
    villages = list(villages_under(region).order_by("code").values_list("pk", "code", "name"))
    rows = figures_service.village_rows(
        region=region,
        year=year,
        today=today,
        categories=categories,
        committee=committee,
        villages=[pk for pk, _c, _n in villages],
    )
    return [VillageParty(pk, code, name, rows[pk]) for pk, code, name in villages]


def _place(path: str, width: int | None) -> Any:
    """The code a count is grouped by: the region's own, or its first ``width`` characters (a
    child area's code, when the areas are all one length): a province's counts come back per
    township, not per village."""
    return F(path) if width is None else Substr(path, 1, width)


def members_by_place(region: Region, width: int | None = None) -> dict[str, Counter[str]]:
    """Pipeline counts per stage, by the code of the region each organisation is attached to
    (or its first ``width`` characters)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for code, stage, n in (
        PartyMember.objects.filter(subtree_q(region.code, "organization__region__code"))
        .annotate(place=_place("organization__region__code", width))
        .values_list("place", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[code][stage] += n
    return counts


def organizations_by_place(region: Region, width: int | None = None) -> Counter[str]:
    return Counter(
        dict(
            PartyOrganization.objects.filter(subtree_q(region.code, "region__code"))
            .annotate(place=_place("region__code", width))
            .values_list("place")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )


def _one_width(codes: Iterable[str]) -> int | None:
    """The length of ``codes`` when they all have one (a city's townships), else None."""
    lengths = {len(code) for code in codes}
    return lengths.pop() if len(lengths) == 1 else None


def _child_areas(region: Region) -> Any:
    """``(code, name, kind)`` of the regions directly under ``region`` that a rollup has a row
    for (villager groups are not areas), in code order."""
    return (
        Region.objects.filter(parent=region)
        .exclude(kind=RegionKind.GROUP)
        .order_by("code")
        .values_list("code", "name", "kind")
    )


def row_under(rows: dict[str, Row]) -> Callable[[str], Row | None]:
    """The row (keyed by a child region's code) that a code under it falls in: its prefix of
    one of the rows' code lengths. A city's children are all townships, one length: one
    dictionary lookup per code, which a province's 15,000 villages make 45,000 times."""
    lengths = sorted({len(code) for code in rows})
    if len(lengths) == 1:
        width = lengths[0]
        return lambda code: rows.get(code[:width])

    def row_for(code: str) -> Row | None:
        for width in lengths:
            if (row := rows.get(code[:width])) is not None:
                return row
        return None

    return row_for


@dataclass
class AreaOrganizations:
    """One child area's party organisations and members (the tree page above its limit)."""

    code: str
    name: str
    organizations: int = 0
    members: int = 0


def organizations_by_area(region: Region) -> list[AreaOrganizations]:
    """Organisations and members (probationary and full) per child region of ``region``, from
    the two grouped counts by place (a province's tree is tens of thousands of rows)."""
    rows = {code: AreaOrganizations(code, name) for code, name, _kind in _child_areas(region)}
    row_for = row_under(rows)
    width = _one_width(rows)
    for code, n in organizations_by_place(region, width).items():
        if (row := row_for(code)) is not None:
            row.organizations += n
    for code, stages in members_by_place(region, width).items():
        if (row := row_for(code)) is not None:
            row.members += sum(stages[s] for s in MEMBER_STAGES)
    return [row for row in rows.values() if row.organizations]


def rollup(
    *, region: Region, year: int, today: dt.date | None = None
) -> tuple[PartyRollup, list[PartyRollup]]:
    """The region's own totals and one row per child region (townships under a city, villages
    under a township; a village has a single row, itself)."""
    figures = village_figures(region=region, year=year, today=today)
    goal = party_policy.policy_int(party_policy.ENTREPRENEURS_PER_VILLAGE, year)
    if region.kind in VILLAGE_LEVEL:
        children = [(region.code, region.name, region.kind)]
    else:
        children = list(_child_areas(region))
    total = PartyRollup(region.code, region.name, region.kind)
    rows = {code: PartyRollup(code, name, kind) for code, name, kind in children}
    row_for = row_under(rows)
    width = _one_width(rows)
    members = members_by_place(region, width)
    organizations = organizations_by_place(region, width)

    for village in figures:
        f = village.figures
        for line in (total, row_for(village.code)):
            if line is None:
                continue
            line.villages += 1
            line.one_shoulder += f.one_shoulder
            if not f.reserve_secretaries:
                line.without_reserve_secretary.append(village.name)
            line.entrepreneurs += f.entrepreneurs
            line.reserves += f.reserves
            if f.has_secretary:
                line.secretary_sources[f.secretary_source] += 1
            line.villages_short_of_entrepreneurs += f.entrepreneurs < goal
            line.cadres += f.cadres
            line.trained += f.trained
    for code, stages in members.items():
        for line in (total, row_for(code)):
            if line is not None:
                line.pipeline.update(stages)
                line.members += sum(stages[s] for s in MEMBER_STAGES)
    for code, n in organizations.items():
        for line in (total, row_for(code)):
            if line is not None:
                line.organizations += n
    return total, list(rows.values())


def joint_committees(region: Region) -> Any:
    """Joint-village committees covering any village under ``region`` (one may cross into a
    neighbouring township)."""
    return PartyOrganization.objects.filter(
        kind=OrganizationKind.JOINT_COMMITTEE, villages__in=villages_under(region)
    ).distinct()


def party_summary(
    *, region: Region, year: int, today: dt.date | None = None, total: PartyRollup | None = None
) -> dict[str, Any]:
    """The figures of ``/api/v1/party/summary`` and the dashboard's cards (``total``: the
    region's rollup when the caller has it already)."""
    if total is None:
        total, _rows = rollup(region=region, year=year, today=today)
    joint = list(joint_committees(region).values_list("region__code", flat=True))
    outside = sum(not code.startswith(region.code) for code in joint)
    return {
        "region": region.code,
        "year": year,
        "villages": total.villages,
        "joint_committees": len(joint),
        "organizations": total.organizations + outside,
        "members": total.members,
        "pipeline": {stage: total.pipeline.get(stage, 0) for stage in STAGE_ORDER},
        "one_shoulder_ratio": round(total.one_shoulder_ratio, 4),
        "one_shoulder_target": party_policy.policy_int(party_policy.ONE_SHOULDER_TARGET, year)
        / 100,
        "villages_without_reserve_secretary": len(total.without_reserve_secretary),
        "entrepreneurs": total.entrepreneurs,
        "villages_short_of_entrepreneurs": total.villages_short_of_entrepreneurs,
        "reserve_talent": total.reserves,
        "secretary_sources": {
            source: total.secretary_sources.get(source, 0) for source in SecretarySource.values
        },
        # The rollup counts training as the coverage report above the township does (the
        # villages' cadres in post on the day read, and trained, added up): read once here.
        "training_coverage": round(total.training_ratio, 4),
        "cadres": total.cadres,
        "cadres_trained": total.trained,
    }


# --- the pipeline worklist ----------------------------------------------------------------


class WorkKind:
    TALK_OVERDUE = "talk_overdue"
    TALK_DUE = "talk_due"
    READY_FOR_DEVELOPMENT = "ready_for_development"
    CONVERSION_OVERDUE = "conversion_overdue"
    CONVERSION_DUE = "conversion_due"
    TOO_EARLY = "too_early"


WORK_LABELS = {
    WorkKind.TALK_OVERDUE: _("Talk overdue"),
    WorkKind.TALK_DUE: _("Talk due"),
    WorkKind.READY_FOR_DEVELOPMENT: _("Ready to become a development target"),
    WorkKind.CONVERSION_OVERDUE: _("Conversion to full membership overdue"),
    WorkKind.CONVERSION_DUE: _("Conversion due within a month"),
    WorkKind.TOO_EARLY: _("Step taken early by exception"),
}


@dataclass
class WorkItem:
    """One thing the pipeline asks for. ``member`` (with its person's name and organisation) is
    read only for the items shown: see :class:`Worklist`."""

    member_id: int
    kind: str
    due: dt.date
    overdue_days: int
    note: str = ""
    member: Any = None

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


class Worklist(Sequence[WorkItem]):
    """The worklist in its order, reading its members only for the items taken from it (a
    slice, as a paginator takes a page, or an iteration, in chunks): a province's thousands of
    items as members with their persons and organisations were most of the page's time."""

    CHUNK = 500

    def __init__(self, items: list[WorkItem]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> WorkItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[WorkItem]: ...

    def __getitem__(self, index: int | slice) -> WorkItem | list[WorkItem]:
        if isinstance(index, slice):
            return _with_members(self._items[index])
        return _with_members([self._items[index]])[0]

    def __iter__(self) -> Iterator[WorkItem]:
        for start in range(0, len(self._items), self.CHUNK):
            yield from _with_members(self._items[start : start + self.CHUNK])

    def __eq__(self, other: object) -> bool:
        # A list of the same items is the same worklist (``worklist == []`` reads as it says).
        if isinstance(other, Worklist):
            return self._items == other._items
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def of_kind(self, kind: str) -> Worklist:
        return Worklist([i for i in self._items if i.kind == kind]) if kind else self

    @property
    def overdue(self) -> int:
        return sum(i.overdue for i in self._items)


def _with_members(items: list[WorkItem]) -> list[WorkItem]:
    """``items`` with their members read (one query; the items were scoped when listed)."""
    missing = {i.member_id for i in items if i.member is None}
    if missing:
        members = PartyMember.objects.filter(pk__in=missing).select_related(
            "person", "organization"
        )
        found = {
            m.pk: m
            for m in members.only(
                "pk", "stage", "person__name", "organization__name", "organization__region_id"
            )
        }
        for item in items:
            if item.member is None:
                item.member = found.get(item.member_id)
    return items


def pipeline_worklist(*, actor: Any, region: Region, today: dt.date | None = None) -> Worklist:
    """What the pipeline asks of the region's organisations now: overdue talks and conversions
    first (most overdue on top), then what is due, then steps taken early by exception."""
    with policies_cached():
        return _worklist(actor=actor, region=region, today=today or timezone.localdate())


def pipeline_worklist_size(*, actor: Any, region: Region, today: dt.date | None = None) -> int:
    """How many items ``pipeline_worklist`` holds, by its own rules, over the few date columns
    they read (the dashboard shows the count and links to the list): building every item, with
    its member and person, took a third of the city dashboard's time."""
    today = today or timezone.localdate()
    members = PartyMember.objects.visible_to(actor).filter(
        subtree_q(region.code, "organization__region__code")
    )
    soon = add_months(today, 1)
    talks = ready = converting = 0
    # One pass over the members in the three stages, counted per date (a few thousand dates,
    # not a province's 100,000 members), each date's due day computed once by the policy in
    # force that year.
    with policies_cached():
        for stage, activist_on, probationary_on, n in (
            members.filter(
                Q(stage=Stage.APPLICANT, talked_on__isnull=True)
                | Q(stage=Stage.ACTIVIST, activist_on__isnull=False)
                | Q(stage=Stage.PROBATIONARY, probationary_on__isnull=False)
            )
            .values_list("stage", "activist_on", "probationary_on")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            if stage == Stage.APPLICANT:
                talks += n
            elif stage == Stage.ACTIVIST:
                ready += n if earliest_step(Stage.TARGET, previous=activist_on) <= today else 0
            elif earliest_step(Stage.FULL, previous=probationary_on) <= soon:
                converting += n
    exceptions = (
        PipelineException.objects.visible_to(actor)
        .filter(subtree_q(region.code, "member__organization__region__code"))
        .count()
    )
    return talks + ready + converting + exceptions


def _worklist(*, actor: Any, region: Region, today: dt.date) -> Worklist:
    # Two date columns per member, not members: the items are ordered by their due dates, and
    # only the page shown reads its members (``Worklist``).
    members = PartyMember.objects.visible_to(actor).filter(
        subtree_q(region.code, "organization__region__code")
    )

    def dated(stage: str, column: str, **more: Any) -> Any:
        return (
            members.filter(stage=stage, **{f"{column}__isnull": False}, **more)
            .values_list("pk", column)
            .order_by()
        )

    items: list[WorkItem] = []
    for pk, applied in dated(Stage.APPLICANT, "applied_on", talked_on__isnull=True):
        due = talk_deadline(applied)
        kind = WorkKind.TALK_OVERDUE if due < today else WorkKind.TALK_DUE
        items.append(WorkItem(pk, kind, due, (today - due).days))
    for pk, day in dated(Stage.ACTIVIST, "activist_on"):
        due = earliest_step(Stage.TARGET, previous=day)
        if due <= today:
            items.append(WorkItem(pk, WorkKind.READY_FOR_DEVELOPMENT, due, 0))
    soon = add_months(today, 1)
    for pk, day in dated(Stage.PROBATIONARY, "probationary_on"):
        due = earliest_step(Stage.FULL, previous=day)
        if due < today:
            items.append(WorkItem(pk, WorkKind.CONVERSION_OVERDUE, due, (today - due).days))
        elif due <= soon:
            items.append(WorkItem(pk, WorkKind.CONVERSION_DUE, due, 0))
    for exception in (
        PipelineException.objects.visible_to(actor)
        .filter(subtree_q(region.code, "member__organization__region__code"))
        .select_related("member__person", "member__organization", "approved_by")
    ):
        items.append(
            WorkItem(
                exception.member_id,
                WorkKind.TOO_EARLY,
                timezone.localdate(exception.approved_at),
                0,
                note=f"{exception.get_stage_display()}: {exception.reason}",
                member=exception.member,
            )
        )
    order = {kind: i for i, kind in enumerate(WORK_LABELS)}
    items.sort(key=lambda i: (not i.overdue, -i.overdue_days, order[i.kind], i.due, i.member_id))
    return Worklist(items)


# --- structure of the roll ------------------------------------------------------------------

AGE_BANDS = ((35, "≤35"), (45, "36–45"), (55, "46–55"), (60, "56–60"), (200, ">60"))


def _born_by(day: dt.date, years: int) -> dt.date:
    """The latest birth date of someone ``years`` old or more on ``day`` (``age_on``'s
    reading: born on 29 February, a person turns a year older on 1 March of common years)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, and that year has none
        return dt.date(day.year - years, 2, 28)


def member_structure(*, members: Any, today: dt.date | None = None) -> dict[str, dict[str, int]]:
    """Members (probationary and full) by sex, age band, education and ethnic group (plain
    dicts: a template looking up ``.items`` on a Counter would get a count of zero; the most
    frequent first, age bands in order).

    Counted by the database in one grouped query (each member's age band a CASE on the birth
    date): the city's roll is tens of thousands of members, and reading each one's row into
    Python took most of the city dashboard's time."""
    today = today or timezone.localdate()
    band = Case(
        *(
            When(person__birth_date__gt=_born_by(today, limit + 1), then=Value(label))
            for limit, label in AGE_BANDS[:-1]
        ),
        default=Value(AGE_BANDS[-1][1]),
    )
    out: dict[str, Counter[str]] = {
        "sex": Counter(),
        "age": Counter({label: 0 for _l, label in AGE_BANDS}),
        "education": Counter(),
        "ethnicity": Counter(),
    }
    # Grouped by the ethnic group's key and named after (56 rows): one join fewer over a
    # province's 130,000 members.
    names = registry_selectors.ethnicity_names()
    for sex, age, education, ethnicity, n in (
        members.filter(stage__in=MEMBER_STAGES)
        .annotate(band=band)
        .values_list("person__sex", "band", "person__education", "person__ethnicity_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        out["sex"][sex] += n
        out["age"][age] += n
        out["education"][education or ""] += n
        out["ethnicity"][names.get(ethnicity, "")] += n
    return {
        dimension: dict(counts if dimension == "age" else counts.most_common())
        for dimension, counts in out.items()
    }


# --- two committees and election readiness ------------------------------------------------


@dataclass(slots=True)
class VillageRef:
    """What a readiness row shows of its village."""

    pk: int
    code: str
    name: str


@dataclass(slots=True)
class Holder:
    """What a readiness row shows of a cadre in post."""

    name: str
    sex: str
    birth_date: dt.date
    education: str


@dataclass(slots=True)
class PostHeld:
    """A two-committee post held today, read as plain values: a province's 60,000 posts as
    model instances (with their persons) were most of the readiness page's time."""

    pk: int
    village_id: int
    post: str
    source: str
    started_on: dt.date
    term_ends_on: dt.date
    person_id: int
    person: Holder

    def get_post_display(self) -> str:
        return str(POST_LABELS.get(self.post, self.post))

    def get_source_display(self) -> str:
        return str(SOURCE_LABELS.get(self.source, self.source))


POST_LABELS = dict(Post.choices)
SOURCE_LABELS = dict(SecretarySource.choices)


@dataclass
class Readiness:
    """A village's readiness for the next change of term (换届)."""

    village: VillageRef
    cadres: list[PostHeld] = field(default_factory=list)
    reserves: Counter[str] = field(default_factory=Counter)
    average_age: float = 0.0
    women: int = 0
    college: int = 0
    over_60: int = 0
    term_ends_on: dt.date | None = None

    @property
    def one_shoulder(self) -> bool:
        holders = {c.post: c.person_id for c in self.cadres}
        return Post.PARTY_SECRETARY in holders and holders.get(Post.PARTY_SECRETARY) == holders.get(
            Post.DIRECTOR
        )

    @property
    def has_reserve_secretary(self) -> bool:
        return self.reserves[Post.PARTY_SECRETARY] > 0


def election_readiness(*, region: Region, today: dt.date | None = None) -> list[Readiness]:
    """Per village: the two committees in post today (age, sex and education structure, when the
    term ends) and the reserve candidates per post (three queries, read as plain values)."""
    today = today or timezone.localdate()
    out = {
        pk: Readiness(VillageRef(pk, code, name))
        for pk, code, name in villages_under(region)
        .order_by("code")
        .values_list("pk", "code", "name")
    }
    for pk, village_id, post, source, started, ends, person_id, name, sex, born, edu in (
        CadrePosition.objects.filter(
            held_on(today), subtree_q(region.code, "village__code"), post__in=TWO_COMMITTEE_POSTS
        )
        .order_by("village__code", "post")
        .values_list(
            "pk",
            "village_id",
            "post",
            "source",
            "started_on",
            "term_ends_on",
            "person_id",
            "person__name",
            "person__sex",
            "person__birth_date",
            "person__education",
        )
    ):
        if village_id in out:
            out[village_id].cadres.append(
                PostHeld(
                    pk,
                    village_id,
                    post,
                    source,
                    started,
                    ends,
                    person_id,
                    Holder(name, sex, born, edu),
                )
            )
    for village_id, post, n in (
        ReserveTalent.objects.filter(subtree_q(region.code, "village__code"), progress__in=IN_POOL)
        .exclude(reserve_for="")
        .values_list("village_id", "reserve_for")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if village_id in out:
            out[village_id].reserves[post] = n
    for row in out.values():
        people = {c.person_id: c.person for c in row.cadres}.values()
        if people:
            ages = [age_on(p.birth_date, today) for p in people]
            row.average_age = sum(ages) / len(ages)
            row.over_60 = sum(a > 60 for a in ages)
            row.women = sum(p.sex == "F" for p in people)
            row.college = sum(p.education == "college" for p in people)
            row.term_ends_on = min(c.term_ends_on for c in row.cadres)
    return list(out.values())


@dataclass
class AreaReadiness:
    """Readiness summed over the villages of one area (a township, seen from the city): the
    city's page lists its townships, not every village's committee at once."""

    area: Region
    villages: int = 0
    cadres: int = 0
    one_shoulder: int = 0
    average_age: float = 0.0
    women: int = 0
    college: int = 0
    over_60: int = 0
    term_ends_on: dt.date | None = None
    without_reserve_secretary: int = 0


@dataclass
class ReadinessTotals:
    """Readiness above the township: the totals of the page's header and a row per area."""

    villages: int
    one_shoulder: int
    without_reserve_secretary: int
    areas: list[AreaReadiness]


def readiness_above_township(*, region: Region, today: dt.date | None = None) -> ReadinessTotals:
    """Readiness summed per child area of ``region`` (its townships), from the villages' rows
    of the summary table: 一肩挑, the reserve secretaries, the two committees' posts and first
    term end, and their members' age (on ``today``), sex and education, each counted once per
    village. A province's 60,000 posts joined to their persons took more than a second."""
    today = today or timezone.localdate()
    areas = {a.code: AreaReadiness(a) for a in region.children.order_by("code")}
    area_for = row_under(areas)
    totals = ReadinessTotals(0, 0, 0, [])
    people: dict[str, list[list[int]]] = defaultdict(list)
    for village in village_figures(region=region, year=today.year, today=today, committee=True):
        row = village.figures
        totals.villages += 1
        totals.one_shoulder += row.one_shoulder
        totals.without_reserve_secretary += not row.reserve_secretaries
        if (area := area_for(village.code)) is None:
            continue
        area.villages += 1
        area.one_shoulder += row.one_shoulder
        area.without_reserve_secretary += not row.reserve_secretaries
        area.cadres += row.committee_posts
        ends = row.committee_term_ends_on
        if ends is not None and (area.term_ends_on is None or ends < area.term_ends_on):
            area.term_ends_on = ends
        people[area.area.code] += row.committee
    for code, persons in people.items():
        area = areas[code]
        ages = [age_on(dt.date.fromordinal(born), today) for born, _w, _c in persons]
        area.average_age = sum(ages) / len(ages) if ages else 0.0
        area.over_60 = sum(a > 60 for a in ages)
        area.women = sum(woman for _b, woman, _c in persons)
        area.college = sum(college for _b, _w, college in persons)
    totals.areas = [a for a in areas.values() if a.villages]
    return totals


# --- "应建尽建": units with three or more members and no party organisation -------------------


def organization_gaps(*, region: Region, minimum: int = 3) -> list[dict[str, Any]]:
    """Cooperatives, companies and social organisations under ``region`` where ``minimum`` or
    more party members work and no party organisation has been set up."""
    units = (
        ("cooperative", "works_at_cooperative"),
        ("company", "works_at_company"),
        ("social", "works_at_social"),
    )
    gaps: list[dict[str, Any]] = []
    for kind, link in units:
        counts = dict(
            PartyMember.objects.filter(stage__in=MEMBER_STAGES, **{f"{link}__isnull": False})
            .values_list(link)
            .annotate(n=Count("pk"))
            .filter(n__gte=minimum)
            .order_by()
        )
        if not counts:
            continue
        candidates: QuerySet[Any]
        if kind == "social":
            candidates = SocialOrganization.objects.filter(
                subtree_q(region.code, "region__code"), pk__in=counts
            )
        else:  # the economy's units, read through its selectors
            candidates = economy_selectors.units_under(region=region, kind=kind, ids=counts)
        for unit in candidates.filter(party_organizations__isnull=True).order_by("pk"):
            gaps.append({"kind": kind, "unit": unit, "members": counts[unit.pk]})
    return gaps
