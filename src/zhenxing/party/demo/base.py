"""The party demo's shared parts: constants, the residents and village drafts, the pipeline's
rules, and ``_State``, the builder's attributes and the residents it draws from, on which each
domain's mixin (``organizations``, ``members``, ``cadres``, ``training``) is built."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.party import policy as party_policy
from zhenxing.party.models import (
    Attendance,
    CadrePosition,
    CourseOrder,
    DeliveryMode,
    FunctionalGroup,
    GroupFunction,
    PartyMember,
    PartyOrganization,
    ReserveTalent,
    SecretarySource,
    SocialOrganization,
    TrainingSession,
)
from zhenxing.party.rules import add_months, age_on
from zhenxing.registry.selectors import adult_residents_of_township

ACTOR = "demo"
SEED = 2021
JOINT_COMMITTEES = 29
#: Joint committees that cross a township boundary.
CROSSING = 3
#: The term of the two committees the demo shows (the 2021–2022 change of term).
TERM_START = dt.date(2022, 1, 1)
#: 红果街道: the demo logins' township, where the deliberate gaps are.
DEMO_TOWNSHIP = "520281004"
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
    def _months(key: str, year: int) -> int:
        return party_policy.policy_int(key, year)

    def earliest_target(self, activist_on: dt.date) -> dt.date:
        key = party_policy.ACTIVIST_MIN_MONTHS
        return add_months(activist_on, self.months(key, activist_on.year))

    def earliest_full(self, probationary_on: dt.date) -> dt.date:
        key = party_policy.PROBATION_MONTHS
        return add_months(probationary_on, self.months(key, probationary_on.year))

    def talk_deadline(self, applied_on: dt.date) -> dt.date:
        key = party_policy.TALK_WITHIN_MONTHS
        return add_months(applied_on, self.months(key, applied_on.year))


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


class _State:
    """The builder's state: what it has drawn in memory and written so far. Each domain's mixin
    subclasses it; ``_Builder`` (in ``builder``) combines them."""

    def __init__(self, *, seed: int, today: dt.date, township_code: str) -> None:
        self.seed = seed
        self.today = today
        self.township_code = township_code
        self.rules = _Rules()
        self.term_ends_on = add_months(
            TERM_START,
            12 * party_policy.policy_int(party_policy.TERM_YEARS, TERM_START.year),
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

    if TYPE_CHECKING:
        # Methods one mixin calls and another defines, declared for the type checker only: at
        # run time ``_Builder`` combines the mixins, and no stub on the base can shadow the
        # real method whatever their order.

        def full_member(  # defined in ``members``; called by ``organizations``' units
            self, plan: _Village, resident: Resident, *, veteran: bool, **kwargs: Any
        ) -> PartyMember | None: ...

    # -- residents -----------------------------------------------------------------------------

    def load_villages(self) -> None:
        villages = list(
            Region.objects.filter(kind__in=VILLAGE_LEVEL).select_related("parent").order_by("code")
        )
        adult_birth = _years_after(self.today, -18)
        per_village: dict[int, list[Resident]] = defaultdict(list)
        population: dict[int, int] = {}
        # One query per township: flat memory at the full scale, few round trips at the small.
        for township_id in sorted({v.parent_id for v in villages if v.parent_id}):
            rows = adult_residents_of_township(
                township_id=township_id, village_kinds=VILLAGE_LEVEL, born_by=adult_birth
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
