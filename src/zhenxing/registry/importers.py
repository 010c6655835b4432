"""Importing households and persons from a cadre's spreadsheet: one row per person, with the
household's columns repeated (how village books are kept in Excel today).

Parse every row (``zhenxing.io.specs``), bind every row to the database (villages by code,
households by number, persons by the keyed hash of their ID number, all within the actor's
jurisdiction), check the rules that span rows, and only then write everything in one
transaction with bulk statements and bulk audit rows under one request id. One bad row writes
nothing. Importing the same file twice changes nothing; a changed cell updates that field only.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.context import ensure_audit_context
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_created_in_bulk, audit_rows, diff, snapshot
from zhenxing.core.bulk import BulkInsert, insert_rows, update_column
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.sensitive import (
    mask_id_text,
    mask_phone,
)
from zhenxing.core.text import search_text, to_simplified
from zhenxing.io.parallel import import_workers
from zhenxing.io.specs import (
    Field,
    FieldError,
    ImportOutcome,
    ImportSpec,
    Message,
    ParsedRow,
    ParseResult,
    RowError,
    column_names,
    decimal_parser,
    gc_paused,
    keep_head,
)
from zhenxing.registry.models import (
    Education,
    Ethnicity,
    Health,
    Household,
    HouseholdIncome,
    HouseholdMembership,
    MembershipReason,
    Person,
    Relation,
)
from zhenxing.registry.services import sensitive_sealer
from zhenxing.registry.signals import persons_changed
from zhenxing.registry.validators import IdNumberError, PhoneError, check_id_number, check_phone


def _choice_parser(choices: Any) -> Any:
    """Accept a choice by its value or by its label in any of the UI languages."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[str(value).casefold()] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                lookup[to_simplified(str(label)).casefold()] = value

    def parse(text: str) -> str:
        key = to_simplified(text).casefold()
        if key not in lookup:
            raise FieldError(
                Message(
                    gettext_noop("“%(value)s” is not one of the allowed values."), {"value": text}
                )
            )
        return lookup[key]

    return _memo(parse)


def _memo(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse`` remembered by the cell's text, for columns that hold a few values a million
    times (relation, ethnic group, education). Errors are not remembered: they raise again."""
    seen: dict[str, Any] = {}

    def remembered(text: str) -> Any:
        try:
            return seen[text]
        except KeyError:
            value = seen[text] = parse(text)
            return value

    return remembered


def _year_parser() -> Callable[[str], int]:
    this_year = timezone.localdate().year  # once per import, not once per cell
    too_early = Message(gettext_noop("A year between 2000 and %(year)d."), {"year": this_year})

    def parse(text: str) -> int:
        try:
            year = int(float(text))
        except ValueError as exc:
            raise FieldError(Message(gettext_noop("A year such as 2018."))) from exc
        if not 2000 <= year <= this_year:
            raise FieldError(too_early)
        return year

    return parse


def _count(text: str) -> int:
    try:
        value = int(float(text))
    except ValueError as exc:
        raise FieldError(Message(gettext_noop("A whole number such as 2."))) from exc
    if not 0 <= value <= 99:
        raise FieldError(Message(gettext_noop("A number from 0 to 99.")))
    return value


def _yes_no(text: str) -> bool:
    key = to_simplified(text).casefold()
    if key in {"是", "yes", "y", "true", "1", "√", "✓"}:
        return True
    if key in {"否", "no", "n", "false", "0", "×", "✗"}:
        return False
    raise FieldError(Message(gettext_noop("Yes or no (是/否).")))


def _digits(text: str) -> str:
    code = text.strip().removesuffix(".0")
    if not code.isdigit():
        raise FieldError(Message(gettext_noop("A division code is made of digits.")))
    return code


def _id_number_parser() -> Any:
    today = timezone.localdate()  # once per import, not once per row

    def parse(text: str) -> Any:
        try:
            return check_id_number(text, today=today)
        except IdNumberError as exc:
            raise FieldError(exc.reason) from exc

    return parse


def _phone(text: str) -> str:
    try:
        return check_phone(text)
    except PhoneError as exc:
        raise FieldError(exc.reason) from exc


def _ethnicity_parser() -> Any:
    by_key: dict[str, Ethnicity] = {}
    for e in Ethnicity.objects.all():
        by_key[e.code] = e
        by_key[e.code.lstrip("0")] = e
        by_key[e.name] = e
        by_key[e.name.removesuffix("族")] = e
        by_key[e.roman.casefold()] = e

    def parse(text: str) -> Ethnicity:
        found = by_key.get(to_simplified(text).strip()) or by_key.get(text.strip().casefold())
        if found is None:
            raise FieldError(
                Message(
                    gettext_noop("Unknown ethnic group: use its name (汉族) or GB 3304 code (01).")
                )
            )
        return found

    return _memo(parse)


def household_person_spec() -> ImportSpec:
    """The columns of the registry import (and its downloadable template)."""
    return ImportSpec(
        name="households",
        title=gettext_lazy("Households and persons"),
        # What the io import pages show for this kind.
        model="registry.household",
        upload_title=gettext_lazy("Import households"),
        upload_help=(
            gettext_lazy(
                "(one row per person; the household's columns repeat on each of its rows)."
            ),
            gettext_lazy(
                "Fill it in Excel and upload it here. Every row is checked before anything is "
                "saved: if one row is wrong, nothing is saved and you get a list of every error."
            ),
            gettext_lazy(
                "Importing the same file again changes nothing; a corrected cell updates only "
                "that field."
            ),
        ),
        count_labels=(
            ("households_created", gettext_lazy("Households created")),
            ("households_updated", gettext_lazy("Households updated")),
            ("persons_created", gettext_lazy("Persons created")),
            ("persons_updated", gettext_lazy("Persons updated")),
            ("unchanged", gettext_lazy("Unchanged")),
        ),
        upload_url_name="registry:import_upload",
        done_url_name="registry:household_list",
        done_label=gettext_lazy("See the households"),
        # A county's whole registry fits in one file (it is imported in the background).
        max_rows=settings.IMPORT_MAX_ROWS,
        max_bytes=settings.IMPORT_MAX_BYTES,
        fields=[
            Field(
                "household_number",
                gettext_lazy("household number"),
                required=True,
                aliases=("户号", "户编码", "戶號"),
                example="5202810042010001",
                help=gettext_lazy("Same number on every row of the same household."),
            ),
            Field(
                "village",
                gettext_lazy("village code"),
                required=True,
                parse=_digits,
                aliases=("村代码", "行政村代码", "村區劃代碼"),
                example="520281004201",
                help=gettext_lazy("12-digit division code of the village or community."),
            ),
            Field(
                "group",
                gettext_lazy("villager group code"),
                parse=_digits,
                aliases=("组代码", "村民组代码"),
                example="520281004201001",
            ),
            Field("address", gettext_lazy("address"), aliases=("家庭住址",), example="一组 12 号"),
            Field(
                "name",
                gettext_lazy("full name"),
                required=True,
                aliases=("姓名", "name"),
                example="王建华",
            ),
            Field(
                "id_number",
                gettext_lazy("ID number"),
                required=True,
                parse=_id_number_parser(),
                mask=mask_id_text,
                aliases=("身份证号", "身份证", "公民身份号码", "身分證號碼", "身分證字號"),
                example="520202198506120019",
                help=gettext_lazy("18 characters; type it as text so Excel keeps every digit."),
            ),
            Field(
                "relation",
                gettext_lazy("relation to the head"),
                required=True,
                parse=_choice_parser(Relation),
                aliases=("与户主关系", "关系"),
                example="户主",
            ),
            Field(
                "ethnicity",
                gettext_lazy("ethnic group"),
                required=True,
                parse=_ethnicity_parser(),
                aliases=("民族",),
                example="汉族",
            ),
            Field(
                "phone",
                gettext_lazy("phone"),
                parse=_phone,
                mask=mask_phone,
                aliases=("联系电话", "电话", "手机", "手机号"),
                example="13812345678",
            ),
            Field(
                "education",
                gettext_lazy("education"),
                parse=_choice_parser(Education),
                aliases=("文化程度", "学历"),
                example="初中",
            ),
            Field(
                "health",
                gettext_lazy("health"),
                parse=_choice_parser(Health),
                aliases=("健康状况",),
                example="健康",
            ),
            Field("occupation", gettext_lazy("occupation"), aliases=("职业",), example="务农"),
            Field(
                "registered_poor_year",
                gettext_lazy("year registered poor"),
                parse=_year_parser(),
                aliases=("建档立卡年度", "建档立卡年份"),
                example="2016",
            ),
            Field(
                "lifted_year",
                gettext_lazy("year lifted out of poverty"),
                parse=_year_parser(),
                aliases=("脱贫年度", "脱贫年份"),
                example="2019",
            ),
            Field(
                "labour_count",
                gettext_lazy("labour force"),
                parse=_count,
                aliases=("劳动力人数", "劳动力", "勞動力人數"),
                example="2",
            ),
            Field(
                "income_year",
                gettext_lazy("income year"),
                parse=_year_parser(),
                aliases=("收入年度", "年度"),
                example="2025",
                help=gettext_lazy("The year the income per head is for."),
            ),
            Field(
                "income_per_head",
                gettext_lazy("income per head"),
                parse=decimal_parser(2),
                aliases=("人均纯收入", "人均收入", "人均純收入"),
                example="12680.50",
                help=gettext_lazy("Net income per head in yuan, for the income year."),
            ),
            Field(
                "confirm",
                gettext_lazy("ID checked"),
                parse=_yes_no,
                aliases=("已核实", "核实"),
                example="否",
                help=gettext_lazy(
                    "是 when the ID number's region code is from another era "
                    "and you have checked it against the card."
                ),
            ),
        ],
    )


#: Rows are bound and written in batches of this many: a batch's lookups are one query each,
#: and memory does not grow with the file.
BATCH = 2000


#: ``progress(phase, rows_done)``, called every ``BATCH`` rows. Whatever it raises (a cancel
#: request: ``zhenxing.io.jobs.Cancelled``) stops the import; nothing is written.
Progress = Callable[[str, int], None]


@dataclass
class ImportResult(ImportOutcome):
    households_created: int = 0
    households_updated: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    unchanged: int = 0

    COUNTED = (
        "households_created",
        "households_updated",
        "persons_created",
        "persons_updated",
        "unchanged",
    )


@dataclass(slots=True)
class _HouseholdSeen:
    """What the checks across rows remember of one household: its first row (which gives its
    values), its village, the rows naming its head, and whether it was already registered."""

    row: int
    village: str
    first_relation: str
    heads: list[int]
    registered: bool = False
    # Once written (or found registered): its key, its village's code, whether it lacks a head.
    pk: int = 0
    village_code: str = ""
    needs_head: bool = False


# A prepared row (``_preparer``): the household number, then the person's values in the order
# of ``PERSON_INSERT_COLUMNS`` (after the household and county), so a new person's row is
# that slice with the household in front; ID number and phone already encrypted, hashed and
# masked …
(
    _NUMBER,
    _NAME,
    _SEARCH,
    _ID_SEALED,
    _HASH,
    _ID_MASKED,
    _SEX,
    _BIRTH,
    _ETHNICITY,
    _RELATION,
    _PHONE_SEALED,
    _PHONE_HASH,
    _PHONE_MASKED,
    _EDUCATION,
    _HEALTH,
    _OCCUPATION,
) = range(16)
# … and its household's.
_VILLAGE, _GROUP, _ADDRESS, _POOR, _LIFTED, _LABOUR, _INCOME_YEAR, _INCOME = range(8)


def _preparer() -> Callable[[list[ParsedRow]], list[tuple[Any, ...]]]:
    """The per-row work that needs no database, done in the import's worker process, a
    chunk of rows at a time: each row → ``(the ID number's first 17 digits, person values,
    household values, problems)``. Household values are None when they are the row before's,
    of the same household (a household's rows are usually together): fewer values to pass
    between processes. ID numbers and phones leave it sealed, never in clear."""
    seal = sensitive_sealer()
    too_long = Message(gettext_noop("A name has 1 to 32 characters."))

    def prepare(records: list[ParsedRow]) -> list[tuple[Any, ...]]:
        out = []
        last: tuple[Any, ...] | None = None
        last_number = None
        for record in records:
            v = record.values
            checked = v["id_number"]
            sealed = seal(checked.number, v.get("phone") or "")
            problems = []
            if checked.warnings and not v.get("confirm"):
                problems.append(("id_number", sealed[2], checked.warnings[0]))
            name = v["name"]
            if len(name) > 32:
                problems.append(("name", name, too_long))
            number = v["household_number"]
            id_sealed, id_hash, id_masked, phone_sealed, phone_hash, phone_masked = sealed
            person = (
                number,
                name,
                search_text(name),
                id_sealed,
                id_hash,
                id_masked,
                str(checked.sex),
                checked.birth_date.isoformat(),
                v["ethnicity"].pk,
                # Plain str, not the choices' enum members: these cross a process boundary.
                str(v["relation"]),
                phone_sealed,
                phone_hash,
                phone_masked,
                str(v.get("education") or ""),
                str(v.get("health") or Health.HEALTHY),
                v.get("occupation") or "",
            )
            household: tuple[Any, ...] | None = (
                v["village"],
                v.get("group") or "",
                v.get("address") or "",
                v.get("registered_poor_year"),
                v.get("lifted_year"),
                v.get("labour_count"),
                v.get("income_year"),
                v.get("income_per_head"),
            )
            if household == last and number == last_number:
                household = None
            else:
                last, last_number = household, number
            out.append((int(checked.number[:17]), person, household, problems))
        return out

    return prepare


def import_households(
    *,
    actor: Any,
    rows: Iterable[tuple[int, list[str]]],
    spec: ImportSpec | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row and write all of them or none (see ``_import_households``).

    The cyclic garbage collector is paused throughout: a million rows make millions of small
    objects and no cycles, and its passes over them cost a third of the import."""
    with gc_paused():
        return _import_households(actor=actor, rows=rows, spec=spec, progress=progress)


def _import_households(
    *,
    actor: Any,
    rows: Iterable[tuple[int, list[str]]],
    spec: ImportSpec | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read the file once, in one transaction: a worker process reads, parses, checks and seals
    the rows (``_preparer``) while this one checks them against each other and the registry, a
    batch at a time, and writes each clean batch at once. Nothing is committed unless every row is
    valid: at the first error writing stops (checking goes on, to report every error) and the
    transaction is rolled back. Writing as it checks is what lets an import use both cores;
    rolling back is what keeps "one bad row writes nothing".
    """
    if not (
        has_permission(actor, Household, "add")
        and has_permission(actor, Household, "change")
        and has_permission(actor, Person, "add")
        and has_permission(actor, Person, "change")
    ):
        # An import both adds and updates, so it needs both permissions (NetBox #22617).
        raise Forbidden()
    spec = spec or household_person_spec()
    report = progress or (lambda phase, done: None)
    # The first rows, where the header is: errors name columns as the user's file spells them.
    head_rows: dict[int, list[str]] = {}
    parsed = ParseResult()
    result = ImportResult()
    try:
        with ensure_audit_context(source="import"), transaction.atomic():
            work = _Import(actor, result)
            records = spec.iter_prepared(
                keep_head(rows, head_rows), parsed, _preparer(), workers=import_workers()
            )
            with closing(records):
                for row, prepared in records:
                    work.add(row, prepared)
                    if len(work.batch) >= BATCH:
                        work.flush(*work.take(), clean=not parsed.errors)
                        report("checking", parsed.rows)
            work.flush(*work.take(), clean=not parsed.errors)
            work.finish(clean=not parsed.errors)
            if parsed.errors or work.problems:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        # Someone registered one of the file's persons or households meanwhile.
        raise _changed_meanwhile() from exc
    if parsed.errors or work.problems:
        labels = column_names(spec, parsed, head_rows)
        errors = list(parsed.errors)
        errors.extend(
            RowError(row=row, column=labels[key], value=str(value), reason=reason)
            for row, key, value, reason in work.problems
        )
        errors.sort(key=lambda e: (e.row, e.column))
        return ImportResult(rows=parsed.rows, errors=errors)
    result.rows = parsed.rows
    return result


def _changed_meanwhile() -> DomainError:
    return DomainError(
        _(
            "The registry changed while the file was being imported (another user registered "
            "some of its persons or households): nothing was saved. Import the file again."
        ),
        code="changed_meanwhile",
    )


def _existing_households(actor: Any, numbers: list[str]) -> dict[str, tuple[int, int | None]]:
    """``number → (pk, village pk)`` of households already registered; the village is None for
    one outside the actor's jurisdiction."""
    rows = list(
        Household.objects.filter(number__in=numbers).values_list("number", "pk", "village_id")
    )
    if not rows:
        return {}
    visible = set(
        Household.objects.visible_to(actor)
        .filter(pk__in=[pk for _n, pk, _v in rows])
        .values_list("pk", flat=True)
    )
    return {number: (pk, village if pk in visible else None) for number, pk, village in rows}


#: Bulk-creation audit entries are written once this many created ids are waiting.
_AUDIT_PENDING = 50_000

HOUSEHOLD_COLUMNS = (
    "number",
    "village",
    "group",
    "county_code",
    "address",
    "search_text",
    "created_at",
    "updated_at",
    "registered_poor_year",
    "lifted_year",
    "labour_count",
)
PERSON_INSERT_COLUMNS = (
    "household",
    "county_code",
    "name",
    "search_text",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "sex",
    "birth_date",
    "ethnicity",
    "relation",
    "phone_encrypted",
    "phone_hash",
    "phone_masked",
    "education",
    "health",
    "occupation",
    "created_at",
    "updated_at",
)


class _Import:
    """Checking prepared rows against each other and the registry, and writing them, a batch
    at a time (see ``_import_households``). ``problems`` collects every error found here as
    ``(row, field key, value, reason)``."""

    def __init__(self, actor: Any, result: ImportResult) -> None:
        self.actor = actor
        self.result = result
        self.problems: list[tuple[int, str, Any, str]] = []
        self.batch: list[tuple[int, tuple[Any, ...]]] = []
        self.last_household: tuple[Any, ...] = ()
        # Households first seen in the current batch: (number, row, household values).
        self.new_households: list[tuple[str, int, tuple[Any, ...]]] = []
        self.households: dict[str, _HouseholdSeen] = {}
        # The ID number's first 17 digits (the 18th is their checksum) → the row it is on.
        self.seen_ids: dict[int, int] = {}
        self.regions: dict[str, Region | None] = {}
        self.created: dict[type[Household] | type[Person], dict[str, list[int]]] = {
            Household: defaultdict(list),
            Person: defaultdict(list),
        }
        self.pending = 0
        self.today, self.now = timezone.localdate(), timezone.now()
        # Inside the import's transaction: an empty registry needs no lookups (a concurrent
        # registration of the same person or household fails on the unique keys instead).
        self.no_persons = not Person.objects.exists()
        self.no_households = self.no_persons and not Household.objects.exists()
        self.insert_household = BulkInsert(Household, HOUSEHOLD_COLUMNS)
        # Dates and times sent ready for the database: prepared once here, not once a row.
        self.insert_person = BulkInsert(
            Person, PERSON_INSERT_COLUMNS, ready=("birth_date", "created_at", "updated_at")
        )
        self.person_now = self.insert_person.prepared("created_at", self.now)
        self.joined_on = connection.ops.adapt_datefield_value(self.today)
        self.in_other_household = gettext_noop(
            "This person is registered in household %(number)s: move them there."
        )
        self.elsewhere = Message(
            gettext_noop("A person with this ID number is already registered.")
        )
        self.duplicate = gettext_noop("The same ID number is also on row %(row)d.")
        self.other_village = gettext_noop("Row %(row)d puts this household in another village.")

    def error(self, row: int, key: str, value: Any, reason: str) -> None:
        self.problems.append((row, key, value, reason))

    # --- across rows -------------------------------------------------------------------------

    def add(self, row: int, prepared: tuple[Any, ...]) -> None:
        key, person, household, problems = prepared
        if household is None:
            household = self.last_household
        else:
            self.last_household = household
        for column, value, reason in problems:
            self.error(row, column, value, reason)
        first = self.seen_ids.setdefault(key, row)
        if first != row:
            self.error(
                row, "id_number", person[_ID_MASKED], Message(self.duplicate, {"row": first})
            )
        number = person[_NUMBER]
        seen = self.households.get(number)
        if seen is None:
            seen = self.households[number] = _HouseholdSeen(
                row, household[_VILLAGE], person[_RELATION], []
            )
            self.new_households.append((number, row, household))
        elif household[_VILLAGE] != seen.village:
            self.error(
                row, "village", household[_VILLAGE], Message(self.other_village, {"row": seen.row})
            )
        if person[_RELATION] == Relation.HEAD:
            seen.heads.append(row)
        self.batch.append((row, person))

    def take(
        self,
    ) -> tuple[list[tuple[int, tuple[Any, ...]]], list[tuple[str, int, tuple[Any, ...]]]]:
        """The batch so far and the households it introduced, for ``flush``; starts the next."""
        taken = self.batch, self.new_households
        self.batch, self.new_households = [], []
        return taken

    def flush(
        self,
        batch: list[tuple[int, tuple[Any, ...]]],
        new_households: list[tuple[str, int, tuple[Any, ...]]],
        *,
        clean: bool,
    ) -> None:
        """Check a batch against the registry, and write it if nothing is wrong so far."""
        self._households(new_households, clean=clean and not self.problems)
        self._persons(batch, clean=clean and not self.problems)

    def finish(self, *, clean: bool) -> None:
        """The checks that need the whole file; then the heads and the creation audit."""
        for seen in self.households.values():
            for extra in seen.heads[1:]:
                self.error(
                    extra,
                    "relation",
                    Relation.HEAD.label,
                    Message(gettext_noop("A household has one head.")),
                )
            if not seen.heads and not seen.registered:
                self.error(
                    seen.row,
                    "relation",
                    Relation(seen.first_relation).label,
                    Message(gettext_noop("A new household needs a row for its head.")),
                )
        if clean and not self.problems:
            self._audit_created()

    # --- households ----------------------------------------------------------------------------

    def _households(self, new: list[tuple[str, int, tuple[Any, ...]]], *, clean: bool) -> None:
        if not new:
            return
        codes = {h[_VILLAGE] for _n, _r, h in new} | {h[_GROUP] for _n, _r, h in new if h[_GROUP]}
        unknown = [code for code in codes if code not in self.regions]
        if unknown:
            found = {
                r.code: r for r in Region.objects.visible_to(self.actor).filter(code__in=unknown)
            }
            self.regions.update({code: found.get(code) for code in unknown})
        existing = (
            {} if self.no_households else _existing_households(self.actor, [n for n, _r, _h in new])
        )
        error = self.error
        for number, row, h in new:
            village = self.regions.get(h[_VILLAGE])
            if village is None or village.kind not in VILLAGE_LEVEL:
                error(
                    row,
                    "village",
                    h[_VILLAGE],
                    Message(gettext_noop("No village in your jurisdiction has this code.")),
                )
                village = None
            group = self.regions.get(h[_GROUP]) if h[_GROUP] else None
            if h[_GROUP] and (
                group is None
                or group.kind != RegionKind.GROUP
                or (village and group.parent_id != village.pk)
            ):
                error(
                    row,
                    "group",
                    h[_GROUP],
                    Message(gettext_noop("The villager group is not in this village.")),
                )
            current = existing.get(number)
            if current is not None:
                self.households[number].registered = True
                if current[1] is None:
                    # Says nothing about where it is: it may be another township's household.
                    error(
                        row,
                        "household_number",
                        number,
                        Message(
                            gettext_noop("The household number %(number)s is already in use."),
                            {"number": number},
                        ),
                    )
                elif village is not None and current[1] != village.pk:
                    error(
                        row,
                        "village",
                        h[_VILLAGE],
                        Message(gettext_noop("This household is registered in another village.")),
                    )
            poor, lifted = h[_POOR], h[_LIFTED]
            if poor and lifted and lifted < poor:
                error(
                    row,
                    "lifted_year",
                    lifted,
                    Message(
                        gettext_noop(
                            "A household is lifted out of poverty after it was registered poor."
                        )
                    ),
                )
            if (h[_INCOME_YEAR] is None) != (h[_INCOME] is None):
                missing = "income_per_head" if h[_INCOME] is None else "income_year"
                error(
                    row,
                    missing,
                    "",
                    Message(
                        gettext_noop(
                            "An income per head needs its year, and a year needs the income."
                        )
                    ),
                )
        if clean and not self.problems:
            self._write_households(new, existing)

    def _write_households(
        self,
        new: list[tuple[str, int, tuple[Any, ...]]],
        existing: dict[str, tuple[int, int | None]],
    ) -> None:
        now, regions, result = self.now, self.regions, self.result
        rows = []
        created = []
        for number, _row, h in new:
            if number in existing:
                continue
            village = regions[h[_VILLAGE]]
            group = regions.get(h[_GROUP]) if h[_GROUP] else None
            assert village is not None  # checked above
            labour = h[_LABOUR] if h[_LABOUR] is not None else 0
            rows.append(
                (
                    number,
                    village.pk,
                    group.pk if group else None,
                    village.code[:6],
                    h[_ADDRESS],
                    "",
                    now,
                    now,
                    h[_POOR],
                    h[_LIFTED],
                    labour,
                )
            )
            created.append((number, village.code))
        pks = self.insert_household.write_returning_ids(rows)
        result.households_created += len(rows)
        for pk, (number, code) in zip(pks, created, strict=True):
            seen = self.households[number]
            seen.pk, seen.village_code, seen.needs_head = pk, code, True
            self.created[Household][code].append(pk)
        self.pending += len(pks)
        values = {number: h for number, _row, h in new}
        present = (
            Household.objects.filter(pk__in=[existing[n][0] for n in values if n in existing])
            .select_related("village", "group")
            .select_for_update(of=("self",))
        )
        updates: list[Household] = []
        audit = []
        for household in present:
            h = values[household.number]
            before = snapshot(household)
            household.address = h[_ADDRESS]
            household.registered_poor_year = h[_POOR]
            household.lifted_year = h[_LIFTED]
            if h[_LABOUR] is not None:  # a labour-force column left out keeps what is known
                household.labour_count = h[_LABOUR]
            after = snapshot(household)
            seen = self.households[household.number]
            seen.pk, seen.village_code = household.pk, household.village.code
            seen.needs_head = household.head_id is None
            if after != before:
                household.updated_at = now
                # A changed household is a new version (see Household.version).
                household.version = F("version") + 1
                updates.append(household)
                audit.append(
                    (
                        AuditAction.UPDATE,
                        household.pk,
                        household.number,
                        household.village.code,
                        diff(before, after),
                    )
                )
        Household.objects.bulk_update(
            updates, ["address", *HOUSEHOLD_VALUES, "updated_at", "version"]
        )
        result.households_updated += len(updates)
        audit_rows(actor=self.actor, model=Household, items=audit)
        incomes = [
            (self.households[number], number, h[_INCOME_YEAR], h[_INCOME])
            for number, _row, h in new
            if h[_INCOME_YEAR] is not None and h[_INCOME] is not None
        ]
        _write_incomes(self.actor, incomes)

    # --- persons -------------------------------------------------------------------------------

    def _persons(self, batch: list[tuple[int, tuple[Any, ...]]], *, clean: bool) -> None:
        known: dict[str, Person] = {}
        if not self.no_persons and batch:
            known = self._registered(batch)
        if not clean or self.problems or not batch:
            return
        households, now, stamp = self.households, self.now, self.person_now
        new_rows = []
        new_persons = []
        changed: list[Person] = []
        audit = []
        for _row, item in batch:
            number = item[_NUMBER]
            household = households[number]
            household_pk, village_code = household.pk, household.village_code
            person = known.get(item[_HASH])
            if person is None:
                new_rows.append((household_pk, village_code[:6], *item[_NAME:], stamp, stamp))
                new_persons.append(item)
                continue
            before = snapshot(person)
            person.name = item[_NAME]
            person.relation = item[_RELATION]
            person.ethnicity_id = item[_ETHNICITY]
            person.education = item[_EDUCATION]
            person.health = item[_HEALTH]
            person.occupation = item[_OCCUPATION]
            # Compare by keyed hash: a phone left empty in the file keeps the registered one.
            if item[_PHONE_HASH] and item[_PHONE_HASH] != person.phone_hash:
                person.phone_encrypted = item[_PHONE_SEALED]
                person.phone_hash = item[_PHONE_HASH]
                person.phone_masked = item[_PHONE_MASKED]
            if person.name != before["name"]:
                person.search_text = search_text(person.name)
            after = snapshot(person)
            if after != before:
                person.updated_at = now
                changed.append(person)
                audit.append(
                    (AuditAction.UPDATE, person.pk, str(person), village_code, diff(before, after))
                )
            else:
                self.result.unchanged += 1
        if new_rows:
            pks = self.insert_person.write_returning_ids(new_rows)
            created = self.created[Person]
            heads = []
            for pk, item in zip(pks, new_persons, strict=True):
                household = households[item[_NUMBER]]
                if household.needs_head and item[_RELATION] == Relation.HEAD:
                    heads.append((household.pk, pk))
                    household.needs_head = False
                created[household.village_code].append(pk)
            _register_memberships(pks, self.joined_on)
            update_column(Household, "head", heads)
            self.pending += len(pks)
        Person.objects.bulk_update(
            changed,
            [
                *PERSON_COLUMNS,
                "search_text",
                "phone_encrypted",
                "phone_hash",
                "phone_masked",
                "updated_at",
            ],
        )
        audit_rows(actor=self.actor, model=Person, items=audit)
        if changed:
            persons_changed.send(sender=Person, person_ids=[p.pk for p in changed])
        self.result.persons_created += len(new_rows)
        self.result.persons_updated += len(changed)
        if self.pending >= _AUDIT_PENDING:
            self._audit_created()

    def _registered(self, batch: list[tuple[int, tuple[Any, ...]]]) -> dict[str, Person]:
        """The batch's persons already registered, checked: each must be within the actor's
        jurisdiction and in the household the file names. Locked until the import commits, so
        nobody moves them meanwhile."""
        hashes = [item[_HASH] for _row, item in batch]
        found = {
            h: (number, pk)
            for h, number, pk in Person.objects.filter(id_number_hash__in=hashes).values_list(
                "id_number_hash", "household__number", "pk"
            )
        }
        if not found:
            return {}
        visible = {
            p.pk: p
            for p in Person.objects.visible_to(self.actor)
            .filter(pk__in=[pk for _n, pk in found.values()])
            .select_related("household", "ethnicity")
            .select_for_update(of=("self",))
        }
        known = {}
        for row, item in batch:
            hit = found.get(item[_HASH])
            if hit is None:
                continue
            number, pk = hit
            if pk not in visible:
                self.error(row, "id_number", item[_ID_MASKED], self.elsewhere)
            elif number != item[_NUMBER]:
                self.error(
                    row,
                    "household_number",
                    item[_NUMBER],
                    Message(self.in_other_household, {"number": number}),
                )
            else:
                known[item[_HASH]] = visible[pk]
        return known

    def _audit_created(self) -> None:
        for model, created in self.created.items():
            if created:
                audit_created_in_bulk(actor=self.actor, model=model, at=self.now, created=created)
                created.clear()
        self.pending = 0


def _register_memberships(pks: list[int], joined_on: Any) -> None:
    """The memberships of persons just registered: each joined their household on
    ``joined_on`` (ready for the database), the day of the import. One INSERT … SELECT from
    their rows, done by the database: no row goes back and forth; the county code (the
    distribution key) is the person's, which is their household's, in the same statement."""
    membership, person = HouseholdMembership._meta, Person._meta
    quote = connection.ops.quote_name
    contiguous = pks[-1] - pks[0] + 1 == len(pks)
    which = "p.id BETWEEN %s AND %s" if contiguous else "p.id = ANY(%s)"
    params = [pks[0], pks[-1]] if contiguous else [pks]
    # Table and column names come from the models, quoted; values are parameters.
    sql = (
        f"INSERT INTO {quote(membership.db_table)} "  # noqa: S608
        "(person_id, household_id, county_code, relation, joined_on, joined_reason, left_reason) "
        "SELECT p.id, p.household_id, p.county_code, p.relation, %s, %s, '' "
        f"FROM {quote(person.db_table)} p WHERE {which}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [joined_on, MembershipReason.REGISTERED.value, *params])
        if cursor.rowcount != len(pks):
            raise RuntimeError("a registered person has no membership")


HOUSEHOLD_VALUES = ("registered_poor_year", "lifted_year", "labour_count")
PERSON_COLUMNS = ("name", "relation", "ethnicity", "education", "health", "occupation")


def _write_incomes(
    actor: Any, wanted_rows: list[tuple[_HouseholdSeen, str, int, decimal.Decimal]]
) -> None:
    """Income per head for the year in the file: added, or updated when it differs.
    ``wanted_rows`` are ``(the written household, its number, year, amount)``."""
    if not wanted_rows:
        return
    codes = {seen.pk: seen.village_code for seen, _number, _year, _amount in wanted_rows}
    wanted = {(seen.pk, year): (number, amount) for seen, number, year, amount in wanted_rows}
    current = {
        (i.household_id, i.year): i
        for i in HouseholdIncome.objects.filter(household_id__in=[h for h, _y in wanted])
    }
    audit: list[tuple[str, Any, str, str, dict[str, Any]]] = []
    changed = []
    new = []
    for (household, year), (number, amount) in wanted.items():
        income = current.get((household, year))
        code = codes[household]
        if income is None:
            new.append((household, year, amount))
        elif income.income_per_head != amount:
            audit.append(
                (
                    AuditAction.UPDATE,
                    income.pk,
                    f"{number} {year}: {amount}",
                    code,
                    {"income_per_head": [str(income.income_per_head), str(amount)]},
                )
            )
            income.income_per_head = amount
            changed.append(income)
    HouseholdIncome.objects.bulk_update(changed, ["income_per_head"])
    if new:
        insert_rows(HouseholdIncome, ["household", "year", "income_per_head"], new)
        pks = {
            (h, y): pk
            for h, y, pk in HouseholdIncome.objects.filter(
                household_id__in=[h for h, _y, _a in new]
            ).values_list("household_id", "year", "pk")
        }
        numbers = {seen.pk: number for seen, number, _y, _a in wanted_rows}
        for household, year, amount in new:
            number = numbers[household]
            audit.append(
                (
                    AuditAction.CREATE,
                    pks[(household, year)],
                    f"{number} {year}: {amount}",
                    codes[household],
                    {
                        "household": [None, number],
                        "year": [None, year],
                        "income_per_head": [None, str(amount)],
                    },
                )
            )
    audit_rows(actor=actor, model=HouseholdIncome, items=audit)
