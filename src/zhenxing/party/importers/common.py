"""Cells, lookups and error collection shared by the party imports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.sensitive import blind_index, mask_id_number, mask_id_text
from zhenxing.core.text import to_simplified
from zhenxing.io.specs import (
    Field,
    FieldError,
    ImportOutcome,
    ImportSpec,
    Message,
    ParsedRow,
    RowError,
    column_names,
    keep_head,
    parse_date,
)
from zhenxing.party.models import (
    AttendanceResult,
    Post,
    SecretarySource,
    Stage,
)
from zhenxing.registry.selectors import persons_by_id_hash
from zhenxing.registry.services import ID_PURPOSE
from zhenxing.registry.validators import IdNumberError, check_id_number

#: ``progress(phase, rows)``: what the background worker shows (see ``zhenxing.io.jobs``).
Progress = Callable[[str, int], None]
Rows = Iterable[tuple[int, list[str]]]
T = TypeVar("T")

#: Lookups by a list of keys go to the database in chunks of this many (SQLite's limit on
#: query parameters; a smaller ``IN`` list plans better on PostgreSQL too).
CHUNK = 2000
MAX_ROWS = 50_000
MAX_BYTES = 16 * 1024 * 1024

ID_ALIASES = ("身份证号", "身份证号码", "公民身份号码", "身份证", "身分證號碼", "身分證字號")
NAME_ALIASES = ("姓名",)
VILLAGE_ALIASES = ("村代码", "行政村代码", "村区划代码", "村區劃代碼")
EXAMPLE_ID = "520202198506120019"


# --- cells ---------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """How a word from a cell is compared: Simplified, no spaces, case folded."""
    return to_simplified("".join(str(text).split())).casefold()


class Choice(str):
    """A choice's code that remembers the cell's text, for error reports naming the value as
    the file has it (``"party_member"``, typed as ``支委``)."""

    typed: str

    def __new__(cls, code: str, typed: str) -> Choice:
        value = super().__new__(cls, code)
        value.typed = typed
        return value


def _choice_parser(
    choices: type[models.TextChoices], words: dict[str, tuple[str, ...]]
) -> Callable[[str], Choice]:
    """A choice by its code, its label in any UI language, or one of the Chinese ``words``
    cadres write for it (Traditional forms fold to these)."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                lookup.setdefault(_fold(str(label)), value)
    for value, names in words.items():
        for name in names:
            lookup[_fold(name)] = value
    for value in choices.values:
        lookup[_fold(value)] = value
    allowed = "、".join(names[0] for names in words.values())

    def parse(text: str) -> Choice:
        found = lookup.get(_fold(text))
        if found is None:
            raise FieldError(
                Message(
                    gettext_noop("“%(value)s” is not one of the allowed values: %(allowed)s."),
                    {"value": text, "allowed": allowed},
                )
            )
        return Choice(found, text)

    return parse


def _id_number_parser() -> Callable[[str], str]:
    today = timezone.localdate()  # once per import, not once per row

    def parse(text: str) -> str:
        try:
            return check_id_number(text, today=today).number
        except IdNumberError as exc:
            raise FieldError(exc.reason) from exc

    return parse


def _code(text: str) -> str:
    code = text.strip().removesuffix(".0")
    if not code.isdigit():
        raise FieldError(Message(gettext_noop("A division code is made of digits.")))
    return code


def _id_field(key: str = "id_number", label: Any = None, **kwargs: Any) -> Field:
    return Field(
        key,
        label or gettext_lazy("ID number"),
        parse=_id_number_parser(),
        mask=mask_id_text,
        **kwargs,
    )


def _name_field() -> Field:
    return Field(
        "name",
        gettext_lazy("full name"),
        aliases=NAME_ALIASES,
        example="王建华",
        help=gettext_lazy("Optional; checked against the name registered for the ID number."),
    )


def _village_field(help: Any) -> Field:
    """The village code column, as the cadres and attendance files both have it."""
    return Field(
        "village",
        gettext_lazy("village code"),
        required=True,
        parse=_code,
        aliases=VILLAGE_ALIASES,
        example="520281004201",
        help=help,
    )


def _date_field(key: str, label: Any, aliases: tuple[str, ...], **kwargs: Any) -> Field:
    return Field(key, label, parse=parse_date, aliases=aliases, **kwargs)


STAGE_WORDS: dict[str, tuple[str, ...]] = {
    Stage.APPLICANT: ("入党申请人", "申请人", "申请入党"),
    Stage.ACTIVIST: ("入党积极分子", "积极分子"),
    Stage.TARGET: ("发展对象",),
    Stage.PROBATIONARY: ("预备党员", "预备"),
    Stage.FULL: ("正式党员", "党员", "正式"),
}
POST_WORDS: dict[str, tuple[str, ...]] = {
    Post.PARTY_SECRETARY: (
        "村党组织书记",
        "党组织书记",
        "村党支部书记",
        "党支部书记",
        "村党总支书记",
        "党总支书记",
        "村党委书记",
        "支部书记",
        "支书",
        "书记",
    ),
    Post.PARTY_DEPUTY: (
        "村党组织副书记",
        "党组织副书记",
        "党支部副书记",
        "党总支副书记",
        "村党委副书记",
        "副书记",
    ),
    Post.PARTY_MEMBER: (
        "村党组织委员",
        "党组织委员",
        "党支部委员",
        "党总支委员",
        "村党委委员",
        "党委委员",
        "支部委员",
        "支委",
    ),
    Post.DIRECTOR: ("村委会主任", "村民委员会主任", "居委会主任", "居民委员会主任", "主任"),
    Post.DEPUTY_DIRECTOR: ("村委会副主任", "村民委员会副主任", "居委会副主任", "副主任"),
    Post.COMMITTEE_MEMBER: ("村委会委员", "村民委员会委员", "居委会委员", "村委委员", "委员"),
    Post.SUPERVISION_CHAIR: (
        "村务监督委员会主任",
        "村监委会主任",
        "监委会主任",
        "监督委员会主任",
    ),
    Post.FIRST_SECRETARY: ("驻村第一书记", "第一书记"),
    Post.WORK_TEAM_MEMBER: ("驻村工作队队员", "驻村工作队员", "工作队员", "驻村干部"),
    Post.GROUP_LEADER: ("村民小组长", "村民组长", "组长"),
    Post.PARTY_GROUP_LEADER: ("党小组长", "党小组组长"),
    Post.INDUSTRY_INSTRUCTOR: ("产业发展指导员", "产业指导员"),
}
SOURCE_WORDS: dict[str, tuple[str, ...]] = {
    SecretarySource.ENTREPRENEUR: ("致富带头人", "致富能手"),
    SecretarySource.RETURNING_GRADUATE: ("返乡大学生", "返乡高校毕业生", "高校毕业生"),
    SecretarySource.DEMOBILISED_SOLDIER: ("退役军人", "退伍军人"),
    SecretarySource.RETURNING_MIGRANT: ("返乡农民工", "返乡务工人员"),
    SecretarySource.COLLEGE_OFFICIAL: ("大学生村官", "大学生村干部"),
    SecretarySource.VILLAGE_DOCTOR: ("乡村医生", "村医"),
    SecretarySource.VILLAGE_TEACHER: ("乡村教师", "村教师"),
    SecretarySource.LONG_SERVING_CADRE: ("长期任职村干部", "老村干部"),
    SecretarySource.OTHER: ("其他", "其它"),
}
RESULT_WORDS: dict[str, tuple[str, ...]] = {
    AttendanceResult.COMPLETED: ("合格", "完成", "结业", "通过"),
    AttendanceResult.EXCELLENT: ("优秀",),
    AttendanceResult.FAILED: ("不合格", "未通过", "不通过"),
}


# --- shared binding helpers ----------------------------------------------------------------


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _hash(number: str) -> str:
    return blind_index(number, purpose=ID_PURPOSE)


def _visible_persons(actor: Any, hashes: Iterable[str]) -> dict[str, Any]:
    """ID-number hash → person, for persons within the actor's jurisdiction only: a number
    registered elsewhere reads as unknown, so an import cannot probe the registry."""
    return persons_by_id_hash(actor=actor, hashes=hashes)


def _villages(actor: Any, codes: Iterable[str]) -> dict[str, Region]:
    """Code → village (or community) within the actor's jurisdiction."""
    return {
        r.code: r
        for chunk in _chunks(set(codes))
        for r in Region.objects.visible_to(actor).filter(code__in=chunk, kind__in=VILLAGE_LEVEL)
    }


def _same_name(a: str, b: str) -> bool:
    return _fold(a) == _fold(b)


class _Errors:
    """Collects ``RowError``s naming columns as the file spells them (values of ID columns
    masked, as everywhere else)."""

    def __init__(self, result: ImportOutcome, labels: dict[str, str]) -> None:
        self.result = result
        self.labels = labels
        self.rows: set[int] = set()

    def __call__(self, row: int, key: str, value: Any, reason: str) -> None:
        shown = "" if value is None else value
        if isinstance(shown, dt.date):
            shown = shown.isoformat()
        self.result.errors.append(
            RowError(row=row, column=self.labels[key], value=str(shown), reason=reason)
        )
        self.rows.add(row)

    def id(self, row: int, key: str, number: str, reason: str) -> None:
        self(row, key, mask_id_number(number), reason)

    def name_check(self, record: ParsedRow, person: Any) -> None:
        name = record.values.get("name")
        if name and not _same_name(name, person.name):
            self(
                record.row,
                "name",
                name,
                Message(
                    gettext_noop(
                        "The ID number is registered under the name %(name)s: check both."
                    ),
                    {"name": person.name},
                ),
            )


def _start(spec: ImportSpec, rows: Rows, result: ImportOutcome) -> tuple[list[ParsedRow], _Errors]:
    head: dict[int, list[str]] = {}  # errors name columns as the user's file spells them
    parsed = spec.parse(keep_head(rows, head))
    result.rows = parsed.rows
    result.errors.extend(parsed.errors)
    return parsed.records, _Errors(result, column_names(spec, parsed, head))


def _finish(result: ImportOutcome) -> bool:
    """Sort the errors; whether the file is clean and may be written."""
    result.errors.sort(key=lambda e: (e.row, e.column))
    return not result.errors


def _duplicates(
    records: list[ParsedRow],
    key: Callable[[ParsedRow], Any],
    error: Callable[[ParsedRow, int], None],
) -> set[int]:
    """Rows repeating an earlier row's key: each reported, naming the first; returns them."""
    first: dict[Any, int] = {}
    repeated: set[int] = set()
    for record in records:
        k = key(record)
        if k in first:
            error(record, first[k])
            repeated.add(record.row)
        else:
            first[k] = record.row
    return repeated


def _changed_meanwhile() -> DomainError:
    return DomainError(
        _(
            "The records changed while the file was being checked (another user wrote some of "
            "them): nothing was saved. Import the file again."
        ),
        code="changed_meanwhile",
    )
