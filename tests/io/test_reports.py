"""What an import hands back: the error report, the on-screen summary, and the template."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.utils import translation

from tests.io import person_spec
from zhenxing.io.readers import read_rows
from zhenxing.io.reports import error_report_xlsx, error_summary, template_xlsx
from zhenxing.io.specs import RowError


def workbook(response: StreamingHttpResponse) -> openpyxl.Workbook:
    # The workbook is streamed as it is written: reading the stream is all it takes (closing
    # the response would fire request_finished, whose handler touches the database).
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def values(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


ERRORS = [
    RowError(7, "姓名", "", "This cell is required."),
    RowError(3, "身份证号", '=HYPERLINK("http://evil")', "An ID number has 18 characters."),
    RowError(3, "出生日期", "2000-13-01", "A date such as 2024-03-05."),
    RowError(0, "", "", "The file has more than 3 data rows."),
]


def test_the_summary_is_the_first_errors_by_row_then_column() -> None:
    summary = error_summary(ERRORS, limit=3)
    assert [(e.row, e.column) for e in summary] == [(0, ""), (3, "出生日期"), (3, "身份证号")]
    assert error_summary(ERRORS) == sorted(ERRORS, key=lambda e: (e.row, e.column))
    assert error_summary([], limit=20) == []


def test_the_error_report_lists_every_error_under_translated_headers() -> None:
    with translation.override("en"):
        response = error_report_xlsx(ERRORS, filename="import-7-errors")
    assert response["Content-Disposition"] == 'attachment; filename="import-7-errors.xlsx"'
    book = workbook(response)
    sheet = book.worksheets[0]
    assert sheet.title == "Errors"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    rows = values(sheet)
    assert rows[0] == ["Row", "Column", "Value", "Reason"]
    assert rows[1:] == [
        ["", "", "", "The file has more than 3 data rows."],  # row 0: the whole file
        [3, "出生日期", "2000-13-01", "A date such as 2024-03-05."],
        [3, "身份证号", '=HYPERLINK("http://evil")', "An ID number has 18 characters."],
        [7, "姓名", "", "This cell is required."],
    ]
    # The user's own cell comes back as text, never as a live formula.
    assert sheet["C4"].data_type == "s"


def test_the_error_report_headers_follow_the_users_language() -> None:
    with translation.override("zh-hans"):
        expected = [translation.gettext(h) for h in ("Row", "Column", "Value", "Reason")]
        response = error_report_xlsx(ERRORS[:1], filename="e")
    assert values(workbook(response).worksheets[0])[0] == expected


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_template_has_the_header_row_an_example_and_instructions(language: str) -> None:
    spec = person_spec()
    with translation.override(language):
        response = template_xlsx(spec)
        labels = [str(f.label) for f in spec.fields]
        instructions = translation.gettext("Instructions")
        yes = translation.gettext("Yes")
    disposition = unquote(response["Content-Disposition"])
    assert "人员花名册" in disposition and disposition.endswith(".xlsx")
    book = workbook(response)
    data, notes = book.worksheets
    assert data.title == "人员花名册"
    assert notes.title == instructions
    header, example = values(data)
    assert header == [
        ("*" if f.required else "") + label for f, label in zip(spec.fields, labels, strict=True)
    ]
    assert example == [f.example or None for f in spec.fields]
    assert data.freeze_panes == "A2"
    assert all(data.cell(1, col).font.bold for col in range(1, len(labels) + 1))
    # The household number and ID number columns are text, so Excel keeps every digit typed.
    assert data["A2"].number_format == "@" and data["C2"].number_format == "@"
    assert data.column_dimensions["C"].number_format == "@"
    assert data["B2"].number_format == "General"
    assert data["A1"].comment is not None and "户号" in data["A1"].comment.text
    table = {row[0]: row[1:] for row in values(notes) if row[0]}
    for f, label in zip(spec.fields, labels, strict=True):
        assert ("*" + label if f.required else label) in table
    required, description, example, others = table["*" + labels[2]]
    assert (required, description, example) == (yes, "18 位，按文本填写。", "520202198506120019")
    assert "身分證號碼" in others and "公民身份号码" in others


def test_a_template_filled_in_imports_cleanly(tmp_path: Path) -> None:
    spec = person_spec()
    with translation.override("zh-hant"):
        response = template_xlsx(spec, filename="人员模板")
    assert "%E4%BA%BA%E5%91%98%E6%A8%A1%E6%9D%BF.xlsx" in response["Content-Disposition"]
    book = workbook(response)
    path = tmp_path / "filled.xlsx"
    book.save(path)
    # As downloaded, the example row is refused rather than imported as a real person.
    untouched = spec.parse(read_rows(path, path.name, max_bytes=spec.max_bytes))
    assert [(e.row, e.column) for e in untouched.errors] == [(2, "")]
    sheet = book.worksheets[0]
    for col, value in enumerate(
        ["5202810042010007", "李梅", "52020219900101002X", "女", "1990-01-01", "", "3", "4200"],
        start=1,
    ):
        sheet.cell(2, col).value = value
    book.save(path)
    result = spec.parse(read_rows(path, path.name, max_bytes=spec.max_bytes))
    assert result.errors == [] and result.ignored == []
    (record,) = result.records
    assert record.values["name"] == "李梅" and record.values["members"] == 3
