"""Reads of the collective economy's figures: targets, tiers and the dashboards.

The dashboards read ``YearFigures``: one row per organisation and year. The caller has checked
the region is in the reader's scope.
"""

from __future__ import annotations

import decimal
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.policy import registry
from zhenxing.core.policy.selectors import policy_history
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import CODE_LENGTHS, SUBTREE_END, subtree_q
from zhenxing.economy.models import (
    CollectiveOrganization,
    Company,
    DistributionPlan,
    PlanStatus,
    Tier,
    YearFigures,
)
from zhenxing.economy.policy import TARGET_KEYS
from zhenxing.economy.rules.figures import Targets
from zhenxing.economy.rules.values import to_yuan

ZERO = decimal.Decimal("0.00")


def target_for(year: int) -> Targets:
    """The targets in force in a year (the yearly policy store, else the declared defaults),
    with the year they were set for: the latest change up to ``year``, else when the policy
    began. One query."""
    keys = set(TARGET_KEYS.values())
    values: dict[str, Any] = {k: registry.setting(k).default for k in keys}
    since = min(registry.setting(k).since for k in keys)
    for row in policy_history():  # by key and year: later rows overwrite earlier ones
        if row.key in keys and row.effective_from <= year:
            values[row.key] = row.value
            since = max(since, row.effective_from)
    return Targets(
        year=since,
        min_accumulation=decimal.Decimal(values[TARGET_KEYS["min_accumulation"]]),
        min_operating_income=decimal.Decimal(values[TARGET_KEYS["min_operating_income"]]),
        strong_accumulation=decimal.Decimal(values[TARGET_KEYS["strong_accumulation"]]),
        rich_accumulation=decimal.Decimal(values[TARGET_KEYS["rich_accumulation"]]),
        strong_villages=int(values[TARGET_KEYS["strong_villages"]]),
        rich_villages=int(values[TARGET_KEYS["rich_villages"]]),
        hollow_operating_income=decimal.Decimal(values[TARGET_KEYS["hollow_operating_income"]]),
    )


def latest_year_with_books(*, region: Region) -> int:
    """The year the economy dashboard opens on: the latest year any organisation under
    ``region`` has posted into (the summary table holds a row per organisation and year with
    books), the current year when none has.

    Walks down the years the whole table holds (each step an index lookup on ``year``) and
    asks whether the region has a row in that year, so it costs a few index probes at any
    scale instead of a MAX over a province's joined rows."""
    years = YearFigures.objects.order_by("-year").values_list("year", flat=True)
    ours = YearFigures.objects.filter(subtree_q(region.code, "organization__village__code"))
    year = years.first()
    while year is not None:
        if ours.filter(year=year).exists():
            return year
        year = years.filter(year__lt=year).first()
    return timezone.localdate().year


@dataclass(slots=True)
class VillageFigures:
    """One village's year-end figures. Sums stay integer fen (exact, and cheap for the 15,000
    villages of a province); the yuan properties make Decimals when read."""

    village_id: int
    code: str
    name: str
    township: str
    organization_id: int | None
    accumulation_fen: int
    operating_income_fen: int
    tier: str

    @property
    def accumulation(self) -> decimal.Decimal:
        return to_yuan(self.accumulation_fen)

    @property
    def operating_income(self) -> decimal.Decimal:
        return to_yuan(self.operating_income_fen)


def _tier_in_fen(target: Targets) -> Any:
    """``target.tier`` on integer fen: the thresholds converted once, not per village."""
    hollow, below, on_target, strong_tier, rich_tier = (t.value for t in Tier)
    floor_inc = int(target.min_operating_income * 100)
    hollow_inc = int(target.hollow_operating_income * 100)
    rich, strong = int(target.rich_accumulation * 100), int(target.strong_accumulation * 100)
    floor_acc = int(target.min_accumulation * 100)

    def tier(acc: int, inc: int) -> str:
        if inc < hollow_inc:
            return hollow
        if acc < floor_acc or inc < floor_inc:
            return below
        if acc >= rich:
            return rich_tier
        if acc >= strong:
            return strong_tier
        return on_target

    return tier


def village_figures(
    *, region: Region, year: int, target: Targets | None = None
) -> list[VillageFigures]:
    """Every village under ``region`` with its year-end accumulation, operating income and tier.
    The caller has checked ``region`` is in the reader's scope.

    Two queries, whatever the size: the villages with their township and organisation, and the
    yearly figures added up per organisation (a GROUP BY on an integer key), joined here. One
    query grouping the joined rows made PostgreSQL sort a province's Chinese names, and SQLite
    materialise the aggregate; both are slower than this. Sums are cast to bigint (PostgreSQL's
    SUM of bigint is numeric) and rows are read straight from the cursor, without Django's
    per-value converters."""
    tier = _tier_in_fen(target or target_for(year))
    q = connection.ops.quote_name
    regions = q(Region._meta.db_table)
    organizations = q(CollectiveOrganization._meta.db_table)
    figures = q(YearFigures._meta.db_table)
    low, high = region.code, region.code + SUBTREE_END
    # Table names from our models; every value is a parameter.
    villages_sql = f"""
        SELECT r.id, r.code, r.name, t.name, o.id
        FROM {regions} r
        LEFT JOIN {regions} t ON t.id = r.parent_id
        LEFT JOIN {organizations} o ON o.village_id = r.id
        WHERE r.kind = %s AND r.code >= %s AND r.code < %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(villages_sql, [RegionKind.VILLAGE.value, low, high])
        villages = cursor.fetchall()
        ids = [row[4] for row in villages if row[4] is not None]
        # A township's or village's few organisations are named; for a county or a province
        # the whole table is added up (cheaper than a semi-join on 15,000 ids) and only the
        # region's villages below read their sums, so nothing outside the region is shown.
        only = (
            f"AND y.organization_id IN ({', '.join(['%s'] * len(ids))})" if len(ids) <= 1000 else ""
        )
        cursor.execute(
            f"""
            SELECT y.organization_id,
                   CAST(SUM(y.accumulation_change_fen) AS BIGINT),
                   CAST(SUM(CASE WHEN y.year = %s THEN y.operating_income_fen ELSE 0 END) AS BIGINT)
            FROM {figures} y
            WHERE y.year <= %s {only if ids else "AND 1 = 0"}
            GROUP BY y.organization_id
            """,  # noqa: S608 - table names from our models; every value is a parameter
            [year, year, *(ids if only else [])],
        )
        sums = {org: (acc or 0, inc or 0) for org, acc, inc in cursor.fetchall()}
    villages.sort(key=lambda row: row[1])  # codes are digits: no collation needed
    result = []
    for pk, code, name, township, org in villages:
        acc, inc = sums.get(org, (0, 0))
        result.append(VillageFigures(pk, code, name, township or "", org, acc, inc, tier(acc, inc)))
    return result


#: The distribution chart's buckets (yuan): under 50,000, 50,000–200,000, …
BUCKETS = [0, 50_000, 200_000, 500_000, 1_000_000]


def accumulation_distribution(figures: list[VillageFigures]) -> list[tuple[str, int]]:
    """How many villages fall in each accumulation bucket: (label, villages)."""
    result = []
    for i, low in enumerate(BUCKETS):
        high = BUCKETS[i + 1] if i + 1 < len(BUCKETS) else None
        if high is None:
            label = _("≥ ¥%(low)s ten thousand") % {"low": low // 10_000}
            count = sum(1 for f in figures if f.accumulation_fen >= low * 100)
        else:
            label = _("¥%(low)s–%(high)s ten thousand") % {
                "low": low // 10_000,
                "high": high // 10_000,
            }
            count = sum(1 for f in figures if low * 100 <= f.accumulation_fen < high * 100)
        result.append((label, count))
    return result


def economy_summary(
    *, region: Region, year: int, figures: list[VillageFigures] | None = None
) -> dict[str, Any]:
    """The region's figures at a year's end: the dashboard's headline and the API's answer."""
    target = target_for(year)
    if figures is None:
        figures = village_figures(region=region, year=year, target=target)
    total = to_yuan(sum(f.accumulation_fen for f in figures))
    tiers = Counter(f.tier for f in figures)
    villages = len(figures)
    return {
        "region": region.code,
        "year": year,
        "villages": villages,
        "cooperatives": CollectiveOrganization.objects.filter(
            subtree_q(region.code, "village__code")
        ).count(),
        "companies": Company.objects.filter(subtree_q(region.code, "region__code")).count(),
        "total_accumulation": total,
        "average_accumulation": (total / villages).quantize(ZERO) if villages else ZERO,
        "total_operating_income": to_yuan(sum(f.operating_income_fen for f in figures)),
        "tiers": {t.value: tiers.get(t.value, 0) for t in Tier},
        "targets": _targets(target, tiers, figures),
    }


def _targets(target: Targets, tiers: Counter[str], figures: list[VillageFigures]) -> dict[str, Any]:
    """Counts against each target: villages meeting the floor, strong and rich villages."""
    floor_acc, floor_inc = (
        int(target.min_accumulation * 100),
        int(target.min_operating_income * 100),
    )
    strong_fen, rich_fen = (
        int(target.strong_accumulation * 100),
        int(target.rich_accumulation * 100),
    )
    meeting = sum(
        1
        for f in figures
        if f.accumulation_fen >= floor_acc and f.operating_income_fen >= floor_inc
    )
    strong = sum(1 for f in figures if f.accumulation_fen >= strong_fen)
    rich = sum(1 for f in figures if f.accumulation_fen >= rich_fen)
    return {
        "year": target.year,
        "every_village": {"have": meeting, "want": len(figures)},
        "strong": {"have": strong, "want": target.strong_villages},
        "rich": {"have": rich, "want": target.rich_villages},
        "min_accumulation": target.min_accumulation,
        "min_operating_income": target.min_operating_income,
    }


def ranked_ends(
    figures: list[VillageFigures], count: int = 10
) -> tuple[list[VillageFigures], list[VillageFigures]]:
    """The villages that accumulated most (most first) and least (least first), ``count`` of
    each. A township has fewer than twice ``count`` villages, so the two lists share them out,
    the upper half to the top and the lower half to the bottom: the same ten villages in both
    lists, once in each order, told a reader nothing."""
    ranked = sorted(figures, key=lambda f: (-f.accumulation_fen, f.code))
    split = min(count, (len(ranked) + 1) // 2)
    top = ranked[:split]
    bottom = sorted(ranked[split:], key=lambda f: (f.accumulation_fen, f.code))[:count]
    return top, bottom


@dataclass(frozen=True, slots=True)
class TargetCheck:
    """One per-village target and how a village stands against it (yuan)."""

    key: str  # accumulation, operating_income, strong, rich
    have: decimal.Decimal
    want: decimal.Decimal

    @property
    def met(self) -> bool:
        return self.have >= self.want


def village_standing(figures: VillageFigures, target: Targets) -> list[TargetCheck]:
    """Whether one village meets the per-village targets (accumulation and operating income)
    and the strong and rich thresholds: a village is measured against what applies to one
    village, never against the city's count of strong villages."""
    return [
        TargetCheck("accumulation", figures.accumulation, target.min_accumulation),
        TargetCheck("operating_income", figures.operating_income, target.min_operating_income),
        TargetCheck("strong", figures.accumulation, target.strong_accumulation),
        TargetCheck("rich", figures.accumulation, target.rich_accumulation),
    ]


@dataclass(frozen=True, slots=True)
class GoalShare:
    """A city goal (a count of villages) and a township's part in it."""

    key: str  # strong, rich
    city_goal: int
    share: int  # the goal apportioned by the township's number of villages
    have: int  # the township's villages reaching the threshold

    @property
    def met(self) -> bool:
        return self.have >= self.share


def township_shares(
    *, region: Region, villages: int, counts: dict[str, Any], target: Targets
) -> list[GoalShare]:
    """A township's share of the city's goals for strong and rich villages: each goal
    apportioned by the township's part of the city's villages (rounded half up), beside what
    the township has (``counts``: ``economy_summary``'s targets). The policy sets the goals
    for the city only, so a township's fair part is its part of the villages. One query (the
    city's villages; the township's are already counted)."""
    city_code = region.code[: CODE_LENGTHS[2]]  # the county-level city's code
    city_villages = Region.objects.filter(subtree_q(city_code), kind=RegionKind.VILLAGE).count()

    def share(goal: int) -> int:
        if not city_villages:
            return 0
        exact = decimal.Decimal(goal * villages) / city_villages
        return int(exact.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))

    return [
        GoalShare(
            "strong",
            target.strong_villages,
            share(target.strong_villages),
            counts["strong"]["have"],
        ),
        GoalShare(
            "rich", target.rich_villages, share(target.rich_villages), counts["rich"]["have"]
        ),
    ]


def progress(*, region: Region, through: int) -> list[dict[str, Any]]:
    """Total accumulation at each year's end and the year's operating income, for the region's
    subtree, from its first year of books to ``through``. One query."""
    rows = (
        YearFigures.objects.filter(
            subtree_q(region.code, "organization__village__code"), year__lte=through
        )
        .values_list("year")
        .annotate(acc=Sum("accumulation_change_fen"), inc=Sum("operating_income_fen"))
        .order_by("year")
    )
    result = []
    running = 0
    for year, acc, inc in rows:
        running += acc or 0
        result.append(
            {"year": year, "accumulation": to_yuan(running), "operating_income": to_yuan(inc or 0)}
        )
    return result


@dataclass
class RegionRollup:
    """A child region's line on a dashboard: its villages' figures added up."""

    code: str
    name: str
    villages: int = 0
    accumulation: decimal.Decimal = ZERO
    operating_income: decimal.Decimal = ZERO
    tiers: Counter[str] = field(default_factory=Counter)

    @property
    def average(self) -> decimal.Decimal:
        return (self.accumulation / self.villages).quantize(ZERO) if self.villages else ZERO


def rollup(*, region: Region, figures: list[VillageFigures]) -> list[RegionRollup]:
    """The figures per child region (townships under a city, villages under a township)."""
    children = list(
        Region.objects.filter(parent=region)
        .exclude(kind=RegionKind.GROUP)
        .order_by("code")
        .values_list("code", "name")
    )
    lines = {code: RegionRollup(code, name) for code, name in children}
    lengths = {len(code) for code in lines}
    for f in figures:
        line = next((lines[f.code[:n]] for n in lengths if f.code[:n] in lines), None)
        if line is not None:
            line.villages += 1
            line.accumulation += f.accumulation
            line.operating_income += f.operating_income
            line.tiers[f.tier] += 1
    return [line for line in lines.values() if line.villages]


def plans_awaiting(*, actor: Any, village_level: bool) -> int:
    """How many plans in the reader's scope wait for the next decision: the village's (at a
    village) or the township's (above)."""
    status = PlanStatus.PROPOSED if village_level else PlanStatus.VILLAGE_APPROVED
    return DistributionPlan.objects.visible_to(actor).filter(status=status).count()


def organization_of(region: Region) -> CollectiveOrganization | None:
    """The organisation of a village the caller has in scope."""
    return CollectiveOrganization.objects.filter(village=region).first()
