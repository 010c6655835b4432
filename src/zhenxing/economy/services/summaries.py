"""The summary tables behind the books' reports and the dashboards, kept in step with posting.

``apply_lines`` runs inside the posting transaction: it adds each posted line's amounts to its
account's month (``AccountBalance``) and to its organisation's figures for the year
(``YearFigures``), through the formula terms in ``FigureTerm``. Sums are integer fen, added by
``INSERT … ON CONFLICT DO UPDATE`` (SQLite ≥ 3.24 and PostgreSQL alike), so concurrent postings
to different organisations never read-modify-write each other's rows. ``ledger_mismatches``
recomputes both tables from the voucher lines: ``zhenxing economy_check`` and the tests use it
to prove the tables equal the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Sum

from zhenxing.economy.models import (
    Account,
    AccountBalance,
    Figure,
    FigureTerm,
    Measure,
    VoucherLine,
    VoucherStatus,
    YearFigures,
)
from zhenxing.economy.rules.values import to_fen, to_yuan

#: One posted line, as the summaries need it: organisation, account, year, month, debit and
#: credit in fen.
PostedLine = tuple[int, int, int, int, int, int]


@dataclass(frozen=True)
class Formula:
    """Each figure's terms, matched to account ids once per posting."""

    terms: dict[str, list[tuple[str, str, int]]]  # figure → [(prefix, measure, sign)]
    codes: dict[int, str]  # account id → code

    @classmethod
    def load(cls) -> Formula:
        terms: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for t in FigureTerm.objects.all():
            terms[t.figure].append((t.account_prefix, t.measure, t.sign))
        return cls(dict(terms), dict(Account.objects.values_list("pk", "code")))

    def contribution(self, figure: str, account_id: int, debit: int, credit: int) -> int:
        code = self.codes[account_id]
        total = 0
        for prefix, measure, sign in self.terms.get(figure, ()):
            if not code.startswith(prefix):
                continue
            if measure == Measure.NET_CREDIT:
                total += sign * (credit - debit)
            elif measure == Measure.CREDIT:
                total += sign * credit
            else:
                total += sign * debit
        return total


def _upsert(table: str, keys: list[str], values: list[str], rows: list[tuple[int, ...]]) -> None:
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in keys + values)
    marks = ", ".join(["%s"] * (len(keys) + len(values)))
    updates = ", ".join(f"{q(v)} = {q(table)}.{q(v)} + excluded.{q(v)}" for v in values)
    # Table and column names come from our models, never from input.
    sql = (
        f"INSERT INTO {q(table)} ({columns}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(q(k) for k in keys)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def apply_lines(lines: Iterable[PostedLine], formula: Formula | None = None) -> None:
    """Add posted lines to the summary tables (inside the caller's transaction)."""
    formula = formula or Formula.load()
    balances: dict[tuple[int, int, int, int], list[int]] = defaultdict(lambda: [0, 0])
    figures: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for organization, account, year, month, debit, credit in lines:
        cell = balances[(organization, account, year, month)]
        cell[0] += debit
        cell[1] += credit
        fig = figures[(organization, year)]
        fig[0] += formula.contribution(Figure.ACCUMULATION, account, debit, credit)
        fig[1] += formula.contribution(Figure.OPERATING_INCOME, account, debit, credit)
    _upsert(
        AccountBalance._meta.db_table,
        ["organization_id", "account_id", "year", "month"],
        ["debit_fen", "credit_fen"],
        [(*k, d, c) for k, (d, c) in balances.items()],
    )
    _upsert(
        YearFigures._meta.db_table,
        ["organization_id", "year"],
        ["accumulation_change_fen", "operating_income_fen"],
        [(*k, a, o) for k, (a, o) in figures.items()],
    )


def _ledger_turnover(
    organization_ids: list[int] | None,
) -> dict[tuple[int, int, int, int], list[int]]:
    """Each (organisation, account, year, month)'s posted turnover, added up from the lines."""
    lines = VoucherLine.objects.filter(voucher__status=VoucherStatus.POSTED)
    if organization_ids is not None:
        lines = lines.filter(voucher__organization_id__in=organization_ids)
    grouped = (
        lines.values_list(
            "voucher__organization_id", "account_id", "voucher__year", "voucher__month"
        )
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by()
    )
    return {(o, a, y, m): [to_fen(d), to_fen(c)] for o, a, y, m, d, c in grouped}


def ledger_mismatches(organization_ids: list[int] | None = None) -> list[str]:
    """Where the summary tables differ from the ledger; an empty list proves they agree."""
    formula = Formula.load()
    ledger = _ledger_turnover(organization_ids)
    stored_balances = AccountBalance.objects.all()
    stored_figures = YearFigures.objects.all()
    if organization_ids is not None:
        stored_balances = stored_balances.filter(organization_id__in=organization_ids)
        stored_figures = stored_figures.filter(organization_id__in=organization_ids)
    problems: list[str] = []
    stored = {
        (o, a, y, m): [d, c]
        for o, a, y, m, d, c in stored_balances.values_list(
            "organization_id", "account_id", "year", "month", "debit_fen", "credit_fen"
        )
    }
    for key in sorted(set(ledger) | set(stored)):
        want = ledger.get(key, [0, 0])
        have = stored.get(key, [0, 0])
        if want != have:
            problems.append(f"turnover {key}: ledger {want}, summary {have}")
    expected: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for (o, a, y, _m), (d, c) in ledger.items():
        expected[(o, y)][0] += formula.contribution(Figure.ACCUMULATION, a, d, c)
        expected[(o, y)][1] += formula.contribution(Figure.OPERATING_INCOME, a, d, c)
    figures = {
        (o, y): [acc, inc]
        for o, y, acc, inc in stored_figures.values_list(
            "organization_id", "year", "accumulation_change_fen", "operating_income_fen"
        )
    }
    for year_key in sorted(set(expected) | set(figures)):
        want = expected.get(year_key, [0, 0])
        have = figures.get(year_key, [0, 0])
        if want != have:
            problems.append(f"figures {year_key}: ledger {want}, summary {have}")
    return problems


def rebuild(organization_ids: list[int] | None = None) -> None:
    """Recompute both tables from the ledger (after a formula changes); caller's transaction."""
    balances = AccountBalance.objects.all()
    figures = YearFigures.objects.all()
    if organization_ids is not None:
        balances = balances.filter(organization_id__in=organization_ids)
        figures = figures.filter(organization_id__in=organization_ids)
    balances.delete()
    figures.delete()
    ledger = _ledger_turnover(organization_ids)
    apply_lines((*k, d, c) for k, (d, c) in ledger.items())


__all__ = [
    "Formula",
    "PostedLine",
    "apply_lines",
    "ledger_mismatches",
    "rebuild",
    "to_fen",
    "to_yuan",
]
