"""Reads of one organisation's books: turnover, the trial balance, the balance sheet, the
income statement and the cash journal.

The reports read the monthly turnover table, never the voucher lines, except the cash journal,
which lists lines by definition. The caller has the organisation from a scoped lookup.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum

from zhenxing.economy.models import (
    Account,
    AccountBalance,
    AccountCategory,
    CollectiveOrganization,
    Side,
    VoucherLine,
    VoucherStatus,
)
from zhenxing.economy.rules.values import to_yuan

ZERO = decimal.Decimal("0.00")


def chart_accounts(chart: str) -> dict[str, Account]:
    """A chart's accounts by code."""
    return {a.code: a for a in Account.objects.filter(chart=chart)}


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
