"""Demo households and residents for the demo city (盘州市).

``demo_registry_load`` fills every village and community of the demo county with synthetic but
plausible households: a head, usually a spouse, children, sometimes the head's parents or a
married son with his wife and children; names from the surnames of Guizhou (by ethnic group) and
given names of each generation; Panzhou's ethnic mix (about three quarters Han, with Yi, Miao,
Bouyei, Bai and Hui villages and families); valid, era-consistent resident ID numbers (盘县特区
520202 before 1999, 盘县 520222 for 1999–2016, 盘州市 520281 since 2017); phones, schooling,
health, occupations, poverty history, the 两不愁三保障 checklist and incomes per head 2022–2025.

Everything is written the way the registry's services write it: ID numbers and phones through
``services.sensitive_columns`` (encrypted, keyed hash, mask), ``search_text`` and
``county_code`` set by hand (``bulk_create`` skips ``save()``), one open membership per person,
``Household.head`` set, and one audit "create" row per household and per person, in bulk.

One village at a time, each in its own transaction: memory stays flat whatever the scale, and a
failure never leaves a half-filled village. A village that already has households is skipped, so
running the loader again adds nothing. A village's data depends only on the seed, the village
code and ``today`` (birth dates and check dates are relative to it): the same seed gives the same
people on the same day (ciphertexts differ, their nonces are random). ID numbers are unique by
construction within a village and checked against the database (by keyed hash) across villages;
a clash moves the sequence code to the next free one of the same parity.

Measured on the 2-core development machine (SQLite file database, WAL):

- ``small`` (1–2 households per villager group): about 5,000 households and 20,000 persons in
  about half a minute (at 2–4 per group: 10,087 households and 40,831 persons in 53–59 s, about
  1.3 ms per person; peak RSS of the whole ``zhenxing demo`` process 150 MB). A second run skips
  every village in 0.3 s.
- ``full`` (70–108 households per villager group): 300,502 households and 1,218,920 persons in
  1,583 s (26 min, 1.3 ms per person, flat over the run); peak RSS 185 MB, reached early and
  not growing with the row count; the SQLite file grows to 2.2 GB.

Where the time goes (profiled): Django's ``bulk_create`` compiling and converting the registry
rows (about 30 %), ``audit_bulk`` building and inserting one audit row per household and person
(about 20 %), model construction (about 10 %), pinyin for ``search_text`` (about 8 % on the first
run in a process), one commit per village, encryption and generation (the rest).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate
from typing import Any, Protocol

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from stdnum.cn import ric

from zhenxing.core.audit.context import audit_context
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_bulk, snapshot
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.text import search_text
from zhenxing.registry.models import (
    Education,
    Ethnicity,
    Health,
    Household,
    HouseholdIncome,
    HouseholdMembership,
    MembershipReason,
    MonitoringStatus,
    Person,
    Relation,
)
from zhenxing.registry.services import sensitive_columns

ACTOR = "demo"
COUNTY = "520281"
SEED = 520281

#: Households per villager group (inclusive range) for each scale.
# "small" keeps `make demo` under a minute on a 2-core machine; "full" is the benchmark scale.
SCALES: dict[str, tuple[int, int]] = {"small": (1, 2), "full": (70, 108)}
#: A village without villager groups gets as many households as this many groups would.
GROUPS_IF_NONE = 6

INCOME_YEARS = (2022, 2023, 2024, 2025)


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


# -- ID numbers ---------------------------------------------------------------------------------


def region_code_for(birth: dt.date) -> str:
    """The Panzhou region code in force in the birth year (an ID number never changes)."""
    if birth.year < 1999:
        return "520202"  # 盘县特区
    if birth.year < 2017:
        return "520222"  # 盘县
    return "520281"  # 盘州市


def _id_number(birth: dt.date, seq: int) -> str:
    body = f"{region_code_for(birth)}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects the number with a check digit


def _next_seq(seq: int) -> int:
    """The next sequence code of the same parity (odd for men, even for women), never 000."""
    seq = (seq + 2) % 1000
    return 2 if seq == 0 else seq


# -- people ---------------------------------------------------------------------------------------

HAN, HUI, MIAO, YI, BOUYEI, BAI = "01", "03", "06", "07", "09", "14"
MINORITIES = (YI, MIAO, BOUYEI, BAI, HUI)
MINORITY_WEIGHTS = (32, 26, 24, 10, 8)


def _weighted(pairs: str) -> tuple[list[str], list[float]]:
    """``"王7 李7 …"`` → (names, cumulative weights) for ``rng.choices``."""
    names, weights = [], []
    for item in pairs.split():
        names.append(item[0])
        weights.append(float(item[1:]))
    return names, list(accumulate(weights))


SURNAMES: dict[str, tuple[list[str], list[float]]] = {
    HAN: _weighted(
        "王7 李7 张6 刘5 陈5 杨5 黄3 赵3 吴3 周3 徐2 孙1.5 马1.5 朱2 胡2 罗3 龙1.5 韦1 熊1.5 "
        "陆1 何2 郭1 高1.5 谢1.5 宋1 唐1.5 邓1.5 冯1 蒋1 付1 田1.5 袁1 曾1 彭1 肖1 潘1 余1 "
        "邹1 代1 卢1 蔡1 柳.5 钱.5 向.5 苏.5 丁.5 范.5 毛.5 沈.5 段.5 雷.5 易.5 敖.5 文.5 "
        "严.5 左.5 邱.5 顾.5 魏.5 施.5 孔.5"
    ),
    YI: _weighted("龙3 禄2 安2 陆2 李2 王2 杨2 张1 普1 苏1 陇1 毕1 罗1"),
    MIAO: _weighted("杨3 王2 龙2 吴2 熊2 罗2 张1 陶1 李1 马1 石1 潘1 韩1"),
    BOUYEI: _weighted("韦3 黄2 罗2 王2 陆2 岑1 杨1 班1 潘1 梁1 莫1 吴1"),
    BAI: _weighted("杨3 赵2 李2 段2 张1 王1 尹1 何1 董1"),
    HUI: _weighted("马4 丁2 海1 李1 王1 张1 杨1 沙1 纳1 白1"),
}

# Given names typical of each generation; some are free combinations of the characters below.
_GIVEN = {
    ("M", 0): "建国 国华 志明 德明 国强 建华 文华 永华 正兴 明华 光明 德顺 发明 家富 开华 世荣 "
    "朝贵 兴全 兴华 有才 成富 忠祥 绍华 正明 开富 学文 光荣 德富 树林 长春 贵 富 明 华 林 清",
    ("F", 0): "秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉珍 桂芬 翠花 淑珍 春花 秀芳 金花 玉梅 桂花 "
    "秀琼 正芬 兰芬 会芬 玉芬 秀芬 开芬 英 芬 兰 珍 凤",
    ("M", 1): "勇 伟 军 强 磊 涛 斌 平 刚 俊 建军 志强 海军 文军 国平 永军 明亮 建平 小平 志勇 "
    "红军 云 海波 江 鹏 超 永刚 小军 德华 建明 华 忠",
    ("F", 1): "艳 丽 芳 敏 燕 红 霞 娟 琴 梅 丽萍 小红 红梅 艳红 海燕 春燕 晓燕 丽娟 桂芳 小芳 "
    "美 玲 英 会 仙 琼 艳梅 春梅 会英 小琴",
    ("M", 2): "浩 杰 鑫 宇 涛 磊 俊杰 浩然 鹏飞 文杰 家豪 志鹏 子豪 宇航 明杰 云飞 星宇 天宇 建宇 "
    "家乐 龙 波 飞 阳 旭 成 凯 亮",
    ("F", 2): "婷 丹 倩 雪 静 佳 欣 婷婷 雪梅 丹丹 佳佳 欣怡 思雨 雨婷 梦瑶 晓雪 小倩 玉婷 春艳 "
    "梦婷 金凤 文静 雨欣 露 敏 娇 蓉 瑶",
    ("M", 3): "梓轩 子轩 浩宇 宇轩 俊熙 梓睿 子墨 浩轩 一鸣 宇泽 沐阳 俊宇 锦程 博文 睿 泽宇 "
    "皓轩 明轩 奕辰 宇航 子豪 思远 嘉懿 天佑",
    ("F", 3): "梓涵 子涵 欣怡 诗涵 一诺 雨桐 可馨 梓萱 若汐 语桐 思涵 依诺 紫涵 欣妍 佳怡 雨萱 "
    "梦琪 诗琪 悦 诺 可欣 雨涵 语嫣 芷若",
}
GIVEN_NAMES = {key: value.split() for key, value in _GIVEN.items()}
GIVEN_CHARS = {
    "M": "国建志明文华德永成光荣兴学正家世金云海龙林军平安勇福贵富祥宏伟俊杰强斌峰涛鹏飞宇浩"
    "鑫磊超波刚辉亮江山忠顺发全贤松",
    "F": "秀英兰芳玉桂珍凤春梅花琴丽艳红霞燕娟敏萍琼芬美会仙翠菊莲婷丹倩雪静佳欣怡涵雨思梦瑶"
    "诗琪萱彤悦蕾璐",
}


def _era(year: int) -> int:
    return 0 if year < 1965 else 1 if year < 1985 else 2 if year < 2005 else 3


def _given_name(rng: random.Random, sex: str, year: int) -> str:
    if rng.random() < 0.15:
        first, second = rng.sample(GIVEN_CHARS[sex], 2)
        return first + second
    return rng.choice(GIVEN_NAMES[(sex, _era(year))])


@lru_cache(maxsize=1 << 16)
def _search_text(name: str) -> str:
    # Names repeat a lot (王建国 …); their pinyin costs ~0.1 ms each, so remember them.
    return search_text(name)


@dataclass
class _Member:
    relation: str
    sex: str
    birth: dt.date
    surname: str
    ethnicity: str
    name: str = ""
    phone: str = ""
    education: str = ""
    health: str = Health.HEALTHY
    occupation: str = ""


@dataclass
class _VillageMix:
    """The ethnic make-up of one village: most are mainly Han, some are minority villages."""

    han_share: float
    main_minority: str

    def pick(self, rng: random.Random) -> str:
        if rng.random() < self.han_share:
            return HAN
        if rng.random() < 0.75:
            return self.main_minority
        return rng.choices(MINORITIES, weights=MINORITY_WEIGHTS)[0]


_NAMED_MINORITIES = (("回族", HUI), ("彝族", YI), ("苗族", MIAO), ("布依族", BOUYEI), ("白族", BAI))


def _village_mix(rng: random.Random, township: str) -> _VillageMix:
    """Villages of an ethnic township (坪地彝族乡, 保基苗族彝族乡 …) are mostly of its named
    minorities; elsewhere most villages are largely Han. Over the city about 75 % are Han."""
    named = [code for name, code in _NAMED_MINORITIES if name in township]
    if named:
        han_share = rng.choices((0.75, 0.5, 0.3, 0.12), weights=(30, 35, 25, 10))[0]
        return _VillageMix(han_share, rng.choice(named))
    han_share = rng.choices((0.92, 0.75, 0.5), weights=(60, 30, 10))[0]
    return _VillageMix(han_share, rng.choices(MINORITIES, weights=MINORITY_WEIGHTS)[0])


def _surname(rng: random.Random, ethnicity: str, avoid: str = "") -> str:
    names, cum = SURNAMES[ethnicity]
    surname = rng.choices(names, cum_weights=cum)[0]
    if surname == avoid:  # spouses of the same surname happen, but rarely
        surname = rng.choices(names, cum_weights=cum)[0]
    return surname


def _date_in(rng: random.Random, year: int, today: dt.date) -> dt.date:
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), today)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _child_birth(
    rng: random.Random, parents: Sequence[_Member], today: dt.date, *, min_age: int = 0
) -> dt.date | None:
    """A birth date 21–44 calendar years after every parent's (so 20–44 full years), within the
    mother's childbearing years; None if no such date is in the past."""
    lo = max(p.birth.year for p in parents) + 21
    hi = min(p.birth.year for p in parents) + 44
    for mother in (p for p in parents if p.sex == "F"):
        lo, hi = max(lo, mother.birth.year + 20), min(hi, mother.birth.year + 40)
    hi = min(hi, today.year - min_age)
    if lo > hi:
        return None
    return _date_in(rng, lo + int((hi - lo + 1) * rng.random() ** 1.5), today)


def _child_ethnicity(rng: random.Random, a: _Member, b: _Member | None) -> str:
    if b is None or a.ethnicity == b.ethnicity:
        return a.ethnicity
    if HAN in (a.ethnicity, b.ethnicity) and rng.random() < 0.7:
        return b.ethnicity if a.ethnicity == HAN else a.ethnicity
    father = a if a.sex == "M" else b
    return father.ethnicity


_HEAD_AGES = ((25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 88))
_HEAD_AGE_WEIGHTS = (11, 19, 27, 23, 14, 6)
_CHILD_COUNTS = (1, 2, 3, 4)
_CHILD_COUNT_WEIGHTS = (28, 45, 20, 7)


def _household_members(rng: random.Random, today: dt.date, mix: _VillageMix) -> list[_Member]:
    """One household's members, head first: ages, sexes, surnames and ethnic groups."""
    low, high = rng.choices(_HEAD_AGES, weights=_HEAD_AGE_WEIGHTS)[0]
    head_age = rng.randint(low, high)
    head_sex = "M" if rng.random() < 0.86 else "F"
    ethnicity = mix.pick(rng)
    head = _Member(
        Relation.HEAD,
        head_sex,
        _date_in(rng, today.year - head_age, today),
        _surname(rng, ethnicity),
        ethnicity,
    )
    if head_age >= 62:
        kind = rng.choices(["alone", "couple", "extended", "core"], weights=(16, 36, 36, 12))[0]
    elif head_age >= 45:
        kind = rng.choices(
            ["core", "parents", "extended", "single", "alone"], weights=(52, 12, 22, 10, 4)
        )[0]
    else:
        kind = rng.choices(["core", "parents", "single", "alone"], weights=(60, 30, 5, 5))[0]
    members = [head]

    spouse: _Member | None = None
    if kind in ("couple", "core", "parents") or (kind == "extended" and rng.random() < 0.85):
        gap = rng.randint(-1, 5)  # husbands are mostly a few years older
        sex = "F" if head_sex == "M" else "M"
        year = head.birth.year + (gap if sex == "F" else -gap)
        year = min(year, today.year - 20)
        spouse_ethnicity = ethnicity if rng.random() < 0.8 else mix.pick(rng)
        spouse = _Member(
            Relation.SPOUSE,
            sex,
            _date_in(rng, year, today),
            _surname(rng, spouse_ethnicity, avoid=head.surname),
            spouse_ethnicity,
        )
        members.append(spouse)
    parents = [head, spouse] if spouse else [head]

    def add_child(relation: str, of: list[_Member], surname: str, min_age: int = 0) -> _Member:
        birth = _child_birth(rng, of, today, min_age=min_age)
        if birth is None:
            raise LookupError
        child = _Member(
            relation,
            "M" if rng.random() < 0.52 else "F",
            birth,
            surname,
            _child_ethnicity(rng, of[0], of[1] if len(of) > 1 else None),
        )
        members.append(child)
        return child

    try:
        if kind == "extended":
            son = add_child(Relation.CHILD, parents, head.surname, min_age=24)
            son.sex = "M"
            dil_year = min(son.birth.year + rng.randint(0, 4), today.year - 21)
            dil_ethnicity = son.ethnicity if rng.random() < 0.75 else mix.pick(rng)
            dil = _Member(
                Relation.CHILD_IN_LAW,
                "F",
                _date_in(rng, dil_year, today),
                _surname(rng, dil_ethnicity, avoid=son.surname),
                dil_ethnicity,
            )
            members.append(dil)
            for _ in range(rng.choices((1, 2, 3), weights=(45, 42, 13))[0]):
                add_child(Relation.GRANDCHILD, [son, dil], son.surname)
            if rng.random() < 0.3:
                add_child(Relation.CHILD, parents, head.surname)
        elif kind in ("core", "parents", "single"):
            count = rng.choices(_CHILD_COUNTS, weights=_CHILD_COUNT_WEIGHTS)[0]
            if kind == "single":
                count = min(count, 2)
            for _ in range(count):
                add_child(Relation.CHILD, parents, head.surname)
    except LookupError:
        pass  # too young for (more) children: the household is smaller

    if kind == "parents":
        father_year = head.birth.year - rng.randint(23, 38)
        mother_year = max(
            head.birth.year - 44, min(father_year + rng.randint(-1, 5), head.birth.year - 21)
        )
        which = rng.choices(("both", "mother", "father"), weights=(55, 30, 15))[0]
        father_surname = head.surname
        if which in ("both", "father") and today.year - father_year <= 95:
            members.append(
                _Member(
                    Relation.PARENT,
                    "M",
                    _date_in(rng, father_year, today),
                    father_surname,
                    ethnicity,
                )
            )
        if which in ("both", "mother") and today.year - mother_year <= 97:
            mother_ethnicity = ethnicity if rng.random() < 0.85 else mix.pick(rng)
            members.append(
                _Member(
                    Relation.PARENT,
                    "F",
                    _date_in(rng, mother_year, today),
                    _surname(rng, mother_ethnicity, avoid=father_surname),
                    mother_ethnicity,
                )
            )
    return members[:7]


# -- what each person does ------------------------------------------------------------------------

_PHONE_PREFIXES = (
    [f"13{d}" for d in range(10)] + [f"15{d}" for d in "012356789"] + [f"18{d}" for d in range(10)]
)
_SCHOOLING = (
    Education.NONE,
    Education.PRIMARY,
    Education.JUNIOR,
    Education.SENIOR,
    Education.COLLEGE,
)
# Weights of _SCHOOLING for adults by birth cohort, men then women: rural Guizhou caught up late.
_SCHOOLING_WEIGHTS = (
    (1950, (60, 35, 5, 0, 0), (80, 18, 2, 0, 0)),
    (1965, (30, 50, 17, 3, 0), (50, 40, 9, 1, 0)),
    (1985, (8, 40, 40, 10, 2), (15, 45, 32, 7, 1)),
    (2000, (2, 14, 52, 20, 12), (3, 15, 50, 19, 13)),
    (9999, (0, 3, 35, 35, 27), (0, 3, 33, 35, 29)),
)
_HEALTH = (Health.HEALTHY, Health.CHRONIC, Health.SERIOUS, Health.DISABLED)
_WORK = (
    "外出务工",
    "务农",
    "县内务工",
    "个体经营",
    "公益性岗位",
    "养殖",
    "合作社务工",
    "乡村教师",
    "乡村医生",
    "无",
)


def _education(rng: random.Random, sex: str, birth: dt.date, age: int) -> str:
    if age < 6:
        return Education.PRESCHOOL
    if age < 12:
        return Education.PRIMARY
    if age < 15:
        return Education.JUNIOR
    if age < 18:
        return Education.SENIOR if rng.random() < 0.65 else Education.JUNIOR
    for before, men, women in _SCHOOLING_WEIGHTS:
        if birth.year < before:
            return rng.choices(_SCHOOLING, weights=men if sex == "M" else women)[0]
    raise AssertionError("unreachable")  # pragma: no cover


def _occupation(rng: random.Random, person: _Member, age: int, poor: bool) -> str:
    if age < 6:
        return "学龄前儿童"
    if age < 18 or (age <= 22 and person.education == Education.COLLEGE and rng.random() < 0.6):
        return "在校学生"
    if person.health in (Health.SERIOUS, Health.DISABLED) and rng.random() < 0.7:
        return "无"
    if age >= 65:
        return rng.choices(("务农", "无", "公益性岗位"), weights=(55, 40, 5))[0]
    if age >= 55:
        return rng.choices(
            ("务农", "县内务工", "无", "公益性岗位", "养殖"), weights=(65, 15, 10, 5, 5)
        )[0]
    weights = (36, 26, 12, 6, 8 if poor else 3, 5, 5, 0.5, 0.5, 2)
    return rng.choices(_WORK, weights=weights)[0]


def _describe(rng: random.Random, members: list[_Member], today: dt.date, poor: bool) -> int:
    """Names, phones, schooling, health and work; returns the household's labour force."""
    labour = 0
    for m in members:
        age = _age(m.birth, today)
        m.name = m.surname + _given_name(rng, m.sex, m.birth.year)
        m.education = _education(rng, m.sex, m.birth, age)
        weights = (95, 2, 0.5, 2.5) if age < 40 else (85, 10, 2, 3) if age < 60 else (60, 30, 5, 5)
        m.health = rng.choices(_HEALTH, weights=weights)[0]
        m.occupation = _occupation(rng, m, age, poor)
        if age >= 18:
            has_phone = 0.82 if age < 60 else 0.45 if age < 75 else 0.2
            if rng.random() < has_phone:
                m.phone = rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if (
            16 <= age < 65
            and m.health not in (Health.SERIOUS, Health.DISABLED)
            and m.occupation not in ("在校学生", "无")
        ):
            labour += 1
    return labour


# -- households -----------------------------------------------------------------------------------


def _household_status(rng: random.Random, today: dt.date) -> dict[str, Any]:
    """Poverty history, monitoring status and the 两不愁三保障 + drinking-water checklist."""
    fields: dict[str, Any] = {"registered_poor_year": None, "lifted_year": None}
    if rng.random() < 0.25:
        poor_year = rng.choices(range(2014, 2020), weights=(55, 12, 10, 9, 8, 6))[0]
        fields["registered_poor_year"] = poor_year
        if rng.random() < 0.93:
            fields["lifted_year"] = rng.randint(max(2016, poor_year + 1), 2020)
    status = MonitoringStatus.NONE
    if fields["lifted_year"] and rng.random() < 0.07:
        status = MonitoringStatus.UNSTABLE
    elif not fields["registered_poor_year"] and rng.random() < 0.025:
        status = MonitoringStatus.MARGINAL
    elif rng.random() < 0.008:
        status = MonitoringStatus.SUDDEN
    fields["monitoring_status"] = status
    secure = 0.86 if status else 0.985
    for name in Household.CHECKLIST:
        fields[name] = rng.random() < secure
    fields["checklist_checked_on"] = today - dt.timedelta(days=rng.randrange(365))
    return fields


def _incomes(
    rng: random.Random, fields: dict[str, Any], labour: int, size: int
) -> list[tuple[int, Decimal]]:
    """Net income per head for each of INCOME_YEARS: lifted and monitored households earn less,
    households with more workers per mouth more; about 6 % growth a year."""
    if fields["monitoring_status"]:
        median = 8300.0
    elif fields["registered_poor_year"]:
        median = 10800.0
    else:
        median = 14000.0
    base = median * rng.lognormvariate(0, 0.28) * (0.8 + 0.4 * labour / size)
    return [
        (
            year,
            Decimal(f"{max(2400.0, base * 1.06**i * rng.lognormvariate(0, 0.05)):.2f}"),
        )
        for i, year in enumerate(INCOME_YEARS)
    ]


def _created(obj: Any) -> dict[str, list[Any]]:
    return {k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")}


def _fill_village(
    village: Region,
    *,
    scale: str,
    seed: int,
    today: dt.date,
    ethnicities: dict[str, Ethnicity],
) -> tuple[int, int] | None:
    """Fill one empty village in one transaction; None if it already has households."""
    with transaction.atomic():
        if Household.objects.filter(village=village).exists():
            return None
        rng = random.Random(seed * 10**15 + int(village.code))
        township = village.parent.name if village.parent else ""
        mix = _village_mix(rng, township)
        low, high = SCALES[scale]
        groups: list[Region | None] = list(
            Region.objects.filter(parent=village, kind=RegionKind.GROUP).order_by("code")
        )
        if groups:
            slots = [(g, rng.randint(low, high)) for g in groups]
        else:
            slots = [(None, sum(rng.randint(low, high) for _ in range(GROUPS_IF_NONE)))]
        taken = set(
            Household.objects.filter(number__startswith=village.code).values_list(
                "number", flat=True
            )
        )
        registered_on = dt.date(2014, 4, 1)

        households: list[Household] = []
        persons: list[Person] = []
        incomes: list[HouseholdIncome] = []
        memberships: list[HouseholdMembership] = []
        heads: dict[int, Person] = {}  # index in households → head
        clear: list[tuple[str, str]] = []  # (ID number, phone) parallel to persons, not stored
        used: set[str] = set()  # the 17-digit bodies used in this village
        serial = 0
        for group, count in slots:
            for door in range(1, count + 1):
                serial += 1
                while f"{village.code}{serial:04d}" in taken:
                    serial += 1
                if serial > 9999:
                    raise RuntimeError(f"village {village.code} has run out of household numbers")
                members = _household_members(rng, today, mix)
                fields = _household_status(rng, today)
                labour = _describe(rng, members, today, bool(fields["registered_poor_year"]))
                household = Household(
                    number=f"{village.code}{serial:04d}",
                    village=village,
                    group=group,
                    county_code=village.code[:6],
                    address=f"{township}{village.name}{group.name if group else ''}{door}号",
                    labour_count=labour,
                    **fields,
                )
                households.append(household)
                incomes.extend(
                    HouseholdIncome(household=household, year=year, income_per_head=amount)
                    for year, amount in _incomes(rng, fields, labour, len(members))
                )
                joined = registered_on + dt.timedelta(days=rng.randrange(240))
                for m in members:
                    seq = rng.randrange(500) * 2 + 1 if m.sex == "M" else rng.randrange(1, 500) * 2
                    body = f"{region_code_for(m.birth)}{m.birth:%Y%m%d}"
                    while f"{body}{seq:03d}" in used:
                        seq = _next_seq(seq)
                    used.add(f"{body}{seq:03d}")
                    number = _id_number(m.birth, seq)
                    person = Person(
                        household=household,
                        county_code=household.county_code,
                        name=m.name,
                        search_text=_search_text(m.name),
                        sex=m.sex,
                        birth_date=m.birth,
                        ethnicity=ethnicities[m.ethnicity],
                        relation=m.relation,
                        education=m.education,
                        health=m.health,
                        occupation=m.occupation,
                        **sensitive_columns(number, m.phone),
                    )
                    persons.append(person)
                    clear.append((number, m.phone))
                    memberships.append(
                        HouseholdMembership(
                            person=person,
                            household=household,
                            county_code=household.county_code,
                            relation=m.relation,
                            joined_on=max(m.birth, joined),
                            joined_reason=MembershipReason.REGISTERED,
                        )
                    )
                    if m.relation == Relation.HEAD:
                        heads[len(households) - 1] = person

        _avoid_registered_id_numbers(persons, clear, used)
        # bulk_create copies each new primary key into the children's foreign keys.
        Household.objects.bulk_create(households, batch_size=500)
        Person.objects.bulk_create(persons, batch_size=500)
        for index, head in heads.items():
            households[index].head = head
        Household.objects.filter(village=village, head__isnull=True).update(
            head=Subquery(
                Person.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).values(
                    "pk"
                )[:1]
            )
        )
        HouseholdMembership.objects.bulk_create(memberships, batch_size=500)
        HouseholdIncome.objects.bulk_create(incomes, batch_size=500)
        audit_bulk(
            actor=ACTOR,
            items=[
                *((AuditAction.CREATE, h, _created(h)) for h in households),
                *((AuditAction.CREATE, p, _created(p)) for p in persons),
            ],
        )
        return len(households), len(persons)


def _avoid_registered_id_numbers(
    persons: list[Person], clear: list[tuple[str, str]], used: set[str]
) -> None:
    """Move any ID number already registered elsewhere (same birth date and region, another
    village or a real record) to the next free sequence code of the same parity."""
    pending = list(range(len(persons)))
    while pending:
        clashes: set[str] = set()
        for start in range(0, len(pending), 900):
            chunk = [persons[i].id_number_hash for i in pending[start : start + 900]]
            clashes.update(
                Person.objects.filter(id_number_hash__in=chunk).values_list(
                    "id_number_hash", flat=True
                )
            )
        pending = [i for i in pending if persons[i].id_number_hash in clashes]
        for i in pending:
            person, (number, phone) = persons[i], clear[i]
            seq = int(number[14:17])
            while f"{number[:14]}{seq:03d}" in used:
                seq = _next_seq(seq)
            used.add(f"{number[:14]}{seq:03d}")
            number = _id_number(person.birth_date, seq)
            clear[i] = (number, phone)
            for key, value in sensitive_columns(number, phone).items():
                setattr(person, key, value)


def demo_registry_load(
    *,
    scale: str,
    seed: int = SEED,
    stdout: Writer | None = None,
    county_code: str = COUNTY,
    village_codes: Iterable[str] | None = None,
    limit: int | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Fill the demo county's empty villages and communities with households and persons.

    ``scale`` is ``"small"`` (1–2 households per villager group) or ``"full"`` (70–108, about
    300,000 households and 1.2 million persons in the demo city). ``village_codes`` and
    ``limit`` restrict the fill to some villages (tests, benchmarks). Returns the counts:
    ``villages`` filled, ``skipped`` (already had households), ``households``, ``persons``,
    ``seconds``.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; use one of {sorted(SCALES)}")
    today = today or timezone.localdate()
    started = last_report = time.perf_counter()
    villages = (
        Region.objects.filter(kind__in=VILLAGE_LEVEL, code__startswith=county_code)
        .select_related("parent")
        .order_by("code")
    )
    if village_codes is not None:
        villages = villages.filter(code__in=list(village_codes))
    todo = list(villages[:limit] if limit is not None else villages)
    ethnicities = {e.code: e for e in Ethnicity.objects.filter(code__in=(HAN, *MINORITIES))}
    totals: dict[str, Any] = {"villages": 0, "skipped": 0, "households": 0, "persons": 0}
    with audit_context(source="command"):
        for done, village in enumerate(todo, start=1):
            created = _fill_village(
                village, scale=scale, seed=seed, today=today, ethnicities=ethnicities
            )
            if created is None:
                totals["skipped"] += 1
            else:
                totals["villages"] += 1
                totals["households"] += created[0]
                totals["persons"] += created[1]
            now = time.perf_counter()
            if stdout is not None and now - last_report >= 10:
                last_report = now
                stdout.write(
                    f"  {done}/{len(todo)} villages, {totals['households']:,} households, "
                    f"{totals['persons']:,} persons, {now - started:.0f} s\n"
                )
    totals["seconds"] = round(time.perf_counter() - started, 2)
    return totals
