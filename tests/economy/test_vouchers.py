"""The books' rules: balanced vouchers, closed months, known accounts, two people, reversal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.economy.conftest import Books, post
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.economy import services
from zhenxing.economy.models import (
    AccountBalance,
    AccountRole,
    Voucher,
    VoucherLine,
    VoucherStatus,
    YearFigures,
)
from zhenxing.economy.selectors import books as books_selectors
from zhenxing.economy.selectors import figures as figures_selectors
from zhenxing.economy.services import LineIn, entities
from zhenxing.economy.services.summaries import ledger_mismatches

RENT = [("102", "12000.00", 0), ("501", 0, "12000.00")]


def nothing_written() -> None:
    assert not Voucher.objects.exists()
    assert not VoucherLine.objects.exists()
    assert not AccountBalance.objects.exists()
    assert not YearFigures.objects.exists()


def prepare(books: Books, lines: list[LineIn], **kwargs: object) -> Voucher:
    return services.voucher_prepare(
        actor=books.world.cadre_a,
        organization=books.org_a,
        date=kwargs.pop("date", dt.date(2020, 3, 15)),  # type: ignore[arg-type]
        summary="收到土地租金",
        lines=lines,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_posted_voucher_reaches_the_books_and_the_figures(books: Books) -> None:
    voucher = post(books, RENT)
    assert voucher.status == VoucherStatus.POSTED
    assert voucher.number == 1 and str(voucher) == "2020-03 记1"
    tb = books_selectors.trial_balance(books.org_a, 2020, 3)
    assert tb.balanced
    assert {r.account.code: (r.debit, r.credit) for r in tb.rows} == {
        "102": (Decimal("12000.00"), Decimal("0.00")),
        "501": (Decimal("0.00"), Decimal("12000.00")),
    }
    [figures] = figures_selectors.village_figures(region=books.world.village_a, year=2020)
    assert figures.accumulation == Decimal("12000.00")
    assert figures.operating_income == Decimal("12000.00")
    assert ledger_mismatches() == []
    assert AuditEntry.objects.filter(object_id=str(voucher.pk), action="update").exists()


def test_an_unbalanced_voucher_is_refused_and_nothing_is_written(books: Books) -> None:
    with pytest.raises(DomainError, match="does not balance"):
        prepare(books, [LineIn("102", "100"), LineIn("501", 0, "99.99")])
    nothing_written()


def test_an_unknown_account_is_refused(books: Books) -> None:
    with pytest.raises(DomainError, match="no account 999"):
        prepare(books, [LineIn("999", "100"), LineIn("501", 0, "100")])
    nothing_written()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (LineIn("102", "-100", 0), "never negative"),
        (LineIn("102", "100", "100"), "not both"),
        (LineIn("102", 0, 0), "not both"),
        (LineIn("102", "0.001", 0), "two decimal places"),
        (LineIn("102", "abc", 0), "Enter a number"),
    ],
)
def test_bad_amounts_are_refused(books: Books, line: LineIn, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        prepare(books, [line, LineIn("501", 0, "100")])
    nothing_written()


def test_the_approver_cannot_be_the_preparer(books: Books) -> None:
    voucher = prepare(books, [LineIn(a, d, c) for a, d, c in RENT])
    with pytest.raises(DomainError, match="cannot be the person who prepared"):
        services.voucher_post(actor=books.world.cadre_a, voucher=voucher)
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.DRAFT
    assert not AccountBalance.objects.exists()


def test_posting_into_a_closed_month_is_refused(books: Books) -> None:
    draft = prepare(books, [LineIn(a, d, c) for a, d, c in RENT], date=dt.date(2020, 1, 20))
    with pytest.raises(DomainError, match="prepared vouchers"):
        services.period_close(
            actor=books.accountant_a, organization=books.org_a, year=2020, month=1
        )
    services.voucher_post(actor=books.accountant_a, voucher=draft)
    services.period_close(actor=books.accountant_a, organization=books.org_a, year=2020, month=1)
    with pytest.raises(DomainError, match="2020-01 is closed") as caught:
        prepare(books, [LineIn(a, d, c) for a, d, c in RENT], date=dt.date(2020, 1, 31))
    assert caught.value.code == "period_closed"
    # Months close in order, and a closed month stays closed.
    with pytest.raises(DomainError, match="Close 2020-02 first"):
        services.period_close(
            actor=books.accountant_a, organization=books.org_a, year=2020, month=3
        )
    with pytest.raises(DomainError, match="already closed"):
        services.period_close(
            actor=books.accountant_a, organization=books.org_a, year=2020, month=1
        )
    assert Voucher.objects.count() == 1


def test_a_draft_in_a_month_closed_meanwhile_cannot_be_posted(books: Books) -> None:
    draft = prepare(books, [LineIn(a, d, c) for a, d, c in RENT], date=dt.date(2020, 2, 3))
    books.org_a.closed_through = 202002  # as if closed by a path that skipped the draft check
    books.org_a.save()
    with pytest.raises(DomainError, match="closed"):
        services.voucher_post(actor=books.accountant_a, voucher=draft)
    assert not AccountBalance.objects.exists()


def test_a_reversal_restores_the_balances_exactly(books: Books) -> None:
    post(books, [("101", "500.00", 0), ("504", 0, "500.00")])
    before = books_selectors.trial_balance(books.org_a, 2020, 4)
    wrong = post(books, [("102", "3333.33", 0), ("501", 0, "3333.33")], date=dt.date(2020, 4, 2))
    reversal = services.voucher_reverse(
        actor=books.world.cadre_a, voucher=wrong, date=dt.date(2020, 4, 9), reason="金额有误"
    )
    assert reversal.summary.endswith("金额有误")
    assert [(line.debit, line.credit) for line in reversal.lines.all()] == [
        (Decimal("-3333.33"), Decimal("0.00")),
        (Decimal("0.00"), Decimal("-3333.33")),
    ]
    services.voucher_post(actor=books.accountant_a, voucher=reversal)
    after = books_selectors.trial_balance(books.org_a, 2020, 4)
    closing = {r.account.code: r.closing for r in after.rows}
    assert closing == {r.account.code: r.closing for r in before.rows} | {
        "102": Decimal("0.00"),
        "501": Decimal("0.00"),
    }
    # Red ink: the turnover nets to zero too, so the income statement shows no income.
    assert books_selectors.income_statement(books.org_a, 2020, 4).totals["operating_income"] == 0
    assert ledger_mismatches() == []
    with pytest.raises(DomainError, match="already been reversed"):
        services.voucher_reverse(actor=books.world.cadre_a, voucher=wrong)
    with pytest.raises(DomainError, match="not itself reversed"):
        services.voucher_reverse(actor=books.world.cadre_a, voucher=reversal)


def test_a_posted_voucher_is_never_deleted(books: Books) -> None:
    voucher = post(books, RENT)
    with pytest.raises(DomainError, match="never deleted"):
        services.voucher_discard(actor=books.world.cadre_a, voucher=voucher)
    assert Voucher.objects.filter(pk=voucher.pk).exists()
    draft = prepare(books, [LineIn(a, d, c) for a, d, c in RENT])
    services.voucher_discard(actor=books.world.cadre_a, voucher=draft)
    assert not Voucher.objects.filter(pk=draft.pk).exists()


def test_another_townships_books_answer_not_found(books: Books) -> None:
    with pytest.raises(NotFound):
        services.voucher_prepare(
            actor=books.world.officer_a,
            organization=books.org_b,
            date=dt.date(2020, 3, 1),
            summary="x",
            lines=[LineIn(a, d, c) for a, d, c in RENT],
        )
    theirs = post(books, RENT, organization=books.org_b)
    with pytest.raises(NotFound):
        services.voucher_post(actor=books.world.officer_a, voucher=theirs)
    with pytest.raises(NotFound):
        services.voucher_reverse(actor=books.world.officer_a, voucher=theirs)


def test_grid_workers_and_auditors_do_not_keep_books(books: Books) -> None:
    for actor in (books.world.grid_a, books.world.auditor):
        with pytest.raises(Forbidden):
            services.voucher_prepare(
                actor=actor,
                organization=books.org_a,
                date=dt.date(2020, 3, 1),
                summary="x",
                lines=[LineIn(a, d, c) for a, d, c in RENT],
            )


def test_carry_forward_empties_the_result_accounts_and_keeps_the_accumulation(
    books: Books,
) -> None:
    post(books, [("102", "80000", 0), ("501", 0, "80000")], date=dt.date(2020, 6, 1))
    post(books, [("511", "30000", 0), ("102", 0, "30000")], date=dt.date(2020, 7, 1))
    post(books, [("513", "5000", 0), ("101", 0, "5000")], date=dt.date(2020, 8, 1))
    before = figures_selectors.village_figures(region=books.world.village_a, year=2020)[0]
    voucher = services.carry_forward(actor=books.world.cadre_a, organization=books.org_a, year=2020)
    services.voucher_post(actor=books.accountant_a, voucher=voucher)
    tb = {
        r.account.code: r.closing for r in books_selectors.trial_balance(books.org_a, 2020, 12).rows
    }
    assert tb["501"] == tb["511"] == tb["513"] == 0
    assert tb["321"] == Decimal("45000.00")
    after = figures_selectors.village_figures(region=books.world.village_a, year=2020)[0]
    assert after.accumulation == before.accumulation == Decimal("45000.00")
    assert after.operating_income == Decimal("80000.00")
    statement = books_selectors.income_statement(books.org_a, 2020, 12)
    assert statement.totals["result"] == Decimal("45000.00")
    sheet = books_selectors.balance_sheet(books.org_a, 2020, 12)
    assert sheet.totals["assets"] == sheet.totals["liabilities"] + sheet.totals["equity"]


def test_the_cash_journal_runs_its_balance(books: Books) -> None:
    post(books, [("101", "800", 0), ("504", 0, "800")], date=dt.date(2020, 5, 2))
    post(books, [("513", "120.50", 0), ("101", 0, "120.50")], date=dt.date(2020, 5, 9))
    opening, entries = books_selectors.cash_journal(books.org_a, AccountRole.CASH, 2020, 5)
    assert opening == 0
    assert [e["balance"] for e in entries] == [Decimal("800.00"), Decimal("679.50")]


def valid_uscc(body: str = "91520281MA6DKQ1X2") -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


def test_companies_need_a_valid_credit_code(books: Books) -> None:
    from zhenxing.economy.rules.values import check_uscc

    good = valid_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(DomainError, match="not a valid unified social credit code"):
        entities.company_create(
            actor=books.world.officer_a,
            region=books.world.township_a,
            name="盘州市刺梨产业有限公司",
            kind="township",
            uscc=bad,
            legal_representative="王建华",
        )
    company = entities.company_create(
        actor=books.world.officer_a,
        region=books.world.township_a,
        name="盘州市刺梨产业有限公司",
        kind="township",
        uscc=" " + good.lower(),
        legal_representative="王建华",
        villages=[books.world.village_a],
    )
    assert company.uscc == good
    # A village collective's code, from the agriculture department ("N2…").
    collective = valid_uscc("N2520281MF1234567")
    assert check_uscc(collective) == collective
    with pytest.raises(DomainError):
        check_uscc(collective[:-1] + ("1" if collective[-1] != "1" else "2"))
    with pytest.raises(DomainError, match="credit code is registered"):
        entities.company_create(
            actor=books.world.city,
            region=books.world.county,
            name="另一家公司",
            kind="city",
            uscc=good,
            legal_representative="李明",
        )


def test_the_check_command_proves_the_summaries_equal_the_ledger(books: Books) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    post(books, RENT)
    out = io.StringIO()
    call_command("economy_check", stdout=out)
    assert out.getvalue().startswith("OK: 2 monthly turnovers and 1 yearly figures")
    # A summary row that drifted from the ledger is caught, and --repair rebuilds it.
    AccountBalance.objects.filter(account__code="102").update(debit_fen=1)
    with pytest.raises(CommandError, match="1 summary rows differ"):
        call_command("economy_check", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("economy_check", "--repair", stdout=io.StringIO())
    assert ledger_mismatches() == []
    assert AccountBalance.objects.get(account__code="102").debit_fen == 1_200_000
