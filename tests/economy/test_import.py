"""Vouchers from Excel: checked whole, written whole as drafts, approved by another person."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import openpyxl
from django.urls import reverse

from tests.conftest import client_for
from tests.economy.conftest import Books
from zhenxing.economy import services
from zhenxing.economy.importers.vouchers import import_vouchers, voucher_spec
from zhenxing.economy.models import AccountBalance, Voucher, VoucherStatus
from zhenxing.economy.selectors import figures as figures_selectors
from zhenxing.economy.services.summaries import ledger_mismatches
from zhenxing.io.models import ImportRun
from zhenxing.io.readers import read_rows

HEADER = "村代码,凭证号,日期,摘要,科目编号,借方金额,贷方金额,附单据数"


def rows(text: str, encoding: str = "utf-8-sig"):  # type: ignore[no-untyped-def]
    data = (HEADER + "\n" + text).encode(encoding)
    return read_rows(data, "vouchers.csv", max_bytes=10_000_000)


def test_a_month_of_books_imports_as_drafts_and_another_person_posts_them(books: Books) -> None:
    village = books.world.village_a.code
    csv = (
        f"{village},1,2024-03-05,收到鱼塘发包收入,102,12000.00,,2\n"
        f"{village},1,2024-03-05,收到鱼塘发包收入,501,,12000.00,\n"
        f"{village},2,2024/3/20,支付管理费用,513,800,,1\n"
        f"{village},2,2024/3/20,支付管理费用,101,,800,\n"
    )
    result = import_vouchers(actor=books.world.cadre_a, rows=rows(csv))
    assert result.ok, result.errors
    assert (result.vouchers_created, result.lines) == (2, 4)
    assert set(Voucher.objects.values_list("status", flat=True)) == {VoucherStatus.DRAFT}
    assert Voucher.objects.get(number=1).attachments == 2
    # The importer cannot approve their own import; the accountant posts all of it at once.
    assert services.vouchers_post_drafts(actor=books.world.cadre_a, organization=books.org_a) == 0
    assert services.vouchers_post_drafts(actor=books.accountant_a, organization=books.org_a) == 2
    [figures] = figures_selectors.village_figures(region=books.world.village_a, year=2024)
    assert figures.operating_income == Decimal("12000.00")
    assert figures.accumulation == Decimal("11200.00")
    assert ledger_mismatches() == []


def test_every_bad_row_is_reported_and_nothing_is_written(books: Books) -> None:
    a, b = books.world.village_a.code, books.world.village_b.code
    csv = (
        f"{a},1,2024-03-05,收到租金,102,100,,\n"
        f"{a},1,2024-03-05,收到租金,501,,99.99,\n"  # voucher 1 does not balance
        f"{a},2,2024-03-06,购买物资,999,50,,\n"  # no such account
        f"{a},2,2024-03-06,购买物资,101,,50,\n"
        f"{a},3,2024-03-07,错填,102,10,10,\n"  # both amounts
        f"{a},3,2024-03-07,错填,501,,10,\n"
        f"{b},1,2024-03-05,别的乡镇,102,10,,\n"  # another township's village
        f"{b},1,2024-03-05,别的乡镇,501,,10,\n"
        f"{a},4,2024-03-08,日期不一,102,5,,\n"
        f"{a},4,2024-03-09,日期不一,501,,5,\n"  # lines on different dates
        f"{a},5,2024-13-01,坏日期,102,5,,\n"  # not a date
    )
    result = import_vouchers(actor=books.world.officer_a, rows=rows(csv))
    where = {(e.row, e.column) for e in result.errors}
    # Columns named as the file spells them.
    assert where == {
        (2, "凭证号"),
        (4, "科目编号"),
        (6, "借方金额"),
        (8, "村代码"),
        (11, "日期"),
        (12, "日期"),
    }
    assert any("does not balance" in e.reason for e in result.errors)
    assert any(
        "There is no account 999 in 农村集体经济组织会计制度" in e.reason for e in result.errors
    )
    assert not Voucher.objects.exists()


def test_a_gb18030_file_from_chinese_excel_imports(books: Books) -> None:
    village = books.world.village_a.code
    csv = (
        f"{village},1,2024年3月5日,收到补助资金,102,5000,,\n"
        f"{village},1,2024年3月5日,收到补助资金,503,,5000,\n"
    )
    result = import_vouchers(actor=books.world.cadre_a, rows=rows(csv, "gb18030"))
    assert result.ok and result.vouchers_created == 1
    assert Voucher.objects.get().summary == "收到补助资金"


def test_the_template_and_the_upload_page(books: Books) -> None:
    cadre = client_for(books.world.cadre_a)
    template = cadre.get(reverse("economy:voucher_import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content))).active
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    labels = [str(f.label) for f in voucher_spec().fields]
    # In the user's language (the page's, Chinese by default); required columns starred.
    assert headers == [
        "*村代码",
        "*凭证号",
        "*日期",
        "*摘要",
        "*科目编号",
        "科目名称",
        "借方",
        "贷方",
        "附单据数",
    ]
    assert len(labels) == len(headers)
    village = books.world.village_a.code
    upload = io.BytesIO(
        (
            HEADER
            + f"\n{village},7,2024-05-01,收到租金,102,10,,"
            + f"\n{village},7,2024-05-01,收到租金,511,,10,\n"
        ).encode()
    )
    upload.name = "books.csv"
    response = cadre.post(reverse("economy:voucher_import"), {"file": upload})
    assert response.status_code == 302
    page = cadre.get(response["Location"]).content.decode()
    assert 'data-count="vouchers_created">1<' in page


def test_the_upload_is_ios_page_behind_the_voucher_add_permission(books: Books) -> None:
    assert client_for(books.world.grid_a).get(reverse("economy:voucher_import")).status_code == 403
    page = client_for(books.world.cadre_a).get(reverse("economy:voucher_import"))
    assert page.status_code == 200
    assert reverse("io:import_template", args=["vouchers"]) in page.content.decode()


NAMED = "村代码,凭证号,日期,摘要,科目编号,科目名称,借方金额,贷方金额"


def named_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    return read_rows((NAMED + "\n" + text).encode(), "vouchers.csv", max_bytes=10_000_000)


def official_2023_file(village: str) -> str:
    return (
        f"{village},1,2024-03-05,收到分红,102,银行存款,3000,\n"
        f"{village},1,2024-03-05,收到分红,502,投资收益,,3000\n"
        f"{village},2,2024-03-06,收到补助,102,银行存款,5000,\n"
        f"{village},2,2024-03-06,收到补助,503,补助收入,,5000\n"
        f"{village},3,2024-03-07,支付经营支出,511,经营支出,700,\n"
        f"{village},3,2024-03-07,支付经营支出,102,银行存款,,700\n"
    )


def test_a_file_in_the_official_2023_codes_with_names_lands_on_the_accounts_named(
    books: Books,
) -> None:
    result = import_vouchers(
        actor=books.world.cadre_a, rows=named_rows(official_2023_file(books.world.village_a.code))
    )
    assert result.ok, result.errors
    assert (result.vouchers_created, result.lines) == (3, 6)
    assert services.vouchers_post_drafts(actor=books.accountant_a, organization=books.org_a) == 3
    turnover = {
        b.account.name: (b.debit_fen, b.credit_fen)
        for b in AccountBalance.objects.filter(organization=books.org_a).select_related("account")
    }
    assert turnover == {
        "银行存款": (800000, 70000),
        "投资收益": (0, 300000),
        "补助收入": (0, 500000),
        "经营支出": (70000, 0),
    }
    assert {b.account.chart for b in AccountBalance.objects.select_related("account")} == {"2023"}


def test_a_file_declared_in_the_2004_chart_is_refused_when_it_follows_the_2023_one(
    books: Books,
) -> None:
    before = Voucher.objects.count()
    result = import_vouchers(
        actor=books.world.cadre_a,
        rows=named_rows(official_2023_file(books.world.village_a.code)),
        options={"chart": "2004"},
    )
    assert not result.ok and result.vouchers_created == 0
    assert Voucher.objects.count() == before == 0
    by_row = {(e.row, e.column): e.reason for e in result.errors}
    # The 2024 books of a 2023-chart organisation do not follow the declared chart.
    assert "follow 农村集体经济组织会计制度（财会〔2023〕14号）" in by_row[(2, "日期")]
    assert "not the declared 村集体经济组织会计制度（财会〔2004〕12号）" in by_row[(2, "日期")]
    # 502 is 经营支出 in 2004: both names, where 投资收益 sits in 2004, and the better chart.
    reason = by_row[(3, "科目编号")]
    assert reason.startswith(
        "Account 502 is 经营支出 in 村集体经济组织会计制度（财会〔2004〕12号）, not 投资收益 "
        "(投资收益 is 561 there)."
    )
    assert reason.endswith(
        "The file seems to follow 农村集体经济组织会计制度（财会〔2023〕14号）: "
        "choose that chart for this import."
    )
    # 503 does not exist in 2004; 511 is 发包及上交收入 there.
    assert by_row[(5, "科目编号")].startswith(
        "There is no account 503 in 村集体经济组织会计制度（财会〔2004〕12号）."
    )
    assert "Account 511 is 发包及上交收入" in by_row[(6, "科目编号")]
    assert (2, "科目编号") not in by_row  # 102 银行存款 is the same in both charts


def test_a_2004_code_in_a_2023_organisations_file_names_both_accounts(books: Books) -> None:
    village = books.world.village_a.code
    csv = (
        f"{village},1,2024-03-05,支付经营支出,502,经营支出,700,\n"
        f"{village},1,2024-03-05,支付经营支出,102,银行存款,,700\n"
    )
    result = import_vouchers(actor=books.world.cadre_a, rows=named_rows(csv))
    [error] = result.errors
    assert (error.row, error.column, error.value) == (2, "科目编号", "502")
    assert error.reason == (
        "Account 502 is 投资收益 in 农村集体经济组织会计制度（财会〔2023〕14号）, not 经营支出 "
        "(经营支出 is 511 there). The file seems to follow "
        "村集体经济组织会计制度（财会〔2004〕12号）: choose that chart for this import."
    )
    assert not Voucher.objects.exists()


def test_names_are_compared_without_spaces_and_with_either_parentheses(books: Books) -> None:
    village = books.world.village_a.code
    csv = (
        f"{village},1,2024-03-05,收到分红,102,银行 存款,3000,\n"
        f"{village},1,2024-03-05,收到分红,502, 投资收益 ,,3000\n"
    )
    result = import_vouchers(actor=books.world.cadre_a, rows=named_rows(csv))
    assert result.ok, result.errors


def test_a_name_found_nowhere_in_the_chart_says_only_which_account_the_code_is(
    books: Books,
) -> None:
    village = books.world.village_a.code
    csv = (
        f"{village},1,2024-03-05,收到分红,102,银行存款,3000,\n"
        f"{village},1,2024-03-05,收到分红,502,分红收入,,3000\n"
    )
    [error] = import_vouchers(actor=books.world.cadre_a, rows=named_rows(csv)).errors
    assert error.reason == (
        "Account 502 is 投资收益 in 农村集体经济组织会计制度（财会〔2023〕14号）, not 分红收入."
    )


def test_declaring_the_organisations_own_chart_changes_nothing(books: Books) -> None:
    result = import_vouchers(
        actor=books.world.cadre_a,
        rows=named_rows(official_2023_file(books.world.village_a.code)),
        options={"chart": "2023"},
    )
    assert result.ok and result.vouchers_created == 3


def test_the_upload_page_asks_for_the_chart_and_refuses_an_unknown_one(books: Books) -> None:
    cadre = client_for(books.world.cadre_a)
    cadre.cookies["django_language"] = "en"
    page = cadre.get(reverse("economy:voucher_import")).content.decode()
    assert '<select name="chart"' in page
    assert '<option value="" selected>The organisation&#x27;s own chart</option>' in page
    assert '<option value="2004">村集体经济组织会计制度（财会〔2004〕12号）</option>' in page
    assert "The chart the file&#x27;s account codes follow." in page
    village = books.world.village_a.code
    upload = io.BytesIO(official_2023_file(village).encode())
    upload.name = "books.csv"
    response = cadre.post(reverse("economy:voucher_import"), {"file": upload, "chart": "1999"})
    assert response.status_code == 200
    assert 'data-field="chart"' in response.content.decode()
    assert not Voucher.objects.exists()
    # A valid choice goes through and is kept on the run.
    upload = io.BytesIO((NAMED + "\n" + official_2023_file(village)).encode())
    upload.name = "books.csv"
    response = cadre.post(reverse("economy:voucher_import"), {"file": upload, "chart": "2023"})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.options == {"chart": "2023"} and run.status == "done"
    assert Voucher.objects.count() == 3


def test_a_rules_reason_reads_in_each_readers_language(books: Books) -> None:
    """The books' rules give their reasons as messages: an import made in Chinese reads in
    English for an English reader (the result page and the error report keep them so)."""
    from django.utils import translation

    from zhenxing.io.specs import Message

    a = books.world.village_a.code
    csv = f"{a},1,2024-03-05,收到租金,102,100,,\n{a},1,2024-03-05,收到租金,501,,99.99,\n"
    with translation.override("zh-hans"):
        result = import_vouchers(actor=books.world.cadre_a, rows=rows(csv))
    [error] = result.errors
    assert isinstance(error.reason, Message)
    with translation.override("en"):
        assert str(error.reason) == "The voucher does not balance: debits 100.00, credits 99.99."
    with translation.override("zh-hans"):
        assert str(error.reason) == "借贷不平衡：借方合计 100.00，贷方合计 99.99。"
