"""Reading a cadre's spreadsheet as rows of text: ``(row number, [cell, ...])``, header included.

Row numbers are the ones Excel shows (blank rows count), so an error report can say "row 17"
and the cadre finds it. Every cell is a ``str``; an empty cell is ``""``.

Excel-family files (.xlsx, .xlsm, .xls, .ods) go through python-calamine, which never evaluates a
formula: it returns the value Excel cached when it saved the file (a file written by a library
that stores no cached value reads as an empty cell). What calamine 0.9 returns, and what we make
of it (pinned by tests/io/test_readers.py):

* numbers are ``float`` even when integral (5 → 5.0): an integral one is rendered whole
  (5.0 → "5"; 5202810042010001 stays exact, as every integer below 2**53 is), any other with
  Excel's 15 significant digits and never in E-notation (0.30000000000000004 → "0.3"). An ID
  number typed as a number (Excel keeps 15 digits: 5.20202198506120E+17) → "520202198506120000",
  which the ID check then rejects with a clear reason rather than a puzzling "5.20E+17";
* dates are ``date`` / ``datetime`` / ``time`` → "2024-03-05", "2024-03-05 14:30:00" (a
  midnight datetime → just the date), "08:15:00"; booleans → "TRUE" / "FALSE";
* error cells (#DIV/0!, #N/A) come back as "" — the file holds no usable value there;
* ``iter_rows()`` starts at row 1 even when the data starts lower (leading blank rows are
  yielded), but it starts at the first *used column*; columns are matched by header, so only
  the row numbering matters and it is kept right (see ``_calamine_rows``);
* calamine loads the whole sheet into memory when the sheet is opened; ``iter_rows`` then
  converts one row at a time to Python, which is as lean as this version allows.

CSV is streamed (constant memory): the encoding is decided by one pass over the bytes — UTF-8
(with or without BOM), else GB18030 (what Chinese Excel's "CSV" saves; it is a superset of GBK
and GB2312); UTF-16 with a BOM (Excel's "Unicode text") is recognised too — then the rows are
read in a second pass. The delimiter (comma, tab or semicolon) is taken from the first line.
Cells are text exactly as in the file: a CSV cell "=1+1" is the text "=1+1".
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO
from xml.etree import ElementTree

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from zhenxing.core.errors import DomainError
from zhenxing.io.xlsx import NotStreamable, stream_xlsx_rows
from zhenxing.io.xlsx import excel_text as _excel_text

Rows = Iterator[tuple[int, list[str]]]

EXCEL_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
TEXT_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
SUPPORTED_EXTENSIONS = EXCEL_EXTENSIONS | TEXT_EXTENSIONS

#: A zip-based workbook may unpack to at most this many times ``max_bytes``: ordinary sheets
#: compress about 5–10×; a "zip bomb" compresses 1000× and would exhaust memory in calamine.
MAX_EXPANSION = 20

#: Workbooks larger than this are streamed (constant memory) rather than loaded by calamine,
#: which holds a whole sheet in memory: about 30 bytes per cell plus its text.
STREAM_XLSX_BYTES = 4 << 20
_STREAM_FAULTS = (
    zipfile.BadZipFile,
    KeyError,
    ElementTree.ParseError,
    ValueError,
    IndexError,
    EOFError,
    OSError,
    zlib.error,
)

_CHUNK = 1 << 20
_DELIMITERS = (",", "\t", ";")


def _unreadable(detail: str = "") -> DomainError:
    message = _(
        "The file could not be read: it may be damaged, or not really a spreadsheet. "
        "Open it in Excel, save it again as .xlsx or .csv, and upload that."
    )
    if detail:
        message = f"{message} ({detail})"
    return DomainError(message, code="file_unreadable", field="file")


def _too_large(max_bytes: int) -> DomainError:
    return DomainError(
        _("The file is larger than %(size)s: split it into smaller files.")
        % {"size": filesizeformat(max_bytes)},
        code="file_too_large",
        field="file",
    )


def read_rows(
    file: BinaryIO | IO[bytes] | bytes | str | os.PathLike[str],
    filename: str,
    *,
    max_bytes: int,
    stream_xlsx: bool | None = None,
) -> Rows:
    """The rows of the file's first visible sheet, or of a CSV, as ``(row number, cells)``.

    ``file`` is an open binary file (a Django ``UploadedFile`` too), the bytes, or a path;
    ``filename`` (the name the user uploaded) chooses the format by its extension. The checks
    that can fail early — format, size, whether the file opens — run before this returns and
    raise ``DomainError`` with code ``unsupported_format``, ``file_too_large`` or
    ``file_unreadable``; a fault found later in the file raises the same while iterating.
    A file object passed in is read from its start and left open.

    An .xlsx/.xlsm above ``STREAM_XLSX_BYTES`` is read by the constant-memory streaming reader
    (``zhenxing.io.xlsx``) instead of calamine; ``stream_xlsx`` forces the choice either way.
    """
    extension = Path(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise DomainError(
            _("Files of this type cannot be imported: upload an Excel (.xlsx) or CSV file."),
            code="unsupported_format",
            field="file",
        )
    if isinstance(file, bytes | bytearray):
        if len(file) > max_bytes:
            raise _too_large(max_bytes)
        stream: IO[bytes] = io.BytesIO(file)
        owned = True
    elif isinstance(file, str | os.PathLike):
        try:
            if os.path.getsize(file) > max_bytes:
                raise _too_large(max_bytes)
            stream = open(file, "rb")  # noqa: SIM115 - closed when the rows are done
        except OSError as exc:
            raise _unreadable() from exc
        owned = True
    else:
        stream, owned = _seekable(file, max_bytes)
    try:
        if extension in EXCEL_EXTENSIONS:
            rows = _excel_rows(stream, file, max_bytes, extension, stream_xlsx)
        else:
            rows = _csv_rows(stream)
    except BaseException:
        if owned:
            stream.close()
        raise
    return _closing(rows, stream if owned else None)


def _closing(rows: Rows, stream: IO[bytes] | None) -> Rows:
    try:
        yield from rows
    finally:
        if stream is not None:
            stream.close()


def _seekable(file: IO[bytes], max_bytes: int) -> tuple[IO[bytes], bool]:
    """The file ready to read from its start, after its size is checked; spooled to a temporary
    file first if it cannot seek. Returns the stream and whether we own (must close) it."""
    size = getattr(file, "size", None)  # Django's UploadedFile knows it without reading
    if isinstance(size, int) and size > max_bytes:
        raise _too_large(max_bytes)
    seekable = getattr(file, "seekable", None)
    if seekable is not None and seekable():
        file.seek(0, os.SEEK_END)
        if file.tell() > max_bytes:
            raise _too_large(max_bytes)
        file.seek(0)
        return file, False
    spool = tempfile.SpooledTemporaryFile(max_size=8 * _CHUNK)  # noqa: SIM115 - caller closes
    copied = 0
    while chunk := file.read(_CHUNK):
        copied += len(chunk)
        if copied > max_bytes:
            spool.close()
            raise _too_large(max_bytes)
        spool.write(chunk)
    spool.seek(0)
    return spool, True


# --- Excel, through calamine ----------------------------------------------------------------


def _excel_rows(
    stream: IO[bytes], original: Any, max_bytes: int, extension: str, streaming: bool | None
) -> Rows:
    if zipfile.is_zipfile(stream):
        # .xlsx/.xlsm/.ods are zip archives: refuse one that would unpack to gigabytes.
        try:
            with zipfile.ZipFile(stream) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise _unreadable() from exc
        if unpacked > MAX_EXPANSION * max_bytes:
            raise DomainError(
                _(
                    "The workbook holds too much data to import at once: split it into smaller "
                    "files."
                ),
                code="file_too_large",
                field="file",
            )
    stream.seek(0)
    if streaming is None:
        stream.seek(0, os.SEEK_END)
        streaming = stream.tell() > STREAM_XLSX_BYTES
        stream.seek(0)
    if streaming and extension in {".xlsx", ".xlsm"}:
        try:
            return _streamed(stream_xlsx_rows(stream))
        except NotStreamable:
            stream.seek(0)
        except _STREAM_FAULTS as exc:
            raise _unreadable() from exc
    path = getattr(original, "temporary_file_path", None)  # a large Django upload is on disk
    try:
        if callable(path):
            book = CalamineWorkbook.from_path(path())
        elif isinstance(original, str | os.PathLike):
            book = CalamineWorkbook.from_path(original)
        else:
            book = CalamineWorkbook.from_filelike(stream)
        index = next(
            (
                i
                for i, meta in enumerate(book.sheets_metadata)
                if meta.visible == SheetVisibleEnum.Visible
            ),
            0,
        )
        sheet = book.get_sheet_by_index(index)
    except PasswordError as exc:
        raise DomainError(
            _("The file is protected by a password: save it without one and upload it again."),
            code="file_unreadable",
            field="file",
        ) from exc
    except BaseException as exc:
        if _is_file_fault(exc):
            raise _unreadable() from exc
        raise
    return _calamine_rows(book, sheet)


def _streamed(rows: Rows) -> Rows:
    try:
        yield from rows
    except _STREAM_FAULTS as exc:
        raise _unreadable() from exc


def _is_file_fault(exc: BaseException) -> bool:
    """Whether calamine failed on the file: its own errors, I/O, or a Rust panic on a malformed
    file (pyo3's ``PanicException`` derives from ``BaseException``, not ``Exception``)."""
    if isinstance(exc, CalamineError | OSError | ValueError):
        return True
    return type(exc).__name__ == "PanicException"


def _calamine_rows(book: CalamineWorkbook, sheet: Any) -> Rows:
    start = sheet.start
    try:
        rows = sheet.iter_rows()
        first = next(rows, None)
        if first is None:
            return
        # calamine 0.9 yields from row 1 (blank leading rows included); should a version start
        # at the first used row instead, its first row is not blank and numbering starts there.
        number = 1 if start is None or start[0] == 0 or not any(first) else start[0] + 1
        yield number, [v if type(v) is str else _excel_text(v) for v in first]
        for row in rows:
            number += 1
            yield number, [v if type(v) is str else _excel_text(v) for v in row]
    except BaseException as exc:
        if _is_file_fault(exc):
            raise _unreadable() from exc
        raise
    finally:
        book.close()


# --- CSV, streamed --------------------------------------------------------------------------


def _detect_encoding(stream: IO[bytes]) -> tuple[str, bytes]:
    """The text encoding, by one pass over the whole file, and the start of the file."""
    head = stream.read(_CHUNK)
    stream.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", head
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return encoding, head
    raise _unreadable(_("the text is neither UTF-8 nor GB18030"))


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter used most in the header line, outside quotes; a comma if none is."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(stream: IO[bytes]) -> Rows:
    encoding, head = _detect_encoding(stream)
    sample = head.decode(encoding, errors="ignore").lstrip("\ufeff")
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    delimiter = _sniff_delimiter(first_line)
    return _csv_iter(stream, encoding, delimiter)


def _csv_iter(stream: IO[bytes], encoding: str, delimiter: str) -> Rows:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        reader = csv.reader(text, delimiter=delimiter)
        number = 0
        try:
            for cells in reader:
                number += 1
                if number == 1 and cells and cells[0].startswith("\ufeff"):
                    cells[0] = cells[0][1:]  # a BOM that the codec does not strip (GB18030)
                yield number, cells
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _unreadable(_("row %(row)d") % {"row": number + 1}) from exc
    finally:
        # Detach, so closing the wrapper never closes a file that the caller owns.
        text.detach()
