"""Reading a large .xlsx sheet as a stream, in constant memory.

calamine (``zhenxing.io.readers``) loads a whole sheet before yielding its first row: about
1.5 GB for a million registry rows. A sheet is XML inside a zip, so this reader inflates it in
chunks and picks the rows and cells out of each chunk with one compiled expression; memory stays
at a few megabytes whatever the row count (the shared-string table, which Excel writes for text
cells, is the one part held whole: one entry per *distinct* text).

It renders values exactly as the calamine path does (``excel_text``): shared and inline
strings, numbers without a trailing ``.0``, dates from the cell's number format (the 1900 and
1904 date systems), booleans as TRUE/FALSE, errors as "", a formula's cached value (a formula is
never evaluated). Rows come with the numbers Excel shows, blank rows between them included.

A sheet written with a namespace prefix on its elements (``<x:row>``; a few generators do) is
not matched here: ``stream_xlsx_rows`` then raises ``NotStreamable`` and the caller falls back to
calamine.
"""

from __future__ import annotations

import datetime as dt
import decimal
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree

Rows = Iterator[tuple[int, list[str]]]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_STRICT = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_STRICT_REL = "{http://purl.oclc.org/ooxml/officeDocument/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Inflated sheet XML read at a time. Its rows and cells are picked out a chunk at a time, so the
# chunk sets the reader's working memory (~20× its size in tokens); a larger one reads no faster.
_CHUNK = 1 << 20

# One token per row start or cell. A cell's value is its <v> (after an optional <f> formula) or
# its inline string <is>…</is>; attributes are parsed separately, so their order does not matter.
_TOKEN = re.compile(
    rb"<(?:(row\b[^>]*?)/?>"
    # r, s and t as Excel and most writers put them, captured; anything else is in the rest.
    rb"|c\b(?:\s+r=\"([A-Z]+)\d+\")?(?:\s+s=\"(\d+)\")?(?:\s+t=\"(\w+)\")?([^>]*?)"
    rb"(?:/>|>\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?"
    rb"(?:<v>([^<]*)</v>|<v\s*/>|<is><t>([^<]*)</t></is>|<is>(.*?)</is>)?\s*"
    rb"(?:<extLst>.*?</extLst>\s*)?</c>))",
    re.S,
)
# Every cell start in a chunk, to prove each was read: "<c " "<c>" "<c/" (never <cols>, <cfRule>).
_CELL_START = re.compile(rb"<c[\s>/]")
_ROW_START = re.compile(rb"<row\b")
_ATTR_R = re.compile(rb'\br\s*=\s*["\']([A-Z]*)(\d+)["\']')
_ATTR_T = re.compile(rb'\bt\s*=\s*["\'](\w+)["\']')
_ATTR_S = re.compile(rb'\bs\s*=\s*["\'](\d+)["\']')
_RUN_TEXT = re.compile(rb"<t\b[^>]*?(?:/>|>([^<]*)</t>)")
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
# Built-in number formats that are dates or times (ECMA-376 §18.8.30).
_DATE_FORMATS = frozenset({*range(14, 23), *range(45, 48), *range(27, 37), *range(50, 59)})
_DATE_CODE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|[^dmyhsDMYHS]')


class NotStreamable(Exception):
    """The workbook is valid but not in a layout this reader handles: use calamine."""


def _unescape(text: str) -> str:
    if "&" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        name = match[1]
        if name[0] == "#":
            return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
        return _NAMED[name]

    return _ENTITY.sub(one, text)


def _run_text(body: bytes) -> str:
    """The text of a shared or inline string: its runs joined, phonetic guides left out."""
    if b"<rPh" in body:
        body = _PHONETIC.sub(b"", body)
    return _unescape(b"".join(t or b"" for t in _RUN_TEXT.findall(body)).decode("utf-8"))


def _column_index(letters: bytes, cache: dict[bytes, int]) -> int:
    index = cache.get(letters)
    if index is None:
        index = 0
        for byte in letters:
            index = index * 26 + byte - 64
        index -= 1
        cache[letters] = index
    return index


def _xml(data: bytes) -> ElementTree.Element:
    """A small workbook part parsed; a document type declaration (the vehicle of entity
    expansion attacks, never in a real workbook) is refused instead."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise zipfile.BadZipFile("document type declaration in a workbook part")
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD, so no entities to expand


def _first_visible_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The zip path of the first visible worksheet, and whether the book uses 1904 dates."""
    book = _xml(archive.read("xl/workbook.xml"))
    ns = _STRICT if book.tag.startswith(_STRICT) else _MAIN
    rel_ns = _STRICT_REL if ns == _STRICT else _REL
    props = book.find(f"{ns}workbookPr")
    date1904 = props is not None and props.get("date1904", "0").lower() in {"1", "true"}
    sheets = book.findall(f"{ns}sheets/{ns}sheet")
    chosen = next((s for s in sheets if s.get("state", "visible") == "visible"), None)
    if chosen is None and sheets:
        chosen = sheets[0]
    if chosen is None:
        raise zipfile.BadZipFile("no worksheet")
    rel_id = chosen.get(f"{rel_ns}id")
    rels = _xml(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            return posixpath.normpath(path), date1904
    raise zipfile.BadZipFile("worksheet not found")


def _date_styles(archive: zipfile.ZipFile) -> list[bool]:
    """For each cell style index, whether its number format shows a date or time."""
    try:
        styles = _xml(archive.read("xl/styles.xml"))
    except KeyError:
        return []
    ns = _STRICT if styles.tag.startswith(_STRICT) else _MAIN
    custom: dict[int, bool] = {}
    for fmt in styles.iter(f"{ns}numFmt"):
        # A format is a date when, outside quotes, brackets and escapes, it has d m y h or s.
        code = _DATE_CODE.sub("", fmt.get("formatCode", ""))
        custom[int(fmt.get("numFmtId", "0"))] = bool(code)
    xfs = styles.find(f"{ns}cellXfs")
    if xfs is None:
        return []
    flags = []
    for xf in xfs.findall(f"{ns}xf"):
        number = int(xf.get("numFmtId", "0"))
        flags.append(custom.get(number, number in _DATE_FORMATS))
    return flags


_ITEM = re.compile(rb"<si\b[^>]*?(?:/>|>(.*?)</si>)", re.S)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared-string table (one entry per distinct text), read in chunks."""
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    with stream:
        buffer = b""
        while True:
            chunk = stream.read(_CHUNK)
            buffer += chunk
            end = buffer.rfind(b"</si>") + 5 if chunk else len(buffer)
            if chunk and end < 5:
                continue
            part, buffer = buffer[:end], buffer[end:]
            strings.extend(_run_text(item) if item else "" for item in _ITEM.findall(part))
            if not chunk:
                break
    return strings


def _serial_to_datetime(serial: float, date1904: bool) -> dt.date | dt.datetime | dt.time:
    if 0 <= serial < 1:  # a time of day, as calamine reads it
        seconds = round(serial * 86400)
        return dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    if not date1904 and serial < 60:
        serial += 1  # Excel's phantom 1900-02-29
    moment = base + dt.timedelta(seconds=round(serial * 86400))
    return moment


def stream_xlsx_rows(file: IO[bytes]) -> Rows:
    """The rows of the first visible worksheet of an .xlsx/.xlsm, streamed.

    Raises ``zipfile.BadZipFile``/``KeyError``/``ElementTree.ParseError`` on a damaged file
    (the caller turns those into a clear message) and ``NotStreamable`` before yielding anything
    when the sheet's layout is not one this reader handles.
    """
    archive = zipfile.ZipFile(file)
    path, date1904 = _first_visible_sheet(archive)
    dates = _date_styles(archive)
    strings = _shared_strings(archive)
    sheet = archive.open(path)
    head = sheet.read(_CHUNK)
    if b"<sheetData" not in head and b":sheetData" in head:
        sheet.close()
        raise NotStreamable("prefixed elements")
    return _rows(archive, sheet, head, strings, dates, date1904)


# Integers below 2**53 are exact in a double, so a file's 16-digit code comes back whole; above
# it, Excel's 15 significant digits are all the file can be trusted for.
_EXACT = 2.0**53


def excel_text(value: Any) -> str:
    """A non-text calamine value as the text Excel displays (see the module docstring)."""
    kind = type(value)
    if kind is float:
        if value.is_integer() and -_EXACT < value < _EXACT:
            return str(int(value))
        text = f"{value:.15g}"
        if "e" in text or "E" in text:
            text = format(decimal.Decimal(text), "f")
        return text
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is dt.datetime:
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if kind is dt.date:
        return value.isoformat()
    if kind is dt.time:
        return value.isoformat(timespec="seconds")
    if value is None:
        return ""
    return str(value)


def _rows(
    archive: zipfile.ZipFile,
    sheet: IO[bytes],
    head: bytes,
    strings: list[str],
    dates: list[bool],
    date1904: bool,
) -> Rows:
    text = excel_text  # renders like the calamine path

    columns: dict[bytes, int] = {}
    last = 0
    cells: list[str] | None = None
    number = 0
    buffer = head
    try:
        while True:
            chunk = sheet.read(_CHUNK)
            if chunk:
                buffer += chunk
                end = buffer.rfind(b"</row>")
                if end < 0:
                    continue
                end += 6
                part, buffer = buffer[:end], buffer[end:]
            else:
                part, buffer = buffer, b""
            tokens = _TOKEN.findall(part)
            cells_found = len(tokens) - len(_ROW_START.findall(part))
            if cells_found != len(_CELL_START.findall(part)):
                # A cell written in a way the expression does not know: refuse rather than
                # read it as empty or shift the cells after it.
                raise ValueError("unrecognised cell markup")
            for row_attrs, letters, s_attr, t, attrs, value, plain, inline in tokens:
                if row_attrs:  # a row starts ("row r=…": never empty when it matched)
                    if cells is not None:
                        yield number, cells
                    found = _ATTR_R.search(row_attrs)
                    following = int(found[2]) if found else number + 1
                    while last + 1 < following:
                        last += 1
                        yield last, []
                    number = last = following
                    cells = []
                    continue
                if cells is None:
                    continue
                if not attrs and t == b"s" and letters:
                    # The usual text cell, all its attributes captured: the short way.
                    cell = strings[int(value)] if value else ""
                    index = columns.get(letters)
                    if index is None:
                        index = _column_index(letters, columns)
                    if index == len(cells):
                        cells.append(cell)
                        continue
                    if index > len(cells):
                        cells.extend([""] * (index - len(cells)))
                        cells.append(cell)
                    else:
                        cells[index] = cell
                    continue
                t = t or b"n"
                style = int(s_attr) if s_attr else 0
                if attrs:
                    # Writers put r first (caught by the token); t and s follow in any order.
                    if b"'" in attrs:  # single-quoted attributes: the general expressions
                        found = _ATTR_T.search(attrs)
                        t = found[1] if found else t
                        found = _ATTR_S.search(attrs)
                        style = int(found[1]) if found else style
                    else:
                        at = attrs.find(b' t="')
                        if at >= 0:
                            t = attrs[at + 4 : attrs.find(b'"', at + 4)]
                        at = attrs.find(b' s="')
                        if at >= 0:
                            style = int(attrs[at + 4 : attrs.find(b'"', at + 4)])
                    if not letters:
                        found = _ATTR_R.search(attrs)
                        if found:
                            letters = found[1]
                if t == b"s":
                    cell = strings[int(value)] if value else ""
                elif t == b"inlineStr":
                    if plain:
                        cell = plain.decode("utf-8")
                        if "&" in cell:
                            cell = _unescape(cell)
                    else:
                        cell = _run_text(inline) if inline else ""
                elif t == b"n":
                    if not value:
                        cell = ""
                    elif style and style < len(dates) and dates[style]:
                        cell = text(_serial_to_datetime(float(value), date1904))
                    elif value.isdigit() and len(value) < 16:
                        cell = value.decode("ascii").lstrip("0") or "0"
                    else:
                        cell = text(float(value))
                elif t == b"str":
                    cell = _unescape(value.decode("utf-8"))
                elif t == b"b":
                    cell = "TRUE" if value.strip() in (b"1", b"true") else "FALSE"
                elif t == b"d":
                    cell = value.decode("ascii").replace("T", " ")
                else:  # "e": an error such as #DIV/0! holds no value
                    cell = ""
                if letters:
                    index = columns.get(letters)
                    if index is None:
                        index = _column_index(letters, columns)
                    if index != len(cells):
                        if index > len(cells):
                            cells.extend([""] * (index - len(cells)))
                        else:
                            cells[index] = cell
                            continue
                cells.append(cell)
            if not chunk:
                break
        if cells is not None:
            yield number, cells
    finally:
        sheet.close()
        archive.close()
