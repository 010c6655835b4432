"""Reads of the collective economy, always scoped to the reader.

The books' reports (trial balance, balance sheet, income statement) read the monthly turnover
table, never the voucher lines, except the cash journal, which lists lines by definition. The
dashboards read ``YearFigures``: one row per organisation and year.
"""

from __future__ import annotations

import decimal
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, Sum

from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import SUBTREE_END, subtree_q
from zhenxing.economy.models import (
    Account,
    AccountBalance,
    AccountCategory,
    CollectiveOrganization,
    Company,
    EconomyTarget,
    Side,
    Tier,
    VoucherLine,
    VoucherStatus,
    YearFigures,
)
from zhenxing.economy.summaries import to_yuan

ZERO = decimal.Decimal("0.00")


def year_turnover(
    organization: CollectiveOrganization, year: int, through_month: int = 12
) -> dict[Account, tuple[decimal.Decimal, decimal.Decimal]]:
    """Each account's debit and credit turnover in a year, up to a month."""
    rows = (
        AccountBalance.objects.filter(
            organization=organization, year=year, month__lte=through_month
        )
        .values_list("account")
        .annotate(d=Sum("debit_fen"), c=Sum("credit_fen"))
        .order_by()
    )
    accounts = {a.pk: a for a in Account.objects.filter(chart=organization.chart)}
    return {accounts[a]: (to_yuan(d), to_yuan(c)) for a, d, c in rows}


@dataclass
class TrialBalanceRow:
    account: Account
    opening: decimal.Decimal  # signed on the account's normal side
    debit: decimal.Decimal
    credit: decimal.Decimal
    closing: decimal.Decimal

    def sided(self, amount: decimal.Decimal) -> tuple[decimal.Decimal, decimal.Decimal]:
        """``amount`` (on the normal side) as (debit, credit) columns."""
        if self.account.normal_side == Side.CREDIT:
            amount = -amount
        return (amount, ZERO) if amount >= 0 else (ZERO, -amount)

    @property
    def opening_debit(self) -> decimal.Decimal:
        return self.sided(self.opening)[0]

    @property
    def opening_credit(self) -> decimal.Decimal:
        return self.sided(self.opening)[1]

    @property
    def closing_debit(self) -> decimal.Decimal:
        return self.sided(self.closing)[0]

    @property
    def closing_credit(self) -> decimal.Decimal:
        return self.sided(self.closing)[1]


@dataclass
class TrialBalance:
    rows: list[TrialBalanceRow]
    totals: dict[str, decimal.Decimal] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        t = self.totals
        return (
            t["opening_debit"] == t["opening_credit"]
            and t["debit"] == t["credit"]
            and t["closing_debit"] == t["closing_credit"]
        )


def trial_balance(organization: CollectiveOrganization, year: int, month: int) -> TrialBalance:
    """The trial balance (科目余额表) of one month: opening, turnover and closing per account."""
    period = year * 100 + month
    before: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    during: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        AccountBalance.objects.filter(organization=organization)
        .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
        .values_list("account", "year", "month", "debit_fen", "credit_fen")
    )
    for account_id, y, m, d, c in rows:
        target = during if y * 100 + m == period else before
        target[account_id][0] += d
        target[account_id][1] += c
    result = []
    for account in Account.objects.filter(
        chart=organization.chart, pk__in=set(before) | set(during)
    ):
        sign = 1 if account.normal_side == Side.DEBIT else -1
        od, oc = before[account.pk]
        pd, pc = during[account.pk]
        opening = sign * (od - oc)
        closing = opening + sign * (pd - pc)
        result.append(
            TrialBalanceRow(account, to_yuan(opening), to_yuan(pd), to_yuan(pc), to_yuan(closing))
        )
    result.sort(key=lambda r: r.account.code)
    names = (
        "opening_debit",
        "opening_credit",
        "debit",
        "credit",
        "closing_debit",
        "closing_credit",
    )
    totals = {n: sum((getattr(r, n) for r in result), ZERO) for n in names}
    return TrialBalance(result, totals)


@dataclass
class Statement:
    """A report's lines (label, amount) by section, with totals."""

    sections: dict[str, list[tuple[str, decimal.Decimal]]]
    totals: dict[str, decimal.Decimal]


def balance_sheet(organization: CollectiveOrganization, year: int, month: int) -> Statement:
    """The balance sheet (资产负债表) at a month's end. The year's result not yet carried forward
    shows as 本年收益 in owners' equity, so assets always equal liabilities plus equity."""
    tb = trial_balance(organization, year, month)
    sections: dict[str, list[tuple[str, decimal.Decimal]]] = {
        "assets": [],
        "liabilities": [],
        "equity": [],
    }
    unclosed = ZERO
    for row in tb.rows:
        a = row.account
        # Each line as the balance sheet shows it: assets (and cost) net of their contra
        # accounts on the debit side, liabilities and equity on the credit side.
        debit_balance = row.closing if a.normal_side == Side.DEBIT else -row.closing
        if a.category in (AccountCategory.ASSET, AccountCategory.COST):
            sections["assets"].append((str(a), debit_balance))
        elif a.category == AccountCategory.LIABILITY:
            sections["liabilities"].append((str(a), -debit_balance))
        elif a.category == AccountCategory.EQUITY:
            sections["equity"].append((str(a), -debit_balance))
        else:
            unclosed -= debit_balance
    if unclosed:
        sections["equity"].append(("321 本年收益（未结转）", unclosed))
    totals = {k: sum((v for _l, v in lines), ZERO) for k, lines in sections.items()}
    return Statement(sections, totals)


#: The income statement's lines (收益及收益分配表, simplified): label → (account, side taken).
INCOME_LINES = [
    ("501", "credit"),
    ("502", "debit"),
    ("503", "debit"),
    ("551", "debit"),
    ("511", "credit"),
    ("521", "credit"),
    ("531", "credit"),
    ("541", "credit"),
    ("552", "debit"),
    ("553", "debit"),
    ("561", "debit"),
]


def income_statement(organization: CollectiveOrganization, year: int, month: int) -> Statement:
    """The income statement from January to a month. Income accounts read their credit
    turnover and expense accounts their debit turnover, so the year-end carry-forward (posted
    on the other side) does not cancel the year it reports."""
    turnover = {a.code: v for a, v in year_turnover(organization, year, month).items()}
    names = dict(Account.objects.filter(chart=organization.chart).values_list("code", "name"))
    income: list[tuple[str, decimal.Decimal]] = []
    expense: list[tuple[str, decimal.Decimal]] = []
    for code, side in INCOME_LINES:
        debit, credit = turnover.get(code, (ZERO, ZERO))
        amount = credit if side == "credit" else debit
        (income if side == "credit" else expense).append((f"{code} {names.get(code, '')}", amount))
    operating = sum((turnover.get(c, (ZERO, ZERO))[1] for c in ("501", "511", "541")), ZERO)
    total_income = sum((v for _l, v in income), ZERO)
    total_expense = sum((v for _l, v in expense), ZERO)
    return Statement(
        {"income": income, "expense": expense},
        {
            "income": total_income,
            "expense": total_expense,
            "result": total_income - total_expense,
            "operating_income": operating,
        },
    )


def cash_journal(
    organization: CollectiveOrganization, account_code: str, year: int, month: int
) -> tuple[decimal.Decimal, list[dict[str, Any]]]:
    """The cash or bank journal (现金/银行存款日记账) of a month: opening balance, then every
    posted line on the account with its running balance."""
    account = Account.objects.get(chart=organization.chart, code=account_code)
    opening_fen = (
        AccountBalance.objects.filter(organization=organization, account=account)
        .filter(Q(year__lt=year) | Q(year=year, month__lt=month))
        .aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    )
    balance = to_yuan((opening_fen["d"] or 0) - (opening_fen["c"] or 0))
    opening = balance
    lines = (
        VoucherLine.objects.filter(
            account=account,
            voucher__organization=organization,
            voucher__status=VoucherStatus.POSTED,
            voucher__year=year,
            voucher__month=month,
        )
        .select_related("voucher")
        .order_by("voucher__date", "voucher__number", "line_no")
    )
    entries = []
    for line in lines:
        balance += line.debit - line.credit
        entries.append(
            {
                "date": line.voucher.date,
                "voucher": str(line.voucher),
                "summary": line.summary,
                "debit": line.debit,
                "credit": line.credit,
                "balance": balance,
            }
        )
    return opening, entries


# --- figures, tiers and the dashboards --------------------------------------------------------


def target_for(year: int) -> EconomyTarget | None:
    """The targets in force in a year: the latest set from that year or before (else the first)."""
    return (
        EconomyTarget.objects.filter(year__lte=year).order_by("-year").first()
        or EconomyTarget.objects.order_by("year").first()
    )


def default_year(*, region: Region) -> int:
    """The year dashboards open on: the latest whose December most of the region's books have
    closed (its figures are final); the current year when none has."""
    from django.utils import timezone

    closed: Counter[int] = Counter()
    for c in CollectiveOrganization.objects.filter(
        subtree_q(region.code, "village__code"), closed_through__isnull=False
    ).values_list("closed_through", flat=True):
        if c is not None:
            closed[c // 100 - (0 if c % 100 == 12 else 1)] += 1
    organizations = CollectiveOrganization.objects.filter(
        subtree_q(region.code, "village__code")
    ).count()
    for year in sorted(closed, reverse=True):
        if sum(n for y, n in closed.items() if y >= year) * 2 >= organizations:
            return year
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


def _tier_in_fen(target: EconomyTarget | None) -> Any:
    """``target.tier`` on integer fen: the thresholds converted once, not per village."""
    hollow, below, on_target, strong_tier, rich_tier = (t.value for t in Tier)
    if target is None:
        return lambda acc, inc: hollow
    floor_inc = int(target.min_operating_income * 100)
    rich, strong = int(target.rich_accumulation * 100), int(target.strong_accumulation * 100)
    floor_acc = int(target.min_accumulation * 100)

    def tier(acc: int, inc: int) -> str:
        if inc < floor_inc:
            return hollow
        if acc >= rich:
            return rich_tier
        if acc >= strong:
            return strong_tier
        if acc >= floor_acc:
            return on_target
        return below

    return tier


def village_figures(
    *, region: Region, year: int, target: EconomyTarget | None = None
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
    from django.utils.translation import gettext as _

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


def _targets(
    target: EconomyTarget | None, tiers: Counter[str], figures: list[VillageFigures]
) -> dict[str, Any]:
    """Counts against each target: villages meeting the floor, strong and rich villages."""
    if target is None:
        return {}
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


# --- industries, support and contracts -----------------------------------------------------


def industry_summary(*, region: Region, year: int) -> list[dict[str, Any]]:
    """Per industry of the catalogue: villages, area, output, output value and households
    involved under ``region`` in ``year`` (one query)."""
    from django.db.models import Count

    from zhenxing.economy.models import Industry, VillageIndustry

    sums: dict[int, dict[str, Any]] = {
        row["industry"]: dict(row)
        for row in VillageIndustry.objects.filter(
            subtree_q(region.code, "village__code"), year=year
        )
        .values("industry")
        .annotate(
            villages=Count("village", distinct=True),
            area=Sum("area_mu"),
            output=Sum("output"),
            value=Sum("output_value"),
            households=Sum("households"),
        )
        .order_by()
    }
    empty: dict[str, Any] = {}
    return [
        {
            "industry": industry,
            "villages": sums.get(industry.pk, empty).get("villages", 0),
            "area": sums.get(industry.pk, empty).get("area") or ZERO,
            "output": sums.get(industry.pk, empty).get("output") or ZERO,
            "value": sums.get(industry.pk, empty).get("value") or ZERO,
            "households": sums.get(industry.pk, empty).get("households") or 0,
        }
        for industry in Industry.objects.all()
    ]


def support_summary(*, actor: Any, year: int, region: Region | None = None) -> list[dict[str, Any]]:
    """Each key supported village of ``year`` in the reader's scope (and under ``region``),
    with the support it had, added up by form (two queries)."""
    from zhenxing.economy.models import SupportedVillage, SupportForm, SupportRecord

    chosen = SupportedVillage.objects.visible_to(actor).filter(year=year)
    if region is not None:
        chosen = chosen.filter(subtree_q(region.code, "village__code"))
    villages = list(chosen.select_related("village__parent").order_by("village__code"))
    totals: dict[int, dict[str, decimal.Decimal]] = defaultdict(dict)
    counts: Counter[int] = Counter()
    for supported, form, amount in SupportRecord.objects.filter(supported__in=villages).values_list(
        "supported", "form", "amount"
    ):
        totals[supported][form] = totals[supported].get(form, ZERO) + amount
        counts[supported] += 1
    return [
        {
            "supported": s,
            "records": counts[s.pk],
            "by_form": {f: totals[s.pk].get(f, ZERO) for f in SupportForm.values},
            "total": sum(totals[s.pk].values(), ZERO),
        }
        for s in villages
    ]
