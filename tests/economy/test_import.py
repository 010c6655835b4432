"""Vouchers from Excel: checked whole, written whole as drafts, approved by another person."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.urls import reverse

from tests.conftest import client_for
from tests.economy.conftest import Books
from zhenxing.economy import services
from zhenxing.economy.importers.vouchers import import_vouchers, voucher_spec
from zhenxing.economy.models import Voucher, VoucherStatus
from zhenxing.economy.selectors import figures as figures_selectors
from zhenxing.economy.services.summaries import ledger_mismatches
from zhenxing.io.readers import read_rows

HEADER = "村代码,凭证号,日期,摘要,科目编号,借方金额,贷方金额,附单据数"


def rows(text: str, encoding: str = "utf-8-sig"):  # type: ignore[no-untyped-def]
    data = (HEADER + "\n" + text).encode(encoding)
    return read_rows(data, "vouchers.csv", max_bytes=10_000_000)


def test_a_month_of_books_imports_as_drafts_and_another_person_posts_them(books: Books) -> None:
    village = books.world.village_a.code
    csv = (
        f"{village},1,2024-03-05,收到鱼塘发包收入,102,12000.00,,2\n"
        f"{village},1,2024-03-05,收到鱼塘发包收入,511,,12000.00,\n"
        f"{village},2,2024/3/20,支付管理费用,551,800,,1\n"
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
        f"{a},1,2024-03-05,收到租金,511,,99.99,\n"  # voucher 1 does not balance
        f"{a},2,2024-03-06,购买物资,999,50,,\n"  # no such account
        f"{a},2,2024-03-06,购买物资,101,,50,\n"
        f"{a},3,2024-03-07,错填,102,10,10,\n"  # both amounts
        f"{a},3,2024-03-07,错填,511,,10,\n"
        f"{b},1,2024-03-05,别的乡镇,102,10,,\n"  # another township's village
        f"{b},1,2024-03-05,别的乡镇,511,,10,\n"
        f"{a},4,2024-03-08,日期不一,102,5,,\n"
        f"{a},4,2024-03-09,日期不一,511,,5,\n"  # lines on different dates
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
    assert not Voucher.objects.exists()


def test_a_gb18030_file_from_chinese_excel_imports(books: Books) -> None:
    village = books.world.village_a.code
    csv = (
        f"{village},1,2024年3月5日,收到补助资金,102,5000,,\n"
        f"{village},1,2024年3月5日,收到补助资金,521,,5000,\n"
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
