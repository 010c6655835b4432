"""Reads of party building, always for a region's subtree (the caller checks the reader may see
the region; lists of people also pass through ``visible_to``).

Per-village figures are gathered in a fixed handful of queries whatever the region's size and
then added up by child region for the drill-down tables, so a city dashboard costs the same
number of queries as a village's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Case, Count, Q, QuerySet, Value, When
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
    VILLAGE_KINDS,
    Attendance,
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
    TalentProgress,
)
from zhenxing.party.policy import earliest_step, policies_cached, talk_deadline
from zhenxing.party.rules import add_months, age_on
from zhenxing.party.services.cadres import held_on
from zhenxing.registry import selectors as registry_selectors

Row = TypeVar("Row")

#: A reserve candidate still in the pool (one who "achieved" has taken up the post).
IN_POOL = (TalentProgress.IDENTIFIED, TalentProgress.CULTIVATING)


def villages_under(region: Region) -> Any:
    return Region.objects.filter(subtree_q(region.code), kind__in=VILLAGE_LEVEL)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's figures are read on: today for the current year, else 31 December."""
    today = today or timezone.localdate()
    return min(today, dt.date(year, 12, 31))


@dataclass
class VillageParty:
    """One village's party-building figures."""

    village_id: int
    code: str
    name: str
    has_organization: bool = False
    one_shoulder: bool = False
    has_secretary: bool = False
    reserve_secretaries: int = 0
    reserves: int = 0
    entrepreneurs: int = 0
    secretary_source: str = ""
    cadres: set[int] = field(default_factory=set)
    trained: set[int] = field(default_factory=set)


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
    # Persons, so one who holds posts in two villages counts once in a township's total.
    cadre_ids: set[int] = field(default_factory=set)
    trained_ids: set[int] = field(default_factory=set)

    @property
    def cadres(self) -> int:
        return len(self.cadre_ids)

    @property
    def trained(self) -> int:
        return len(self.trained_ids)

    @property
    def one_shoulder_ratio(self) -> float:
        return self.one_shoulder / self.villages if self.villages else 0.0

    @property
    def training_ratio(self) -> float:
        return self.trained / self.cadres if self.cadres else 0.0


def village_figures(
    *, region: Region, year: int, today: dt.date | None = None
) -> list[VillageParty]:
    """Every village under ``region`` with its organisation, 一肩挑, reserve and training
    figures for ``year`` (six queries)."""
    day = as_of(year, today)
    first, last = year_bounds(year)
    villages = {
        pk: VillageParty(pk, code, name)
        for pk, code, name in villages_under(region)
        .order_by("code")
        .values_list("pk", "code", "name")
    }
    for pk in PartyOrganization.objects.filter(
        subtree_q(region.code, "region__code"), kind__in=VILLAGE_KINDS
    ).values_list("region_id", flat=True):
        if pk in villages:
            villages[pk].has_organization = True
    heads: dict[int, dict[str, int]] = defaultdict(dict)
    for village_id, post, person_id, source in (
        CadrePosition.objects.filter(
            held_on(day),
            subtree_q(region.code, "village__code"),
            post__in=(Post.PARTY_SECRETARY, Post.DIRECTOR),
        )
        .values_list("village_id", "post", "person_id", "source")
        .order_by()
    ):
        heads[village_id][post] = person_id
        if post == Post.PARTY_SECRETARY and village_id in villages:
            villages[village_id].secretary_source = source or SecretarySource.OTHER
    for village_id, held in heads.items():
        if village_id in villages:
            row = villages[village_id]
            row.has_secretary = Post.PARTY_SECRETARY in held
            row.one_shoulder = row.has_secretary and held.get(Post.PARTY_SECRETARY) == held.get(
                Post.DIRECTOR
            )
    talent = (
        ReserveTalent.objects.filter(subtree_q(region.code, "village__code"))
        .values("village_id")
        .annotate(
            # Candidates still in the pool: one who "achieved" has taken up the post.
            secretaries=Count(
                "pk", filter=Q(reserve_for=Post.PARTY_SECRETARY, progress__in=IN_POOL)
            ),
            # People, not pool entries (one person may be on both tracks); cultivating one
            # successfully still counts for the village's batch.
            entrepreneurs=Count(
                "person", distinct=True, filter=Q(source=SecretarySource.ENTREPRENEUR)
            ),
            # People in the pool now, on either track ("双培养").
            reserves=Count("person", distinct=True, filter=Q(progress__in=IN_POOL)),
        )
        .order_by()
    )
    for counted in talent:
        if counted["village_id"] in villages:
            villages[counted["village_id"]].reserve_secretaries = counted["secretaries"]
            villages[counted["village_id"]].entrepreneurs = counted["entrepreneurs"]
            villages[counted["village_id"]].reserves = counted["reserves"]
    # Training, as training_selectors.training_coverage counts it: the cadres in post on the
    # day the year is read on, trained at any session of the year, wherever it was recorded.
    in_post = CadrePosition.objects.filter(subtree_q(region.code, "village__code"), held_on(day))
    for village_id, person_id in in_post.values_list("village_id", "person_id").order_by():
        if village_id in villages:
            villages[village_id].cadres.add(person_id)
    attended = Attendance.objects.filter(
        session__cancelled=False, session__starts_on__range=(first, last)
    )
    if region.kind != RegionKind.COUNTY:
        # A township's or village's few cadres are named; for the whole city (or a province)
        # the year's attendance is read as it is (cheaper than a semi-join on a province's
        # 130,000 posts): only the cadres in post below are intersected with it.
        attended = attended.filter(position__person__in=in_post.values("person"))
    trained = set(attended.order_by().values_list("position__person_id", flat=True).distinct())
    for row in villages.values():
        row.trained = row.cadres & trained
    return list(villages.values())


def members_by_place(region: Region) -> dict[str, Counter[str]]:
    """Pipeline counts per stage, by the code of the region each organisation is attached to."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for code, stage, n in (
        PartyMember.objects.filter(subtree_q(region.code, "organization__region__code"))
        .values_list("organization__region__code", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[code][stage] += n
    return counts


def organizations_by_place(region: Region) -> Counter[str]:
    return Counter(
        dict(
            PartyOrganization.objects.filter(subtree_q(region.code, "region__code"))
            .values_list("region__code")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )


def _child_areas(region: Region) -> Any:
    """``(code, name, kind)`` of the regions directly under ``region`` that a rollup has a row
    for (villager groups are not areas), in code order."""
    return (
        Region.objects.filter(parent=region)
        .exclude(kind=RegionKind.GROUP)
        .order_by("code")
        .values_list("code", "name", "kind")
    )


def _row_under(rows: dict[str, Row]) -> Callable[[str], Row | None]:
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
    row_for = _row_under(rows)

    for code, n in organizations_by_place(region).items():
        if (row := row_for(code)) is not None:
            row.organizations += n
    for code, stages in members_by_place(region).items():
        if (row := row_for(code)) is not None:
            row.members += sum(stages[s] for s in MEMBER_STAGES)
    return [row for row in rows.values() if row.organizations]


def rollup(
    *, region: Region, year: int, today: dt.date | None = None
) -> tuple[PartyRollup, list[PartyRollup]]:
    """The region's own totals and one row per child region (townships under a city, villages
    under a township; a village has a single row, itself)."""
    figures = village_figures(region=region, year=year, today=today)
    members = members_by_place(region)
    organizations = organizations_by_place(region)
    goal = party_policy.policy_int(party_policy.ENTREPRENEURS_PER_VILLAGE, year)
    if region.kind in VILLAGE_LEVEL:
        children = [(region.code, region.name, region.kind)]
    else:
        children = list(_child_areas(region))
    total = PartyRollup(region.code, region.name, region.kind)
    rows = {code: PartyRollup(code, name, kind) for code, name, kind in children}
    row_for = _row_under(rows)

    for f in figures:
        for line in (total, row_for(f.code)):
            if line is None:
                continue
            line.villages += 1
            line.one_shoulder += f.one_shoulder
            if not f.reserve_secretaries:
                line.without_reserve_secretary.append(f.name)
            line.entrepreneurs += f.entrepreneurs
            line.reserves += f.reserves
            if f.has_secretary:
                line.secretary_sources[f.secretary_source] += 1
            line.villages_short_of_entrepreneurs += f.entrepreneurs < goal
            line.cadre_ids |= f.cadres
            line.trained_ids |= f.trained
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
        # The rollup counts training as training_selectors.training_coverage does (cadres in
        # post on the day read, by person): read once here, not a second time.
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
    member: PartyMember
    kind: str
    due: dt.date
    overdue_days: int
    note: str = ""

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def pipeline_worklist(
    *, actor: Any, region: Region, today: dt.date | None = None
) -> list[WorkItem]:
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
    talks = members.filter(stage=Stage.APPLICANT, talked_on__isnull=True).count()

    def by_day(stage: str, column: str) -> Any:
        # Members counted per date (a few thousand dates, not a province's 100,000 members),
        # each date's due day computed once by the policy in force that year.
        return (
            members.filter(stage=stage, **{f"{column}__isnull": False})
            .values_list(column)
            .annotate(n=Count("pk"))
            .order_by()
        )

    soon = add_months(today, 1)
    with policies_cached():
        ready = sum(
            n
            for day, n in by_day(Stage.ACTIVIST, "activist_on")
            if earliest_step(Stage.TARGET, previous=day) <= today
        )
        converting = sum(
            n
            for day, n in by_day(Stage.PROBATIONARY, "probationary_on")
            if earliest_step(Stage.FULL, previous=day) <= soon
        )
    exceptions = (
        PipelineException.objects.visible_to(actor)
        .filter(subtree_q(region.code, "member__organization__region__code"))
        .count()
    )
    return talks + ready + converting + exceptions


def _worklist(*, actor: Any, region: Region, today: dt.date) -> list[WorkItem]:
    members = (
        PartyMember.objects.visible_to(actor)
        .filter(subtree_q(region.code, "organization__region__code"))
        .select_related("person", "organization")
        # What an item shows: a province's thousands of items as full person rows (encrypted
        # numbers and all) were most of the page's time.
        .only(
            "pk",
            "stage",
            "applied_on",
            "activist_on",
            "probationary_on",
            "person__name",
            "organization__name",
        )
    )
    items: list[WorkItem] = []
    for member in members.filter(stage=Stage.APPLICANT, talked_on__isnull=True):
        due = talk_deadline(member.applied_on)
        kind = WorkKind.TALK_OVERDUE if due < today else WorkKind.TALK_DUE
        items.append(WorkItem(member, kind, due, (today - due).days))
    for member in members.filter(stage=Stage.ACTIVIST, activist_on__isnull=False):
        due = earliest_step(Stage.TARGET, previous=member.activist_on)  # type: ignore[arg-type]
        if due <= today:
            items.append(WorkItem(member, WorkKind.READY_FOR_DEVELOPMENT, due, 0))
    for member in members.filter(stage=Stage.PROBATIONARY, probationary_on__isnull=False):
        due = earliest_step(Stage.FULL, previous=member.probationary_on)  # type: ignore[arg-type]
        if due < today:
            items.append(WorkItem(member, WorkKind.CONVERSION_OVERDUE, due, (today - due).days))
        elif due <= add_months(today, 1):
            items.append(WorkItem(member, WorkKind.CONVERSION_DUE, due, 0))
    for exception in (
        PipelineException.objects.visible_to(actor)
        .filter(subtree_q(region.code, "member__organization__region__code"))
        .select_related("member__person", "member__organization", "approved_by")
    ):
        items.append(
            WorkItem(
                exception.member,
                WorkKind.TOO_EARLY,
                timezone.localdate(exception.approved_at),
                0,
                note=f"{exception.get_stage_display()}: {exception.reason}",
            )
        )
    order = list(WORK_LABELS)
    items.sort(key=lambda i: (not i.overdue, -i.overdue_days, order.index(i.kind), i.due))
    return items


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


def readiness_by_area(
    rows: list[Readiness], *, region: Region, today: dt.date | None = None
) -> list[AreaReadiness]:
    """``rows`` (per village, from ``election_readiness``) summed per child area of ``region``
    (its townships): persons counted once per area, ages averaged over persons."""
    today = today or timezone.localdate()
    areas = {a.code: AreaReadiness(a) for a in region.children.order_by("code")}
    people: dict[str, dict[int, Any]] = defaultdict(dict)
    width = len(next(iter(areas))) if areas else 0
    for row in rows:
        area = areas.get(row.village.code[:width])
        if area is None:
            continue
        area.villages += 1
        area.cadres += len(row.cadres)
        area.one_shoulder += row.one_shoulder
        area.without_reserve_secretary += not row.has_reserve_secretary
        if row.term_ends_on and (area.term_ends_on is None or row.term_ends_on < area.term_ends_on):
            area.term_ends_on = row.term_ends_on
        people[area.area.code].update({c.person_id: c.person for c in row.cadres})
    for code, persons in people.items():
        area = areas[code]
        ages = [age_on(p.birth_date, today) for p in persons.values()]
        area.average_age = sum(ages) / len(ages) if ages else 0.0
        area.over_60 = sum(a > 60 for a in ages)
        area.women = sum(p.sex == "F" for p in persons.values())
        area.college = sum(p.education == "college" for p in persons.values())
    return [a for a in areas.values() if a.villages]


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
