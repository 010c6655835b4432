"""Reads for converting an organisation's books to the current chart (新旧制度衔接): the old
books' closing balances, the correspondence table as targets per old account, and the
proposal the conversion page shows before anything is written."""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from zhenxing.economy.models import (
    AccountBalance,
    BalanceSource,
    Chart,
    ChartConversion,
    CollectiveOrganization,
    Voucher,
    VoucherStatus,
)
from zhenxing.economy.rules.conversion import Assignment, OldBalance, Target, assign
from zhenxing.economy.rules.values import to_yuan
from zhenxing.economy.selectors.charts import (
    chart_accounts,
    chart_get,
    chart_list,
    correspondence,
)


def closing_balances(
    organization: CollectiveOrganization, chart: str, before: dt.date
) -> list[OldBalance]:
    """The closing trial balance of the books kept under ``chart`` on the day before
    ``before`` (from the turnover table): every account with a balance, by code."""
    period = before.year * 100 + before.month
    sums: dict[int, int] = defaultdict(int)
    rows = AccountBalance.objects.filter(
        Q(year__lt=before.year) | Q(year=before.year, month__lt=before.month),
        organization=organization,
        account__chart=chart,
    ).values_list("account", "year", "month", "debit_fen", "credit_fen")
    for account, year, month, debit, credit in rows:
        if year * 100 + month < period:
            sums[account] += debit - credit
    accounts = {a.pk: a for a in chart_accounts(chart).values()}
    return sorted(
        (
            OldBalance(accounts[pk].code, accounts[pk].name, to_yuan(fen))
            for pk, fen in sums.items()
            if fen
        ),
        key=lambda b: b.code,
    )


def correspondence_targets(from_chart: str, to_chart: str) -> dict[str, list[Target]]:
    """Per old account code, the new accounts the correspondence table sends it to."""
    targets: dict[str, list[Target]] = defaultdict(list)
    for row in correspondence():
        if row.old_account.chart == from_chart and row.new_account.chart == to_chart:
            targets[row.old_account.code].append(Target(row.new_account, row.kind, row.rule))
    return dict(targets)


def target_chart(organization: CollectiveOrganization) -> Chart | None:
    """The chart an organisation's books convert to: the current one, if it keeps another."""
    current = chart_list()[0]
    return None if organization.chart == current.code else current


def has_books(organization: CollectiveOrganization) -> bool:
    """Whether the organisation keeps its books here (any posted voucher)."""
    return Voucher.objects.filter(organization=organization, status=VoucherStatus.POSTED).exists()


@dataclass
class Proposal:
    """What a conversion would write, shown before it is confirmed."""

    organization: CollectiveOrganization
    from_chart: Chart
    to_chart: Chart
    effective_on: dt.date
    source: str  # BalanceSource
    balances: list[OldBalance]
    assignment: Assignment

    @property
    def opening_lines(self) -> list[tuple[Any, decimal.Decimal, decimal.Decimal]]:
        """The new chart's opening balances: (account, debit, credit)."""
        accounts = chart_accounts(self.to_chart.code)
        zero = decimal.Decimal("0.00")
        return [
            (accounts[code], max(amount, zero), max(-amount, zero))
            for code, amount in sorted(self.assignment.opening.items())
        ]


def conversion_proposal(
    organization: CollectiveOrganization,
    *,
    balances: Sequence[OldBalance] | None = None,
    shares: Mapping[tuple[str, str], decimal.Decimal] | None = None,
) -> Proposal | None:
    """The proposal for converting the organisation's books (None when they already follow
    the current chart). Balances come from its books here, or from ``balances`` (an imported
    trial balance) when it has none."""
    to_chart = target_chart(organization)
    from_chart = chart_get(organization.chart)
    if to_chart is None or from_chart is None:
        return None
    effective_on = to_chart.effective_from
    if balances is None:
        source = BalanceSource.BOOKS
        balances = closing_balances(organization, from_chart.code, effective_on)
    else:
        source = BalanceSource.FILE
    assignment = assign(
        balances,
        chart_accounts(from_chart.code),
        correspondence_targets(from_chart.code, to_chart.code),
        shares,
    )
    return Proposal(
        organization, from_chart, to_chart, effective_on, source, list(balances), assignment
    )


def conversion_list(organization: CollectiveOrganization) -> QuerySet[ChartConversion]:
    """An organisation's conversions, the latest first (the caller's lookup was scoped)."""
    return ChartConversion.objects.filter(organization=organization).select_related(
        "converted_by", "undone_by", "voucher", "reversal"
    )
