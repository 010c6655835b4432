"""Reads of the charts of accounts and what they configure (``data/charts/``): accounts by
code, the account that plays a role in a chart, the statements' lines, the correspondence
table, and which chart governs an organisation's books on a date.

The catalogue is the same for everyone and changes only by migration, so reads are cached
for the process (``clear_chart_cache`` after a reload, as the test suite does)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from zhenxing.economy.models import (
    Account,
    AccountCorrespondence,
    Chart,
    ChartConversion,
    ChartRole,
    CollectiveOrganization,
    ConversionStatus,
    Figure,
    FigureTerm,
    StatementLine,
)


def chart_accounts(chart: str) -> dict[str, Account]:
    """A chart's accounts by code."""
    return dict(_chart_accounts(chart))


@cache
def _chart_accounts(chart: str) -> tuple[tuple[str, Account], ...]:
    return tuple((a.code, a) for a in Account.objects.filter(chart=chart).order_by("code"))


def accounts_by_id() -> dict[int, Account]:
    """Every account of every chart by id."""
    return dict(_accounts_by_id())


@cache
def _accounts_by_id() -> tuple[tuple[int, Account], ...]:
    return tuple((a.pk, a) for a in Account.objects.all())


@cache
def chart_get(code: str) -> Chart | None:
    """A chart by its code (``"2023"``), or None."""
    return Chart.objects.filter(code=code).first()


@cache
def chart_list() -> tuple[Chart, ...]:
    """Every chart, the newest first."""
    return tuple(Chart.objects.order_by("-effective_from"))


def chart_governing(date: dt.date) -> Chart:
    """The chart the accounting rules prescribe for books on ``date`` (the 2004 chart for
    2005–2023, the 2023 chart from 2024)."""
    for chart in chart_list():
        if chart.effective_from <= date and (
            chart.effective_to is None or date <= chart.effective_to
        ):
            return chart
    return chart_list()[0]


def role_accounts(chart: str) -> dict[str, Account]:
    """The accounts of a chart by the role they play (``AccountRole``)."""
    return dict(_role_accounts(chart))


@cache
def _role_accounts(chart: str) -> tuple[tuple[str, Account], ...]:
    return tuple(
        (r.role, r.account) for r in ChartRole.objects.filter(chart=chart).select_related("account")
    )


def role_account(chart: str, role: str) -> Account:
    """The account of ``chart`` that plays ``role`` (every chart names every role)."""
    return role_accounts(chart)[role]


@cache
def statement_lines(chart: str, statement: str) -> tuple[StatementLine, ...]:
    """A statement's lines in a chart's layout, by row."""
    return tuple(StatementLine.objects.filter(chart=chart, statement=statement).order_by("row"))


@cache
def operating_income_terms(chart: str) -> tuple[tuple[str, int], ...]:
    """The chart's operating income formula: (account code prefix, sign) of ``result`` terms."""
    return tuple(
        FigureTerm.objects.filter(chart=chart, figure=Figure.OPERATING_INCOME).values_list(
            "account_prefix", "sign"
        )
    )


@cache
def correspondence() -> tuple[AccountCorrespondence, ...]:
    """The correspondence table (old account → new account), old code first."""
    return tuple(
        AccountCorrespondence.objects.select_related("old_account", "new_account").order_by(
            "old_account__code", "new_account__code"
        )
    )


def clear_chart_cache() -> None:
    for cached in (
        _chart_accounts,
        _accounts_by_id,
        chart_get,
        chart_list,
        _role_accounts,
        statement_lines,
        operating_income_terms,
        correspondence,
    ):
        cached.cache_clear()


def conversion_in_effect(organization: CollectiveOrganization) -> ChartConversion | None:
    """The organisation's conversion to its current chart, if its books were converted."""
    return (
        ChartConversion.objects.filter(organization=organization, status=ConversionStatus.EFFECTIVE)
        .select_related("voucher")
        .first()
    )


def chart_on(
    organization: CollectiveOrganization,
    date: dt.date,
    conversion: ChartConversion | None = None,
) -> str:
    """The chart that governs the organisation's books on ``date``: the old one before its
    conversion took effect, the current one from then on."""
    conversion = conversion if conversion is not None else conversion_in_effect(organization)
    if conversion is not None and date < conversion.effective_on:
        return conversion.from_chart
    return organization.chart
