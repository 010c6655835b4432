"""Reads of one organisation's books: turnover, the trial balance, the balance sheet, the
income and distribution statement and the cash journal, each in the layout of the chart that
governs the period (``data/charts/statements.csv``).

The reports read the monthly turnover table, never the voucher lines, except the cash journal,
which lists lines by definition. The caller has the organisation from a scoped lookup.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum

from zhenxing.economy.models import (
    Account,
    AccountBalance,
    CollectiveOrganization,
    LineMeasure,
    Statement,
    Voucher,
    VoucherLine,
    VoucherStatus,
)
from zhenxing.economy.rules.values import to_yuan
from zhenxing.economy.selectors.charts import (
    accounts_by_id,
    chart_accounts,
    chart_on,
    operating_income_terms,
    role_account,
    statement_lines,
)

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
    accounts = accounts_by_id()
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
        if not self.account.debit_normal:
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
    """The trial balance (科目余额表) of one month: opening, turnover and closing per account.
    After a conversion, accounts of the old chart show in the month they were emptied and no
    longer once they stand at zero."""
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
    chart = chart_on(organization, dt.date(year, month, 1))
    accounts = accounts_by_id()
    result = []
    for account_id in set(before) | set(during):
        account = accounts[account_id]
        sign = 1 if account.debit_normal else -1
        od, oc = before[account.pk]
        pd, pc = during[account.pk]
        opening = sign * (od - oc)
        closing = opening + sign * (pd - pc)
        if account.chart != chart and not (opening or pd or pc):
            continue
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


@dataclass(frozen=True)
class ReportLine:
    """A statement line as shown: its row (行次), label, amount, and whether it is a total."""

    row: int
    section: str
    label: str
    amount: decimal.Decimal
    total: bool


@dataclass
class Report:
    """A statement in its chart's official layout (``StatementLine``), with the amounts the
    pages and tests ask for by name in ``totals``."""

    chart: str
    lines: list[ReportLine]
    totals: dict[str, decimal.Decimal] = field(default_factory=dict)

    def section(self, name: str) -> list[ReportLine]:
        return [line for line in self.lines if line.section == name]

    def amount(self, label: str) -> decimal.Decimal:
        """A line's amount by its label (``"货币资金"``)."""
        return next(line.amount for line in self.lines if line.label == label)

    @property
    def by_label(self) -> dict[str, decimal.Decimal]:
        return {line.label: line.amount for line in self.lines}


def _cells(organization: CollectiveOrganization, year: int, month: int) -> list[tuple[int, ...]]:
    """The organisation's turnover rows up to a month: (account, year, month, debit, credit,
    moved debit, moved credit) in fen."""
    return list(
        AccountBalance.objects.filter(organization=organization)
        .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
        .values_list(
            "account",
            "year",
            "month",
            "debit_fen",
            "credit_fen",
            "moved_debit_fen",
            "moved_credit_fen",
        )
    )


def _measures(cells: list[tuple[int, ...]], year: int) -> dict[str, dict[int, int]]:
    """Per measure (``LineMeasure``), each account's amount in fen, signed on the debit side."""
    out: dict[str, dict[int, int]] = {m: defaultdict(int) for m in LineMeasure.values}
    for account, y, _m, d, c, md, mc in cells:
        out[LineMeasure.CLOSING][account] += d - c
        if y < year:
            out[LineMeasure.OPENING][account] += d - c
            continue
        out[LineMeasure.PERIOD][account] += (d - md) - (c - mc)
        out[LineMeasure.PERIOD_DEBIT][account] += d - md
        out[LineMeasure.PERIOD_CREDIT][account] -= c - mc
    return out


def _terms(text: str) -> list[tuple[int, str, str]]:
    """``"+121 -133 +113:debit"`` → [(sign, prefix, side filter)]."""
    terms = []
    for token in text.split():
        sign = -1 if token.startswith("-") else 1
        code, _sep, part = token.lstrip("+-").partition(":")
        terms.append((sign, code, part))
    return terms


def _report(
    organization: CollectiveOrganization,
    statement: str,
    year: int,
    month: int,
    measures: dict[str, dict[int, int]] | None = None,
) -> Report:
    """A statement's lines computed from the turnover table (or the ``measures`` the caller
    already read from it), in the layout of the chart that governs the period."""
    chart = chart_on(organization, dt.date(year, month, 1))
    accounts = chart_accounts(chart)
    if measures is None:
        measures = _measures(_cells(organization, year, month), year)
    shown: dict[int, int] = {}  # row → amount as shown, in fen
    lines = []
    for line in statement_lines(chart, statement):
        values = measures[line.measure]
        debit_signed = 0
        for sign, prefix, part in _terms(line.accounts):
            for code, account in accounts.items():
                if not code.startswith(prefix):
                    continue
                value = values.get(account.pk, 0)
                if part == "debit":
                    value = max(value, 0)
                elif part == "credit":
                    value = min(value, 0)
                debit_signed += sign * value
        amount = debit_signed if line.side == "debit" else -debit_signed
        for sign, row, _part in _terms(line.lines):
            amount += sign * shown.get(int(row), 0)
        shown[line.row] = amount
        lines.append(ReportLine(line.row, line.section, line.label, to_yuan(amount), line.total))
    return Report(chart, lines)


def _last(lines: list[ReportLine]) -> decimal.Decimal:
    return lines[-1].amount if lines else ZERO


def balance_sheet(organization: CollectiveOrganization, year: int, month: int) -> Report:
    """The balance sheet (资产负债表) at a month's end, in the official layout of the chart in
    force. The year's result not yet carried forward shows in 未分配收益, so assets always
    equal liabilities plus equity."""
    report = _report(organization, Statement.BALANCE_SHEET, year, month)
    assets, liabilities, equity = (report.section(s) for s in ("assets", "liabilities", "equity"))
    report.totals = {
        "assets": _last(assets),
        "liabilities": _last(liabilities),
        "equity": _last(equity[:-1]),
        "liabilities_and_equity": _last(equity),
    }
    return report


def income_statement(organization: CollectiveOrganization, year: int, month: int) -> Report:
    """The income and distribution statement (收益及收益分配表) from January to a month, in the
    chart's layout: each line reads its accounts' own postings of the period, so the year-end
    carry-forward (and a conversion's opening voucher) do not cancel the year it reports.
    ``operating_income`` is the figure by the chart's formula (``FigureTerm``)."""
    measured = _measures(_cells(organization, year, month), year)  # one read for both
    report = _report(organization, Statement.INCOME, year, month, measured)
    result = [line for line in report.section("result") if line.total]
    measures = measured[LineMeasure.PERIOD]
    operating = 0
    accounts = chart_accounts(report.chart)
    for prefix, sign in operating_income_terms(report.chart):
        for code, account in accounts.items():
            if code.startswith(prefix):
                operating -= sign * measures.get(account.pk, 0)
    report.totals = {"result": _last(result), "operating_income": to_yuan(operating)}
    return report


def cash_journal(
    organization: CollectiveOrganization, role: str, year: int, month: int
) -> tuple[decimal.Decimal, list[dict[str, Any]]]:
    """The cash or bank journal (现金/银行存款日记账) of a month: opening balance, then every
    posted line on the account with its running balance. ``role`` is ``AccountRole.CASH`` or
    ``AccountRole.BANK``: the chart in force names the account."""
    account = role_account(chart_on(organization, dt.date(year, month, 1)), role)
    opening_fen = (
        AccountBalance.objects.filter(organization=organization, account=account)
        .filter(Q(year__lt=year) | Q(year=year, month__lt=month))
        .aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    )
    balance = to_yuan((opening_fen["d"] or 0) - (opening_fen["c"] or 0))
    opening = balance
    # The month's vouchers first (a few, by the organisation's index), then their lines, the
    # account picked here: given the account as a condition, a planner walked every line of
    # the city's cash account (half a million, one shared chart) to find one village's month.
    month_vouchers = list(
        Voucher.objects.filter(
            organization=organization, status=VoucherStatus.POSTED, year=year, month=month
        ).values_list("pk", flat=True)
    )
    lines = (
        VoucherLine.objects.filter(voucher_id__in=month_vouchers)
        .select_related("voucher")
        .order_by("voucher__date", "voucher__number", "line_no")
    )
    entries = []
    for line in (line for line in lines if line.account_id == account.pk):
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
