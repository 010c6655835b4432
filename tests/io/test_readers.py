"""Readers: CSV in every encoding Chinese Excel saves, XLSX and ODS through calamine, and clear
refusals for files too large, damaged or of another kind. Every file is a real file on disk."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from tests.io import person_spec
from zhenxing.core.errors import DomainError
from zhenxing.io import readers
from zhenxing.io.readers import read_rows

ROWS = [
    ["户号", "姓名", "身份证号", "住址"],
    ["5202810042010001", "王建华", "520202198506120019", "沙坡村一组, 12 号"],
    ["5202810042010001", "李梅", "52020219900101002X", "第一行\n第二行"],  # a quoted newline
    ["5202810042010002", "龍井村", "=1+1", ""],
]
EXPECTED = list(enumerate(ROWS, start=1))
BIG = 10 * 1024 * 1024


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    def quote(cell: str) -> str:
        if any(c in cell for c in (delimiter, '"', "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "".join(delimiter.join(quote(c) for c in row) + "\r\n" for row in rows)


def read(
    path: Path, max_bytes: int = BIG, stream_xlsx: bool | None = None
) -> list[tuple[int, list[str]]]:
    return list(read_rows(path, path.name, max_bytes=max_bytes, stream_xlsx=stream_xlsx))


def trimmed(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Rows without trailing empty cells: calamine pads every row to the sheet's width, the
    streaming reader stops at a row's last cell; the cells themselves must agree."""
    out = []
    for number, cells in rows:
        while cells and cells[-1] == "":
            cells = cells[:-1]
        out.append((number, cells))
    return out


#: Every XLSX test runs through calamine (False) and through the streaming reader (True).
READERS = pytest.mark.parametrize("stream", [False, True], ids=["calamine", "streaming"])


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes(csv_text(ROWS).encode(encoding))
    assert read(path) == EXPECTED


def test_gb18030_is_really_gb18030_and_not_utf8(tmp_path: Path) -> None:
    raw = csv_text(ROWS).encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    path = tmp_path / "persons.csv"
    path.write_bytes(raw)
    assert read(path)[1][1][1] == "王建华"


def test_gb18030_is_detected_even_when_the_first_megabyte_is_ascii(tmp_path: Path) -> None:
    rows = [["name", "note"]] + [[str(n), "x" * 1000] for n in range(1100)] + [["王建华", "1"]]
    path = tmp_path / "late.csv"
    path.write_bytes(csv_text(rows).encode("gb18030"))
    assert path.stat().st_size > 1024 * 1024
    last = read(path)[-1]
    assert last == (len(rows), ["王建华", "1"])


@pytest.mark.parametrize(
    ("delimiter", "name"),
    [("\t", "persons.csv"), (";", "persons.csv"), ("\t", "persons.tsv"), ("\t", "persons.txt")],
)
def test_tab_and_semicolon_delimiters_are_detected(
    tmp_path: Path, delimiter: str, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(csv_text(ROWS, delimiter).encode("utf-8-sig"))
    assert read(path) == EXPECTED


def test_csv_formula_cells_are_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text('a,b\n=1+1,"=HYPERLINK(""http://x"")"\n', encoding="utf-8")
    assert read(path)[1] == (2, ["=1+1", '=HYPERLINK("http://x")'])


def test_blank_lines_keep_the_row_numbers_excel_shows(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("户号,姓名\n\n1,王建华\n,\n2,李梅\n", encoding="utf-8")
    assert read(path) == [
        (1, ["户号", "姓名"]),
        (2, []),
        (3, ["1", "王建华"]),
        (4, ["", ""]),
        (5, ["2", "李梅"]),
    ]


def test_bytes_file_objects_and_uploads_read_alike(tmp_path: Path) -> None:
    raw = csv_text(ROWS).encode("gb18030")
    path = tmp_path / "persons.csv"
    path.write_bytes(raw)
    assert list(read_rows(raw, "persons.csv", max_bytes=BIG)) == EXPECTED
    with path.open("rb") as handle:
        assert list(read_rows(handle, "persons.csv", max_bytes=BIG)) == EXPECTED
        assert not handle.closed  # the caller's file stays the caller's
    upload = SimpleUploadedFile("persons.csv", raw)
    assert list(read_rows(upload, "persons.csv", max_bytes=BIG)) == EXPECTED
    temporary = TemporaryUploadedFile("persons.csv", "text/csv", len(raw), None)
    temporary.write(raw)
    temporary.seek(0)
    assert list(read_rows(temporary, "persons.csv", max_bytes=BIG)) == EXPECTED
    temporary.close()


class Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_stream_that_cannot_seek_is_spooled(tmp_path: Path) -> None:
    raw = csv_text(ROWS).encode("utf-8")
    stream = io.BufferedReader(Unseekable(raw))
    assert not stream.seekable()
    assert list(read_rows(stream, "persons.csv", max_bytes=BIG)) == EXPECTED
    with pytest.raises(DomainError) as caught:
        read_rows(io.BufferedReader(Unseekable(raw)), "persons.csv", max_bytes=len(raw) - 1)
    assert caught.value.code == "file_too_large"


def test_text_that_is_neither_utf8_nor_gb18030_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n\x80\xff\xfe,1\n")
    with pytest.raises(DomainError) as caught:
        read(path)
    assert caught.value.code == "file_unreadable"
    assert caught.value.field == "file"


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(csv_text(ROWS).encode("utf-8"))
    size = path.stat().st_size
    assert len(read(path, max_bytes=size)) == len(ROWS)  # exactly the limit is fine
    for source in (path, path.read_bytes(), SimpleUploadedFile("big.csv", path.read_bytes())):
        with pytest.raises(DomainError) as caught:
            read_rows(source, "big.csv", max_bytes=size - 1)
        assert caught.value.code == "file_too_large"
    assert str(size - 1) in str(caught.value.message)  # the limit, in words a cadre can act on


@pytest.mark.parametrize("name", ["persons.docx", "persons.pdf", "persons", "persons.xlsx.exe"])
def test_other_kinds_of_file_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"whatever")
    with pytest.raises(DomainError) as caught:
        read_rows(path, name, max_bytes=BIG)
    assert caught.value.code == "unsupported_format"
    assert ".xlsx" in str(caught.value.message)


# --- XLSX -------------------------------------------------------------------------------------


def write_xlsx(path: Path) -> None:
    """Row 1 a title, row 2 blank, row 3 the header: the layout of many village books."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人员")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_string(0, 0, "沙坡村人员花名册")
    sheet.write_row(
        2,
        0,
        [
            "户号",
            "姓名",
            "身份证号",
            "家庭人口",
            "人均纯收入",
            "出生日期",
            "公式",
            "DDE",
            "登记时间",
            "是否",
            "错误",
            "身份证(数字)",
            "小数",
        ],
    )
    sheet.write_number(3, 0, 5202810042010003)  # a 16-digit number: still exact in a double
    sheet.write_string(3, 1, "王建华")
    sheet.write_string(3, 2, "520202198506120019")
    sheet.write_number(3, 3, 4)
    sheet.write_number(3, 4, 3512.5)
    sheet.write_datetime(3, 5, dt.date(1985, 6, 12), date)
    sheet.write_formula(3, 6, "=1+1", None, 2)
    sheet.write_formula(3, 7, "=cmd|' /C calc'!A0", None, "cached")
    sheet.write_datetime(3, 8, dt.datetime(2024, 3, 5, 14, 30), when)
    sheet.write_boolean(3, 9, True)
    sheet.write_formula(3, 10, "=1/0", None, "#DIV/0!")
    sheet.write_number(3, 11, 520202198506120019)  # Excel keeps 15 digits of it
    sheet.write_number(3, 12, 0.1 + 0.2)
    sheet.write_string(5, 1, "李梅")  # after a blank row 5
    book.close()


@READERS
def test_xlsx_cells_come_out_as_the_text_excel_shows(tmp_path: Path, stream: bool) -> None:
    path = tmp_path / "persons.xlsx"
    write_xlsx(path)
    rows = trimmed(read(path, stream_xlsx=stream))
    assert [n for n, _ in rows] == [1, 2, 3, 4, 5, 6]
    assert all(isinstance(c, str) for _, cells in rows for c in cells)
    assert rows[0][1][0] == "沙坡村人员花名册"
    assert rows[3][1] == [
        "5202810042010003",
        "王建华",
        "520202198506120019",  # stored as text: every digit kept
        "4",  # 4.0 in the file
        "3512.5",
        "1985-06-12",
        "2",  # the value Excel cached, never our evaluation
        "cached",  # a DDE formula's cached text: nothing ran
        "2024-03-05 14:30:00",
        "TRUE",
        "",  # an error cell holds no value
        "520202198506120000",  # not 5.20202198506120E+17: the ID check can name the problem
        "0.3",  # Excel shows 15 significant digits
    ]
    assert rows[5][1][1] == "李梅"
    assert not any("=" in c for _, cells in rows for c in cells)
    # The same workbook as bytes and as an upload held in memory reads the same.
    raw = path.read_bytes()
    assert trimmed(list(read_rows(raw, "persons.xlsx", max_bytes=BIG, stream_xlsx=stream))) == rows
    upload = SimpleUploadedFile("persons.xlsx", raw)
    from_upload = read_rows(upload, "persons.XLSX", max_bytes=BIG, stream_xlsx=stream)
    assert trimmed(list(from_upload)) == rows


@READERS
def test_xlsx_with_a_title_row_parses_with_excel_row_numbers(tmp_path: Path, stream: bool) -> None:
    path = tmp_path / "persons.xlsx"
    write_xlsx(path)
    result = person_spec().parse(read_rows(path, path.name, max_bytes=BIG, stream_xlsx=stream))
    assert result.header_row == 3
    assert [(e.row, e.column) for e in result.errors] == [(6, "户号"), (6, "身份证号")]
    (record,) = result.records
    assert record.row == 4
    assert record.values["members"] == 4 and str(record.values["income"]) == "3512.50"


@READERS
def test_an_openpyxl_formula_without_a_cached_value_reads_empty(
    tmp_path: Path, stream: bool
) -> None:
    path = tmp_path / "formula.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["户号", "公式", "日期", "数"])
    sheet.append(["1", "=SUM(1,1)", dt.datetime(2024, 3, 5), 7.0])
    book.save(path)
    # openpyxl stores the formula with no cached result; calamine returns no value for it, and
    # nothing here computes one.
    assert trimmed(read(path, stream_xlsx=stream)) == [
        (1, ["户号", "公式", "日期", "数"]),
        (2, ["1", "", "2024-03-05", "7"]),
    ]


@READERS
def test_the_first_visible_sheet_is_read(tmp_path: Path, stream: bool) -> None:
    path = tmp_path / "hidden.xlsx"
    book = xlsxwriter.Workbook(str(path))
    hidden = book.add_worksheet("说明")
    hidden.write_string(0, 0, "not data")
    data = book.add_worksheet("数据")
    data.write_row(0, 0, ["户号", "姓名"])
    data.activate()
    hidden.hide()
    book.close()
    assert read(path, stream_xlsx=stream) == [(1, ["户号", "姓名"])]


def test_ods_is_read_too(tmp_path: Path) -> None:
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
            for c in row
        )
        + "</table:table-row>"
        for row in (["户号", "姓名"], ["1", "王建华"])
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="S">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "persons.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    assert read(path) == [(1, ["户号", "姓名"]), (2, ["1", "王建华"])]


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00garbage" * 50,  # looks like a zip, is not
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # an OLE header with nothing in it
        "户号,姓名\n1,王建华\n".encode(),  # a CSV renamed .xlsx
    ],
)
@READERS
def test_a_damaged_workbook_is_unreadable(tmp_path: Path, content: bytes, stream: bool) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(DomainError) as caught:
        read(path, stream_xlsx=stream)
    assert caught.value.code == "file_unreadable"


@READERS
def test_a_zip_that_is_not_a_workbook_is_unreadable(tmp_path: Path, stream: bool) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a sheet")
    with pytest.raises(DomainError) as caught:
        read(path, stream_xlsx=stream)
    assert caught.value.code == "file_unreadable"


def test_a_workbook_that_unpacks_to_far_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for row in range(3000):
        sheet.write_string(row, 0, f"{row:06d}" + "x" * 1000)
    book.close()
    size = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 20 * size
    with pytest.raises(DomainError) as caught:
        read(path, max_bytes=size)
    assert caught.value.code == "file_too_large"
    assert len(read(path, max_bytes=BIG)) == 3000  # under a sensible limit it reads


def excel_style_workbook(path: Path) -> None:
    """A workbook as Excel itself writes one: shared strings (with a rich-text run and a
    phonetic guide), cell references with gaps, escaped characters, a 1904 date system and
    attributes in an unusual order; written by hand because no library here writes all of it."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
        '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="D1" t="s"><v>2</v></c></row>'
        '<row r="4"><c t="s" r="A4"><v>3</v></c><c r="B4" s="1"><v>1</v></c>'
        '<c r="C4"><v>-12.5</v></c><c r="D4" t="str"><f>A4&amp;"x"</f><v>a&amp;b &lt;c&gt;</v></c>'
        "</row>"
        '<row r="5"><c r="A5" t="inlineStr"><is><r><t>王</t></r><r><t xml:space="preserve">'
        ' 建华</t></r></is></c><c r="B5" t="b"><v>0</v></c><c r="C5" t="e"><v>#N/A</v></c>'
        "</row>"
        "</sheetData></worksheet>"
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4">'
        "<si><t>户号</t></si>"
        "<si><r><rPr><b/></rPr><t>出生</t></r><r><t>日期</t></r></si>"
        '<si><t>备注</t><rPh sb="0" eb="2"><t>ビコウ</t></rPh></si>'
        "<si><t>&#x6C99;坡村</t></si>"
        "</sst>"
    )
    styles = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" '
        'formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<workbookPr date1904="1"/><sheets><sheet name="人员" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/styles.xml", styles)
        archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)


@READERS
def test_an_excel_style_workbook_reads_the_same_both_ways(tmp_path: Path, stream: bool) -> None:
    path = tmp_path / "excel.xlsx"
    excel_style_workbook(path)
    assert trimmed(read(path, stream_xlsx=stream)) == [
        (1, ["户号", "出生日期", "", "备注"]),
        (2, []),
        (3, []),
        (4, ["沙坡村", "1904-01-02", "-12.5", "a&b <c>"]),
        (5, ["王 建华", "FALSE"]),
    ]


def test_workbooks_above_the_threshold_are_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """calamine pads every row to the sheet's width; the streaming reader yields a row's own
    cells: which one read the file shows in the last row's length."""
    path = tmp_path / "persons.xlsx"
    write_xlsx(path)
    monkeypatch.setattr(readers, "STREAM_XLSX_BYTES", path.stat().st_size - 1)
    assert read(path)[-1] == (6, ["", "李梅"])
    monkeypatch.setattr(readers, "STREAM_XLSX_BYTES", path.stat().st_size)
    assert read(path)[-1] == (6, ["", "李梅", *[""] * 11])


def test_a_sheet_with_prefixed_elements_falls_back_to_calamine(tmp_path: Path) -> None:
    path = tmp_path / "prefixed.xlsx"
    excel_style_workbook(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>户号</x:t></x:is>'
        "</x:c></x:row></x:sheetData></x:worksheet>"
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert trimmed(read(path, stream_xlsx=True)) == [(1, ["户号"])]


def _with_sheet(path: Path, sheet: str | None = None, shared: str | None = None) -> None:
    """Replace the sheet or shared-string part of ``excel_style_workbook``'s file."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if sheet is not None:
        parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@READERS
def test_an_indented_sheet_reads_every_cell_in_place(tmp_path: Path, stream: bool) -> None:
    """Some generators pretty-print the XML: whitespace between a cell's elements must not lose
    the cell or shift the ones after it."""
    path = tmp_path / "indented.xlsx"
    excel_style_workbook(path)
    _with_sheet(
        path,
        sheet=(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\n'
            "  <sheetData>\n"
            '    <row r="1">\n'
            '      <c t="s">\n        <v>0</v>\n      </c>\n'
            '      <c t="inlineStr">\n        <is>\n          <t>姓名</t>\n        </is>\n'
            "      </c>\n"
            "      <c>\n        <f>1+1</f>\n        <v>2</v>\n      </c>\n"
            '      <c r="E1"><f>NOW()</f><v /></c><c r="F1"><v>5</v></c>\n'
            "    </row>\n"
            "  </sheetData>\n"
            "</worksheet>\n"
        ),
    )
    assert trimmed(read(path, stream_xlsx=stream)) == [(1, ["户号", "姓名", "2", "", "", "5"])]


@READERS
def test_a_workbook_with_an_empty_shared_string_table_reads(tmp_path: Path, stream: bool) -> None:
    path = tmp_path / "empty-sst.xlsx"
    excel_style_workbook(path)
    _with_sheet(
        path,
        sheet=(
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>户号</t></is></c></row>'
            "</sheetData></worksheet>"
        ),
        shared="<sst/>",
    )
    assert trimmed(read(path, stream_xlsx=stream)) == [(1, ["户号"])]
