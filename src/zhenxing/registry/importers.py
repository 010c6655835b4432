"""Importing households and persons from a cadre's spreadsheet: one row per person, with the
household's columns repeated (how village books are kept in Excel today).

Parse every row (``zhenxing.io.specs``), bind every row to the database (villages by code,
households by number, persons by the keyed hash of their ID number, all within the actor's
jurisdiction), check the rules that span rows, and only then write everything in one
transaction with bulk statements and bulk audit rows under one request id. One bad row writes
nothing. Importing the same file twice changes nothing; a changed cell updates that field only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_bulk, snapshot
from zhenxing.core.errors import Forbidden
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.sensitive import blind_index, encrypt, mask_phone
from zhenxing.core.text import search_text, to_simplified
from zhenxing.io.specs import Field, FieldError, ImportSpec, RowError
from zhenxing.registry.models import (
    Education,
    Ethnicity,
    Health,
    Household,
    HouseholdMembership,
    MembershipReason,
    Person,
    Relation,
)
from zhenxing.registry.services import ID_PURPOSE, PHONE_PURPOSE, _sensitive_columns
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


def _id_number(text: str) -> Any:
    try:
        return check_id_number(text)
    except IdNumberError as exc:
        raise FieldError(str(exc)) from exc


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
                parse=_id_number,
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


HOUSEHOLD_COLUMNS = ("address", "registered_poor_year", "lifted_year")
PERSON_COLUMNS = ("name", "relation", "ethnicity", "education", "health", "occupation")


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    households_created: int = 0
    households_updated: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    unchanged: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def import_households(
    *, actor: Any, rows: Iterable[tuple[int, list[str]]], spec: ImportSpec | None = None
) -> ImportResult:
    """Validate every row, then write all of them or none (see the module docstring)."""
    if not (
        has_permission(actor, Household, "add")
        and has_permission(actor, Household, "change")
        and has_permission(actor, Person, "add")
        and has_permission(actor, Person, "change")
    ):
        # An import both adds and updates, so it needs both permissions (NetBox #22617).
        raise Forbidden()
    spec = spec or household_person_spec()
    head_rows: dict[int, list[str]] = {}

    def remember_head(rows: Iterable[tuple[int, list[str]]]) -> Iterable[tuple[int, list[str]]]:
        # Keep the first rows: the header is among them, and errors name columns as the
        # user's file spells them.
        for number, cells in rows:
            if number <= 20:
                head_rows[number] = cells
            yield number, cells

    parsed = spec.parse(remember_head(rows))
    result = ImportResult(errors=list(parsed.errors), rows=parsed.rows)
    records = parsed.records
    labels = {f.key: str(f.label) for f in spec.fields}
    if parsed.header_row in head_rows:
        matched, _problems = spec.match_headers(head_rows[parsed.header_row])
        header_cells = head_rows[parsed.header_row]
        labels |= {f.key: header_cells[i] for i, f in matched.items()}

    def error(row: int, key: str, value: Any, reason: str) -> None:
        result.errors.append(RowError(row=row, column=labels[key], value=str(value), reason=reason))

    # --- bind: villages, households, persons, within the actor's jurisdiction ------------------
    codes = {r.values["village"] for r in records} | {
        r.values["group"] for r in records if r.values.get("group")
    }
    regions = {r.code: r for r in Region.objects.visible_to(actor).filter(code__in=codes)}
    numbers = {r.values["household_number"] for r in records}
    households = {h.number: h for h in Household.objects.filter(number__in=numbers)}
    in_scope = set(
        Household.objects.visible_to(actor).filter(number__in=numbers).values_list("pk", flat=True)
    )
    # The keyed hash of each row's ID number, computed once: binding and writing both use it.
    id_hash = {
        r.row: blind_index(r.values["id_number"].number, purpose=ID_PURPOSE)
        for r in records
        if r.values.get("id_number")
    }
    hashes = set(id_hash.values())
    persons = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=hashes)}
    persons_in_scope = set(
        Person.objects.visible_to(actor)
        .filter(id_number_hash__in=hashes)
        .values_list("pk", flat=True)
    )

    seen_ids: dict[str, int] = {}
    household_rows: dict[str, list[Any]] = defaultdict(list)
    for r in records:
        v, row = r.values, r.row
        village = regions.get(v["village"])
        if village is None or village.kind not in (RegionKind.VILLAGE, RegionKind.COMMUNITY):
            error(row, "village", v["village"], _("No village in your jurisdiction has this code."))
        group = regions.get(v["group"]) if v.get("group") else None
        if v.get("group") and (
            group is None
            or group.kind != RegionKind.GROUP
            or (village and group.parent_id != village.pk)
        ):
            error(row, "group", v["group"], _("The villager group is not in this village."))
        existing = households.get(v["household_number"])
        if existing is not None and existing.pk not in in_scope:
            # Says nothing about where it is: it may be another township's household.
            error(
                row,
                "household_number",
                v["household_number"],
                _("The household number %(number)s is already in use.")
                % {"number": v["household_number"]},
            )
        elif existing is not None and village is not None and existing.village_id != village.pk:
            error(
                row, "village", v["village"], _("This household is registered in another village.")
            )
        checked = v.get("id_number")
        if checked is not None:
            if checked.warnings and not v.get("confirm"):
                error(row, "id_number", checked.number, checked.warnings[0])
            if checked.number in seen_ids:
                error(
                    row,
                    "id_number",
                    checked.number,
                    _("The same ID number is also on row %(row)d.")
                    % {"row": seen_ids[checked.number]},
                )
            seen_ids.setdefault(checked.number, row)
            person = persons.get(id_hash[row])
            if person is not None and person.pk not in persons_in_scope:
                error(
                    row,
                    "id_number",
                    checked.number,
                    _("A person with this ID number is already registered."),
                )
        if len(v.get("name", "")) > 32:
            error(row, "name", v["name"], _("A name has 1 to 32 characters."))
        household_rows[v["household_number"]].append(r)
    for number, members in household_rows.items():
        heads = [m for m in members if m.values.get("relation") == Relation.HEAD]
        existing = households.get(number)
        if len(heads) > 1:
            for m in heads[1:]:
                error(
                    m.row,
                    "relation",
                    Relation(m.values["relation"]).label,
                    _("A household has one head."),
                )
        if not heads and existing is None:
            error(
                members[0].row,
                "relation",
                Relation(members[0].values["relation"]).label,
                _("A new household needs a row for its head."),
            )
        poor = members[0].values.get("registered_poor_year")
        lifted = members[0].values.get("lifted_year")
        if poor and lifted and lifted < poor:
            error(
                members[0].row,
                "lifted_year",
                lifted,
                _("A household is lifted out of poverty after it was registered poor."),
            )
    if result.errors:
        result.errors.sort(key=lambda e: (e.row, e.column))
        return result

    # --- write: all or nothing ------------------------------------------------------------------
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        audit: list[tuple[str, Any, dict[str, Any]]] = []
        new_households: list[Household] = []
        changed_households: list[Household] = []
        for number, members in household_rows.items():
            first = members[0].values
            wanted = {
                k: first.get(k) or (None if k != "address" else "") for k in HOUSEHOLD_COLUMNS
            }
            household = households.get(number)
            if household is None:
                village = regions[first["village"]]
                household = Household(
                    number=number,
                    village=village,
                    group=regions.get(first.get("group") or ""),
                    county_code=village.code[:6],
                    search_text="",
                    **wanted,
                )
                new_households.append(household)
                households[number] = household
                continue
            before = snapshot(household)
            for key, value in wanted.items():
                setattr(household, key, value)
            after = snapshot(household)
            if after != before:
                household.updated_at = now  # bulk_update skips auto_now
                changed_households.append(household)
                audit.append(
                    (
                        AuditAction.UPDATE,
                        household,
                        {k: [before[k], after[k]] for k in after if before[k] != after[k]},
                    )
                )
        Household.objects.bulk_create(new_households, batch_size=1000)
        Household.objects.bulk_update(
            changed_households, [*HOUSEHOLD_COLUMNS, "updated_at"], batch_size=1000
        )
        audit.extend(
            (
                AuditAction.CREATE,
                h,
                {k: [None, v] for k, v in snapshot(h).items() if v not in (None, "")},
            )
            for h in new_households
        )
        result.households_created, result.households_updated = (
            len(new_households),
            len(changed_households),
        )

        new_persons: list[Person] = []
        changed_persons: list[Person] = []
        for r in records:
            v = r.values
            checked = v["id_number"]
            household = households[v["household_number"]]
            person = persons.get(id_hash[r.row])
            fields = {
                "name": v["name"],
                "relation": v["relation"],
                "ethnicity": v["ethnicity"],
                "education": v.get("education") or "",
                "health": v.get("health") or "healthy",
                "occupation": v.get("occupation") or "",
            }
            if person is None:
                person = Person(
                    household=household,
                    county_code=household.county_code,
                    search_text=search_text(v["name"]),
                    sex=checked.sex,
                    birth_date=checked.birth_date,
                    **_sensitive_columns(checked.number, v.get("phone") or ""),
                    **fields,
                )
                new_persons.append(person)
                continue
            before = snapshot(person)
            for key, value in fields.items():
                setattr(person, key, value)
            phone = v.get("phone") or ""
            # Compare by keyed hash; encrypt only a phone that actually changed.
            if phone and blind_index(phone, purpose=PHONE_PURPOSE) != person.phone_hash:
                person.phone_encrypted = encrypt(phone, purpose=PHONE_PURPOSE)
                person.phone_hash = blind_index(phone, purpose=PHONE_PURPOSE)
                person.phone_masked = mask_phone(phone)
            if person.name != before["name"]:
                person.search_text = search_text(person.name)
            after = snapshot(person)
            if after != before:
                person.updated_at = now
                changed_persons.append(person)
                audit.append(
                    (
                        AuditAction.UPDATE,
                        person,
                        {k: [before[k], after[k]] for k in after if before[k] != after[k]},
                    )
                )
            else:
                result.unchanged += 1
        Person.objects.bulk_create(new_persons, batch_size=1000)
        Person.objects.bulk_update(
            changed_persons,
            [
                *PERSON_COLUMNS,
                "search_text",
                "phone_encrypted",
                "phone_hash",
                "phone_masked",
                "updated_at",
            ],
            batch_size=1000,
        )
        HouseholdMembership.objects.bulk_create(
            [
                HouseholdMembership(
                    person=p,
                    household=p.household,
                    relation=p.relation,
                    joined_on=today,
                    joined_reason=MembershipReason.REGISTERED,
                )
                for p in new_persons
            ],
            batch_size=1000,
        )
        headed: list[Household] = []
        for person in new_persons:
            if person.relation == Relation.HEAD and person.household.head_id is None:
                person.household.head = person
                headed.append(person.household)
        Household.objects.bulk_update(headed, ["head"], batch_size=1000)
        audit.extend(
            (
                AuditAction.CREATE,
                p,
                {k: [None, v] for k, v in snapshot(p).items() if v not in (None, "")},
            )
            for p in new_persons
        )
        result.persons_created, result.persons_updated = len(new_persons), len(changed_persons)
        audit_bulk(actor=actor, items=audit)
    return result
