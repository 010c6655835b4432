"""The summary tables behind the books' reports and the dashboards, kept in step with posting.

``apply_lines`` runs inside the posting transaction: it adds each posted line's amounts to its
account's month (``AccountBalance``, which also keeps apart what carry-forward and opening
vouchers moved) and to its organisation's figures for the year (``YearFigures``), through the
formula terms of the account's chart in ``FigureTerm``. Sums are integer fen, added by
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
    VoucherKind,
    VoucherLine,
    VoucherStatus,
    YearFigures,
)
from zhenxing.economy.rules.values import to_fen, to_yuan

#: One posted line, as the summaries need it: organisation, account, year, month, debit and
#: credit in fen, and whether a carry-forward or opening voucher moved it (``moved``).
PostedLine = tuple[int, int, int, int, int, int, bool]


@dataclass(frozen=True)
class Formula:
    """Each chart's figure terms, matched to account ids once per posting."""

    # (chart, figure) → [(prefix, measure, sign)]
    terms: dict[tuple[str, str], list[tuple[str, str, int]]]
    accounts: dict[int, tuple[str, str]]  # account id → (chart, code)

    @classmethod
    def load(cls) -> Formula:
        terms: dict[tuple[str, str], list[tuple[str, str, int]]] = defaultdict(list)
        for t in FigureTerm.objects.all():
            terms[(t.chart, t.figure)].append((t.account_prefix, t.measure, t.sign))
        accounts = {
            pk: (chart, code)
            for pk, chart, code in Account.objects.values_list("pk", "chart", "code")
        }
        return cls(dict(terms), accounts)

    def contribution(
        self, figure: str, account_id: int, debit: int, credit: int, moved: tuple[int, int]
    ) -> int:
        """The figure's share of an account's turnover; ``moved`` is the (debit, credit) part of
        it that carry-forward and opening vouchers posted, which ``result`` terms leave out."""
        chart, code = self.accounts[account_id]
        total = 0
        for prefix, measure, sign in self.terms.get((chart, figure), ()):
            if not code.startswith(prefix):
                continue
            if measure == Measure.RESULT:
                total += sign * ((credit - moved[1]) - (debit - moved[0]))
            else:
                total += sign * (credit - debit)
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
    balances: dict[tuple[int, int, int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    figures: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for organization, account, year, month, debit, credit, moved in lines:
        cell = balances[(organization, account, year, month)]
        cell[0] += debit
        cell[1] += credit
        part = (debit, credit) if moved else (0, 0)
        cell[2] += part[0]
        cell[3] += part[1]
        fig = figures[(organization, year)]
        fig[0] += formula.contribution(Figure.ACCUMULATION, account, debit, credit, part)
        fig[1] += formula.contribution(Figure.OPERATING_INCOME, account, debit, credit, part)
    _upsert(
        AccountBalance._meta.db_table,
        ["organization_id", "account_id", "year", "month"],
        ["debit_fen", "credit_fen", "moved_debit_fen", "moved_credit_fen"],
        [(*k, d, c, md, mc) for k, (d, c, md, mc) in balances.items()],
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
    """Each (organisation, account, year, month)'s posted turnover, added up from the lines:
    [debit, credit, moved debit, moved credit] in fen."""
    lines = VoucherLine.objects.filter(voucher__status=VoucherStatus.POSTED)
    if organization_ids is not None:
        lines = lines.filter(voucher__organization_id__in=organization_ids)
    grouped = (
        lines.values_list(
            "voucher__organization_id",
            "account_id",
            "voucher__year",
            "voucher__month",
            "voucher__kind",
        )
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by()
    )
    turnover: dict[tuple[int, int, int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for o, a, y, m, kind, d, c in grouped:
        cell = turnover[(o, a, y, m)]
        cell[0] += to_fen(d)
        cell[1] += to_fen(c)
        if kind != VoucherKind.ORDINARY:
            cell[2] += to_fen(d)
            cell[3] += to_fen(c)
    return dict(turnover)


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
        (o, a, y, m): [d, c, md, mc]
        for o, a, y, m, d, c, md, mc in stored_balances.values_list(
            "organization_id",
            "account_id",
            "year",
            "month",
            "debit_fen",
            "credit_fen",
            "moved_debit_fen",
            "moved_credit_fen",
        )
    }
    for key in sorted(set(ledger) | set(stored)):
        want = ledger.get(key, [0, 0, 0, 0])
        have = stored.get(key, [0, 0, 0, 0])
        if want != have:
            problems.append(f"turnover {key}: ledger {want}, summary {have}")
    expected: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for (o, a, y, _m), (d, c, md, mc) in ledger.items():
        expected[(o, y)][0] += formula.contribution(Figure.ACCUMULATION, a, d, c, (md, mc))
        expected[(o, y)][1] += formula.contribution(Figure.OPERATING_INCOME, a, d, c, (md, mc))
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
    rows: list[PostedLine] = []
    for key, (d, c, md, mc) in ledger.items():
        # Each cell as two lines: what ordinary vouchers posted and what was moved.
        rows.append((*key, d - md, c - mc, False))
        if md or mc:
            rows.append((*key, md, mc, True))
    apply_lines(rows)


__all__ = [
    "Formula",
    "PostedLine",
    "apply_lines",
    "ledger_mismatches",
    "rebuild",
    "to_fen",
    "to_yuan",
]
