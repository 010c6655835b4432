"""What an import hands back to the cadre: the error report, the on-screen summary, and the blank
template to fill in.

The error report is an ordinary export (``writers.xlsx_response``: streamed, every value written
as text so a quoted ``=cmd|...`` cell stays inert). The template is a small workbook: the header
row in the user's language with ``*`` on required columns, one example row, and a second sheet
explaining each column.
"""

from __future__ import annotations

import heapq
import io
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from zhenxing.core.web.export import Column, safe_sheet_name, xlsx_response
from zhenxing.io.specs import Field, ImportSpec, RowError, field_labels, normalise_header

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _order(error: RowError) -> tuple[int, str]:
    return error.row, error.column


def error_summary(errors: Sequence[RowError], limit: int = 20) -> list[RowError]:
    """The first ``limit`` errors by row, then column, for the result page."""
    return heapq.nsmallest(limit, errors, key=_order)


def error_report_xlsx(errors: Sequence[RowError], *, filename: str) -> StreamingHttpResponse:
    """Every error as an XLSX download: row, column, value, reason (headers translated).

    ``filename`` is given without ``.xlsx``. Row 0 (an error about the whole file) shows blank.
    """
    columns = [
        Column("row", _("Row"), 8),
        Column("column", _("Column"), 20),
        Column("value", _("Value"), 30),
        Column("reason", _("Reason"), 70),
    ]

    def rows() -> Iterator[dict[str, Any]]:
        for e in sorted(errors, key=_order):
            # str(): a message is translated now, in the reader's language.
            reason = str(e.reason)
            row = {"row": e.row or "", "column": str(e.column), "value": e.value}
            yield row | {"reason": reason}

    return xlsx_response(columns=columns, rows=rows(), filename=filename, sheet=_("Errors"))


def _display_width(text: str) -> int:
    """Columns Excel needs for ``text``: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_identifier(example: str) -> bool:
    """An example like an ID number, phone or code: Excel would drop its leading zeros or turn
    its digits into 5.20E+17 unless the column is formatted as text."""
    digits = example[:-1] if example[-1:] in "Xx" else example
    return digits.isdigit() and (len(example) >= 6 or example.startswith("0"))


def header_text(item: Field) -> str:
    """The template's header for a field, in the active language: ``*`` marks required."""
    return f"*{item.label}" if item.required else str(item.label)


def template_xlsx(spec: ImportSpec, *, filename: str | None = None) -> FileResponse:
    """The spec's blank template as an XLSX download (``filename`` without ``.xlsx``).

    Sheet 1: the header row (bold, frozen; required columns marked ``*`` and red; each header's
    help as a cell comment), one example row, and identifier-like columns formatted as text so
    Excel keeps every digit a cadre types. Sheet 2: instructions, one line per column.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = str(spec.title)
    base: dict[str, Any] = {"font_size": 11}
    head = book.add_format(base | {"bold": True, "bg_color": "#F2F2F2", "border": 1})
    head_required = book.add_format(
        base | {"bold": True, "bg_color": "#F2F2F2", "border": 1, "font_color": "#C00000"}
    )
    text = book.add_format(base | {"num_format": "@"})
    example = book.add_format(base | {"italic": True, "font_color": "#808080"})
    example_text = book.add_format(
        base | {"italic": True, "font_color": "#808080", "num_format": "@"}
    )
    wrap = book.add_format(base | {"text_wrap": True, "valign": "top"})
    bold_title = book.add_format(base | {"bold": True, "font_size": 14})

    data = book.add_worksheet(safe_sheet_name(title))
    for col, item in enumerate(spec.fields):
        header = header_text(item)
        identifier = bool(item.example) and _is_identifier(item.example)
        width = max(_display_width(header), _display_width(item.example), 10) + 2
        data.set_column(col, col, width, text if identifier else None)
        data.write_string(0, col, header, head_required if item.required else head)
        if item.help:
            data.write_comment(0, col, str(item.help), {"x_scale": 2, "y_scale": 1.5})
        if item.example:
            data.write_string(1, col, item.example, example_text if identifier else example)
    data.freeze_panes(1, 0)
    data.activate()

    notes = book.add_worksheet(safe_sheet_name(_("Instructions")))
    notes.set_column(0, 0, 24)
    notes.set_column(1, 1, 10)
    notes.set_column(2, 2, 60)
    notes.set_column(3, 3, 24)
    notes.set_column(4, 4, 36)
    notes.write_string(
        0, 0, _("%(title)s: how to fill in the template") % {"title": title}, bold_title
    )
    lines = [
        _(
            "Fill in one row per record on the first sheet, starting on row 2. The grey example "
            "row must be replaced or deleted."
        ),
        _(
            "Columns marked * are required. Headers may be written in Simplified Chinese, "
            "Traditional Chinese or English; columns with other headers are ignored."
        ),
        _(
            "ID numbers, phone numbers and codes are text: the template's columns for them keep "
            "every digit and leading zeros."
        ),
        _(
            "At most %(rows)s rows and %(size)s per file. Every row is checked before anything is "
            "saved; if any row has an error, nothing is saved and a report names each error."
        )
        % {"rows": f"{spec.max_rows:,}", "size": filesizeformat(spec.max_bytes)},
    ]
    for row, line in enumerate(lines, start=1):
        notes.merge_range(row, 0, row, 4, line, wrap)
        notes.set_row(row, 30)
    top = len(lines) + 2
    for col, header in enumerate(
        [_("Column"), _("Required"), _("Description"), _("Example"), _("Also accepted")]
    ):
        notes.write_string(top, col, header, head)
    yes, no = _("Yes"), _("No")
    for row, item in enumerate(spec.fields, start=top + 1):
        label = str(item.label)
        others = [
            h
            for h in (*field_labels(item), *item.aliases)
            if normalise_header(h) != normalise_header(label)
        ]
        notes.write_string(row, 0, header_text(item), wrap)
        notes.write_string(row, 1, yes if item.required else no, wrap)
        notes.write_string(row, 2, str(item.help), wrap)
        notes.write_string(row, 3, item.example, wrap)
        notes.write_string(row, 4, "、".join(dict.fromkeys(others)), wrap)
    notes.freeze_panes(top + 1, 0)
    book.close()
    buffer.seek(0)
    name = filename or _("%(title)s import template") % {"title": title}
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=name.removesuffix(".xlsx") + ".xlsx",
        content_type=XLSX_TYPE,
    )
