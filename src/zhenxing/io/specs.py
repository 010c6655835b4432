"""Import specs: which columns a spreadsheet may have, and how each cell becomes a value.

An app declares its import as an ``ImportSpec`` (a list of ``Field``) and hands it the rows a
reader yields (``zhenxing.io.readers.read_rows``). ``ImportSpec.parse`` finds the header row,
matches each header to a field, and validates *every* row, collecting *every* error with the row
number and header the user sees in Excel, so one upload can name all the fixes at once (NetBox
bulk import; DESIGN point 5). Binding to the database and writing are the app's importer's job.

Headers are matched leniently, because cadres retype them: the template's label in any of the
UI languages (rendered from the lazy label), the field's aliases and its key all match, after
folding full-width characters, Traditional to Simplified, case, spaces, ``*`` required markers
and bracketed hints such as ``（选填）``. Unknown headers are not errors: a cadre's sheet often
has a remarks column; they are listed in ``ParseResult.ignored`` so a page can say so.

``parse`` runs once per row of files with a million rows, so its loop does no translation lookups
and no regexes: messages are translated once per call and each field's work is precomputed.

Errors are kept (``ImportRun.errors``) and read later, perhaps by someone reading another language:
a reason is a ``Message``, its untranslated text and parameters, translated again whenever it is
shown. Reasons stored before messages were kept this way are plain text and show as stored.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gc
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from operator import itemgetter
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhenxing.core.text import to_simplified
from zhenxing.io.parallel import ordered_map

#: The header is looked for among this many leading non-blank rows, so a sheet with a title row
#: ("沙坡村农户花名册") or a blank line above its header still imports.
HEADER_SEARCH_ROWS = 10
MAX_HEADER_LENGTH = 100


class Message(str):
    """A reason to show later, in the reader's language: ``msgid`` (the untranslated text,
    marked for extraction with ``gettext_noop``) and the ``params`` it is formatted with.

    It is a ``str`` holding its text in the language active when it was made, so that code
    comparing or searching reasons works as before; ``str(message)`` (what templates and
    reports call) translates it again in the language active then. A parameter may itself be
    a ``Message`` or a lazy translation (a field's label), translated along with it.
    ``as_json``/``from_json`` keep it in a JSON field: ``{"msgid": ..., "params": {...}}``.
    """

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str | Promise, params: Mapping[str, Any] | None = None) -> Message:
        if isinstance(msgid, Promise):
            msgid = _msgid_of(msgid)
        kept = {key: _param(value) for key, value in (params or {}).items()}
        self = super().__new__(cls, _render(msgid, kept))
        self.msgid, self.params = msgid, kept
        return self

    def __str__(self) -> str:
        return _render(self.msgid, self.params)

    def __reduce__(self) -> Any:  # pickled between processes (``zhenxing.io.parallel``)
        return (Message, (self.msgid, self.params))

    def as_json(self) -> dict[str, Any]:
        return {
            "msgid": self.msgid,
            "params": {
                k: v.as_json() if isinstance(v, Message) else v for k, v in self.params.items()
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> str:
        """A stored reason: a ``Message`` from its JSON form, or plain text as it was kept."""
        if not isinstance(data, dict) or "msgid" not in data:
            return "" if data is None else str(data)
        params = {
            k: cls.from_json(v) if isinstance(v, dict) else v
            for k, v in (data.get("params") or {}).items()
        }
        return cls(str(data["msgid"]), params)

    @classmethod
    def joined(cls, *parts: str) -> str:
        """Reasons one after the other, each still translated when shown."""
        shown = [p for p in parts if p]
        if len(shown) == 1:
            return shown[0]
        names = {f"part{i}": p for i, p in enumerate(shown)}
        # Not marked for translation: the text is only the parts' positions.
        return cls(" ".join(f"%({name})s" for name in names), names)


def _lazy_msgid(text: Promise) -> str | None:
    """The untranslated text of a lazy ``gettext_lazy`` translation (a field's label): the
    proxy keeps the arguments it was made with. None for any other lazy text (a plural)."""
    args: tuple[Any, ...] = getattr(text, "_args", ())
    kwargs = getattr(text, "_kw", None)
    if len(args) == 1 and isinstance(args[0], str) and not kwargs:
        return args[0]
    return None


def _msgid_of(text: Promise) -> str:
    """``_lazy_msgid``, or the text as rendered now (translated again: to itself)."""
    msgid = _lazy_msgid(text)
    return str(text) if msgid is None else msgid


def _param(value: Any) -> Any:
    if value is None or isinstance(value, Message | bool | int | float):
        return value
    if isinstance(value, Promise) and _lazy_msgid(value) is not None:
        return Message(value)
    return str(value)


def _render(msgid: str, params: Mapping[str, Any]) -> str:
    text = _(msgid) if msgid else ""
    if not params:
        return text
    return text % {k: str(v) if isinstance(v, Message) else v for k, v in params.items()}


def stored_reason(reason: str) -> Any:
    """A reason as ``ImportRun.errors`` keeps it: a message's JSON form, else its text."""
    return reason.as_json() if isinstance(reason, Message) else str(reason)


def label_text(item: Field) -> str:
    """A field's label naming a column the file lacks: a ``Message`` when the label is a lazy
    translation, so that the stored error names the column in its reader's language."""
    label = item.label
    if isinstance(label, Promise) and _lazy_msgid(label) is not None:
        return Message(label)
    return str(label)


def validation_reason(exc: ValidationError) -> str:
    """A Django ``ValidationError`` (a model validator's) as a reason: each of its messages
    kept untranslated when it is a lazy translation, so it too shows in the reader's language."""
    parts: list[str] = []
    for error in exc.error_list:
        message, params = error.message, error.params
        if (
            isinstance(message, Promise)
            and _lazy_msgid(message) is not None
            and (not params or isinstance(params, dict))
        ):
            parts.append(Message(message, params))
        else:
            parts.append(str(message % params) if params else str(message))
    return Message.joined(*parts)


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in the file, placed where the user sees it in Excel.

    ``row`` is the spreadsheet row number (the header is usually row 1, the first data row 2;
    0 means the file as a whole). ``column`` is the header as the user's file spells it, or the
    field's label when the column is missing (a ``Message``, see ``label_text``). ``reason``
    is a ``Message`` (translated again when shown) or, from importers not yet converted and old
    runs, text already translated.
    """

    row: int
    column: str
    value: str
    reason: str


class FieldError(Exception):
    """Raised by a ``Field.parse`` callable: the cell's value is not acceptable, and why."""

    def __init__(self, reason: str | Promise) -> None:
        # A Message stays one (translated when shown); a lazy text becomes one; plain text is
        # kept as given, in the language active while the file is parsed.
        self.reason: str = Message(reason) if isinstance(reason, Promise) else reason
        super().__init__(self.reason)


@dataclass(frozen=True)
class Field:
    """One column of an import.

    ``parse`` receives the cell's text with surrounding spaces stripped (never an empty
    string: empty cells are handled here) and returns the value or raises ``FieldError``
    (a Django ``ValidationError`` is accepted too, so model validators can be reused). ``None``
    keeps the text as it is.
    """

    key: str
    label: Promise | str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[str], Any] | None = None
    help: Promise | str = ""
    example: str = ""
    #: How the cell's text appears in error reports (which are stored): a sensitive column
    #: such as an ID number is masked there like everywhere else.
    mask: Callable[[str], str] | None = None


@dataclass(slots=True)
class ParsedRow:
    """A row that parsed without error: ``values`` by field key (see ``ImportSpec.parse``)."""

    row: int
    values: dict[str, Any]


@dataclass
class ParseResult:
    """What ``ImportSpec.parse`` found.

    ``records`` holds only the rows without any error, and is empty when a required column is
    missing, so every record has a value for every required field. ``ignored`` lists the
    headers that matched no field, as the file spells them. ``rows`` counts the non-blank data
    rows read (valid or not); ``header_row`` is where the header was found (0: none).
    """

    records: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    header_row: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space, as typed by a Chinese IME.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Hints in brackets after a header: 身份证号（18位）, 电话(选填), 出生日期【必填】, Name [optional].
_HINT = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")


def normalise_header(text: str) -> str:
    """The form in which headers are compared (see the module docstring)."""
    folded = _HINT.sub("", str(text).translate(_HALF_WIDTH))
    folded = "".join(folded.split()).strip("*:")
    return to_simplified(folded).casefold()


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def field_labels(item: Field) -> list[str]:
    """The field's label rendered in each UI language (settings.LANGUAGES), without repeats."""
    labels: list[str] = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered = str(item.label)
        if rendered not in labels:
            labels.append(rendered)
    return labels


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while a file is parsed or imported.

    Parsing keeps one small container per row and creates no reference cycles; as they pile up,
    the collector's full passes walk all of them again and again — measured at a third to a half
    of the parse time for a million rows. Reference counting still frees everything at once;
    cyclic garbage made meanwhile (by any thread) is collected when the pause ends. Only an
    enabled collector is paused and re-enabled, so nested or concurrent pauses cannot leave it
    off for good.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class ImportOption:
    """A choice the uploader makes for the whole file (a select on the upload page), such as
    the chart of accounts its codes follow. ``choices`` is called when the form is built, so
    it may read the database; ``("", label)`` among them is the default. The importer receives
    the chosen values as ``options={name: value}`` (see ``ImportSpec.options``)."""

    name: str
    label: Promise | str
    choices: Callable[[], list[tuple[str, str]]]
    help_text: Promise | str | None = None


@dataclass
class ImportSpec:
    """The columns of one kind of import, with the file limits that apply to it."""

    name: str
    title: Promise | str
    fields: list[Field]
    max_rows: int = 200_000
    max_bytes: int = 50 * 1024 * 1024
    # ---- what the io import pages show (``zhenxing.io.views``), declared by the importer ----
    #: The model the import writes, ``"app.model"``: uploading needs ``"app.model.add"``.
    model: str = ""
    #: The upload page's title (default: ``title``) and the steps it lists above the form.
    upload_title: Promise | str = ""
    upload_help: tuple[Promise | str, ...] = ()
    #: The result page's counts, in order: ``(key in the importer's counts, label)``.
    count_labels: tuple[tuple[str, Promise | str], ...] = ()
    #: URL name (and args) of the kind's own upload page, if it has one (else io's
    #: ``io:import_upload`` for the kind).
    upload_url_name: str = ""
    upload_url_args: tuple[str, ...] = ()
    #: Where the result page sends the user after a successful import, and what it says.
    done_url_name: str = ""
    done_label: Promise | str = ""
    done_note: Promise | str = ""
    #: Choices for the whole file, asked on the upload page and kept on the run. An importer
    #: whose spec has options is called with ``options={name: value}``; others are not.
    options: tuple[ImportOption, ...] = ()

    @cached_property
    def lookup(self) -> dict[str, Field]:
        """Every accepted header, normalised, to its field.

        Two fields claiming the same header is a mistake in the spec, not in the user's file,
        so it raises ``ValueError`` (a test that builds each spec catches it).
        """
        table: dict[str, Field] = {}
        for item in self.fields:
            for name in (item.key, *field_labels(item), *item.aliases):
                key = normalise_header(name)
                if not key:
                    continue
                owner = table.setdefault(key, item)
                if owner.key != item.key:
                    raise ValueError(
                        f"Import spec {self.name!r}: header {name!r} matches both "
                        f"{owner.key!r} and {item.key!r}."
                    )
        return table

    def match_headers(
        self, headers: list[str], *, row: int = 1
    ) -> tuple[dict[int, Field], list[RowError]]:
        """Map column index → field for a header row.

        Errors: a required field without a column, a field with two columns (the first is
        used). Unknown headers are not errors; ``unknown_headers`` lists them.
        """
        columns, errors, _ignored = self._match(headers, row)
        return columns, errors

    def unknown_headers(self, headers: list[str]) -> list[str]:
        """The non-empty headers that match no field, as spelled in the file."""
        return self._match(headers, 1)[2]

    def _match(
        self, headers: list[str], row: int
    ) -> tuple[dict[int, Field], list[RowError], list[str]]:
        lookup = self.lookup
        columns: dict[int, Field] = {}
        first: dict[str, int] = {}
        errors: list[RowError] = []
        ignored: list[str] = []
        for index, header in enumerate(headers):
            spelled = str(header).strip()
            if not spelled:
                continue
            item = lookup.get(normalise_header(spelled))
            if item is None:
                ignored.append(spelled)
            elif item.key in first:
                errors.append(
                    RowError(
                        row=row,
                        column=spelled,
                        value=spelled,
                        reason=Message(
                            gettext_noop(
                                "Columns %(first)s and %(second)s are both “%(label)s”: "
                                "keep one of them."
                            ),
                            {
                                "first": column_letter(first[item.key]),
                                "second": column_letter(index),
                                "label": item.label,
                            },
                        ),
                    )
                )
            else:
                first[item.key] = index
                columns[index] = item
        for item in self.fields:
            if item.required and item.key not in first:
                errors.append(
                    RowError(
                        row=row,
                        column=label_text(item),
                        value="",
                        reason=Message(
                            gettext_noop(
                                "The required column “%(label)s” is missing: add it to the "
                                "header row (the template has it)."
                            ),
                            {"label": item.label},
                        ),
                    )
                )
        return columns, errors, ignored

    def _find_header(
        self, rows: Iterator[tuple[int, list[str]]]
    ) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
        """The header row among the first non-blank rows, and the data rows read past it.

        The header is the row matching the most fields (the first such row on a tie); if no row
        matches any field, the first non-blank row is taken, so the missing columns are named.
        """
        seen: list[tuple[int, list[str]]] = []
        for number, cells in rows:
            if any(c.strip() for c in cells if c):
                seen.append((number, cells))
                if len(seen) == HEADER_SEARCH_ROWS:
                    break
        if not seen:
            return 0, [], []
        lookup = self.lookup
        best, best_hits = 0, 0
        for position, (_number, cells) in enumerate(seen):
            hits = len(
                {
                    lookup[k].key
                    for c in cells
                    # A header is short; a long note in a data row is not worth folding.
                    if c and len(c) <= MAX_HEADER_LENGTH and (k := normalise_header(c)) in lookup
                }
            )
            if hits > best_hits:
                best, best_hits = position, hits
        number, headers = seen[best]
        return number, headers, seen[best + 1 :]

    def parse(self, rows: Iterable[tuple[int, list[str]]]) -> ParseResult:
        """Validate every row and collect every error (see ``ParseResult``).

        ``rows`` are ``(row number, cells)`` from a reader, header included. Blank rows — no
        text in any matched column — are skipped. A row's values hold, for each matched column,
        the parsed value, or ``None`` for an empty optional cell; a field whose column the file
        lacks has no key. More than ``max_rows`` data rows stops reading with one error.
        """
        result = ParseResult()
        with gc_paused():
            result.records.extend(self.iter_records(rows, result))
        return result

    def iter_records(
        self, rows: Iterable[tuple[int, list[str]]], result: ParseResult
    ) -> Iterator[ParsedRow]:
        """``parse`` one row at a time: yields each valid row instead of keeping it.

        Errors, ignored headers and the row count accumulate in ``result`` (its ``records`` are
        left alone); they are complete once the iterator is exhausted. For an importer that
        validates a large file in one pass and keeps only what its cross-row checks need.
        """
        for _number, record in self.iter_prepared(rows, result, _as_is):
            yield record

    def iter_prepared(
        self,
        rows: Iterable[tuple[int, list[str]]],
        result: ParseResult,
        prepare: Callable[[list[ParsedRow]], list[Any]],
        *,
        workers: int = 0,
    ) -> Generator[tuple[int, Any], None, None]:
        """Like ``iter_records``, with ``prepare`` applied to the valid rows, a chunk of them at
        a time: yields ``(row number, what prepare made of the row)`` in file order.

        ``prepare(rows)`` returns one value per row; it is an importer's own work that needs no
        database: checking across columns, encrypting, hashing. With ``workers``, reading,
        parsing and ``prepare`` go on in a forked worker process after the first chunk, while
        the caller binds and writes the rows already prepared (``zhenxing.io.parallel``);
        ``prepare`` and the field parsers must then not touch the database, and must return
        picklable values.
        """
        source = iter(rows)
        header_row, headers, buffered = self._find_header(source)
        if not header_row:
            result.errors.append(
                RowError(
                    row=1,
                    column="",
                    value="",
                    reason=Message(
                        gettext_noop(
                            "The file is empty: its first row must hold the column headers."
                        )
                    ),
                )
            )
            return
        columns, header_errors, result.ignored = self._match(headers, header_row)
        result.header_row = header_row
        errors = result.errors
        errors.extend(header_errors)
        if not columns:
            return  # nothing to read: the header errors say why
        parser = _RowParser(self, headers, columns, prepare)
        example_reason = Message(
            gettext_noop(
                "This is the template's example row: replace it with real data or delete it."
            )
        )
        max_rows = self.max_rows
        too_many = Message(
            gettext_noop(
                "The file has more than %(max)s data rows: split it into files of at most "
                "%(max)s rows each."
            ),
            {"max": f"{max_rows:,}"},
        )
        chunks = enumerate(_chunked(chain(buffered, source), ROWS_PER_CHUNK))
        count = 0
        try:
            results = ordered_map(parser.chunk, chunks, workers=workers)
            with closing(results):
                for example, outcomes in results:
                    for number, prepared, row_errors in outcomes:
                        count += 1
                        if count > max_rows:
                            count -= 1
                            errors.append(RowError(number, "", "", too_many))
                            return
                        if number == example:
                            errors.append(RowError(number, "", "", example_reason))
                        elif row_errors is not None:
                            errors.extend(row_errors)
                        elif prepared is not None:
                            result.rows = count  # kept current: importers report progress
                            yield number, prepared
                    result.rows = count
        finally:
            result.rows = count


#: Rows are parsed (and, with workers, sent to another process) in chunks of this many.
ROWS_PER_CHUNK = 2000


def _as_is(records: list[ParsedRow]) -> list[ParsedRow]:
    return records


def _chunked(
    rows: Iterator[tuple[int, list[str]]], size: int
) -> Iterator[list[tuple[int, list[str]]]]:
    chunk: list[tuple[int, list[str]]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _RowParser:
    """One file's column plan, worked out once from its header: turns each data row's cells
    into values or errors. The loop does no translation lookups and no regexes."""

    def __init__(
        self,
        spec: ImportSpec,
        headers: list[str],
        columns: dict[int, Field],
        prepare: Callable[[list[ParsedRow]], list[Any]],
    ) -> None:
        # With a required column missing no row is complete: rows are still checked, not kept.
        present = {item.key for item in columns.values()}
        self.keep = all(item.key in present for item in spec.fields if item.required)
        # The matched columns in file order, and the work each one needs.
        order = sorted(columns.items())
        self.keys = [item.key for _index, item in order]
        spelled = [str(headers[index]).strip() for index, _item in order]
        self.header_of = dict(zip(self.keys, spelled, strict=True))
        self.required_keys = {item.key for _index, item in order if item.required}
        self.parsers = [
            (position, item.key, item.parse, spelled[position], item.mask)
            for position, (_index, item) in enumerate(order)
            if item.parse is not None
        ]
        self.width = order[-1][0] + 1
        self.pick = itemgetter(*(index for index, _item in order))
        self.single = len(order) == 1
        self.examples = [(p, item.example) for p, (_i, item) in enumerate(order) if item.example]
        self.required_reason = Message(gettext_noop("This cell is required."))
        self.prepare = prepare

    def chunk(
        self, numbered: tuple[int, list[tuple[int, list[str]]]]
    ) -> tuple[int, list[tuple[int, Any, list[RowError] | None]]]:
        """``(index, rows)`` → ``(row number of the template's example row or 0, outcomes)``:
        for each non-blank row, ``(row number, prepare(row) or None, errors or None)``. Only
        the file's first data row (in chunk 0) can be the example row."""
        index, rows = numbered
        keys, parsers, width, pick, strip = (
            self.keys,
            self.parsers,
            self.width,
            self.pick,
            str.strip,
        )
        required_keys, keep, prepare = self.required_keys, self.keep, self.prepare
        outcomes: list[tuple[int, Any, list[RowError] | None]] = []
        valid: list[tuple[int, ParsedRow]] = []
        example = 0
        for number, cells in rows:
            if not any(cells):
                continue
            if len(cells) < width:
                cells = [*cells, *([""] * (width - len(cells)))]
            picked = pick(cells)
            texts = [picked.strip()] if self.single else list(map(strip, picked))
            values = dict(zip(keys, texts))  # noqa: B905 - both come from the header
            row_errors: list[RowError] | None = None
            if "" in texts:
                if not any(texts):
                    continue  # blank: text only in ignored columns, or only spaces
                empty = [key for key, text in zip(keys, texts) if not text]  # noqa: B905
                values.update(dict.fromkeys(empty))
                if not required_keys.isdisjoint(empty):
                    row_errors = [
                        RowError(number, self.header_of[key], "", self.required_reason)
                        for key in empty
                        if key in required_keys
                    ]
            if index == 0 and not outcomes and self._is_example(texts):
                example = number
            for position, key, parse, column, mask in parsers:
                text = texts[position]
                if not text:
                    continue
                try:
                    values[key] = parse(text)
                except FieldError as exc:
                    row_errors = row_errors or []
                    shown = mask(text) if mask else text
                    row_errors.append(RowError(number, column, shown, exc.reason))
                except ValidationError as exc:
                    row_errors = row_errors or []
                    shown = mask(text) if mask else text
                    row_errors.append(RowError(number, column, shown, validation_reason(exc)))
            if row_errors is None and keep:
                valid.append((len(outcomes), ParsedRow(number, values)))
            outcomes.append((number, None, row_errors))
        if valid:
            prepared = prepare([record for _position, record in valid])
            for (position, record), item in zip(valid, prepared, strict=True):
                outcomes[position] = (record.row, item, None)
        return example, outcomes

    def _is_example(self, texts: list[str]) -> bool:
        examples = self.examples
        return len(examples) >= 2 and all(texts[p] == example for p, example in examples)


# --- Parsers shared by every app's spec ------------------------------------------------------
# Cells arrive as text: readers render Excel numbers without ".0" and Excel dates as ISO dates,
# and a CSV holds whatever the cadre's Excel displayed (2024/3/5, 2024年3月5日, 1,234.50).

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


@dataclass
class ImportOutcome:
    """What an importer returns: every error (nothing was written if there is one), the rows
    read, and ``counts`` of what was written (``COUNTED`` names the fields), for the run's page."""

    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    COUNTED: ClassVar[tuple[str, ...]] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTED}


def keep_head(
    rows: Iterable[tuple[int, list[str]]], head: dict[int, list[str]]
) -> Iterator[tuple[int, list[str]]]:
    """Pass rows through, keeping the first ones (the header is among them) in ``head``."""
    for number, cells in rows:
        if number <= HEADER_SEARCH_ROWS * 2:
            head[number] = cells
        yield number, cells


def column_names(
    spec: ImportSpec, parsed: ParseResult, head: dict[int, list[str]]
) -> dict[str, str]:
    """Each field's column as the user's file spells it (its label where the file lacks it),
    so errors found after parsing name columns the way parsing errors do."""
    names = {f.key: label_text(f) for f in spec.fields}
    cells = head.get(parsed.header_row)
    if cells is not None:
        matched, _unused = spec.match_headers(cells)
        names |= {f.key: cells[i] for i, f in matched.items()}
    return names


def parse_date(text: str) -> dt.date:
    """A date as Excel or a cadre writes it: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日,
    20240305, or an ISO date with a time after it."""
    match = _DATE.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise FieldError(Message(gettext_noop("A date such as 2024-03-05.")))


def parse_int(text: str) -> int:
    """A whole number; thousands separators and a trailing ".0" (from Excel) are accepted."""
    cleaned = text.replace(",", "").replace("，", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    try:
        return int(cleaned)
    except ValueError:
        raise FieldError(Message(gettext_noop("A whole number such as 12."))) from None


def decimal_parser(places: int = 2) -> Callable[[str], decimal.Decimal]:
    """A parser for amounts: a decimal with at most ``places`` decimals (money: never float)."""
    quantum = decimal.Decimal(1).scaleb(-places)

    def parse(text: str) -> decimal.Decimal:
        cleaned = text.replace(",", "").replace("，", "").removeprefix("¥").removeprefix("￥")
        try:
            value = decimal.Decimal(cleaned)
        except decimal.InvalidOperation:
            raise FieldError(Message(gettext_noop("A number such as 1234.50."))) from None
        if not value.is_finite():
            raise FieldError(Message(gettext_noop("A number such as 1234.50.")))
        if value != value.quantize(quantum, rounding=decimal.ROUND_HALF_UP):
            raise FieldError(
                Message(gettext_noop("At most %(places)d decimal places."), {"places": places})
            )
        return value.quantize(quantum)

    return parse


_TRUE = frozenset({"是", "有", "yes", "y", "true", "1", "√", "✓", "✔"})
_FALSE = frozenset({"否", "无", "no", "n", "false", "0", "×", "✗", "✘"})


def parse_bool(text: str) -> bool:
    """Yes or no as cadres write it: 是/否, 有/无, √/×, yes/no, TRUE/FALSE (Excel), 1/0."""
    key = to_simplified(text).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise FieldError(Message(gettext_noop("Yes or no (是/否).")))
