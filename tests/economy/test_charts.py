"""The official charts as data: shipped copies equal the reference data, the tables equal the
files, every account lands on the balance sheet once, no account code in the economy app's
code, the migration re-keys old books by name, and operating income by each chart's formula."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps

from tests.economy.conftest import Books, post
from zhenxing.core.audit.models import AuditEntry
from zhenxing.economy import services
from zhenxing.economy.models import (
    Account,
    AccountBalance,
    AccountCorrespondence,
    AccountRole,
    ChartRole,
    FigureTerm,
    StatementLine,
    Voucher,
    VoucherKind,
    VoucherLine,
    YearFigures,
)
from zhenxing.economy.selectors import books as books_selectors
from zhenxing.economy.selectors import figures as figures_selectors
from zhenxing.economy.selectors.charts import clear_chart_cache
from zhenxing.economy.services import entities
from zhenxing.economy.services.summaries import ledger_mismatches

APP = Path(__file__).resolve().parents[2] / "src" / "zhenxing" / "economy"
DATA = APP / "data" / "charts"
#: The project's checked reference data, beside the repository in the workspace.
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "charts-of-accounts"
#: sha256 of the reference files (``shared/data/charts-of-accounts``), as recorded in
#: ``data/SOURCE.md``: the shipped copies must be byte-for-byte the same.
DIGESTS = {
    "accounts-2023.csv": "7fa76eceb49a53df447e1f6c02d8dcaaac0f2dcd1cfa218436c6f83c54cfc96f",
    "accounts-2004.csv": "8bca100dd2efcaadd6c5b1a0568cca2efcf2e524e4185966cc8d655cb7137926",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", sorted(DIGESTS))
def test_the_shipped_charts_are_the_reference_data(name: str) -> None:
    shipped = (DATA / name).read_bytes()
    assert hashlib.sha256(shipped).hexdigest() == DIGESTS[name]
    assert DIGESTS[name] in (APP / "data" / "SOURCE.md").read_text(encoding="utf-8")
    reference = REFERENCE / name
    if reference.exists():  # in the workspace: compare with the file itself too
        assert shipped == reference.read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("chart", ["2023", "2004"])
def test_the_chart_tables_equal_the_data_files(chart: str) -> None:
    expected = {
        (r["code"], r["name"], r["class"], r["normal_side"])
        for r in _rows(DATA / f"accounts-{chart}.csv")
    }
    stored = set(
        Account.objects.filter(chart=chart).values_list("code", "name", "category", "normal_side")
    )
    assert stored == expected
    assert len(stored) == {"2023": 42, "2004": 34}[chart]  # 2004: with optional 241
    roles = {r["role"]: r["code"] for r in _rows(DATA / "roles.csv") if r["chart"] == chart}
    assert roles.keys() == set(AccountRole.values)
    assert {r.role: r.account.code for r in ChartRole.objects.filter(chart=chart)} == roles
    assert StatementLine.objects.filter(chart=chart).count() == len(
        [r for r in _rows(DATA / "statements.csv") if r["chart"] == chart]
    )
    assert (
        FigureTerm.objects.filter(chart=chart, figure="operating_income").count()
        == {
            "2023": 2,
            "2004": 3,
        }[chart]
    )


@pytest.mark.django_db
def test_the_correspondence_table_sends_every_old_account_somewhere() -> None:
    rows = _rows(DATA / "correspondence.csv")
    old = {r["code"]: r["name"] for r in _rows(DATA / "accounts-2004.csv")}
    new = {r["code"]: r["name"] for r in _rows(DATA / "accounts-2023.csv")}
    assert {r["old_code"] for r in rows} == set(old)
    for r in rows:
        assert (old[r["old_code"]], new[r["new_code"]]) == (r["old_name"], r["new_name"])
        assert r["kind"] == "direct" or r["rule"], r  # every split says how to assign it
    splits = {r["old_name"] for r in rows if r["kind"] == "split"}
    assert {"牲畜（禽）资产", "林木资产", "发包及上交收入", "应付福利费"} <= splits
    assert AccountCorrespondence.objects.count() == len(rows)


@pytest.mark.parametrize("chart", ["2023", "2004"])
def test_every_account_lands_on_the_balance_sheet_exactly_once(chart: str) -> None:
    codes = [r["code"] for r in _rows(DATA / f"accounts-{chart}.csv")]
    lines = [
        r
        for r in _rows(DATA / "statements.csv")
        if r["chart"] == chart and r["statement"] == "balance_sheet"
    ]
    hits = dict.fromkeys(codes, 0)
    for line in lines:
        for token in line["accounts"].split():
            prefix, _sep, part = token.lstrip("+-").partition(":")
            for code in codes:
                if code.startswith(prefix):
                    # 内部往来 appears twice, once per side of its balance.
                    hits[code] += 0.5 if part else 1
    assert {c: n for c, n in hits.items() if n != 1} == {}
    rows = [int(r["row"]) for r in lines]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)


#: A quoted three-digit account code in Python source.
CODE_LITERAL = re.compile(r"""(?<![\w.])(['"])[1-5]\d{2}\1""")


def test_no_account_code_in_the_economy_apps_code() -> None:
    assert CODE_LITERAL.search('lines.append(LineIn("322", debit=x))')  # the check can fail
    assert not CODE_LITERAL.search('year = "2023"; pk = "1001"')
    found = []
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP)
        if relative.parts[0] in ("data", "migrations"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CODE_LITERAL.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


# ---- the migration --------------------------------------------------------------------------


def _old_chart() -> dict[str, Account]:
    """The chart as migration 0002 loaded it (wrong codes), with the catalogue cleared."""
    for model in (AccountCorrespondence, StatementLine, ChartRole, FigureTerm):
        model.objects.all().delete()
    Account.objects.all().delete()
    path = APP / "migrations" / "data" / "0002_accounts.csv"
    accounts = {}
    for row in _rows(path):
        accounts[(row["chart"], row["code"])] = Account.objects.create(
            chart=row["chart"],
            code=row["code"],
            name=row["name"],
            category=row["category"],
            normal_side=row["normal_side"],
        )
    return {code: a for (chart, code), a in accounts.items() if chart == "2023"}


@pytest.mark.django_db
def test_the_migration_rekeys_old_books_by_account_name(books: Books) -> None:
    migration = importlib.import_module("zhenxing.economy.migrations.0010_rekey_official_charts")
    old = _old_chart()
    org = books.org_a
    year = dt.date(2020, 3, 1)

    def voucher(number: int, lines: list[tuple[str, str, str]]) -> Voucher:
        v = Voucher.objects.create(
            organization=org,
            year=2020,
            month=3,
            number=number,
            date=year,
            summary="旧账",
            status="posted",
        )
        for i, (code, debit, credit) in enumerate(lines, 1):
            VoucherLine.objects.create(
                voucher=v,
                line_no=i,
                account=old[code],
                debit=Decimal(debit),
                credit=Decimal(credit),
            )
        return v

    # Old codes: 502 经营支出, 511 发包及上交收入, 541 投资收益, 551 管理费用, 171 公益性基础设施.
    voucher(1, [("102", "5000", "0"), ("511", "0", "5000")])
    voucher(2, [("102", "800", "0"), ("541", "0", "800")])
    voucher(3, [("502", "1200", "0"), ("551", "300", "0"), ("102", "0", "1500")])
    voucher(4, [("171", "2000", "0"), ("102", "0", "2000")])
    voucher(
        5,
        [
            ("501", "4300", "0"),
            ("541", "800", "0"),
            ("502", "0", "1200"),
            ("551", "0", "300"),
            ("321", "0", "3600"),
        ],
    )  # the year-end carry-forward
    migration.forwards(apps, None)
    clear_chart_cache()

    def accounts_of(number: int) -> list[tuple[str, str]]:
        v = Voucher.objects.get(organization=org, number=number)
        return [(line.account.code, line.account.name) for line in v.lines.order_by("line_no")]

    assert accounts_of(1) == [("102", "银行存款"), ("501", "经营收入")]
    assert accounts_of(2) == [("102", "银行存款"), ("502", "投资收益")]
    assert accounts_of(3) == [("511", "经营支出"), ("513", "管理费用"), ("102", "银行存款")]
    assert accounts_of(4) == [("151", "固定资产"), ("102", "银行存款")]
    assert Voucher.objects.get(organization=org, number=5).kind == VoucherKind.CARRY_FORWARD
    for v in Voucher.objects.filter(organization=org):
        lines = list(v.lines.all())
        assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    assert not Account.objects.filter(chart="2023", name="发包及上交收入").exists()
    assert Account.objects.filter(chart="2023").count() == 42
    assert Account.objects.filter(chart="2004").count() == 34
    assert ledger_mismatches() == []
    # Operating income by the official 2023 formula: 经营收入 5,000 + 投资收益 800, the
    # carry-forward left out.
    figures = YearFigures.objects.get(organization=org, year=2020)
    assert figures.operating_income_fen == 580_000
    changed = AuditEntry.objects.filter(actor_label="migration economy.0010")
    assert changed.filter(changes__code=["502", "511"]).exists()
    assert changed.filter(changes__code=["541", "502"]).exists()
    assert changed.filter(action="delete", changes__folded_into=[None, "501"]).exists()


# ---- operating income -------------------------------------------------------------------------


def post_in(
    books: Books, org: object, lines: list[tuple[str, object, object]], date: dt.date
) -> None:
    """Prepare as the city, post as township A's officer (for a second village of township A)."""
    draft = services.voucher_prepare(
        actor=books.world.city,
        organization=org,  # type: ignore[arg-type]
        date=date,
        summary="往来",
        lines=[services.LineIn(a, d, c) for a, d, c in lines],  # type: ignore[arg-type]
    )
    services.voucher_post(actor=books.world.officer_a, voucher=draft)


def _income_of(books: Books, org: object, year: int) -> Decimal:
    [figures] = figures_selectors.village_figures(region=org.village, year=year)  # type: ignore[attr-defined]
    statement = books_selectors.income_statement(org, year, 12)  # type: ignore[arg-type]
    assert statement.totals["operating_income"] == figures.operating_income
    return figures.operating_income


def test_operating_income_under_the_2023_chart_is_net_of_losses_and_corrections(
    books: Books,
) -> None:
    d = dt.date(2024, 5, 1)
    post(books, [("102", "10000", 0), ("501", 0, "10000")], date=d)  # 经营收入
    post(books, [("501", "500", 0), ("102", 0, "500")], date=d)  # a sales return, on the debit
    post(books, [("102", "3000", 0), ("502", 0, "3000")], date=d)  # 投资收益
    post(books, [("502", "1000", 0), ("141", 0, "1000")], date=d)  # an investment loss
    post(books, [("102", "5000", 0), ("503", 0, "5000")], date=d)  # 补助收入: not operating
    post(books, [("513", "700", 0), ("102", 0, "700")], date=d)  # 管理费用: not income
    expected = Decimal("10000") - 500 + 3000 - 1000
    assert _income_of(books, books.org_a, 2024) == expected
    carry = services.carry_forward(actor=books.world.cadre_a, organization=books.org_a, year=2024)
    services.voucher_post(actor=books.accountant_a, voucher=carry)
    assert _income_of(books, books.org_a, 2024) == expected  # the carry-forward changes nothing
    statement = books_selectors.income_statement(books.org_a, 2024, 12).by_label
    assert statement["二、经营收益"] == expected - 700
    assert statement["四、净收益"] == expected - 700 + 5000


def test_operating_income_under_the_2004_chart_adds_contracting_income(books: Books) -> None:
    org = entities.organization_create(
        actor=books.world.city,
        village=books.world.village_a2,
        name="竹箐村股份经济合作社",
        chart="2004",
    )
    d = dt.date(2023, 6, 1)
    lines = [
        [("102", "8000", 0), ("501", 0, "8000")],  # 经营收入
        [("102", "2000", 0), ("511", 0, "2000")],  # 发包及上交收入
        [("102", "1500", 0), ("561", 0, "1500")],  # 投资收益
        [("561", "400", 0), ("141", 0, "400")],  # an investment loss
        [("541", "700", 0), ("102", 0, "700")],  # 541 is 管理费用 in 2004: never income
        [("102", "900", 0), ("522", 0, "900")],  # 补助收入
    ]
    for line in lines:
        post_in(books, org, line, d)
    assert _income_of(books, org, 2023) == Decimal("8000") + 2000 + 1500 - 400
    statement = books_selectors.income_statement(org, 2023, 12).by_label
    assert statement["二、经营收益"] == Decimal("11100") - 700
    assert statement["三、本年收益"] == Decimal("10400") + 900
    sheet = books_selectors.balance_sheet(org, 2023, 12)
    assert sheet.totals["assets"] == sheet.totals["liabilities_and_equity"]
    assert sheet.by_label["货币资金"] == Decimal("8000") + 2000 + 1500 - 700 + 900


def test_the_2004_chart_refuses_postings_after_2023(books: Books) -> None:
    from zhenxing.core.errors import DomainError

    org = entities.organization_create(
        actor=books.world.city,
        village=books.world.village_a2,
        name="竹箐村股份经济合作社",
        chart="2004",
    )
    with pytest.raises(DomainError, match="convert this organisation's books"):
        post_in(books, org, [("102", "100", 0), ("501", 0, "100")], dt.date(2024, 1, 2))
    assert not AccountBalance.objects.filter(organization=org).exists()
