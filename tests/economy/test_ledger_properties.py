"""Property-based: for random voucher sequences (postings, reversals, closings), every month's
trial balance balances, the summary tables equal the ledger, and a reversal restores the
balances exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.economy.conftest import Books
from zhenxing.core.errors import DomainError
from zhenxing.economy import services
from zhenxing.economy.models import Voucher, VoucherStatus
from zhenxing.economy.selectors import books as books_selectors
from zhenxing.economy.services import LineIn
from zhenxing.economy.services.summaries import ledger_mismatches

CODES = ["101", "102", "112", "151", "211", "301", "501", "511", "501", "503", "502", "513"]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@st.composite
def vouchers(draw: st.DrawFn) -> tuple[int, list[LineIn]]:
    """A month and balanced lines: debits drawn at random, credits splitting the same total."""
    debits = draw(st.lists(st.tuples(st.sampled_from(CODES), amounts), min_size=1, max_size=4))
    total = sum(a for _c, a in debits)
    cuts = draw(st.integers(min_value=1, max_value=3))
    credit_codes = draw(st.lists(st.sampled_from(CODES), min_size=cuts, max_size=cuts))
    share = (total / cuts).quantize(Decimal("0.01"))
    credits = [share] * (cuts - 1) + [total - share * (cuts - 1)]
    lines = [LineIn(c, a, 0) for c, a in debits]
    lines += [LineIn(c, 0, a) for c, a in zip(credit_codes, credits, strict=True) if a > 0]
    if len(lines) < 2 or any(c.credit == 0 and c.debit == 0 for c in lines):
        lines = [LineIn("102", total, 0), LineIn("501", 0, total)]
    return draw(st.integers(min_value=1, max_value=6)), lines


steps = st.lists(
    st.one_of(
        vouchers().map(lambda v: ("post", v)),
        st.just(("reverse", None)),
        st.just(("close", None)),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_random_books_stay_balanced_and_summaries_equal_the_ledger(books: Books, plan) -> None:
    org, preparer, approver = books.org_a, books.world.cadre_a, books.accountant_a
    # Each example starts with empty books (reversals first: they protect what they reverse).
    Voucher.objects.filter(organization=org).exclude(reverses=None).delete()
    Voucher.objects.filter(organization=org).delete()
    from zhenxing.economy.models import AccountBalance, YearFigures

    AccountBalance.objects.filter(organization=org).delete()
    YearFigures.objects.filter(organization=org).delete()
    org.closed_through = None
    org.save()
    for kind, arg in plan:
        org.refresh_from_db()
        if kind == "post":
            month, lines = arg
            try:
                draft = services.voucher_prepare(
                    actor=preparer,
                    organization=org,
                    date=dt.date(2021, month, 10),
                    summary="随机凭证",
                    lines=lines,
                )
            except DomainError as exc:
                assert exc.code == "period_closed"
                continue
            services.voucher_post(actor=approver, voucher=draft)
        elif kind == "reverse":
            target = (
                Voucher.objects.filter(
                    organization=org, status=VoucherStatus.POSTED, reverses=None, reversed_by=None
                )
                .order_by("-pk")
                .first()
            )
            if target is None:
                continue
            month = 12  # never closed in this plan's range of closing
            before = {
                r.account.code: r.closing for r in books_selectors.trial_balance(org, 2021, 12).rows
            }
            effect: dict[str, Decimal] = {}
            for line in target.lines.select_related("account"):
                code = line.account.code
                effect[code] = effect.get(code, Decimal(0)) + line.debit - line.credit
            reversal = services.voucher_reverse(
                actor=preparer, voucher=target, date=dt.date(2021, month, 20)
            )
            services.voucher_post(actor=approver, voucher=reversal)
            after = {
                r.account.code: r.closing for r in books_selectors.trial_balance(org, 2021, 12).rows
            }
            # Undoing the reversed voucher's effect on each account, to the fen.
            for code, closing in after.items():
                row_side = 1 if code[0] in "14" or code in ("511", "513") else -1
                assert closing == before.get(code, 0) - row_side * effect.get(code, 0)
        else:
            current = org.closed_through
            following = 202101 if current is None else current + 1
            if following % 100 <= 6:
                services.period_close(
                    actor=approver,
                    organization=org,
                    year=following // 100,
                    month=following % 100,
                )
    for month in range(1, 13):
        assert books_selectors.trial_balance(org, 2021, month).balanced
    sheet = books_selectors.balance_sheet(org, 2021, 12)
    assert sheet.totals["assets"] == sheet.totals["liabilities"] + sheet.totals["equity"]
    assert ledger_mismatches([org.pk]) == []
