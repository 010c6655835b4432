"""The demo city's collective economy: 451 village cooperatives, 53 companies and five years of
books (2016–2020) that end where the source article's baseline stands: total accumulation
¥140.4 million (shown as 1.40 亿), ¥311,300 on average per village (31.13 万, the article's
31.3 万 less 0.5 %), with a realistic spread (hollow villages, a few rich ones, most in
between).

Every figure comes from real, balanced vouchers posted through ``services.vouchers_load`` (the
bulk path of the posting rules): capital paid in, operating income and contracting fees,
subsidies, investment income, operating and management expenses, and each year's
carry-forward into 本年收益. Nothing writes a total directly. The books close through
December 2020, so the dashboards open on the article's year; later years stay open.

Per village, the plan is drawn first (final accumulation by tier, 2020 operating income, yearly
results), then split into vouchers in integer fen, so the totals are exact. ``splits`` cuts
each income and expense into more vouchers: 1 for ``make demo`` (about 65,000 lines, seconds),
about 16 for the benchmark's full city (over 1,000,000 lines).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from stdnum.cn import uscc

from zhenxing.core.accounts.models import User
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_rows
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.economy.models import (
    ZERO,
    AccountRole,
    CollectiveOrganization,
    Company,
    CompanyKind,
    ContractKind,
    DistributionPlan,
    Industry,
    LinkageContract,
    ShareBasis,
    Shareholding,
    SupportedVillage,
    SupportForm,
    SupportRecord,
    VillageIndustry,
)
from zhenxing.economy.rules.books import LineIn
from zhenxing.economy.selectors.charts import (
    chart_governing,
    conversion_in_effect,
    role_accounts,
)
from zhenxing.economy.selectors.distribution import available_for_distribution
from zhenxing.economy.services import distribution
from zhenxing.economy.services.books import VoucherIn, vouchers_load
from zhenxing.economy.services.conversion import chart_convert
from zhenxing.registry.selectors import household_sizes

YEARS = range(2016, 2021)
# The article: ¥140 million in all and ¥313,000 a village, which 451 villages cannot both meet
# exactly (451 × 313,000 = 141.2 million); this total is within 1 % of both.
TOTAL_ACCUMULATION_FEN = 140_400_000_00
ACTOR = "demo"
VILLAGES_PER_TRANSACTION = 20

#: (tier, villages, accumulation range in yuan): counts sum to 451; the middle tiers are scaled
#: so the total lands on TOTAL_ACCUMULATION_FEN.
PLAN = [
    ("rich", 20, (1_000_000, 1_600_000)),
    ("strong", 60, (500_000, 850_000)),
    ("on_target", 190, (200_000, 420_000)),
    ("below", 100, (60_000, 190_000)),
    ("hollow", 81, (10_000, 60_000)),
]

INDUSTRIES = [
    "刺梨",
    "核桃",
    "软籽石榴",
    "茶叶",
    "中药材",
    "食用菌",
    "生态渔业",
    "乡村旅游",
    "精品水果",
]


def _credit_code(authority: str, serial: int) -> str:
    body = f"{authority}520281{serial:09d}"[:17]
    return body + uscc.calc_check_digit(body)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` fen in ``parts`` positive pieces that add up exactly."""
    if total <= 0:
        return []
    parts = max(1, min(parts, total))
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = sum(weights)
    pieces = [max(1, int(total * w / scale)) for w in weights]
    pieces[-1] += total - sum(pieces)
    if pieces[-1] <= 0:  # rounding took too much from the last piece: give it back evenly
        return [total]
    return pieces


def _targets(rng: random.Random, villages: int) -> list[tuple[str, int]]:
    """(tier, final accumulation in fen) per village, shuffled, adding up to the article's
    total (scaled to the number of villages when the demo city has another count)."""
    drawn: list[tuple[str, int]] = []
    for tier, count, (low, high) in PLAN:
        # The same mix for a city of another size (the benchmark's province).
        share = round(count * villages / 451)
        drawn += [(tier, rng.randint(low, high) * 100) for _ in range(share)]
    while len(drawn) < villages:
        drawn.append(("on_target", rng.randint(200_000, 420_000) * 100))
    drawn = drawn[:villages]
    total = TOTAL_ACCUMULATION_FEN * villages // 451
    bounds = {tier: (low * 100, high * 100) for tier, _c, (low, high) in PLAN}
    # The on-target villages absorb the draw's noise, each kept inside its tier's range.
    flexible = [i for i, (t, _a) in enumerate(drawn) if t == "on_target"]
    for _round in range(5):
        missing = total - sum(a for _t, a in drawn)
        if not missing or not flexible:
            break
        share = missing // len(flexible)
        low, high = bounds["on_target"]
        for i in flexible:
            tier, amount = drawn[i]
            drawn[i] = (tier, min(high, max(low, amount + share)))
    missing = total - sum(a for _t, a in drawn)
    if flexible:
        tier, amount = drawn[flexible[0]]
        drawn[flexible[0]] = (tier, amount + missing)
    rng.shuffle(drawn)
    return drawn


def _role_codes(chart: str) -> dict[str, str]:
    """The account code each role names in ``chart`` (``data/charts/roles.csv``)."""
    return {role: account.code for role, account in role_accounts(chart).items()}


def _village_vouchers(
    org_id: int,
    tier: str,
    accumulation: int,
    rng: random.Random,
    splits: int,
    codes: dict[str, str],
) -> Iterator[VoucherIn]:
    """Five years of one village's books, ending at ``accumulation`` fen exactly, on the
    accounts ``codes`` names by role (the chart the books were kept under)."""
    bank, result_account = codes[AccountRole.BANK], codes[AccountRole.YEAR_RESULT]
    income_accounts = {
        "sales": codes[AccountRole.OPERATING_REVENUE],
        "contracting": codes[AccountRole.CONTRACTING_REVENUE],
        "investment": codes[AccountRole.INVESTMENT_INCOME],
        "subsidy": codes[AccountRole.SUBSIDY_INCOME],
    }
    expense_accounts = {
        "expenses": codes[AccountRole.OPERATING_EXPENSE],
        "management": codes[AccountRole.MANAGEMENT_EXPENSE],
    }
    capital = int(accumulation * rng.uniform(0.3, 0.55))
    yield VoucherIn(
        org_id,
        dt.date(YEARS[0], 1, 5),
        "收到集体资产股本金",
        [
            LineIn(bank, debit=_yuan(capital)),
            LineIn(codes[AccountRole.CAPITAL], credit=_yuan(capital)),
        ],
    )
    remaining = accumulation - capital
    weights = [1.0 + 0.25 * i + rng.uniform(0, 0.3) for i in range(len(YEARS))]
    results = [int(remaining * w / sum(weights)) for w in weights]
    results[-1] += remaining - sum(results)
    for year, result in zip(YEARS, results, strict=True):
        growth = (year - YEARS[0] + 1) / len(YEARS)
        if tier == "hollow":
            operating = int(rng.uniform(0, 45_000) * 100 * growth)
        else:
            floor = 55_000 * 100 if year == YEARS[-1] else 20_000 * 100
            operating = max(floor, int(accumulation * rng.uniform(0.15, 0.35) * growth))
        contracting = int(operating * rng.uniform(0.1, 0.3))
        investment = int(operating * rng.uniform(0.05, 0.15)) if tier in ("rich", "strong") else 0
        sales = operating - contracting - investment
        management = int(rng.uniform(8_000, 25_000) * 100)
        # Expenses make the year's result come out exactly; subsidies cover what income cannot.
        subsidy = int(rng.uniform(10_000, 60_000) * 100)
        expenses = operating + subsidy - management - result
        if expenses < 0:
            subsidy -= expenses
            expenses = 0
        # (summary, debit, credit, amount, first month, vouchers per split): sales and
        # operating expenses come in four times as many vouchers as the rest.
        entries = [
            ("收到农产品销售收入", bank, income_accounts["sales"], sales, 3, 4),
            ("收到土地发包收入", bank, income_accounts["contracting"], contracting, 3, 1),
            ("收到入股企业分红", bank, income_accounts["investment"], investment, 12, 1),
            ("收到上级补助资金", bank, income_accounts["subsidy"], subsidy, 6, 1),
            ("支付产品生产经营支出", expense_accounts["expenses"], bank, expenses, 4, 4),
            ("支付村集体管理费用", expense_accounts["management"], bank, management, 2, 4),
        ]
        for summary, debit, credit, amount, first_month, per_split in entries:
            pieces = _split(amount, splits * per_split, rng)
            months = 13 - first_month  # spread from the first month to December
            for i, piece in enumerate(pieces):
                month = first_month + (i * months) // len(pieces)
                day = rng.randint(1, 28)
                yield VoucherIn(
                    org_id,
                    dt.date(year, month, day),
                    summary,
                    [LineIn(debit, debit=_yuan(piece)), LineIn(credit, credit=_yuan(piece))],
                    attachments=rng.randint(1, 4),
                )
        # The year-end carry-forward into 本年收益: the year's result lands in owners' equity.
        # ``vouchers_load`` recognises it as the carry-forward (``rules.books.voucher_kind``).
        income = {"sales": sales, "contracting": contracting, "investment": investment}
        income["subsidy"] = subsidy
        closing = [
            LineIn(income_accounts[name], debit=_yuan(amount))
            for name, amount in income.items()
            if amount
        ]
        closing += [
            LineIn(expense_accounts[name], credit=_yuan(amount))
            for name, amount in (("expenses", expenses), ("management", management))
            if amount
        ]
        if result:
            closing.append(
                LineIn(result_account, credit=_yuan(result))
                if result > 0
                else LineIn(result_account, debit=_yuan(-result))
            )
        yield VoucherIn(org_id, dt.date(year, 12, 31), f"结转{year}年度收益", closing)


def demo_economy_load(*, seed: int = 2020, splits: int = 1, stdout: Any = None) -> dict[str, Any]:
    """Fill the demo city's collective economy; a second run adds nothing."""
    started = time.perf_counter()
    if CollectiveOrganization.objects.exists():
        return {"organizations": 0, "companies": 0, "vouchers": 0, "seconds": 0.0, "skipped": True}
    rng = random.Random(seed)
    villages = list(Region.objects.filter(kind=RegionKind.VILLAGE).order_by("code"))
    county = Region.objects.get(kind=RegionKind.COUNTY)
    townships = list(Region.objects.filter(kind=RegionKind.TOWNSHIP).order_by("code"))
    # 2016–2020 books follow the chart the rules prescribed then (the 2004 system).
    chart = chart_governing(dt.date(YEARS[0], 1, 1)).code
    accounts = _role_codes(chart)
    with transaction.atomic():
        organizations = CollectiveOrganization.objects.bulk_create(
            CollectiveOrganization(
                village=v,
                county_code=v.code[:6],
                name=f"{v.name}股份经济合作社",
                uscc=_credit_code("N2", 100000 + i),
                legal_representative=v.name[:1] + "书记",
                registered_capital=Decimal(rng.randint(10, 200) * 10_000),
                established_on=dt.date(2015, rng.randint(1, 12), rng.randint(1, 28)),
                chart=chart,
            )
            for i, v in enumerate(villages)
        )
        companies = []
        for i in range(53):
            industry = INDUSTRIES[i % len(INDUSTRIES)]
            if i < 5:
                region, kind, name = county, CompanyKind.CITY, f"盘州市{industry}产业发展有限公司"
            else:
                region = townships[i % len(townships)]
                kind = CompanyKind.TOWNSHIP if i % 3 else CompanyKind.PRIVATE
                suffix = "农业开发有限公司" if kind == CompanyKind.TOWNSHIP else "种养殖专业公司"
                name = f"盘州市{region.name}{industry}{suffix}"
            companies.append(
                Company(
                    region=region,
                    name=name[:64],
                    kind=kind,
                    uscc=_credit_code("91", 200000 + i),
                    legal_representative=rng.choice("王李张刘陈杨黄赵") + rng.choice("建明国华"),
                    registered_capital=Decimal(rng.randint(50, 5000) * 10_000),
                    industries=industry,
                )
            )
        Company.objects.bulk_create(companies)
        for company in Company.objects.select_related("region"):
            served = [v for v in villages if v.code.startswith(company.region.code)]
            company.villages.set(rng.sample(served, min(len(served), rng.randint(2, 8))))
        # Loaded in bulk, audited in bulk: one "create" row each, in one statement per model.
        codes = {v.pk: v.code for v in villages}
        audit_rows(
            actor=ACTOR,
            model=CollectiveOrganization,
            items=(
                (AuditAction.CREATE, o.pk, o.name, codes[o.village_id], {"name": [None, o.name]})
                for o in organizations
            ),
        )
        audit_rows(
            actor=ACTOR,
            model=Company,
            items=(
                (AuditAction.CREATE, c.pk, c.name, c.region.code, {"name": [None, c.name]})
                for c in Company.objects.select_related("region")
            ),
        )
        _linkage_industries_support(rng, organizations, villages)
    # Books a few villages at a time, each group in its own transaction: memory stays flat at
    # any scale, and a commit (an fsync) per village would cost more than the village. Each
    # village's books close through December 2020 once loaded.
    vouchers = lines = 0
    closed = YEARS[-1] * 100 + 12
    plan = list(zip(organizations, _targets(rng, len(organizations)), strict=True))
    for start in range(0, len(plan), VILLAGES_PER_TRANSACTION):
        group = plan[start : start + VILLAGES_PER_TRANSACTION]
        batch = [
            v
            for org, (tier, accumulation) in group
            for v in _village_vouchers(org.pk, tier, accumulation, rng, splits, accounts)
        ]
        with transaction.atomic():
            vouchers += len(vouchers_load(vouchers=batch, actor=ACTOR))
            # The books close through December 2020 (``period_close`` month by month would
            # cost sixty statements a village): one update, audited in bulk like it.
            CollectiveOrganization.objects.filter(pk__in=[org.pk for org, _t in group]).update(
                closed_through=closed
            )
            audit_rows(
                actor=ACTOR,
                model=CollectiveOrganization,
                items=(
                    (
                        AuditAction.UPDATE,
                        org.pk,
                        org.name,
                        org.village.code,
                        {"closed_through": [None, closed]},
                    )
                    for org, _t in group
                ),
            )
        lines += sum(len(v.lines) for v in batch)
    return {
        "organizations": len(organizations),
        "companies": len(companies),
        "vouchers": vouchers,
        "lines": lines,
        "seconds": time.perf_counter() - started,
        "skipped": False,
    }


def demo_distribution_load() -> dict[str, Any]:
    """Members' shares for every registered household (one share per member, per person) and,
    in the demo village, the 2019 plan in effect (dividends on the households' pages) and the
    2020 plan approved by the village and waiting for the township officer. Needs the demo
    logins; a second run adds nothing."""
    if Shareholding.objects.exists():
        return {"shareholdings": 0, "plans": 0}
    organizations = dict(CollectiveOrganization.objects.values_list("village_id", "pk"))
    households = list(household_sizes(village_ids=list(organizations)))
    joined = dt.date(2016, 1, 1)
    with transaction.atomic():
        created = Shareholding.objects.bulk_create(
            Shareholding(
                organization_id=organizations[village],
                household_id=pk,
                shares=Decimal(size),
                basis=ShareBasis.PER_PERSON,
                joined_on=joined,
            )
            for pk, village, _code, _number, size in households
        )
        codes = {pk: (code, number) for pk, _v, code, number, _s in households}
        audit_rows(
            actor=ACTOR,
            model=Shareholding,
            items=(
                (
                    AuditAction.CREATE,
                    h.pk,
                    f"{codes[h.household_id][1]} · {h.shares}",
                    codes[h.household_id][0],
                    {"shares": [None, str(h.shares)], "basis": [None, h.basis]},
                )
                for h in created
            ),
        )
    cadre = User.objects.filter(username="village").first()
    accountant = User.objects.filter(username="accountant").first()
    officer = User.objects.filter(username="township").first()
    plans = 0
    if cadre and accountant and officer and cadre.region_id in organizations:
        organization = CollectiveOrganization.objects.get(village_id=cadre.region_id)
        # Its plans post today, after 2023: the township officer first converts its 2004-chart
        # books to the current chart (新旧制度衔接) from their own closing balances.
        if conversion_in_effect(organization) is None:
            chart_convert(actor=officer, organization=organization)
            organization.refresh_from_db()
        shares = sum(
            (h.shares for h in Shareholding.objects.filter(organization=organization)), Decimal(0)
        )
        for year, decide in ((2019, True), (2020, False)):
            available = available_for_distribution(organization)
            if not shares or available <= 0:
                break
            # A fifth reserved, a tenth paid out per share: the rest stays undistributed.
            per_share = (available / 10 / shares).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
            plan = distribution.distribution_plan_propose(
                actor=cadre,
                organization=organization,
                year=year,
                reserve=(available / 5).quantize(Decimal("0.01"), rounding="ROUND_DOWN"),
                dividend_per_share=per_share,
            )
            plan = distribution.distribution_plan_approve(actor=accountant, plan=plan)
            if decide:
                distribution.distribution_plan_approve(actor=officer, plan=plan)
            plans += 1
        assert DistributionPlan.objects.filter(organization=organization).count() == plans
    return {"shareholdings": len(created), "plans": plans}


def _linkage_industries_support(
    rng: random.Random, organizations: list[CollectiveOrganization], villages: list[Region]
) -> None:
    """Contracts between each company and the villages it serves, each village's industries in
    2020, and the key supported villages of 2020 with the support they received; one audit
    "create" row each, in bulk."""
    by_village = {o.village_id: o for o in organizations}
    contracts = []
    for company in Company.objects.prefetch_related("villages"):
        for village in company.villages.all():
            kind = rng.choice(ContractKind.values)
            start = dt.date(rng.randint(2016, 2020), rng.randint(1, 12), 1)
            contracts.append(
                LinkageContract(
                    company=company,
                    organization=by_village[village.pk],
                    kind=kind,
                    signed_on=start - dt.timedelta(days=rng.randint(5, 40)),
                    starts_on=start,
                    ends_on=start.replace(year=start.year + rng.choice([1, 3, 5])),
                    amount=Decimal(rng.randint(5, 80) * 10_000),
                    guaranteed_price=(
                        Decimal(rng.randint(200, 600)) / 100
                        if kind == ContractKind.GUARANTEED_PURCHASE
                        else None
                    ),
                    unit="公斤" if kind == ContractKind.GUARANTEED_PURCHASE else "",
                    households=rng.randint(20, 300),
                    terms=f"{company.industries}订单收购，保底价收购，优先吸纳本村劳动力务工。",
                )
            )
    LinkageContract.objects.bulk_create(contracts)
    industries = list(Industry.objects.all())
    scales = [
        VillageIndustry(
            village=village,
            industry=industry,
            year=YEARS[-1],
            area_mu=Decimal(rng.randint(50, 3000)),
            output=Decimal(rng.randint(10, 2000)),
            output_value=Decimal(rng.randint(5, 500) * 10_000),
            households=rng.randint(10, 400),
        )
        for village in villages
        for industry in rng.sample(industries, rng.randint(1, 3))
    ]
    VillageIndustry.objects.bulk_create(scales)
    supported = SupportedVillage.objects.bulk_create(
        SupportedVillage(village=village, year=YEARS[-1], reason="集体经济薄弱村，重点扶持")
        for village in rng.sample(villages, min(len(villages), 60))
    )
    sources = ["市财政衔接资金", "东西部协作资金", "市农业农村局", "市委组织部", "帮扶企业"]
    records = [
        SupportRecord(
            supported=s,
            form=form,
            date=dt.date(YEARS[-1], rng.randint(1, 12), rng.randint(1, 28)),
            amount=Decimal(rng.randint(5, 50) * 10_000) if form == SupportForm.FUNDING else ZERO,
            source=rng.choice(sources),
            description="",
        )
        for s in supported
        for form in rng.sample(SupportForm.values, rng.randint(1, 5))
    ]
    SupportRecord.objects.bulk_create(records)
    codes = {v.pk: v.code for v in villages}
    org_codes = {o.pk: codes[o.village_id] for o in organizations}
    supported_codes = {s.pk: codes[s.village_id] for s in supported}
    for model, items in (
        (LinkageContract, [(c.pk, str(c.kind), org_codes[c.organization_id]) for c in contracts]),
        (VillageIndustry, [(v.pk, v.industry.name, codes[v.village_id]) for v in scales]),
        (SupportedVillage, [(s.pk, str(s.year), codes[s.village_id]) for s in supported]),
        (SupportRecord, [(r.pk, r.form, supported_codes[r.supported_id]) for r in records]),
    ):
        audit_rows(
            actor=ACTOR,
            model=model,
            items=((AuditAction.CREATE, pk, text, code, {}) for pk, text, code in items),
        )
