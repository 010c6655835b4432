"""The rules a voucher and the books obey, as pure checks (no queries, no writes).

``services.books`` (vouchers entered by hand, the bulk load) and ``importers.vouchers`` (a file
of books) both call these, so each refusal's message is written once.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhenxing.core.errors import DomainError
from zhenxing.economy.models import RESULT_CATEGORIES, VoucherKind
from zhenxing.economy.rules.values import Reason, check_amount


@dataclass(frozen=True)
class LineIn:
    """A voucher line as entered: an account code and one amount on one side."""

    account: str
    debit: decimal.Decimal | int | str = 0
    credit: decimal.Decimal | int | str = 0
    summary: str = ""


#: A line bound to its account: (account, debit, credit, summary).
BoundLine = tuple[Any, decimal.Decimal, decimal.Decimal, str]


def check_money(value: Any, field: str, *, allow_negative: bool = False) -> decimal.Decimal:
    """An amount on a voucher line: never negative except on a red-ink reversal."""
    return check_amount(
        value,
        field,
        allow_negative=allow_negative,
        negative=Reason(
            gettext_noop("An amount is never negative: correct a posted voucher by reversing it.")
        ),
    )


def one_side(debit: Any, credit: Any) -> bool:
    """Whether a line carries a debit or a credit amount (not both, not neither)."""
    return bool(debit) != bool(credit)


def check_line_sides(index: int, debit: Any, credit: Any) -> None:
    """A line carries a debit or a credit amount, not both and not neither."""
    if not one_side(debit, credit):
        raise DomainError(
            Reason(
                gettext_noop("Line %(line)d: enter a debit or a credit amount, not both."),
                {"line": index},
            ),
            field="lines",
        )


def check_lines(
    lines: Sequence[LineIn], accounts: Mapping[str, Any], *, reversal: bool = False
) -> list[BoundLine]:
    """Every rule a voucher's lines obey; returns them bound to their accounts (``accounts``
    maps the chart's account codes to accounts)."""
    if len(lines) < 2:
        raise DomainError(Reason(gettext_noop("A voucher has at least two lines.")), field="lines")
    bound: list[BoundLine] = []
    for index, line in enumerate(lines, start=1):
        account = accounts.get(str(line.account).strip())
        if account is None:
            raise DomainError(
                Reason(
                    gettext_noop("Line %(line)d: there is no account %(code)s in the chart."),
                    {"line": index, "code": line.account},
                ),
                field="lines",
            )
        debit = check_money(line.debit, "lines", allow_negative=reversal)
        credit = check_money(line.credit, "lines", allow_negative=reversal)
        check_line_sides(index, debit, credit)
        bound.append((account, debit, credit, (line.summary or "").strip()[:128]))
    debits = sum(d for _a, d, _c, _s in bound)
    credits = sum(c for _a, _d, c, _s in bound)
    if debits != credits:
        raise DomainError(
            Reason(
                gettext_noop("The voucher does not balance: debits %(debit)s, credits %(credit)s."),
                {"debit": str(debits), "credit": str(credits)},
            ),
            field="lines",
        )
    return bound


def voucher_kind(bound: Sequence[BoundLine], year_result: Any) -> str:
    """A voucher whose lines are on the year's result account (本年收益) and otherwise only on
    income and expense accounts is the year-end carry-forward (结转本年收益), whoever keyed it:
    it moves the year's result, it neither earns nor spends."""
    accounts = [a for a, _d, _c, _s in bound]
    on_result = any(a.pk == year_result.pk for a in accounts)
    others = [a for a in accounts if a.pk != year_result.pk]
    if on_result and others and all(a.category in RESULT_CATEGORIES for a in others):
        return VoucherKind.CARRY_FORWARD
    return VoucherKind.ORDINARY


def check_chart_in_force(chart: Any, date: dt.date) -> None:
    """A posting under a chart lands in the period the chart governs: after 2023 the 2004
    chart no longer does (财会〔2023〕20号: from 2024-01-01 books follow the 2023 system)."""
    if chart.effective_to is not None and date > chart.effective_to:
        raise DomainError(
            _(
                "%(chart)s governs books only until %(end)s: convert this organisation's books "
                "to the current chart before posting on %(date)s."
            )
            % {"chart": chart, "end": chart.effective_to, "date": date},
            code="chart_ended",
            field="date",
        )


def check_not_before_conversion(effective_on: dt.date | None, date: dt.date) -> None:
    """Once books are converted to a new chart, the old books before the conversion date are
    closed to postings (undo the conversion to correct them)."""
    if effective_on is not None and date < effective_on:
        raise DomainError(
            _(
                "The books were converted to the new chart from %(from)s: undo the conversion "
                "to post on %(date)s."
            )
            % {"from": effective_on, "date": date},
            code="converted",
            field="date",
        )


def check_summary(summary: str) -> str:
    """A voucher's summary: 1 to 128 characters."""
    summary = (summary or "").strip()
    if not summary or len(summary) > 128:
        raise DomainError(_("A summary has 1 to 128 characters."), field="summary")
    return summary


def check_attachment_count(attachments: Any) -> int:
    """How many paper documents are attached: 0 to 999."""
    if not 0 <= int(attachments) <= 999:
        raise DomainError(_("Between 0 and 999 attached documents."), field="attachments")
    return int(attachments)


def check_open_month(closed_through: int | None, date: dt.date) -> None:
    """A posting lands in an open month (months up to ``closed_through`` are closed)."""
    if closed_through is not None and date.year * 100 + date.month <= closed_through:
        raise DomainError(
            Reason(
                gettext_noop("%(year)d-%(month)02d is closed: post into an open month."),
                {"year": date.year, "month": date.month},
            ),
            code="period_closed",
            field="date",
        )


def check_close_order(closed_through: int | None, year: int, month: int) -> int:
    """Months close in order: the month after the last one closed. Returns the period."""
    if not 1 <= month <= 12:
        raise DomainError(_("A month is 1 to 12."), field="month")
    period = year * 100 + month
    if closed_through is not None:
        last_year, last_month = divmod(closed_through, 100)
        following = (last_year + 1) * 100 + 1 if last_month == 12 else closed_through + 1
        if period <= closed_through:
            raise DomainError(_("This month is already closed."), code="period_closed")
        if period != following:
            raise DomainError(
                _("Close %(year)d-%(month)02d first: months close in order.")
                % {"year": following // 100, "month": following % 100},
                field="month",
            )
    return period


def check_not_preparer(preparer_id: int | None, actor: Any) -> None:
    """The approver is another person than the preparer."""
    if preparer_id is not None and preparer_id == getattr(actor, "pk", None):
        raise DomainError(
            _("The approver cannot be the person who prepared the voucher."),
            code="same_person",
        )


#: What a voucher's attachment may be: scans and photos, PDFs, spreadsheets (by extension and
#: by the file's first bytes, so a renamed program is refused).
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".xlsx": (b"PK\x03\x04",),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def check_attachment_file(name: str, size: int, head: bytes) -> str:
    """An uploaded document: a known type by name and content, at most 10 MB. Returns the
    name kept (its last part, at most 128 characters)."""
    name = os.path.basename(str(name or ""))[:128]
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in ATTACHMENT_TYPES:
        raise DomainError(_("Attach a PDF, a JPEG or PNG picture or an Excel file."), field="file")
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError(_("An attachment is at most 10 MB."), field="file")
    if not head.startswith(ATTACHMENT_TYPES[suffix]):
        raise DomainError(_("The file's content does not match its name."), field="file")
    return name
