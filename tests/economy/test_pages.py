"""The books and dashboards in the browser's shoes: forms, approval, reports, exports."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
from django.urls import reverse

from tests.conftest import client_for
from tests.economy.conftest import Books, post
from zhenxing.economy.models import Voucher, VoucherStatus

RENT = {
    "date": "2020-06-01",
    "summary": "收到鱼塘承包费",
    "attachments": "2",
    "account_0": "102",
    "debit_0": "6800.50",
    "account_1": "501",
    "credit_1": "6800.50",
}


def test_a_cadre_prepares_a_voucher_another_approves_and_the_figures_change(books: Books) -> None:
    cadre, accountant = client_for(books.world.cadre_a), client_for(books.accountant_a)
    org = books.org_a
    page = cadre.get(reverse("economy:organization_detail", args=[org.pk])).content.decode()
    assert "尚无已记账凭证" in page  # no figures yet
    response = cadre.post(reverse("economy:voucher_create", args=[org.pk]), RENT)
    voucher = Voucher.objects.get()
    assert response["Location"] == reverse("economy:voucher_detail", args=[voucher.pk])
    assert voucher.status == VoucherStatus.DRAFT and voucher.attachments == 2
    # The preparer is not offered the approval button; the accountant is.
    own = cadre.get(reverse("economy:voucher_detail", args=[voucher.pk])).content.decode()
    assert reverse("economy:voucher_post", args=[voucher.pk]) not in own
    detail = accountant.get(reverse("economy:voucher_detail", args=[voucher.pk])).content.decode()
    assert reverse("economy:voucher_post", args=[voucher.pk]) in detail
    accountant.post(reverse("economy:voucher_post", args=[voucher.pk]))
    page = cadre.get(reverse("economy:organization_detail", args=[org.pk])).content.decode()
    assert 'data-year="2020">6,800.50<' in page


def test_an_unbalanced_form_says_why_and_writes_nothing(books: Books) -> None:
    cadre = client_for(books.world.cadre_a)
    bad = RENT | {"credit_1": "6800.00"}
    page = cadre.post(reverse("economy:voucher_create", args=[books.org_a.pk]), bad)
    assert page.status_code == 200
    assert "借贷不平衡：借方合计 6800.50，贷方合计 6800.00。" in page.content.decode()
    assert not Voucher.objects.exists()


def test_the_month_reports_balance(books: Books) -> None:
    post(books, [("102", "9000", 0), ("301", 0, "9000")])
    post(books, [("511", "1200", 0), ("102", 0, "1200")])
    page = client_for(books.world.officer_a).get(
        reverse("economy:organization_reports", args=[books.org_a.pk]), {"year": 2020, "month": 3}
    )
    body = page.content.decode()
    assert 'data-balanced="yes"' in body
    assert "7,800.00" in body  # the bank journal's balance after both vouchers


def test_every_chart_downloads_as_xlsx_with_the_same_numbers(books: Books) -> None:
    post(books, [("102", "250000", 0), ("301", 0, "250000")])
    post(books, [("102", "60000", 0), ("501", 0, "60000")])
    city = client_for(books.world.city)
    for table in ("villages", "tiers", "progress", "children", "distribution"):
        response = city.get(reverse("economy:dashboard_export"), {"year": 2020, "table": table})
        assert response.status_code == 200, table
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        rows = list(book.active.iter_rows(values_only=True))
        assert len(rows) > 1, table
        if table == "distribution":  # every village in one bucket: the world's three
            assert sum(r[1] for r in rows[1:]) == 3
    villages = city.get(reverse("economy:dashboard_export"), {"year": 2020, "table": "villages"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(villages.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    first = rows[1]
    assert first[2] == books.world.village_a.name
    assert Decimal(str(first[3])) == Decimal("310000") and Decimal(str(first[4])) == 60000
    assert first[5] == "达标"


def test_the_summary_report_has_township_subtotals_and_a_total(books: Books) -> None:
    post(books, [("102", "300000", 0), ("301", 0, "300000")])
    post(books, [("102", "80000", 0), ("301", 0, "80000")], organization=books.org_b)
    response = client_for(books.world.city).get(reverse("economy:summary_report"), {"year": 2020})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(c is not None for c in r)]
    labels = [str(r[0]) for r in rows]
    assert any(label.startswith("亦资街道小计") for label in labels)
    assert any(label.startswith("红果街道小计") for label in labels)
    total = next(r for r in rows if str(r[0]).startswith("合计"))
    assert total[3] == 380000


def test_the_dashboard_reads_a_fixed_number_of_queries(
    books: Books, django_assert_max_num_queries
) -> None:
    for _ in range(3):
        post(books, [("102", "1000", 0), ("501", 0, "1000")])
        post(books, [("102", "1000", 0), ("501", 0, "1000")], organization=books.org_b)
    city = client_for(books.world.city)
    city.get(reverse("economy:dashboard"), {"year": 2020})  # warm caches
    with django_assert_max_num_queries(16):
        response = city.get(reverse("economy:dashboard"), {"year": 2020})
    assert response.status_code == 200


def test_the_dashboard_drills_down_from_city_to_village(books: Books) -> None:
    post(books, [("102", "1000", 0), ("501", 0, "1000")])
    city = client_for(books.world.city)
    page = city.get(reverse("economy:dashboard"), {"year": 2020}).content.decode()
    assert f"?region={books.world.township_a.code}&year=2020" in page
    township = city.get(
        reverse("economy:dashboard"), {"year": 2020, "region": books.world.township_a.code}
    ).content.decode()
    assert f"?region={books.world.village_a.code}&year=2020" in township
    village = city.get(
        reverse("economy:dashboard"), {"year": 2020, "region": books.world.village_a.code}
    ).content.decode()
    assert reverse("economy:organization_detail", args=[books.org_a.pk]) in village


def test_the_dashboard_switches_language(books: Books) -> None:
    city = client_for(books.world.city)
    city.cookies["django_language"] = "en"
    page = city.get(reverse("economy:dashboard"), {"year": 2020}).content.decode()
    assert "Against the targets set for 2020" in page
    city.cookies["django_language"] = "zh-hant"
    page = city.get(reverse("economy:dashboard"), {"year": 2020}).content.decode()
    assert "對照2020年目標" in page


def test_a_township_officer_approves_a_plan_and_households_see_their_dividends(
    books: Books,
) -> None:
    from tests.conftest import make_household
    from zhenxing.economy.services import distribution

    world = books.world
    household = make_household(world, "SP-009")
    distribution.shareholding_set(
        actor=world.cadre_a, organization=books.org_a, household=household, shares="4"
    )
    post(books, [("102", "10000", 0), ("321", 0, "10000")])
    cadre, accountant = client_for(world.cadre_a), client_for(books.accountant_a)
    officer = client_for(world.officer_a)
    form = {
        "year": "2020",
        "reserve": "2000",
        "collective_shares": "0",
        "dividend_per_share": "500",
    }
    response = cadre.post(reverse("economy:plan_create", args=[books.org_a.pk]), form)
    plan_url = response["Location"]
    # The proposer sees no decision buttons; the village's other cadre approves.
    assert reverse("economy:plan_approve", args=[1]).rsplit("/", 3)[0] in plan_url
    approve = plan_url + "approve/"
    assert approve not in cadre.get(plan_url).content.decode()
    accountant.post(approve)
    worklist = officer.get(reverse("economy:plan_list"), {"status": "village_approved"})
    assert plan_url in worklist.content.decode()
    officer.post(approve)
    page = officer.get(plan_url).content.decode()
    assert 'data-status="effective"' in page
    registry = cadre.get(reverse("registry:household_detail", args=[household.pk]))
    assert 'data-dividend="2020">2000.00<' in registry.content.decode()
    export = officer.get(plan_url + "dividends/")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][0] == "SP-009" and Decimal(str(rows[1][3])) == 2000


def test_an_over_generous_plan_is_refused_on_the_form(books: Books) -> None:
    post(books, [("102", "10000", 0), ("321", 0, "10000")])
    cadre = client_for(books.world.cadre_a)
    form = {"year": "2020", "reserve": "12000", "collective_shares": "0", "dividend_per_share": "0"}
    page = cadre.post(reverse("economy:plan_create", args=[books.org_a.pk]), form)
    assert page.status_code == 200
    assert "可分配的只有 10000.00" in page.content.decode()


def test_a_draft_takes_a_scanned_receipt_and_a_posted_voucher_does_not(books: Books) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhenxing.economy.models import VoucherAttachment

    cadre = client_for(books.world.cadre_a)
    cadre.post(reverse("economy:voucher_create", args=[books.org_a.pk]), RENT)
    voucher = Voucher.objects.get()
    attach = reverse("economy:voucher_attach", args=[voucher.pk])
    receipt = SimpleUploadedFile("收据.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    cadre.post(attach, {"file": receipt})
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    cadre.post(attach, {"file": fake})
    [stored] = VoucherAttachment.objects.all()
    assert stored.name == "收据.pdf"
    download = cadre.get(reverse("economy:voucher_attachment", args=[stored.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 receipt"
    # Another township's officer gets 404, as if the file did not exist.
    other = client_for(books.world.officer_b)
    assert other.get(reverse("economy:voucher_attachment", args=[stored.pk])).status_code == 404
    client_for(books.accountant_a).post(reverse("economy:voucher_post", args=[voucher.pk]))
    late = SimpleUploadedFile("late.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    cadre.post(attach, {"file": late})
    assert VoucherAttachment.objects.count() == 1


def test_the_year_end_carry_forward_is_prepared_from_the_reports_page(books: Books) -> None:
    post(books, [("102", "5000", 0), ("501", 0, "5000")], date=date(2020, 6, 1))
    cadre = client_for(books.world.cadre_a)
    reports = cadre.get(
        reverse("economy:organization_reports", args=[books.org_a.pk]), {"year": 2020, "month": 12}
    ).content.decode()
    url = reverse("economy:carry_forward", args=[books.org_a.pk])
    assert url in reports
    response = cadre.post(url, {"year": "2020"})
    voucher = Voucher.objects.get(status=VoucherStatus.DRAFT)
    assert response["Location"] == reverse("economy:voucher_detail", args=[voucher.pk])
    assert {(line.account.code, line.debit, line.credit) for line in voucher.lines.all()} == {
        ("501", Decimal("5000.00"), Decimal("0.00")),
        ("321", Decimal("0.00"), Decimal("5000.00")),
    }
