"""Converting a village's 2004-chart books to the 2023 chart (新旧制度衔接, 财会〔2023〕20号): the
2024-01-01 opening balance sheet equals the 2023-12-31 closing one, line by line as the
correspondence table maps them; the officer's shares for accounts that split; one balanced
opening voucher; audited; undone until the first posting in the new chart; and books kept
elsewhere converted from their trial balance in Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for, make_user
from tests.economy.conftest import Books
from zhenxing.core.accounts.roles import Role
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.economy import services
from zhenxing.economy.models import (
    AccountBalance,
    ChartConversion,
    CollectiveOrganization,
    Voucher,
    VoucherKind,
)
from zhenxing.economy.rules.conversion import OldBalance
from zhenxing.economy.selectors import books as books_selectors
from zhenxing.economy.selectors import figures as figures_selectors
from zhenxing.economy.services import entities
from zhenxing.economy.services.conversion import chart_conversion_undo, chart_convert
from zhenxing.economy.services.summaries import ledger_mismatches

#: The village's 科目余额表 on 2023-01-01, in the official 2004 codes (debit +, credit −).
OPENING_2023 = {
    "101": 2_000, "102": 150_000, "112": 8_000, "113": 3_000, "121": 6_000,
    "131": 20_000, "132": 50_000, "141": 30_000, "151": 200_000, "152": -40_000,
    "201": -10_000, "202": -12_000, "212": -9_000, "231": -5_000,
    "301": -300_000, "311": -60_000, "322": -33_000,
}  # fmt: skip
#: A year of vouchers in the 2004 codes: (debit account, credit account, amount).
YEAR_2023 = [
    ("102", "501", 40_000),  # 经营收入
    ("102", "511", 12_000),  # 发包及上交收入
    ("102", "561", 5_000),  # 投资收益
    ("561", "141", 1_500),  # an investment loss
    ("102", "522", 21_000),  # 补助收入
    ("502", "102", 18_000),  # 经营支出
    ("541", "101", 1_200),  # 管理费用
    ("551", "102", 800),  # 其他支出
]
#: The officer's shares of the accounts that split (on each balance's own side).
SHARES = {
    ("131", "131"): Decimal("12000"),  # 牲畜（禽）资产: 育肥畜 → 消耗性生物资产
    ("131", "132"): Decimal("8000"),  # 产役畜 → 生产性生物资产
    ("132", "131"): Decimal("10000"),  # 林木资产: 用材林 → 消耗性
    ("132", "132"): Decimal("25000"),  # 经济林 → 生产性
    ("132", "134"): Decimal("15000"),  # 防护林 → 公益性
    ("212", "211"): Decimal("4000"),  # 应付福利费 still owed → 应付款
    ("212", "311"): Decimal("5000"),  # unused accrual → 公积公益金
}


def _post(books: Books, org: CollectiveOrganization, date: dt.date, lines: list[Any]) -> Voucher:
    draft = services.voucher_prepare(
        actor=books.world.city, organization=org, date=date, summary="记账", lines=lines
    )
    return services.voucher_post(actor=books.world.officer_a, voucher=draft)


def _line(code: str, amount: int) -> services.LineIn:
    return (
        services.LineIn(code, debit=amount) if amount > 0 else services.LineIn(code, credit=-amount)
    )


@pytest.fixture
def old_books(books: Books) -> CollectiveOrganization:
    """A village of township A keeping 2004-chart books here: its 2023 opening balances, a
    year of vouchers, the year carried forward and every month of 2023 closed."""
    org = entities.organization_create(
        actor=books.world.city,
        village=books.world.village_a2,
        name="竹箐村股份经济合作社",
        chart="2004",
    )
    _post(books, org, dt.date(2023, 1, 1), [_line(c, a) for c, a in OPENING_2023.items()])
    for month, (debit, credit, amount) in enumerate(YEAR_2023, start=2):
        date = dt.date(2023, month, 10)
        _post(
            books, org, date, [services.LineIn(debit, amount), services.LineIn(credit, 0, amount)]
        )
    carry = services.carry_forward(actor=books.world.city, organization=org, year=2023)
    services.voucher_post(actor=books.world.officer_a, voucher=carry)
    for month in range(1, 13):
        services.period_close(actor=books.world.officer_a, organization=org, year=2023, month=month)
    return org


#: 2004 balance-sheet line → the 2023 line the correspondence table moves it to unchanged.
SAME_LINES = {
    "货币资金": "货币资金",
    "应收款项": "应收款项",
    "长期投资": "长期投资",
    "固定资产原价": "固定资产原价",
    "减：累计折旧": "减：累计折旧",
    "固定资产净值": "固定资产净值",
    "在建工程": "在建工程",
    "固定资产清理": "固定资产清理",
    "短期借款": "短期借款",
    "应付工资": "应付工资",
    "长期借款及应付款": "长期借款及应付款",
    "一事一议资金": "一事一议资金",
    "资本": "资本",
    "未分配收益": "未分配收益",
    "资产总计": "资产总计",
    "负债和所有者权益总计": "负债和所有者权益总计",
}


def test_converted_books_open_2024_with_the_2023_closing_balance_sheet(
    books: Books, old_books: CollectiveOrganization
) -> None:
    org = old_books
    closing = books_selectors.balance_sheet(org, 2023, 12)
    assert closing.chart == "2004"
    assert closing.totals["assets"] == closing.totals["liabilities_and_equity"] == 485_500
    operating = figures_selectors.village_figures(region=org.village, year=2023)[0]
    assert operating.operating_income == 40_000 + 12_000 + 5_000 - 1_500

    conversion = chart_convert(actor=books.world.officer_a, organization=org, shares=SHARES)

    org.refresh_from_db()
    assert org.chart == "2023" and conversion.effective_on == dt.date(2024, 1, 1)
    opening = books_selectors.balance_sheet(org, 2024, 1)
    assert opening.chart == "2023"
    old, new = closing.by_label, opening.by_label
    for old_label, new_label in SAME_LINES.items():
        assert new[new_label] == old[old_label], (old_label, new_label)
    # The lines the table splits or joins: 消耗性生物资产 joins 存货; 生产性 and 公益性 are new;
    # 应付福利费 went partly to 应付款 and partly to 公积公益金.
    assert new["存货"] == old["存货"] + 12_000 + 10_000
    assert new["生产性生物资产原价"] == new["生产性生物资产净值"] == 8_000 + 25_000
    assert new["公益性生物资产"] == 15_000
    assert new["应付款项"] == old["应付款项"] + 4_000
    assert new["公积公益金"] == old["公积公益金"] + 5_000
    assert new["负债合计"] == old["负债合计"] - 5_000
    assert new["所有者权益合计"] == old["所有者权益合计"] + 5_000
    # Account by account: each new opening balance is what the table sends to it.
    tb = books_selectors.trial_balance(org, 2024, 1)
    assert tb.balanced
    closing_of = {r.account.code: r.closing for r in tb.rows if r.account.chart == "2023"}
    assert closing_of["101"] == 800 and closing_of["102"] == 209_200
    assert closing_of["211"] == 16_000 and closing_of["311"] == 65_000
    assert all(r.closing == 0 for r in tb.rows if r.account.chart == "2004")
    # One opening voucher, balanced, posted, kept apart from the year's income.
    voucher = conversion.voucher
    assert voucher.kind == VoucherKind.OPENING and voucher.status == "posted"
    lines = list(voucher.lines.all())
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    assert books_selectors.income_statement(org, 2024, 1).totals["operating_income"] == 0
    assert figures_selectors.village_figures(region=org.village, year=2024)[0].accumulation == (
        old["所有者权益合计"] + 5_000
    )
    assert ledger_mismatches() == []
    # Audited: the conversion, the organisation's chart, the opening voucher.
    assert AuditEntry.objects.filter(object_id=str(conversion.pk), action="create").exists()
    assert AuditEntry.objects.filter(
        object_id=str(org.pk), changes__chart=["2004", "2023"]
    ).exists()
    assert AuditEntry.objects.filter(object_id=str(voucher.pk), action="create").exists()


def test_a_split_balance_must_be_assigned_whole(
    books: Books, old_books: CollectiveOrganization
) -> None:
    shares = dict(SHARES)
    shares[("132", "134")] = Decimal("14000")  # 1,000 of 林木资产 left unassigned
    with pytest.raises(DomainError, match=r"132 林木资产: assign its balance of 50000\.00"):
        chart_convert(actor=books.world.officer_a, organization=old_books, shares=shares)
    old_books.refresh_from_db()
    assert old_books.chart == "2004" and not ChartConversion.objects.exists()
    with pytest.raises(DomainError, match="not a row of the correspondence table"):
        chart_convert(
            actor=books.world.officer_a,
            organization=old_books,
            shares=SHARES | {("101", "134"): Decimal("1")},
        )


def test_only_the_township_converts(books: Books, old_books: CollectiveOrganization) -> None:
    cadre = make_user("cadre_a2", Role.VILLAGE_CADRE, books.world.village_a2)
    with pytest.raises(Forbidden):
        chart_convert(actor=cadre, organization=old_books, shares=SHARES)
    page = client_for(cadre).get(reverse("economy:conversion", args=[old_books.pk]))
    assert page.status_code == 403
    assert not ChartConversion.objects.exists()


def test_a_conversion_is_undone_until_the_first_posting_in_the_new_chart(
    books: Books, old_books: CollectiveOrganization
) -> None:
    org = old_books
    before = books_selectors.balance_sheet(org, 2023, 12).by_label
    conversion = chart_convert(actor=books.world.officer_a, organization=org, shares=SHARES)
    undone = chart_conversion_undo(actor=books.world.officer_a, conversion=conversion)
    org.refresh_from_db()
    assert undone.status == "undone" and org.chart == "2004"
    assert undone.reversal.reverses_id == conversion.voucher_id
    # The old chart holds its balances again; the new accounts net to zero.
    assert books_selectors.balance_sheet(org, 2024, 1).by_label == before
    assert ledger_mismatches() == []
    # Converted again, then a first posting in the new chart: no more undo.
    again = chart_convert(actor=books.world.officer_a, organization=org, shares=SHARES)
    _post(
        books,
        org,
        dt.date(2024, 2, 1),
        [services.LineIn("102", 100), services.LineIn("501", 0, 100)],
    )
    with pytest.raises(DomainError, match="undone only until the first"):
        chart_conversion_undo(actor=books.world.officer_a, conversion=again)


def test_converted_books_refuse_postings_before_the_conversion(books: Books) -> None:
    org = entities.organization_create(
        actor=books.world.city, village=books.world.village_a2, name="竹箐村合作社", chart="2004"
    )
    _post(
        books,
        org,
        dt.date(2023, 5, 6),
        [services.LineIn("102", 500), services.LineIn("301", 0, 500)],
    )
    chart_convert(actor=books.world.officer_a, organization=org)
    with pytest.raises(DomainError, match="converted to the new chart from 2024-01-01"):
        _post(
            books,
            org,
            dt.date(2023, 6, 1),
            [services.LineIn("102", 1), services.LineIn("501", 0, 1)],
        )
    # In the new chart from 2024: 501 is 经营收入 there too, 301 资本.
    voucher = _post(
        books, org, dt.date(2024, 3, 1), [services.LineIn("102", 9), services.LineIn("501", 0, 9)]
    )
    assert voucher.lines.get(line_no=2).account.chart == "2023"


def test_an_opening_voucher_is_not_reversed_by_hand(
    books: Books, old_books: CollectiveOrganization
) -> None:
    conversion = chart_convert(actor=books.world.officer_a, organization=old_books, shares=SHARES)
    with pytest.raises(DomainError, match="undone with its chart conversion"):
        services.voucher_reverse(actor=books.world.officer_a, voucher=conversion.voucher)


# ---- books kept elsewhere: the trial balance from Excel -------------------------------------


def _trial_balance_xlsx(balances: dict[str, int], names: dict[str, str]) -> bytes:
    """A 科目余额表 as accounting software exports it: a title, two header rows (期末余额 over
    借方 and 贷方), a sub-account row and a total row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["科目余额表", None, None, None, None, None, None, None])
    sheet.append(["科目编码", "科目名称", "期初余额", None, "本期发生额", None, "期末余额", None])
    sheet.append([None, None, "借方", "贷方", "借方", "贷方", "借方", "贷方"])
    for code, amount in balances.items():
        debit, credit = (amount, None) if amount > 0 else (None, -amount)
        sheet.append([code, names[code], debit, credit, 0, 0, debit, credit])
        if code == "102":
            sheet.append(["10201", "农村信用社", debit, credit, 0, 0, debit, credit])
    sheet.append(["合计", None, None, None, None, None, 1, 1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NAMES_2004 = {
    "101": "现金", "102": "银行存款", "112": "应收款", "113": "内部往来", "121": "库存物资",
    "131": "牲畜（禽）资产", "132": "林木资产", "141": "长期投资", "151": "固定资产",
    "152": "累计折旧", "201": "短期借款", "202": "应付款", "212": "应付福利费",
    "231": "一事一议资金", "301": "资本", "311": "公积公益金", "322": "收益分配",
}  # fmt: skip


def _client(user: Any) -> Client:
    client = client_for(user)
    client.cookies["django_language"] = "en"  # the assertions read English messages
    return client


def test_books_kept_elsewhere_convert_from_their_trial_balance_on_the_page(books: Books) -> None:
    org = entities.organization_create(
        actor=books.world.city, village=books.world.village_a2, name="竹箐村合作社", chart="2004"
    )
    client = _client(books.world.officer_a)
    url = reverse("economy:conversion", args=[org.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="trial_balance"' in page.content.decode()
    upload = SimpleUploadedFile("科目余额表.xlsx", _trial_balance_xlsx(OPENING_2023, NAMES_2004))
    preview = client.post(url, {"action": "preview", "trial_balance": upload})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'name="share_132_134"' in html and "防风固沙林" in html  # the rule beside the field
    balances = preview.context["form"]["balances"].value()
    form = {"action": "convert", "balances": balances} | {
        f"share_{old}_{new}": str(amount) for (old, new), amount in SHARES.items()
    }
    done = client.post(url, form)
    assert done.status_code == 302, done.content.decode()[:2000]
    org.refresh_from_db()
    assert org.chart == "2023"
    conversion = ChartConversion.objects.get(organization=org)
    assert conversion.source == "file"
    sheet = books_selectors.balance_sheet(org, 2024, 1)
    assert sheet.totals["assets"] == sheet.totals["liabilities_and_equity"] == 429_000
    assert sheet.by_label["公益性生物资产"] == 15_000
    assert not AccountBalance.objects.filter(organization=org, account__chart="2004").exists()


def test_a_trial_balance_with_a_wrong_name_is_refused_with_its_row(books: Books) -> None:
    org = entities.organization_create(
        actor=books.world.city, village=books.world.village_a2, name="竹箐村合作社", chart="2004"
    )
    names = NAMES_2004 | {"202": "应付账款"}
    upload = SimpleUploadedFile("tb.xlsx", _trial_balance_xlsx(OPENING_2023, names))
    page = _client(books.world.officer_a).post(
        reverse("economy:conversion", args=[org.pk]), {"action": "preview", "trial_balance": upload}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "account 202 is 应付款, not 应付账款" in html
    org.refresh_from_db()
    assert org.chart == "2004" and not ChartConversion.objects.exists()


def test_imported_balances_that_do_not_balance_are_refused(books: Books) -> None:
    org = entities.organization_create(
        actor=books.world.city, village=books.world.village_a2, name="竹箐村合作社", chart="2004"
    )
    with pytest.raises(DomainError, match="does not balance"):
        chart_convert(
            actor=books.world.officer_a,
            organization=org,
            balances=[
                OldBalance("102", "银行存款", Decimal("100")),
                OldBalance("301", "资本", Decimal("-90")),
            ],
        )
