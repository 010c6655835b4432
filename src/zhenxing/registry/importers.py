"""Importing households and persons from a cadre's spreadsheet: one row per person, with the
household's columns repeated (how village books are kept in Excel today).

Parse every row (``zhenxing.io.specs``), bind every row to the database (villages by code,
households by number, persons by the keyed hash of their ID number, all within the actor's
jurisdiction), check the rules that span rows, and only then write everything in one
transaction with bulk statements and bulk audit rows under one request id. One bad row writes
nothing. Importing the same file twice changes nothing; a changed cell updates that field only.
"""

from __future__ import annotations

import datetime as dt
import decimal
import marshal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.context import ensure_audit_context
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_rows, diff, snapshot
from zhenxing.core.bulk import BulkInsert, insert_rows, update_column
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.sensitive import (
    mask_id_text,
    mask_phone,
)
from zhenxing.core.text import search_text, to_simplified
from zhenxing.io.specs import (
    Field,
    FieldError,
    ImportOutcome,
    ImportSpec,
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
    PersonStatus,
    Relation,
)
from zhenxing.registry.services import sensitive_columns
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
            raise FieldError(_("“%(value)s” is not one of the allowed values.") % {"value": text})
        return lookup[key]

    return parse


def _year(text: str) -> int:
    try:
        year = int(float(text))
    except ValueError as exc:
        raise FieldError(_("A year such as 2018.")) from exc
    if not 2000 <= year <= timezone.localdate().year:
        raise FieldError(
            _("A year between 2000 and %(year)d.") % {"year": timezone.localdate().year}
        )
    return year


def _count(text: str) -> int:
    try:
        value = int(float(text))
    except ValueError as exc:
        raise FieldError(_("A whole number such as 2.")) from exc
    if not 0 <= value <= 99:
        raise FieldError(_("A number from 0 to 99."))
    return value


def _yes_no(text: str) -> bool:
    key = to_simplified(text).casefold()
    if key in {"是", "yes", "y", "true", "1", "√", "✓"}:
        return True
    if key in {"否", "no", "n", "false", "0", "×", "✗"}:
        return False
    raise FieldError(_("Yes or no (是/否)."))


def _digits(text: str) -> str:
    code = text.strip().removesuffix(".0")
    if not code.isdigit():
        raise FieldError(_("A division code is made of digits."))
    return code


def _id_number_parser() -> Any:
    today = timezone.localdate()  # once per import, not once per row

    def parse(text: str) -> Any:
        try:
            return check_id_number(text, today=today)
        except IdNumberError as exc:
            raise FieldError(str(exc)) from exc

    return parse


def _phone(text: str) -> str:
    try:
        return check_phone(text)
    except PhoneError as exc:
        raise FieldError(str(exc)) from exc


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
            raise FieldError(_("Unknown ethnic group: use its name (汉族) or GB 3304 code (01)."))
        return found

    return parse


def household_person_spec() -> ImportSpec:
    """The columns of the registry import (and its downloadable template)."""
    return ImportSpec(
        name="households",
        title=gettext_lazy("Households and persons"),
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
                parse=_year,
                aliases=("建档立卡年度", "建档立卡年份"),
                example="2016",
            ),
            Field(
                "lifted_year",
                gettext_lazy("year lifted out of poverty"),
                parse=_year,
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
                parse=_year,
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


#: Rows are checked, spooled and written in batches of this many: memory does not grow with
#: the file (a batch of lookups is one query).
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
class _HouseholdRows:
    """What the file says about one household (from its first row), and where its heads are."""

    row: int
    village: str
    group: str
    address: str
    registered_poor_year: int | None
    lifted_year: int | None
    labour_count: int | None
    income_year: int | None
    income_per_head: decimal.Decimal | None
    first_relation: str
    heads: list[int]


# One spooled row: what the write phase needs, as plain values (``marshal`` writes them fast).
# The spool is a temporary file: ID numbers and phones go into it already encrypted, hashed
# and masked, never in clear.
_ROW, _NUMBER, _NAME, _RELATION, _ETHNICITY, _EDUCATION, _HEALTH, _OCCUPATION = range(8)
_ID_SEALED, _SEX, _BIRTH, _PHONE_SEALED, _HASH, _ID_MASKED, _PHONE_HASH, _PHONE_MASKED = range(
    8, 16
)


def _batches(spool: IO[bytes]) -> Iterator[list[tuple[Any, ...]]]:
    spool.seek(0)
    while True:
        try:
            yield marshal.load(spool)  # noqa: S302 - our own temporary file, written above
        except EOFError:
            return


def import_households(
    *,
    actor: Any,
    rows: Iterable[tuple[int, list[str]]],
    spec: ImportSpec | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row, then write all of them or none (see ``_import_households``).

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
    """Validate every row, then write all of them or none (see the module docstring).

    The file is read once: valid rows are checked against the database in batches and spooled
    to a temporary file as plain tuples, keeping in memory only what the checks across rows
    need (each household's first row, each ID number's first row). Only when the whole file is
    clean are the spooled rows written, in one transaction.
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
    problems: list[tuple[int, str, Any, str]] = []  # (row, field key, value, reason)

    def error(row: int, key: str, value: Any, reason: str) -> None:
        problems.append((row, key, value, reason))

    households: dict[str, _HouseholdRows] = {}
    registered: set[int] = set()  # spooled batches holding persons already registered
    spooled: list[int] = []  # rows per spooled batch
    codes: set[str] = set()
    # First 17 digits of each ID number (the 18th is their checksum) → the row it is on.
    seen_ids: dict[int, int] = {}
    in_other_household = _("This person is registered in household %(number)s: move them there.")
    elsewhere = _("A person with this ID number is already registered.")
    duplicate = _("The same ID number is also on row %(row)d.")

    with tempfile.TemporaryFile(prefix="zx-import-") as spool:
        batch: list[tuple[Any, ...]] = []

        def check_and_spool(batch: list[tuple[Any, ...]]) -> None:
            hashes = [item[_HASH] for item in batch]
            found = {
                h: (number, pk)
                for h, number, pk in Person.objects.filter(id_number_hash__in=hashes).values_list(
                    "id_number_hash", "household__number", "pk"
                )
            }
            if found:
                registered.add(len(spooled))
                visible = set(
                    Person.objects.visible_to(actor)
                    .filter(pk__in=[pk for _n, pk in found.values()])
                    .values_list("pk", flat=True)
                )
                for item in batch:
                    if item[_HASH] not in found:
                        continue
                    number, pk = found[item[_HASH]]
                    if pk not in visible:
                        error(item[_ROW], "id_number", item[_ID_MASKED], elsewhere)
                    elif number != item[_NUMBER]:
                        error(
                            item[_ROW],
                            "household_number",
                            item[_NUMBER],
                            in_other_household % {"number": number},
                        )
            marshal.dump(batch, spool)
            spooled.append(len(batch))
            report("checking", parsed.rows)

        for r in spec.iter_records(keep_head(rows, head_rows), parsed):
            v, row = r.values, r.row
            number = v["household_number"]
            codes.add(v["village"])
            if v.get("group"):
                codes.add(v["group"])
            checked = v["id_number"]
            # Sealed here, so the spool never holds an ID number or phone in clear.
            sealed = sensitive_columns(checked.number, v.get("phone") or "")
            masked_id = sealed["id_number_masked"]
            if checked.warnings and not v.get("confirm"):
                error(row, "id_number", masked_id, checked.warnings[0])
            key = int(checked.number[:17])
            first = seen_ids.setdefault(key, row)
            if first != row:
                error(row, "id_number", masked_id, duplicate % {"row": first})
            if len(v["name"]) > 32:
                error(row, "name", v["name"], _("A name has 1 to 32 characters."))
            seen = households.get(number)
            if seen is None:
                seen = households[number] = _HouseholdRows(
                    row=row,
                    village=v["village"],
                    group=v.get("group") or "",
                    address=v.get("address") or "",
                    registered_poor_year=v.get("registered_poor_year"),
                    lifted_year=v.get("lifted_year"),
                    labour_count=v.get("labour_count"),
                    income_year=v.get("income_year"),
                    income_per_head=v.get("income_per_head"),
                    first_relation=v["relation"],
                    heads=[],
                )
            elif v["village"] != seen.village:
                error(
                    row,
                    "village",
                    v["village"],
                    _("Row %(row)d puts this household in another village.") % {"row": seen.row},
                )
            if v["relation"] == Relation.HEAD:
                seen.heads.append(row)
            batch.append(
                (
                    row,
                    number,
                    v["name"],
                    # Plain str, not the choices' enum members: marshal writes only builtins.
                    str(v["relation"]),
                    v["ethnicity"].pk,
                    str(v.get("education") or ""),
                    str(v.get("health") or Health.HEALTHY),
                    v.get("occupation") or "",
                    sealed["id_number_encrypted"],
                    str(checked.sex),
                    checked.birth_date.isoformat(),
                    sealed["phone_encrypted"],
                    sealed["id_number_hash"],
                    masked_id,
                    sealed["phone_hash"],
                    sealed["phone_masked"],
                )
            )
            if len(batch) >= BATCH:
                check_and_spool(batch)
                batch = []
        if batch:
            check_and_spool(batch)
        del seen_ids

        result = ImportResult(rows=parsed.rows)
        labels = column_names(spec, parsed, head_rows)

        # --- bind villages and households, within the actor's jurisdiction --------------------
        regions = {r.code: r for r in Region.objects.visible_to(actor).filter(code__in=codes)}
        existing = _existing_households(actor, list(households))
        for number, seen in households.items():
            village = regions.get(seen.village)
            if village is None or village.kind not in (RegionKind.VILLAGE, RegionKind.COMMUNITY):
                error(
                    seen.row,
                    "village",
                    seen.village,
                    _("No village in your jurisdiction has this code."),
                )
            group = regions.get(seen.group) if seen.group else None
            if seen.group and (
                group is None
                or group.kind != RegionKind.GROUP
                or (village and group.parent_id != village.pk)
            ):
                error(
                    seen.row, "group", seen.group, _("The villager group is not in this village.")
                )
            current = existing.get(number)
            if current is not None and current[1] is None:
                # Says nothing about where it is: it may be another township's household.
                error(
                    seen.row,
                    "household_number",
                    number,
                    _("The household number %(number)s is already in use.") % {"number": number},
                )
            elif current is not None and village is not None and current[1] != village.pk:
                error(
                    seen.row,
                    "village",
                    seen.village,
                    _("This household is registered in another village."),
                )
            for extra in seen.heads[1:]:
                error(extra, "relation", Relation.HEAD.label, _("A household has one head."))
            if not seen.heads and current is None:
                error(
                    seen.row,
                    "relation",
                    Relation(seen.first_relation).label,
                    _("A new household needs a row for its head."),
                )
            poor, lifted = seen.registered_poor_year, seen.lifted_year
            if poor and lifted and lifted < poor:
                error(
                    seen.row,
                    "lifted_year",
                    lifted,
                    _("A household is lifted out of poverty after it was registered poor."),
                )
            if (seen.income_year is None) != (seen.income_per_head is None):
                missing = "income_per_head" if seen.income_per_head is None else "income_year"
                error(
                    seen.row,
                    missing,
                    "",
                    _("An income per head needs its year, and a year needs the income."),
                )
        result.errors = list(parsed.errors)
        result.errors.extend(
            RowError(row=row, column=labels[key], value=str(value), reason=reason)
            for row, key, value, reason in problems
        )
        if result.errors or not households:
            result.errors.sort(key=lambda e: (e.row, e.column))
            return result

        # --- write: all or nothing ------------------------------------------------------------
        report("writing", 0)
        try:
            with ensure_audit_context(source="import"), transaction.atomic():
                _write(actor, result, households, regions, existing, registered, spool, report)
        except IntegrityError as exc:
            # Someone registered one of the file's persons or households meanwhile.
            raise _changed_meanwhile() from exc
    return result


def _changed_meanwhile() -> DomainError:
    return DomainError(
        _(
            "The registry changed while the file was being checked (another user registered "
            "or moved some of its persons): nothing was saved. Import the file again."
        ),
        code="changed_meanwhile",
    )


def _existing_households(actor: Any, numbers: list[str]) -> dict[str, tuple[int, int | None]]:
    """``number → (pk, village pk)`` of households already registered; the village is None for
    one outside the actor's jurisdiction."""
    found: dict[str, tuple[int, int | None]] = {}
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        rows = list(
            Household.objects.filter(number__in=chunk).values_list("number", "pk", "village_id")
        )
        if not rows:
            continue
        visible = set(
            Household.objects.visible_to(actor)
            .filter(pk__in=[pk for _n, pk, _v in rows])
            .values_list("pk", flat=True)
        )
        for number, pk, village in rows:
            found[number] = (pk, village if pk in visible else None)
    return found


def _write(
    actor: Any,
    result: ImportResult,
    households: dict[str, _HouseholdRows],
    regions: dict[str, Region],
    existing: dict[str, tuple[int, int | None]],
    registered: set[int],
    spool: IO[bytes],
    report: Callable[[str, int], None],
) -> None:
    today, now = timezone.localdate(), timezone.now()
    # number → (pk, village code, whether it still needs a head)
    placed: dict[str, tuple[int, str, bool]] = {}

    # Households: new ones inserted as plain rows, changed ones updated with their diff audited.
    columns = [
        "number",
        "village",
        "group",
        "county_code",
        "address",
        "search_text",
        "created_at",
        "updated_at",
    ]
    columns += list(HOUSEHOLD_VALUES)
    insert_household = BulkInsert(Household, columns)
    numbers = list(households)
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        new_rows = []
        created_audit = []
        for number in chunk:
            if number in existing:
                continue
            seen = households[number]
            village = regions[seen.village]
            group = regions.get(seen.group) if seen.group else None
            values = _household_values(seen, None)
            new_rows.append(
                (
                    number,
                    village.pk,
                    group.pk if group else None,
                    village.code[:6],
                    seen.address,
                    "",
                    now,
                    now,
                    *values.values(),
                )
            )
            created = {
                "number": number,
                "village": str(village),
                "group": str(group) if group else None,
            }
            created |= {"address": seen.address, **values}
            created_audit.append(
                (
                    number,
                    village.code,
                    {k: [None, v] for k, v in created.items() if v not in (None, "")},
                )
            )
        new_pks = insert_household.write_returning_ids(new_rows)
        result.households_created += len(new_rows)
        present = Household.objects.filter(
            pk__in=[existing[n][0] for n in chunk if n in existing]
        ).select_related("village", "group")
        updates: list[Household] = []
        audit = []
        for household in present:
            seen = households[household.number]
            before = snapshot(household)
            household.address = seen.address
            for key, value in _household_values(seen, household).items():
                setattr(household, key, value)
            after = snapshot(household)
            placed[household.number] = (
                household.pk,
                household.village.code,
                household.head_id is None,
            )
            if after != before:
                household.updated_at = now
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
        Household.objects.bulk_update(updates, ["address", *HOUSEHOLD_VALUES, "updated_at"])
        result.households_updated += len(updates)
        for pk, (number, code, changes) in zip(new_pks, created_audit, strict=True):
            placed[number] = (pk, code, True)
            audit.append((AuditAction.CREATE, pk, number, code, changes))
        audit_rows(actor=actor, model=Household, items=audit)
        _write_incomes(actor, households, chunk, placed, now)

    # Persons, batch by batch from the spool.
    ethnicities = {e.pk: str(e) for e in Ethnicity.objects.all()}
    person_columns = [
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
    ]
    insert_person = BulkInsert(Person, person_columns)
    insert_membership = BulkInsert(
        HouseholdMembership, ["person", "household", "relation", "joined_on", "joined_reason"]
    )
    heads: list[tuple[int, int]] = []
    done = 0
    for index, batch in enumerate(_batches(spool)):
        # Only batches where the check found registered persons need loading them (none, in a
        # first import).
        hashes = [item[_HASH] for item in batch] if index in registered else []
        known: dict[str, Person] = {}
        if hashes:
            # Checked again inside the transaction: a person found in pass 1 may have been
            # moved out of the actor's reach since.
            known = {
                p.id_number_hash: p
                for p in Person.objects.visible_to(actor)
                .filter(id_number_hash__in=hashes)
                .select_related("household", "ethnicity")
            }
            anywhere = set(
                Person.objects.filter(id_number_hash__in=hashes).values_list(
                    "id_number_hash", flat=True
                )
            )
            for item in batch:
                person = known.get(item[_HASH])
                if (item[_HASH] in anywhere and person is None) or (
                    person is not None and person.household.number != item[_NUMBER]
                ):
                    raise _changed_meanwhile()
        new_rows = []
        new_items = []
        changed: list[Person] = []
        audit = []
        for item in batch:
            number = item[_NUMBER]
            household_pk, village_code, _needs_head = placed[number]
            person = known.get(item[_HASH])
            if person is None:
                masked, phone_masked = item[_ID_MASKED], item[_PHONE_MASKED]
                new_rows.append(
                    (
                        household_pk,
                        village_code[:6],
                        item[_NAME],
                        search_text(item[_NAME]),
                        item[_ID_SEALED],
                        item[_HASH],
                        masked,
                        item[_SEX],
                        item[_BIRTH],
                        item[_ETHNICITY],
                        item[_RELATION],
                        item[_PHONE_SEALED],
                        item[_PHONE_HASH],
                        phone_masked,
                        item[_EDUCATION],
                        item[_HEALTH],
                        item[_OCCUPATION],
                        now,
                        now,
                    )
                )
                new_items.append((item, masked, phone_masked))
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
                result.unchanged += 1
        if new_rows:
            pks = insert_person.write_returning_ids(new_rows)
            memberships = []
            for pk, (item, masked, phone_masked) in zip(pks, new_items, strict=True):
                household_pk, village_code, needs_head = placed[item[_NUMBER]]
                memberships.append(
                    (pk, household_pk, item[_RELATION], today, MembershipReason.REGISTERED)
                )
                if needs_head and item[_RELATION] == Relation.HEAD:
                    heads.append((household_pk, pk))
                created = {
                    "household": item[_NUMBER],
                    "name": item[_NAME],
                    "id_number_masked": masked,
                    "sex": item[_SEX],
                    "birth_date": item[_BIRTH],
                    "ethnicity": ethnicities[item[_ETHNICITY]],
                    "relation": item[_RELATION],
                    "phone_masked": phone_masked,
                    "education": item[_EDUCATION],
                    "health": item[_HEALTH],
                    "occupation": item[_OCCUPATION],
                    "status": PersonStatus.ACTIVE.value,
                }
                audit.append(
                    (
                        AuditAction.CREATE,
                        pk,
                        f"{item[_NAME]} ({masked})",
                        village_code,
                        {k: [None, v] for k, v in created.items() if v not in (None, "")},
                    )
                )
            insert_membership.write(memberships)
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
        audit_rows(actor=actor, model=Person, items=audit)
        result.persons_created += len(new_rows)
        result.persons_updated += len(changed)
        done += len(batch)
        report("writing", done)
    update_column(Household, "head", heads)


HOUSEHOLD_VALUES = ("registered_poor_year", "lifted_year", "labour_count")
PERSON_COLUMNS = ("name", "relation", "ethnicity", "education", "health", "occupation")


def _household_values(seen: _HouseholdRows, household: Household | None) -> dict[str, Any]:
    """The household's values from the file. An empty poverty year clears it (the household is
    not, or no longer, registered poor); a labour-force column left out keeps what is known."""
    labour = seen.labour_count
    if labour is None:
        labour = household.labour_count if household is not None else 0
    return {
        "registered_poor_year": seen.registered_poor_year,
        "lifted_year": seen.lifted_year,
        "labour_count": labour,
    }


def _write_incomes(
    actor: Any,
    households: dict[str, _HouseholdRows],
    chunk: list[str],
    placed: dict[str, tuple[int, str, bool]],
    now: dt.datetime,
) -> None:
    """Income per head for the year in the file: added, or updated when it differs."""
    wanted: dict[tuple[int, int], tuple[str, decimal.Decimal]] = {}
    for n in chunk:
        year, amount = households[n].income_year, households[n].income_per_head
        if year is not None and amount is not None:
            wanted[(placed[n][0], year)] = (n, amount)
    if not wanted:
        return
    current = {
        (i.household_id, i.year): i
        for i in HouseholdIncome.objects.filter(household_id__in=[h for h, _y in wanted])
    }
    audit: list[tuple[str, Any, str, str, dict[str, Any]]] = []
    changed = []
    new = []
    for (household, year), (number, amount) in wanted.items():
        income = current.get((household, year))
        code = placed[number][1]
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
        numbers = {placed[n][0]: n for n in chunk}
        for household, year, amount in new:
            number = numbers[household]
            audit.append(
                (
                    AuditAction.CREATE,
                    pks[(household, year)],
                    f"{number} {year}: {amount}",
                    placed[number][1],
                    {
                        "household": [None, number],
                        "year": [None, year],
                        "income_per_head": [None, str(amount)],
                    },
                )
            )
    audit_rows(actor=actor, model=HouseholdIncome, items=audit)
