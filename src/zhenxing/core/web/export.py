"""Table exports as XLSX or CSV, written row by row so memory does not grow with the row count.

Cells that a spreadsheet would run as a formula (leading ``=``, ``+``, ``-``, ``@``) are escaped
against formula injection: CSV gets a leading apostrophe, XLSX stores every text as a string.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # already translated
    width: int = 16


def escape_formula(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def safe_sheet_name(name: str) -> str:
    """Excel refuses []:*?/\\ in sheet names, quotes at either end, and more than 31 chars."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")[:31]
    return cleaned or "Sheet1"


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def csv_response(
    *, columns: Sequence[Column], rows: Iterable[dict[str, Any]], filename: str
) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV with BOM, which Chinese Excel opens without mojibake."""

    def generate() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf)
        buf.write("\ufeff")
        writer.writerow([c.header for c in columns])
        for row in rows:
            cells = [_cell(row.get(c.key)) for c in columns]
            writer.writerow([escape_formula(v) if isinstance(v, str) else v for v in cells])
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename + ".csv")
    return response


def xlsx_response(
    *, columns: Sequence[Column], rows: Iterable[dict[str, Any]], filename: str, sheet: str
) -> FileResponse:
    """An XLSX written in xlsxwriter's constant-memory mode to a temporary file."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book = xlsxwriter.Workbook(tmp, {"constant_memory": True, "in_memory": False})
    ws = book.add_worksheet(safe_sheet_name(sheet))
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)
        ws.write_string(0, col, column.header, bold)
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for col, column in enumerate(columns):
            value = _cell(row.get(column.key))
            if isinstance(value, str):
                ws.write_string(r, col, value)
            else:
                ws.write(r, col, value)
    book.close()
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=filename + ".xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def table_response(
    *,
    fmt: str,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    filename: str,
    sheet: str = "Sheet1",
) -> StreamingHttpResponse | FileResponse:
    if fmt == "csv":
        return csv_response(columns=columns, rows=rows, filename=filename)
    return xlsx_response(columns=columns, rows=rows, filename=filename, sheet=sheet)
