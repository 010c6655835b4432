"""The demo city's party building (提升组织力): organisations, members, village cadres, reserve
talent and a year of training over the 451 villages the demo already holds.

Everything is drawn from the registry demo's residents: every member and cadre is a registered,
living adult of the village concerned, so ages, sexes, education and ethnic groups on the
dashboards are the registry's. What is built:

- 29 joint-village party committees (联村党委) over neighbouring villages of a township (the
  smallest townships share one, a border committee crosses two big ones, the biggest are split),
  named after their central village; each village's own branch (党支部), or general branch
  (党总支) / committee (村党委) for the biggest villages, under its joint committee;
- party organisations in some cooperatives, companies and social organisations and the
  刺梨 industry-chain committee, and a few units with three or more member-employees and no
  organisation, so "应建尽建" has something to report;
- members in every stage of the pipeline, dated by the same rules the services enforce (a talk
  within a month, a year as activist, a year of probation, two introducers who were full members
  when the person became a development target); in the demo township a few deliberately overdue
  steps (applicants never talked with, probationary members past their year);
- the two committees for the term that began on 2022-01-01, with 一肩挑 in about half the
  villages (the share varies by township), never two incompatible posts for one person;
- reserve talent on both tracks with mentors: a reserve secretary in most villages but not all
  (three villages of the demo township have none), 致富带头人 around the goal of three;
- the current year's training: villages' orders (点单) and the department's assignments
  (配菜), city and township sessions in every delivery mode, attendance for most cadres, one
  recent session in the demo township with no attendance recorded yet, one session to come.

Rows are written with ``bulk_create`` in one transaction (a failure leaves nothing, and a second
run finds the organisations and adds nothing), with one audit "create" row per object, in bulk,
as the economy demo writes them. Each village's draw depends only on the seed and the village
code, so the same registry gives the same party data on the same day. About 2 s for the demo city
at the default scale on the 2-core development machine.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_rows
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.party.models import (
    MEMBER_STAGES,
    Attendance,
    AttendanceResult,
    CadrePosition,
    Course,
    CourseOrder,
    DeliveryMode,
    FunctionalGroup,
    GroupFunction,
    OrderOrigin,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
    PartyPolicy,
    Post,
    ReserveTalent,
    SecretarySource,
    SocialOrganization,
    Stage,
    TalentProgress,
    TalentTrack,
    TrainingSession,
)
from zhenxing.party.rules import add_months, age_on, policy_value, posts_incompatible
from zhenxing.registry.models import Person, PersonStatus

ACTOR = "demo"
SEED = 2021
JOINT_COMMITTEES = 29
#: Joint committees that cross a township boundary.
CROSSING = 3
#: The term of the two committees the demo shows (the 2021–2022 change of term).
TERM_START = dt.date(2022, 1, 1)
#: 红果街道: the demo logins' township, where the deliberate gaps are.
DEMO_TOWNSHIP = "520281004"
#: Where the two committees sit: villages, and communities (社区) with their residents'
#: committees, which the reports count alongside villages.
PLACES = (RegionKind.VILLAGE, RegionKind.COMMUNITY)
#: Residents drawn from per village (a spread sample of a bigger village's adults).
MAX_RESIDENTS = 240
#: Villages of the demo township left without a reserve candidate for secretary.
WITHOUT_RESERVE_IN_DEMO_TOWNSHIP = 3

T = TypeVar("T")

S = SecretarySource
#: Where secretaries came from (weights): the long-serving cadre and the rich-leading
#: entrepreneur first, then returning migrants, soldiers and graduates.
SECRETARY_SOURCES = (
    (S.LONG_SERVING_CADRE, 30),
    (S.ENTREPRENEUR, 25),
    (S.RETURNING_MIGRANT, 14),
    (S.DEMOBILISED_SOLDIER, 10),
    (S.RETURNING_GRADUATE, 9),
    (S.COLLEGE_OFFICIAL, 5),
    (S.VILLAGE_DOCTOR, 4),
    (S.VILLAGE_TEACHER, 3),
)
#: Sources that need a college or secondary education to be believable.
EDUCATED_SOURCES = {S.RETURNING_GRADUATE, S.COLLEGE_OFFICIAL, S.VILLAGE_DOCTOR, S.VILLAGE_TEACHER}
POOL_SOURCES = (
    (S.ENTREPRENEUR, 30),
    (S.RETURNING_MIGRANT, 22),
    (S.RETURNING_GRADUATE, 16),
    (S.DEMOBILISED_SOLDIER, 12),
    (S.COLLEGE_OFFICIAL, 6),
    (S.VILLAGE_DOCTOR, 7),
    (S.VILLAGE_TEACHER, 7),
)
#: 致富带头人 in each village's pool: around the goal of three, a few villages short of it.
ENTREPRENEUR_COUNTS = (0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 5)

GROUPS = {
    GroupFunction.INDUSTRY: (
        ("刺梨种植", "产业发展党小组", "带动{n}户群众种植刺梨{m}亩，对接收购订单，户均增收{k}元。"),
        ("生态养殖", "养殖技术党小组", "指导{n}户发展生态养殖，推广防疫技术，出栏生猪{m}头。"),
        ("食用菌栽培", "食用菌党小组", "建成食用菌大棚{k}个，带动{n}户务工，采收鲜菇{m}吨。"),
    ),
    GroupFunction.POLICY: (
        ("政策宣讲", "政策宣讲党小组", "开展院坝会宣讲{k}场，覆盖群众{m}人次，解答政策疑问{n}条。"),
    ),
    GroupFunction.GOVERNANCE: (
        (
            "矛盾纠纷调解",
            "乡村治理党小组",
            "调解邻里纠纷{k}起，参与人居环境整治{n}次，清理垃圾{m}吨。",
        ),
    ),
    GroupFunction.SERVICE: (
        (
            "代办服务",
            "为民服务党小组",
            "为留守老人和儿童代办事项{m}件，上门走访{n}户，帮办医保{k}件。",
        ),
    ),
}

CITY_SESSIONS = (
    # (course code, mode, share of the year gone, days, place, trainers)
    ("C01", DeliveryMode.OFFLINE, 0.12, 2, "盘州市委党校", "市委党校 刘建华教授；市农业农村局"),
    ("C05", DeliveryMode.STUDY_VISIT, 0.3, 3, "安顺市平坝区塘约村", "市委组织部；塘约村党总支"),
    (
        "C06",
        DeliveryMode.EXPERT_IN,
        0.45,
        1,
        "盘州市党群服务中心报告厅",
        "贵州大学 农村经济管理专家",
    ),
    ("C07", DeliveryMode.ONLINE, 0.6, 1, "贵州党员干部网络学院（线上）", "省委党校 在线课程"),
    ("C02", DeliveryMode.OFFLINE, 0.74, 1, "盘州市委党校", "市委组织部 组织科"),
    ("C04", DeliveryMode.OFFLINE, 0.88, 1, "盘州市委党校", "市乡村振兴局 攻坚专班"),
)
#: The city's sessions open to every cadre; the others are for secretaries and directors.
CITY_FOR_ALL = ("C01", "C07")


@dataclass(frozen=True)
class Resident:
    """A registered adult of a village, as the demo reads them from the registry."""

    pk: int
    name: str
    sex: str
    birth: dt.date
    education: str
    group_id: int | None


def _weighted_sample(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """``k`` distinct items, each drawn with its weight (Efraimidis–Spirakis keys)."""
    keyed = sorted(
        ((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0), reverse=True
    )
    return [items[i] for _key, i in keyed[:k]]


def _pick(rng: random.Random, pairs: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _years_after(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def _sample(rng: random.Random, items: Sequence[T], k: int) -> list[T]:
    return rng.sample(list(items), min(k, len(items)))


def _men_first(resident: Resident) -> float:
    """Village posts are still mostly held by men: a weight for drawing holders."""
    return 2.5 if resident.sex == "M" else 1.0


def _educated(resident: Resident) -> float:
    return 3.0 if resident.education in ("college", "senior") else 0.5


class _Rules:
    """The pipeline's intervals as ``party.rules`` reads them, with the policy rows read once."""

    def __init__(self) -> None:
        self.months = lru_cache(maxsize=None)(self._months)

    @staticmethod
    def _months(key: str, year: int, default: int) -> int:
        return policy_value(key, year, default)

    def earliest_target(self, activist_on: dt.date) -> dt.date:
        key = PartyPolicy.Key.ACTIVIST_MIN_MONTHS
        return add_months(activist_on, self.months(key, activist_on.year, 12))

    def earliest_full(self, probationary_on: dt.date) -> dt.date:
        key = PartyPolicy.Key.PROBATION_MONTHS
        return add_months(probationary_on, self.months(key, probationary_on.year, 12))

    def talk_deadline(self, applied_on: dt.date) -> dt.date:
        key = PartyPolicy.Key.TALK_WITHIN_MONTHS
        return add_months(applied_on, self.months(key, applied_on.year, 1))


@dataclass
class _Village:
    """One village's draft: its residents, members, posts and pool, before anything is saved."""

    region: Region
    township: Region
    adults: list[Resident]
    rng: random.Random
    org: PartyOrganization | None = None
    used: set[int] = field(default_factory=set)  # residents in the pipeline
    youth: set[int] = field(default_factory=set)  # on the track to membership, not yet in it
    members: list[PartyMember] = field(default_factory=list)
    veterans: list[PartyMember] = field(default_factory=list)
    resident: dict[int, Resident] = field(default_factory=dict)
    posts: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    positions: list[CadrePosition] = field(default_factory=list)
    secretary: Resident | None = None
    talent: list[ReserveTalent] = field(default_factory=list)
    index: int = -1  # a village's place among its township's villages, by code
    population: int = 0  # adults registered (``adults`` holds at most MAX_RESIDENTS of them)

    @property
    def is_village(self) -> bool:
        return self.region.kind == RegionKind.VILLAGE

    def __post_init__(self) -> None:
        self.resident = {r.pk: r for r in self.adults}

    def free(self) -> list[Resident]:
        return [r for r in self.adults if r.pk not in self.used and r.pk not in self.youth]


class _Builder:
    """Draws the whole city's party data in memory, then writes it in bulk."""

    def __init__(self, *, seed: int, today: dt.date, township_code: str) -> None:
        self.seed = seed
        self.today = today
        self.township_code = township_code
        self.rules = _Rules()
        self.term_ends_on = add_months(
            TERM_START,
            12 * policy_value(PartyPolicy.Key.TERM_YEARS, TERM_START.year, 5),
        )
        self.introducers: list[tuple[PartyMember, list[PartyMember]]] = []
        self.extra_members: list[PartyMember] = []
        self.organizations: list[PartyOrganization] = []
        self.villages: list[_Village] = []
        self.by_region: dict[int, _Village] = {}
        self.demo_village: _Village | None = None
        self.joint_committees = 0
        self.members: list[PartyMember] = []
        self.positions: list[CadrePosition] = []
        self.talent: list[ReserveTalent] = []
        self.socials: list[SocialOrganization] = []
        self.groups: list[FunctionalGroup] = []
        self.group_members: list[tuple[FunctionalGroup, list[PartyMember]]] = []
        self.sessions: list[TrainingSession] = []
        self.orders: list[CourseOrder] = []
        self.attendance_rows: list[Attendance] = []

    # -- residents -----------------------------------------------------------------------------

    def load_villages(self) -> None:
        villages = list(
            Region.objects.filter(kind__in=PLACES).select_related("parent").order_by("code")
        )
        adult_birth = _years_after(self.today, -18)
        per_village: dict[int, list[Resident]] = defaultdict(list)
        population: dict[int, int] = {}
        # One query per township: flat memory at the full scale, few round trips at the small.
        for township_id in sorted({v.parent_id for v in villages if v.parent_id}):
            rows = (
                Person.objects.filter(
                    status=PersonStatus.ACTIVE,
                    household__village__parent_id=township_id,
                    household__village__kind__in=PLACES,
                    birth_date__lte=adult_birth,
                )
                .order_by("pk")
                .values_list(
                    "pk",
                    "name",
                    "sex",
                    "birth_date",
                    "education",
                    "household__group_id",
                    "household__village_id",
                )
            )
            here: set[int] = set()
            for pk, name, sex, birth, education, group_id, village_id in rows:
                per_village[village_id].append(
                    Resident(pk, name, sex, birth, education or "", group_id)
                )
                here.add(village_id)
            for village_id in here:
                # Enough residents for the posts and the pipeline at any scale; memory stays
                # flat for the full city's 1.2 million.
                everyone = per_village[village_id]
                population[village_id] = len(everyone)
                if len(everyone) > MAX_RESIDENTS:
                    step = len(everyone) / MAX_RESIDENTS
                    per_village[village_id] = [
                        everyone[int(i * step)] for i in range(MAX_RESIDENTS)
                    ]
        townships: dict[int, Region] = {}
        seen: dict[int, int] = defaultdict(int)
        for region in villages:
            # One object per township, so drafts of the same township compare by identity.
            township = townships.setdefault(region.parent_id, region.parent)  # type: ignore[arg-type]
            rng = random.Random(f"{self.seed}:{region.code}")
            plan = _Village(region, township, per_village.get(region.pk, []), rng)
            plan.population = population.get(region.pk, 0)
            if plan.is_village:
                plan.index = seen[township.pk]
                seen[township.pk] += 1
            self.villages.append(plan)
            self.by_region[region.pk] = plan
        # The demo logins' village: the township's first village by code.
        demo = [v for v in self.villages if v.township.code == self.township_code and v.index == 0]
        self.demo_village = demo[0] if demo else None

    def age(self, resident: Resident, on: dt.date | None = None) -> int:
        return age_on(resident.birth, on or self.today)

    # -- organisations -------------------------------------------------------------------------

    def committee_groups(self) -> list[list[_Village]]:
        """The villages of each joint committee: neighbouring villages (by code) of a township;
        the smallest townships paired, a border committee across two big neighbours, the
        biggest townships split, until there are ``JOINT_COMMITTEES``."""
        by_township: dict[str, list[_Village]] = defaultdict(list)
        for plan in self.villages:
            if plan.is_village:
                by_township[plan.township.code].append(plan)
        groups: list[list[_Village]] = [by_township[code] for code in sorted(by_township)]
        single = [True] * len(groups)  # a group still of one township
        protected = self.township_code
        crossing = 0
        # Pair neighbouring small townships (街道 with a handful of villages each).
        i = 0
        while i + 1 < len(groups) and crossing < CROSSING:
            a, b = groups[i], groups[i + 1]
            small = len(a) <= 8 and len(b) <= 8
            if small and protected not in (a[0].township.code, b[0].township.code):
                groups[i : i + 2] = [a + b]
                single[i : i + 2] = [False]
                crossing += 1
            i += 1
        # Border committees: the last third of a big township with the first third of the next.
        while crossing < CROSSING:
            pairs = [
                (len(groups[j]) + len(groups[j + 1]), j)
                for j in range(len(groups) - 1)
                if single[j]
                and single[j + 1]
                and len(groups[j]) >= 12
                and len(groups[j + 1]) >= 12
                and protected not in (groups[j][0].township.code, groups[j + 1][0].township.code)
            ]
            if not pairs:
                break
            _size, j = max(pairs)
            a, b = groups[j], groups[j + 1]
            cut_a, cut_b = len(a) - len(a) // 3, len(b) // 3
            groups[j : j + 2] = [a[:cut_a], a[cut_a:] + b[:cut_b], b[cut_b:]]
            single[j : j + 2] = [False, False, False]  # neither half is split again
            crossing += 1
        while len(groups) < JOINT_COMMITTEES:
            candidates = [(len(g), -j) for j, g in enumerate(groups) if single[j] and len(g) >= 4]
            if not candidates:
                break
            j = -max(candidates)[1]  # the biggest, the first of equals
            g = groups[j]
            half = len(g) // 2
            groups[j : j + 1] = [g[:half], g[half:]]
            single[j : j + 1] = [False, False]
        while len(groups) > JOINT_COMMITTEES:  # another city: merge the smallest neighbours
            _size, j = min((len(groups[j]) + len(groups[j + 1]), j) for j in range(len(groups) - 1))
            groups[j : j + 2] = [groups[j] + groups[j + 1]]
        return [g for g in groups if len(g) >= 2]

    def build_organizations(self) -> None:
        """Joint committees and each village's own organisation under its committee; a
        community's organisation stands on its own (under the 街道's working committee, which
        the platform does not hold)."""
        rng = random.Random(f"{self.seed}:organisations")
        groups = self.committee_groups()
        joint: list[tuple[PartyOrganization, list[_Village]]] = []
        for group in groups:
            central = max(group, key=lambda v: (v.population, v.region.code))
            townships = {v.township.code for v in group}
            region = group[0].township if len(townships) == 1 else group[0].township.parent
            joint.append(
                (
                    PartyOrganization(
                        name=f"{central.region.name}联村党委",
                        kind=OrganizationKind.JOINT_COMMITTEE,
                        region=region,
                        founded_on=dt.date(2019, rng.randint(3, 9), rng.randint(1, 28)),
                    ),
                    group,
                )
            )
        PartyOrganization.objects.bulk_create([org for org, _g in joint])
        sizes = sorted((v.population for v in self.villages), reverse=True)
        committee_at = sizes[max(0, len(sizes) * 3 // 100 - 1)] if sizes else 0
        general_at = sizes[max(0, len(sizes) * 15 // 100 - 1)] if sizes else 0
        own: list[PartyOrganization] = []
        parent = {id(plan): org for org, group in joint for plan in group}
        for plan in self.villages:
            size = plan.population
            kind, suffix = (
                (OrganizationKind.VILLAGE_COMMITTEE, "党委")
                if size >= committee_at
                else (OrganizationKind.VILLAGE_GENERAL_BRANCH, "党总支")
                if size >= general_at
                else (OrganizationKind.VILLAGE_BRANCH, "党支部")
            )
            plan.org = PartyOrganization(
                name=f"{plan.region.name}{suffix}",
                kind=kind,
                parent=parent.get(id(plan)),
                region=plan.region,
                founded_on=dt.date(rng.randint(1952, 2008), rng.randint(1, 12), 1),
            )
            own.append(plan.org)
        PartyOrganization.objects.bulk_create(own)
        through = PartyOrganization.villages.through
        through.objects.bulk_create(
            [
                through(partyorganization_id=org.pk, region_id=plan.region.pk)
                for org, group in joint
                for plan in group
            ]
            + [through(partyorganization_id=o.pk, region_id=o.region.pk) for o in own]
        )
        self.organizations += [org for org, _g in joint] + own
        self.joint_committees = len(joint)

    # -- members -------------------------------------------------------------------------------

    def chain(self, stage: str, day: dt.date, rng: random.Random) -> dict[str, dt.date]:
        """The dates of every step up to ``stage`` reached on ``day``, worked backwards at
        realistic gaps, never closer than the rules allow."""
        dates: dict[str, dt.date] = {}
        order = (Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET, Stage.PROBATIONARY, Stage.FULL)
        reached = order.index(Stage(stage))
        if reached == 4:
            dates["full_on"] = day
            probationary = add_months(day, -12) - dt.timedelta(days=rng.randint(0, 20))
            while self.rules.earliest_full(probationary) > day:
                probationary -= dt.timedelta(days=7)
            day = probationary
        if reached >= 3:
            dates["probationary_on"] = day
            day -= dt.timedelta(days=rng.randint(20, 120))
        if reached >= 2:
            dates["target_on"] = day
            activist = add_months(day, -12) - dt.timedelta(days=rng.randint(0, 180))
            while self.rules.earliest_target(activist) > day:
                activist -= dt.timedelta(days=7)
            day = activist
        if reached >= 1:
            dates["activist_on"] = day
            day -= dt.timedelta(days=rng.randint(15, 120))
        dates["talked_on"] = day
        applied = day - dt.timedelta(days=rng.randint(2, 25))
        while self.rules.talk_deadline(applied) < day:
            applied += dt.timedelta(days=1)
        dates["applied_on"] = applied
        return dates

    def member(
        self,
        plan: _Village,
        resident: Resident,
        stage: str,
        dates: dict[str, dt.date],
        organization: PartyOrganization | None = None,
        **works: Any,
    ) -> PartyMember:
        member = PartyMember(
            person_id=resident.pk,
            organization=organization or plan.org,
            stage=stage,
            **dates,
            **works,
        )
        plan.used.add(resident.pk)
        if organization is None or organization is plan.org:
            plan.members.append(member)
        else:
            self.extra_members.append(member)
        if stage in (Stage.TARGET, Stage.PROBATIONARY, Stage.FULL):
            self.introduce(plan, member)
        return member

    def introduce(self, plan: _Village, member: PartyMember) -> None:
        """Two introducers who were full members on the day the person became a development
        target; required from that step on, kept for full members where the roll knows them."""
        target_on = member.target_on
        assert target_on is not None
        able = [
            m
            for m in plan.veterans + [m for m in plan.members if m.stage == Stage.FULL]
            if m.full_on is not None and m.full_on <= target_on and m is not member
        ]
        able = list({id(m): m for m in able}.values())
        if len(able) >= 2:
            self.introducers.append((member, plan.rng.sample(able, 2)))
        elif member.stage != Stage.FULL:
            raise AssertionError(f"no introducers in {plan.region.code}")

    def full_member(
        self, plan: _Village, resident: Resident, *, veteran: bool, **kwargs: Any
    ) -> PartyMember | None:
        """``resident`` as a full member: a veteran joined before the term began (so can hold a
        party post from 2022-01-01), the others at any time up to last month."""
        rng = plan.rng
        low = _years_after(resident.birth, 22)
        high = self.today - dt.timedelta(days=30)
        if veteran:
            high = min(TERM_START - dt.timedelta(days=1), _years_after(self.today, -3))
        if low > high:
            return None
        day = _years_after(resident.birth, rng.randint(23, 52)) + dt.timedelta(
            days=rng.randint(0, 364)
        )
        day = min(max(day, low), high)
        dates = self.chain(Stage.FULL, day, rng)
        if age_on(resident.birth, dates["applied_on"]) < 18:
            return None
        member = self.member(plan, resident, Stage.FULL, dates, **kwargs)
        if veteran:
            plan.veterans.append(member)
        return member

    def fill_members(self, plan: _Village) -> None:
        """The village's full members (the secretary first) and people in each stage of the
        pipeline, with the demo township's deliberate overdue steps."""
        rng = plan.rng
        adults = plan.adults
        if len(adults) < 6:
            return
        wanted = min(40, max(4, round(plan.population * rng.uniform(0.17, 0.24))))
        # The secretary: a man or woman of 32–62 (mostly men), a member since before the term.
        able = [r for r in adults if 32 <= self.age(r) <= 62]
        weights = [3.0 if r.sex == "M" else 1.0 for r in able]
        for resident in _weighted_sample(rng, able, weights, len(able)):
            if self.full_member(plan, resident, veteran=True):
                plan.secretary = resident
                break
        veterans = max(3, round(wanted * 0.6))
        pool = [r for r in plan.free() if self.age(r) >= 24]
        weights = [2.3 if r.sex == "M" else 1.0 for r in pool]
        for resident in _weighted_sample(rng, pool, weights, len(pool)):
            if len(plan.members) >= wanted:
                break
            self.full_member(plan, resident, veteran=len(plan.veterans) < veterans)
        young = [r for r in plan.free() if 19 <= self.age(r) <= 40]
        rng.shuffle(young)
        stages = (
            [Stage.APPLICANT] * rng.choice((0, 1, 1, 2))
            + [Stage.ACTIVIST] * rng.choice((0, 1, 1, 2))
            + [Stage.TARGET] * rng.choice((0, 0, 1))
            + [Stage.PROBATIONARY] * rng.choice((0, 1, 1, 2))
        )
        overdue: list[str] = []
        if plan.township.code == self.township_code and 0 <= plan.index < 4:
            overdue = [["talk", "probation"], ["talk"], ["probation"], ["talk"]][plan.index]
        for step in overdue + stages:
            if step in (Stage.TARGET, Stage.PROBATIONARY, "probation") and len(plan.veterans) < 2:
                continue  # nobody to introduce them
            stage, dates = self.pipeline_dates(step, rng)
            old_enough = [r for r in young if age_on(r.birth, dates["applied_on"]) >= 18]
            if old_enough:
                young.remove(old_enough[0])
                self.member(plan, old_enough[0], stage, dates)

    def pipeline_dates(self, step: str, rng: random.Random) -> tuple[str, dict[str, dt.date]]:
        """The stage and dates of someone now at ``step`` of the pipeline; ``talk`` and
        ``probation`` are the deliberately overdue ones."""
        today = self.today
        if step == "talk":  # applied over a month ago, nobody has talked with them
            return Stage.APPLICANT, {"applied_on": today - dt.timedelta(days=rng.randint(40, 120))}
        if step == "probation":  # admitted more than a year ago, not yet converted
            day = add_months(today, -12) - dt.timedelta(days=rng.randint(15, 150))
            return Stage.PROBATIONARY, self.chain(Stage.PROBATIONARY, day, rng)
        if step == Stage.APPLICANT:
            if rng.random() < 0.3:  # applied lately, the talk still within its month
                return step, {"applied_on": today - dt.timedelta(days=rng.randint(0, 20))}
            return step, self.chain(step, today - dt.timedelta(days=rng.randint(5, 120)), rng)
        if step == Stage.ACTIVIST:
            return step, self.chain(step, today - dt.timedelta(days=rng.randint(20, 600)), rng)
        if step == Stage.TARGET:
            return step, self.chain(step, today - dt.timedelta(days=rng.randint(10, 200)), rng)
        # Probationary within the year: conversion not yet due.
        latest = today - dt.timedelta(days=20)
        day = today - dt.timedelta(days=rng.randint(20, 330))
        while self.rules.earliest_full(day) < today and day < latest:
            day += dt.timedelta(days=7)
        return step, self.chain(step, day, rng)

    # -- the two committees --------------------------------------------------------------------

    def can_hold(self, plan: _Village, resident: Resident, post: str) -> bool:
        if age_on(resident.birth, TERM_START) < 21:
            return False
        return not any(posts_incompatible(held, post) for held in plan.posts[resident.pk])

    def appoint(self, plan: _Village, resident: Resident, post: str, source: str = "") -> None:
        if not self.can_hold(plan, resident, post):
            raise AssertionError(f"{resident.name} cannot hold {post} in {plan.region.code}")
        plan.posts[resident.pk].append(post)
        plan.positions.append(
            CadrePosition(
                village=plan.region,
                person_id=resident.pk,
                post=post,
                started_on=TERM_START,
                term_ends_on=self.term_ends_on,
                source=source,
            )
        )

    def choose(
        self,
        plan: _Village,
        candidates: Iterable[Resident],
        post: str,
        *,
        ages: tuple[int, int] = (25, 65),
        weight: Any = None,
    ) -> Resident | None:
        able = [
            r
            for r in candidates
            if ages[0] <= self.age(r) <= ages[1] and self.can_hold(plan, r, post)
        ]
        if not able:
            return None
        weights = [weight(r) if weight else 1.0 for r in able]
        return _weighted_sample(plan.rng, able, weights, 1)[0]

    def source_for(self, rng: random.Random, resident: Resident, table: Any) -> str:
        educated = resident.education in ("college", "senior")
        pairs = [
            (s, w)
            for s, w in table
            if (educated or s not in EDUCATED_SOURCES)
            and (s != S.DEMOBILISED_SOLDIER or resident.sex == "M")
            and (s != S.COLLEGE_OFFICIAL or resident.education == "college")
        ]
        return str(_pick(rng, pairs))

    def fill_posts(self, plan: _Village, one_shoulder_share: float) -> None:
        """Secretary, director (the same person in about half the villages), deputies and
        members, the supervision chair, sometimes a first secretary and work team, a leader for
        each villager group; never two posts one person may not hold together."""
        rng = plan.rng
        secretary = plan.secretary
        if secretary is None:
            return
        source = self.source_for(rng, secretary, SECRETARY_SOURCES)
        self.appoint(plan, secretary, Post.PARTY_SECRETARY, source)
        everyone = plan.adults
        veterans = [plan.resident[m.person_id] for m in plan.veterans]
        if rng.random() < one_shoulder_share:
            self.appoint(plan, secretary, Post.DIRECTOR, source)
        else:
            member_ids = {m.person_id for m in plan.veterans}
            director = self.choose(
                plan,
                [r for r in everyone if r is not secretary],
                Post.DIRECTOR,
                ages=(30, 62),
                weight=lambda r: _men_first(r) * (2.0 if r.pk in member_ids else 1.0),
            )
            if director is not None:
                self.appoint(
                    plan, director, Post.DIRECTOR, self.source_for(rng, director, SECRETARY_SOURCES)
                )
        if len(plan.veterans) >= 4 and rng.random() < 0.7:
            deputy = self.choose(plan, veterans, Post.PARTY_DEPUTY)
            if deputy is not None:
                self.appoint(plan, deputy, Post.PARTY_DEPUTY)
        for _n in range(1 if len(plan.veterans) < 5 else 2):
            member = self.choose(plan, veterans, Post.PARTY_MEMBER)
            if member is not None:
                self.appoint(plan, member, Post.PARTY_MEMBER)
        if len(everyone) >= 20:
            # Often a party committee member sits on the villagers' committee too (交叉任职).
            crossing = [r for r in veterans if plan.posts[r.pk]]
            pool = crossing if crossing and rng.random() < 0.5 else everyone
            deputy = self.choose(plan, pool, Post.DEPUTY_DIRECTOR) or self.choose(
                plan, everyone, Post.DEPUTY_DIRECTOR
            )
            if deputy is not None:
                self.appoint(plan, deputy, Post.DEPUTY_DIRECTOR)
        for n in range(2 if len(everyone) >= 18 else 1):
            # The first is the women's member (妇女委员) where a woman can take it.
            women = [r for r in everyone if r.sex == "F"]
            pick = (self.choose(plan, women, Post.COMMITTEE_MEMBER) if n == 0 else None) or (
                self.choose(plan, everyone, Post.COMMITTEE_MEMBER)
            )
            if pick is not None:
                self.appoint(plan, pick, Post.COMMITTEE_MEMBER)
        members = {m.person_id for m in plan.members if m.stage in MEMBER_STAGES}
        chair = self.choose(
            plan,
            everyone,
            Post.SUPERVISION_CHAIR,
            ages=(30, 66),
            weight=lambda r: 3.0 if r.pk in members else 1.0,
        )
        if chair is not None:
            self.appoint(plan, chair, Post.SUPERVISION_CHAIR)
        if rng.random() < 0.35 or plan is self.demo_village:
            # The work team is sent from outside the village's bodies: nobody holding a post.
            first = self.choose(
                plan,
                [r for r in everyone if not plan.posts[r.pk]],
                Post.FIRST_SECRETARY,
                ages=(26, 52),
                weight=_educated,
            )
            if first is not None:
                self.appoint(plan, first, Post.FIRST_SECRETARY)
                for _n in range(rng.choice((1, 1, 2))):
                    team = self.choose(
                        plan,
                        [r for r in everyone if not plan.posts[r.pk]],
                        Post.WORK_TEAM_MEMBER,
                        ages=(24, 55),
                    )
                    if team is not None:
                        self.appoint(plan, team, Post.WORK_TEAM_MEMBER)
        outside = {Post.SUPERVISION_CHAIR, Post.FIRST_SECRETARY, Post.WORK_TEAM_MEMBER}
        for group_id in sorted({r.group_id for r in everyone if r.group_id is not None}):
            leader = self.choose(
                plan,
                [
                    r
                    for r in everyone
                    if r.group_id == group_id and not outside & set(plan.posts[r.pk])
                ],
                Post.GROUP_LEADER,
                ages=(28, 68),
                weight=_men_first,
            )
            if leader is not None:
                self.appoint(plan, leader, Post.GROUP_LEADER)
        full = [plan.resident[m.person_id] for m in plan.members if m.stage == Stage.FULL]
        if len(full) >= 8:
            leader = self.choose(
                plan, [r for r in full if r is not secretary], Post.PARTY_GROUP_LEADER
            )
            if leader is not None:
                self.appoint(plan, leader, Post.PARTY_GROUP_LEADER)
        if rng.random() < 0.2:
            instructor = self.choose(plan, everyone, Post.INDUSTRY_INSTRUCTOR, ages=(25, 58))
            if instructor is not None:
                self.appoint(plan, instructor, Post.INDUSTRY_INSTRUCTOR)

    # -- reserve talent ------------------------------------------------------------------------

    def fill_reserve(self, plan: _Village, *, reserve_secretary: bool) -> None:
        """A reserve for secretary (unless told not to), another on the track to cadre, young
        people on the track to membership, and 致富带头人 around the goal of three."""
        rng = plan.rng
        secretary = plan.secretary
        if secretary is None:
            return
        members = {m.person_id: m for m in plan.members if m.stage in MEMBER_STAGES}
        mentors = [plan.resident[m.person_id] for m in plan.veterans]
        on_track: set[tuple[int, str]] = set()

        def since() -> dt.date:
            start = dt.date(2021, 3, 1)
            return start + dt.timedelta(days=rng.randint(0, max(0, (self.today - start).days - 30)))

        def add(resident: Resident, source: str, reserve_for: str = "") -> None:
            track = (
                TalentTrack.MEMBER_TO_CADRE
                if resident.pk in members
                else TalentTrack.YOUTH_TO_MEMBER
            )
            if (resident.pk, track) in on_track:
                return
            on_track.add((resident.pk, track))
            if track == TalentTrack.YOUTH_TO_MEMBER:
                plan.youth.add(resident.pk)  # not to be made a member by a unit below
            in_pipeline = resident.pk in plan.used and resident.pk not in members
            mentor = secretary if resident is not secretary else None
            if track == TalentTrack.YOUTH_TO_MEMBER:
                mentor = rng.choice(mentors) if mentors else mentor
            plan.talent.append(
                ReserveTalent(
                    village=plan.region,
                    person_id=resident.pk,
                    source=source,
                    track=track,
                    progress=TalentProgress.CULTIVATING
                    if in_pipeline or rng.random() < 0.5
                    else TalentProgress.IDENTIFIED,
                    reserve_for=reserve_for,
                    mentor_id=mentor.pk if mentor else None,
                    since=since(),
                )
            )

        candidates = [plan.resident[pk] for pk in members if pk != secretary.pk]
        if reserve_secretary:
            younger = [r for r in candidates if 25 <= self.age(r) <= 50]
            if younger or candidates:
                pick = _weighted_sample(
                    rng,
                    younger or candidates,
                    [2.0 if r.sex == "M" else 1.0 for r in younger or candidates],
                    1,
                )[0]
                add(pick, self.source_for(rng, pick, POOL_SOURCES), Post.PARTY_SECRETARY)
        if candidates and rng.random() < 0.5:
            pick = rng.choice(candidates)
            post = rng.choice((Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.COMMITTEE_MEMBER, ""))
            add(pick, self.source_for(rng, pick, POOL_SOURCES), post)
        youth = [r for r in plan.adults if r.pk not in members and 18 <= self.age(r) <= 35]
        for pick in _sample(rng, youth, rng.choice((1, 1, 2))):
            add(pick, self.source_for(rng, pick, POOL_SOURCES))
        goal = rng.choice(ENTREPRENEUR_COUNTS)
        have = sum(t.source == S.ENTREPRENEUR for t in plan.talent)
        able = [
            r
            for r in plan.adults
            if 24 <= self.age(r) <= (55 if r.pk in members else 45) and r is not secretary
        ]
        rng.shuffle(able)
        for pick in able:
            if have >= goal:
                break
            before = len(plan.talent)
            add(pick, S.ENTREPRENEUR)
            have += len(plan.talent) - before
        # Probationary members who came through the track to membership: achieved.
        for m in plan.members:
            if m.stage == Stage.PROBATIONARY and rng.random() < 0.4:
                resident = plan.resident[m.person_id]
                if (resident.pk, TalentTrack.YOUTH_TO_MEMBER) in on_track:
                    continue
                on_track.add((resident.pk, TalentTrack.YOUTH_TO_MEMBER))
                plan.talent.append(
                    ReserveTalent(
                        village=plan.region,
                        person_id=resident.pk,
                        source=self.source_for(rng, resident, POOL_SOURCES),
                        track=TalentTrack.YOUTH_TO_MEMBER,
                        progress=TalentProgress.ACHIEVED,
                        mentor_id=secretary.pk,
                        since=m.applied_on - dt.timedelta(days=rng.randint(30, 180)),
                    )
                )

    # -- units: cooperatives, companies, social organisations ----------------------------------

    def unit_members(
        self,
        plans: Sequence[_Village],
        count: int,
        organization: PartyOrganization | None,
        rng: random.Random,
        **works: Any,
    ) -> int:
        """``count`` extra full members working at a unit, from the residents of ``plans`` not
        yet in the pipeline: in the unit's organisation, or their village's where it has none."""
        made = 0
        for plan in plans:
            for resident in plan.free():
                if made >= count:
                    return made
                if not 23 <= self.age(resident) <= 58 or plan.org is None or len(plan.veterans) < 2:
                    continue
                if self.full_member(
                    plan, resident, veteran=False, organization=organization, **works
                ):
                    made += 1
        return made

    def build_units(self) -> None:
        """Party organisations in cooperatives, companies, social organisations and the 刺梨
        industry chain, and the units left with three or more members and none (应建尽建)."""
        from zhenxing.economy.models import CollectiveOrganization, Company, Industry

        rng = random.Random(f"{self.seed}:units")
        coops = {c.village_id: c for c in CollectiveOrganization.objects.order_by("pk")}
        with_members = [p for p in self.villages if p.org is not None and len(p.veterans) >= 2]
        with_coop = [p for p in with_members if p.region.pk in coops]
        township_plans = [p for p in with_coop if p.township.code == self.township_code]
        # Cooperatives: three members working there and no organisation in one village of the
        # demo township (not the demo login's own) and two elsewhere.
        gap_coops = township_plans[1:2] + _sample(
            rng, [p for p in with_coop if p.township.code != self.township_code], 2
        )
        ranked = sorted(
            (p for p in with_coop if p not in gap_coops),
            key=lambda p: (-len(p.members), p.region.code),
        )
        units: list[PartyOrganization] = []
        plan_of: dict[int, _Village] = {}
        for plan in ranked[:40]:
            coop = coops[plan.region.pk]
            units.append(
                PartyOrganization(
                    name=f"{coop.name}党支部"[:64],
                    kind=OrganizationKind.COOPERATIVE,
                    parent=plan.org,
                    region=plan.region,
                    cooperative=coop,
                    founded_on=dt.date(rng.randint(2018, 2021), rng.randint(1, 12), 1),
                )
            )
            plan_of[id(units[-1])] = plan
        chain = None
        industry = Industry.objects.filter(name="刺梨").first()
        county = self.villages[0].township.parent if self.villages else None
        if industry is not None and county is not None:
            chain = PartyOrganization(
                name=f"{industry.name}产业链党委",
                kind=OrganizationKind.INDUSTRY_CHAIN,
                region=county,
                industry=industry,
                founded_on=dt.date(2020, 6, 30),
            )
            PartyOrganization.objects.bulk_create([chain])
            self.organizations.append(chain)
        companies = list(
            Company.objects.select_related("region").prefetch_related("villages").order_by("pk")
        )
        chain_companies = [
            c for c in companies if industry is not None and industry.name in c.industries
        ]
        others = [c for c in companies if c not in chain_companies]
        in_township = [c for c in others if c.region.code == self.township_code]
        gap_companies = in_township[:1] + _sample(
            rng, [c for c in others if c not in in_township], 2
        )
        with_org = chain_companies + _sample(rng, [c for c in others if c not in gap_companies], 6)
        company_units: list[tuple[PartyOrganization, Company]] = []
        for company in with_org:
            org = PartyOrganization(
                name=f"{company.name}党支部"[:64],
                kind=OrganizationKind.COMPANY,
                parent=chain if company in chain_companies else None,
                region=company.region,
                company=company,
                founded_on=dt.date(rng.randint(2017, 2021), rng.randint(1, 12), 1),
            )
            units.append(org)
            company_units.append((org, company))
        socials = self.social_organizations(rng)
        social_units: list[tuple[PartyOrganization, SocialOrganization]] = []
        for social, has_org in socials:
            if has_org:
                org = PartyOrganization(
                    name=f"{social.name}党支部"[:64],
                    kind=OrganizationKind.SOCIAL,
                    region=social.region,
                    social_organization=social,
                    founded_on=dt.date(rng.randint(2019, 2022), rng.randint(1, 12), 1),
                )
                units.append(org)
                social_units.append((org, social))
        PartyOrganization.objects.bulk_create(units)
        self.organizations += units
        # Members: each organisation in a unit has three to five; each gap unit three or four
        # members who belong to their village's branch.
        for org in units:
            if org.kind == OrganizationKind.COOPERATIVE:
                plan = plan_of[id(org)]
                self.unit_members(
                    [plan], rng.randint(3, 4), org, rng, works_at_cooperative=org.cooperative
                )
        for plan in gap_coops:
            self.unit_members([plan], 3, None, rng, works_at_cooperative=coops[plan.region.pk])
        # Other villages: a member or two work at the cooperative, below the threshold.
        served = {id(p) for p in ranked[:40]} | {id(p) for p in gap_coops}
        for plan in with_members:
            if id(plan) in served or plan.region.pk not in coops or rng.random() < 0.5:
                continue
            full = [
                m for m in plan.members if m.stage == Stage.FULL and not m.works_at_cooperative_id
            ]
            for m in _sample(rng, full, rng.randint(1, 2)):
                m.works_at_cooperative = coops[plan.region.pk]
        for org, company in company_units:
            plans = self.plans_for(company.villages.all(), company.region, rng)
            self.unit_members(plans, rng.randint(3, 5), org, rng, works_at_company=company)
        for company in gap_companies:
            plans = self.plans_for(company.villages.all(), company.region, rng)
            self.unit_members(plans, rng.randint(3, 4), None, rng, works_at_company=company)
        for company in _sample(
            rng, [c for c in others if c not in gap_companies and c not in with_org], 6
        ):
            plans = self.plans_for(company.villages.all(), company.region, rng)
            self.unit_members(plans, rng.randint(1, 2), None, rng, works_at_company=company)
        for org, social in social_units:
            plans = self.plans_for([], social.region, rng)
            self.unit_members(plans, rng.randint(3, 4), org, rng, works_at_social=social)
        for social, has_org in socials:
            if not has_org:
                plans = self.plans_for([], social.region, rng)
                wanted = 3 if social.kind in ("老年协会", "行业协会") else 1
                self.unit_members(plans, wanted, None, rng, works_at_social=social)

    def plans_for(
        self, villages: Iterable[Region], region: Region, rng: random.Random
    ) -> list[_Village]:
        """The village drafts to draw a unit's members from: the villages it serves, else those
        under its region, in a shuffled order."""
        plans = [self.by_region[v.pk] for v in villages if v.pk in self.by_region]
        if not plans:
            plans = [p for p in self.villages if p.region.code.startswith(region.code)]
        plans = list(plans)
        rng.shuffle(plans)
        return plans

    def social_organizations(self, rng: random.Random) -> list[tuple[SocialOrganization, bool]]:
        """A few social organisations: some with a party organisation, the demo township's
        elders' association and a city association with members but none."""
        if not self.villages:
            return []
        county = self.villages[0].township.parent
        if county is None:
            return []
        townships = sorted({p.township.code: p.township for p in self.villages}.items())
        demo = self.demo_village
        others = [t for code, t in townships if code != self.township_code]
        picked = _sample(rng, others, 3)
        if len(picked) < 3:
            return []
        village = rng.choice([p for p in self.villages if p.township is picked[0]])
        specs: list[tuple[Region, str, str, bool]] = [
            (county, "盘州市刺梨产业协会", "行业协会", True),
            (county, "盘州市个体劳动者协会", "行业协会", False),
            (picked[0], f"{picked[0].name}乡贤理事会", "乡贤理事会", True),
            (village.region, f"{village.region.name}红白理事会", "红白理事会", False),
            (picked[1], f"{picked[1].name}农村电商协会", "行业协会", True),
            (picked[2], f"{picked[2].name}志愿者协会", "志愿服务组织", False),
        ]
        if demo is not None:
            specs += [
                (demo.township, f"{demo.township.name}老年人协会", "老年协会", False),
                (demo.region, f"{demo.region.name}志愿服务队", "志愿服务组织", False),
            ]
        socials = SocialOrganization.objects.bulk_create(
            SocialOrganization(region=region, name=name, kind=kind)
            for region, name, kind, _o in specs
        )
        self.socials = socials
        return [(s, spec[3]) for s, spec in zip(socials, specs, strict=True)]

    # -- 1+N groups ----------------------------------------------------------------------------

    def functional_groups(self, rng: random.Random) -> list[FunctionalGroup]:
        groups: list[FunctionalGroup] = []
        for plan in self.villages:
            members = [
                m for m in plan.members if m.stage in MEMBER_STAGES and m.organization is plan.org
            ]
            if len(members) < 5 or (rng.random() > 0.4 and plan is not self.demo_village):
                continue
            function = rng.choice(list(GROUPS))
            specialty, name, achievement = rng.choice(GROUPS[function])
            leader = rng.choice([m for m in members if m in plan.veterans] or members)
            others = _sample(rng, [m for m in members if m is not leader], rng.randint(2, 4))
            group = FunctionalGroup(
                organization=plan.org,
                name=name,
                function=function,
                specialty=specialty,
                leader=leader,
                achievements=achievement.format(
                    n=rng.randint(12, 80), m=rng.randint(100, 900), k=rng.randint(4, 30)
                ),
            )
            groups.append(group)
            self.group_members.append((group, others))
        return groups

    # -- training ------------------------------------------------------------------------------

    def training(self) -> dict[str, int]:
        """The current year's orders, sessions and attendance; see the module docstring."""
        rng = random.Random(f"{self.seed}:training:{self.today.year}")
        courses = {c.code: c for c in Course.objects.order_by("code")}
        if not courses:
            return {"sessions": 0, "attendance": 0, "orders": 0}
        year = self.today.year
        first = dt.date(year, 1, 1)
        elapsed = max(0, (self.today - first).days - 5)

        def past(share: float) -> dt.date:
            return first + dt.timedelta(days=int(share * elapsed))

        codes = sorted(courses)
        popular = [(c, 4 if c in ("C01", "C05", "C06") else 2) for c in codes]
        orders: list[CourseOrder] = []
        for plan in self.villages:
            chosen: set[str] = set()
            for _n in range(plan.rng.choice((1, 1, 2))):
                chosen.add(_pick(rng, popular))
            for code in sorted(chosen):
                orders.append(
                    CourseOrder(
                        village=plan.region,
                        course=courses[code],
                        year=year,
                        origin=OrderOrigin.ORDERED,
                        note="村两委班子点单",
                    )
                )
            if rng.random() < 0.6:
                rest = [c for c in codes if c not in chosen]
                if rest:
                    orders.append(
                        CourseOrder(
                            village=plan.region,
                            course=courses[rng.choice(rest)],
                            year=year,
                            origin=OrderOrigin.ASSIGNED,
                            note="市委组织部配菜",
                        )
                    )
        sessions: list[TrainingSession] = []
        county = self.villages[0].township.parent
        for code, mode, share, days, place, trainers in CITY_SESSIONS:
            if code not in courses:
                continue
            start = past(share)
            sessions.append(
                TrainingSession(
                    region=county,
                    course=courses[code],
                    mode=mode,
                    starts_on=start,
                    ends_on=min(start + dt.timedelta(days=days - 1), self.today),
                    place=place,
                    trainers=trainers,
                    hours=Decimal(days * 6),
                )
            )
        by_township: dict[int, list[_Village]] = defaultdict(list)
        for plan in self.villages:
            by_township[plan.township.pk].append(plan)
        township_sessions: dict[int, list[TrainingSession]] = defaultdict(list)
        recent: TrainingSession | None = None
        for township_id, plans in sorted(by_township.items()):
            township = plans[0].township
            wanted: dict[str, int] = defaultdict(int)
            village_ids = {p.region.pk for p in plans}
            for order in orders:
                if order.village.pk in village_ids:
                    wanted[order.course.code] += 1
            ranked = sorted(wanted, key=lambda c: (-wanted[c], c))
            for code in ranked[: rng.choice((1, 2, 2))]:
                course = courses[code]
                # Townships teach in a room or take their cadres out; online is the city's.
                local_mode = (
                    DeliveryMode.OFFLINE if course.mode == DeliveryMode.ONLINE else course.mode
                )
                session = TrainingSession(
                    region=township,
                    course=course,
                    mode=local_mode,
                    starts_on=past(rng.uniform(0.1, 0.92)),
                    place=f"{township.name}党群服务中心"
                    if local_mode != DeliveryMode.STUDY_VISIT
                    else "盘州市普古乡娘娘山示范基地",
                    trainers=f"{township.name}党建办；驻村第一书记"
                    if local_mode != DeliveryMode.EXPERT_IN
                    else "市农业农村局 高级农艺师",
                    hours=course.hours,
                )
                session.ends_on = session.starts_on
                township_sessions[township_id].append(session)
            if township.code == self.township_code and "C03" in courses:
                # Took place a few days ago: the village cadres have not recorded it yet.
                start = max(first, self.today - dt.timedelta(days=3))
                recent = TrainingSession(
                    region=township,
                    course=courses["C03"],
                    mode=DeliveryMode.OFFLINE,
                    starts_on=start,
                    ends_on=start,
                    place=f"{township.name}党群服务中心",
                    trainers=f"{township.name}党工委 组织委员",
                    hours=courses["C03"].hours,
                )
        future = TrainingSession(
            region=county,
            course=courses.get("C03") or courses[codes[0]],
            mode=DeliveryMode.EXPERT_IN,
            starts_on=self.today + dt.timedelta(days=21),
            ends_on=self.today + dt.timedelta(days=22),
            place="盘州市委党校",
            trainers="省委党校 专家",
            hours=Decimal(12),
        )
        everything = sessions + [s for ss in township_sessions.values() for s in ss]
        TrainingSession.objects.bulk_create(everything + [s for s in (recent, future) if s])
        # Orders served by the township's session of the course, else the city's.
        city_by_course = {s.course.code: s for s in sessions}
        for order in orders:
            township_id = self.by_region[order.village.pk].township.pk
            local = [
                s for s in township_sessions[township_id] if s.course.code == order.course.code
            ]
            if local:
                order.session = local[0]
            elif order.origin == OrderOrigin.ASSIGNED and order.course.code in city_by_course:
                order.session = city_by_course[order.course.code]
        CourseOrder.objects.bulk_create(orders)
        attendance = self.attendance(rng, sessions, township_sessions)
        created = everything + [s for s in (recent, future) if s]
        self.sessions, self.orders, self.attendance_rows = created, orders, attendance
        return {"sessions": len(created), "attendance": len(attendance), "orders": len(orders)}

    def attendance(
        self,
        rng: random.Random,
        city: list[TrainingSession],
        township: dict[int, list[TrainingSession]],
    ) -> list[Attendance]:
        """Most cadres trained at least once (the share varies by township, 75–95 %): the
        secretary, director and first secretary at all of the city's sessions, the others at its
        first classroom course and its online one."""
        rows: list[Attendance] = []
        share: dict[int, float] = {}
        results = (
            (AttendanceResult.COMPLETED, 80),
            (AttendanceResult.EXCELLENT, 15),
            (AttendanceResult.FAILED, 5),
        )
        for plan in self.villages:
            rate = share.setdefault(plan.township.pk, rng.uniform(0.75, 0.95))
            held: dict[int, list[CadrePosition]] = defaultdict(list)
            for position in plan.positions:
                held[position.person_id].append(position)
            local = [s for s in township[plan.township.pk] if s.starts_on <= self.today]
            for _person, positions in held.items():
                if rng.random() > rate:
                    continue
                heads = any(
                    p.post in (Post.PARTY_SECRETARY, Post.DIRECTOR, Post.FIRST_SECRETARY)
                    for p in positions
                )
                offered = local + [s for s in city if heads or s.course.code in CITY_FOR_ALL]
                if not offered:
                    continue
                attended = _sample(rng, offered, rng.choice((1, 1, 2, 3)))
                # One row, under the person's first post: trained once counts for every post.
                rows.extend(
                    Attendance(session=session, position=positions[0], result=_pick(rng, results))
                    for session in attended
                )
        Attendance.objects.bulk_create(rows, batch_size=2000)
        return rows

    # -- writing -------------------------------------------------------------------------------

    def write_people(self) -> None:
        members = [m for plan in self.villages for m in plan.members] + self.extra_members
        PartyMember.objects.bulk_create(members, batch_size=2000)
        through = PartyMember.introducers.through
        through.objects.bulk_create(
            [
                through(from_partymember_id=member.pk, to_partymember_id=introducer.pk)
                for member, pair in self.introducers
                for introducer in pair
            ],
            batch_size=2000,
        )
        self.members = members
        self.positions = [p for plan in self.villages for p in plan.positions]
        CadrePosition.objects.bulk_create(self.positions, batch_size=2000)
        self.talent = [t for plan in self.villages for t in plan.talent]
        ReserveTalent.objects.bulk_create(self.talent, batch_size=2000)
        rng = random.Random(f"{self.seed}:groups")
        self.groups = FunctionalGroup.objects.bulk_create(self.functional_groups(rng))
        through_groups = FunctionalGroup.members.through
        through_groups.objects.bulk_create(
            through_groups(functionalgroup_id=group.pk, partymember_id=m.pk)
            for group, others in self.group_members
            for m in others
        )

    def audit(self) -> None:
        """One "create" row per object, in bulk (as the economy demo writes its own)."""
        org_code = {o.pk: o.region.code for o in self.organizations}
        names = {r.pk: r.name for plan in self.villages for r in plan.adults}
        codes: dict[type[models.Model], list[tuple[Any, str, str]]] = {
            SocialOrganization: [(s.pk, s.name, s.region.code) for s in self.socials],
            PartyOrganization: [(o.pk, o.name, o.region.code) for o in self.organizations],
            PartyMember: [
                (m.pk, f"{names[m.person_id]} ({m.stage})", org_code[m.organization_id])
                for m in self.members
            ],
            CadrePosition: [
                (p.pk, f"{p.village.name} {p.post} {names[p.person_id]}", p.village.code)
                for p in self.positions
            ],
            ReserveTalent: [
                (t.pk, f"{names[t.person_id]} · {t.track}", t.village.code) for t in self.talent
            ],
            FunctionalGroup: [(g.pk, g.name, org_code[g.organization_id]) for g in self.groups],
            CourseOrder: [
                (o.pk, f"{o.village.name} {o.course.title} {o.year}", o.village.code)
                for o in self.orders
            ],
            TrainingSession: [
                (s.pk, f"{s.course.title} {s.starts_on:%Y-%m-%d}", s.region.code)
                for s in self.sessions
            ],
            Attendance: [
                (
                    a.pk,
                    f"{a.session.course.title} · {names[a.position.person_id]}",
                    a.position.village.code,
                )
                for a in self.attendance_rows
            ],
        }
        for model, items in codes.items():
            audit_rows(
                actor=ACTOR,
                model=model,
                items=((AuditAction.CREATE, pk, text, code, {}) for pk, text, code in items),
            )


def demo_party_load(
    *, seed: int = SEED, today: dt.date | None = None, township_code: str = DEMO_TOWNSHIP
) -> dict[str, Any]:
    """Fill the demo city's party building from the registry demo's residents; a second run
    (or a city with party organisations already) adds nothing, nor does a city without
    residents. ``township_code`` is the demo logins' township, where the gaps are."""
    started = time.perf_counter()
    skipped = {"skipped": True, "seconds": 0.0}
    if PartyOrganization.objects.exists():
        return {**skipped, "reason": "loaded"}
    if not Person.objects.filter(household__village__kind__in=PLACES).exists():
        return {**skipped, "reason": "no residents"}
    builder = _Builder(seed=seed, today=today or timezone.localdate(), township_code=township_code)
    with transaction.atomic():
        builder.load_villages()
        builder.build_organizations()
        rng = random.Random(f"{seed}:shares")
        shoulder: dict[int, float] = {}
        demo_plans = [
            p for p in builder.villages if p.township.code == township_code and p.is_village
        ]
        # Villages of the demo township without a reserve secretary: not the demo login's.
        without = {id(p) for p in demo_plans[1 : 1 + WITHOUT_RESERVE_IN_DEMO_TOWNSHIP]}
        for plan in builder.villages:
            builder.fill_members(plan)
            share = shoulder.setdefault(plan.township.pk, rng.uniform(0.3, 0.72))
            builder.fill_posts(plan, share)
            reserve = id(plan) not in without and (
                plan.township.code == township_code or plan.rng.random() > 0.04
            )
            builder.fill_reserve(plan, reserve_secretary=reserve)
        builder.build_units()
        builder.write_people()
        trained = builder.training()
        builder.audit()
    one_shoulder = sum(
        1
        for plan in builder.villages
        if plan.secretary is not None and Post.DIRECTOR in plan.posts[plan.secretary.pk]
    )
    return {
        "skipped": False,
        "joint_committees": builder.joint_committees,
        "organizations": len(builder.organizations),
        "members": sum(m.stage in MEMBER_STAGES for m in builder.members),
        "pipeline": sum(m.stage not in MEMBER_STAGES for m in builder.members),
        "positions": len(builder.positions),
        "one_shoulder_ratio": one_shoulder / max(1, len(builder.villages)),
        "talent": len(builder.talent),
        "groups": len(builder.groups),
        **trained,
        "seconds": time.perf_counter() - started,
    }
