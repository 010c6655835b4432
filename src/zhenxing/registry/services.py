"""Writes to the registry: validate → scope check → write → audit, each in one transaction.

History is kept, never overwritten: moving a person between households, splitting and merging
households, deaths and migrations close one ``HouseholdMembership`` and open another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import (
    audit_create,
    audit_record,
    audit_rows,
    audit_update,
    diff,
    snapshot,
)
from zhenxing.core.errors import Conflict, DomainError, Forbidden
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import ensure_can_add_under, ensure_still_in_scope, get_for_user
from zhenxing.core.sensitive import (
    decrypt,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    sealer,
)
from zhenxing.registry.models import (
    Education,
    Ethnicity,
    Health,
    Household,
    HouseholdMembership,
    MembershipReason,
    Person,
    PersonStatus,
    Relation,
)
from zhenxing.registry.signals import persons_changed
from zhenxing.registry.validators import (
    IdNumber,
    IdNumberError,
    PhoneError,
    check_id_number,
    check_phone,
)

ID_PURPOSE = "person.id_number"
PHONE_PURPOSE = "person.phone"

HOUSEHOLD_FIELDS = (
    "address",
    "labour_count",
    "registered_poor_year",
    "lifted_year",
    "monitoring_status",
    *Household.CHECKLIST,
    "checklist_checked_on",
)


def _check_household_fields(fields: dict[str, Any]) -> None:
    this_year = timezone.localdate().year
    for key in ("registered_poor_year", "lifted_year"):
        year = fields.get(key)
        if year is not None and not 2000 <= int(year) <= this_year:
            raise DomainError(
                _("A year between 2000 and %(year)d.") % {"year": this_year}, field=key
            )
    poor, lifted = fields.get("registered_poor_year"), fields.get("lifted_year")
    if poor and lifted and lifted < poor:
        raise DomainError(
            _("A household is lifted out of poverty after it was registered poor."),
            field="lifted_year",
        )


def household_create(
    *,
    actor: Any,
    village: Region,
    number: str,
    group: Region | None = None,
    **fields: Any,
) -> Household:
    """Register a household in a village (optionally in one of its villager groups)."""
    number = number.strip()
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    with transaction.atomic():
        ensure_can_add_under(actor, Household, village)
        if village.kind not in VILLAGE_LEVEL:
            raise DomainError(
                _("A household belongs to a village or a community."), field="village"
            )
        if group is not None and group.parent_id != village.pk:
            raise DomainError(_("The villager group is not in this village."), field="group")
        if not number or len(number) > 32:
            raise DomainError(_("A household number has 1 to 32 characters."), field="number")
        if Household.objects.filter(number=number).exists():
            raise DomainError(
                _("The household number %(number)s is already in use.") % {"number": number},
                field="number",
            )
        _check_household_fields(fields)
        household = Household(number=number, village=village, group=group, **fields)
        household.save()
        audit_create(actor=actor, obj=household)
        return household


def household_update(*, actor: Any, household: Household, **fields: Any) -> Household:
    unknown = set(fields) - set(HOUSEHOLD_FIELDS) - {"group"}
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    with transaction.atomic():
        household = get_for_user(
            Household.objects.select_for_update(), actor, "change", pk=household.pk
        )
        before = snapshot(household)
        group = fields.pop("group", household.group)
        if group is not None and group.parent_id != household.village_id:
            raise DomainError(_("The villager group is not in this village."), field="group")
        merged = {k: getattr(household, k) for k in HOUSEHOLD_FIELDS} | fields
        _check_household_fields(merged)
        for key, value in fields.items():
            setattr(household, key, value)
        household.group = group
        household.version += 1
        household.save()
        audit_update(actor=actor, obj=household, before=before)
        return household


#: The 两不愁三保障 + safe-water checklist's fields.
CHECKLIST = Household.CHECKLIST
#: What a visit may change on a household: the checklist and where the house stands.
CHECKED_FIELDS = (*Household.CHECKLIST, "latitude", "longitude")


def household_version(*, household_id: int) -> int:
    """The household's present version (see ``Household.version``)."""
    return int(
        Household.objects.filter(pk=household_id).values_list("version", flat=True).first() or 0
    )


def household_check_values(*, household_id: int) -> dict[str, Any]:
    """The checked fields' present values (before a check changes them)."""
    row = Household.objects.filter(pk=household_id).values(*CHECKED_FIELDS).first()
    return row or {}


def household_check_record(
    *,
    actor: Any,
    household_id: int,
    values: dict[str, Any],
    checked_on: dt.date,
    seen_version: int | None,
) -> Household:
    """Record what a check at the door found (the 两不愁三保障 + water checklist, the house's
    position), made from a reading of the household at ``seen_version``.

    If the household changed since that reading and this check would change a field, nothing
    is written: a :class:`Conflict` (code ``stale``) carries the household's present values, so
    the worker sees what someone else wrote and decides. A check that changes nothing never
    conflicts (it only dates the checklist).
    """
    unknown = set(values) - set(CHECKED_FIELDS)
    if unknown:
        raise TypeError(f"not a checked field: {sorted(unknown)}")
    with transaction.atomic():
        household = get_for_user(
            Household.objects.select_for_update(), actor, "check", pk=household_id
        )
        changed = {k: v for k, v in values.items() if getattr(household, k) != v}
        if changed and seen_version is not None and seen_version != household.version:
            raise Conflict(
                _(
                    "Someone else changed this household after your phone read it: "
                    "compare and decide."
                ),
                code="stale",
                errors={
                    "household": [
                        str(_("Now on record: %(values)s"))
                        % {"values": household_check_summary(household)}
                    ]
                },
            )
        before = snapshot(household)
        for key, value in changed.items():
            setattr(household, key, value)
        if household.checklist_checked_on is None or checked_on > household.checklist_checked_on:
            household.checklist_checked_on = checked_on
        if changed:
            household.version += 1
        household.save()
        audit_update(actor=actor, obj=household, before=before)
        return household


def household_check_summary(household: Household) -> str:
    """The checked fields' present values, for a conflict's message (plain text)."""
    labels = {None: "?", True: "✓", False: "✗"}
    parts = [
        f"{getattr(Household._meta.get_field(k), 'verbose_name', k)}"
        f"{labels.get(getattr(household, k), '?')}"
        for k in Household.CHECKLIST
    ]
    return ", ".join(parts)


def sensitive_columns(id_number: str, phone: str) -> dict[str, str]:
    return dict(zip(SENSITIVE_COLUMNS, sensitive_sealer()(id_number, phone), strict=True))


SENSITIVE_COLUMNS = (
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "phone_encrypted",
    "phone_hash",
    "phone_masked",
)


def sensitive_sealer() -> Callable[[str, str], tuple[str, str, str, str, str, str]]:
    """``seal(id_number, phone)`` → the values of ``SENSITIVE_COLUMNS``, with the keys looked up
    once: an import seals a million rows with one of these."""
    ids, phones = sealer(ID_PURPOSE), sealer(PHONE_PURPOSE)
    seal_id, index_id, seal_phone, index_phone = ids.seal, ids.index, phones.seal, phones.index

    def seal(id_number: str, phone: str) -> tuple[str, str, str, str, str, str]:
        if not phone:
            return seal_id(id_number), index_id(id_number), mask_id_number(id_number), "", "", ""
        return (
            seal_id(id_number),
            index_id(id_number),
            mask_id_number(id_number),
            seal_phone(phone),
            index_phone(phone),
            mask_phone(phone),
        )

    return seal


def _check_person_fields(
    *, name: str, relation: str, education: str, health: str, occupation: str
) -> None:
    """The rules a person's plain fields obey, on registration and on every correction."""
    if not name or len(name) > 32:
        raise DomainError(_("A name has 1 to 32 characters."), field="name")
    if relation not in Relation.values:
        raise DomainError(_("Unknown relation to the head."), field="relation")
    if education and education not in Education.values:
        raise DomainError(_("Unknown education."), field="education")
    if health not in Health.values:
        raise DomainError(_("Unknown health."), field="health")
    if len(occupation) > 64:
        raise DomainError(_("An occupation has at most 64 characters."), field="occupation")


def _checked_id_number(id_number: str, *, confirm_warnings: bool) -> IdNumber:
    """The checked number; a warning (an ID region code from another era) must be confirmed
    by the cadre: without ``confirm_warnings`` it is raised as an error."""
    try:
        checked = check_id_number(id_number)
    except IdNumberError as exc:
        raise DomainError(str(exc), field="id_number") from exc
    if checked.warnings and not confirm_warnings:
        raise DomainError(checked.warnings[0], field="id_number", code="needs_confirmation")
    return checked


def _checked_phone(phone: str) -> str:
    try:
        return check_phone(phone)
    except PhoneError as exc:
        raise DomainError(str(exc), field="phone") from exc


def _already_registered() -> DomainError:
    # Deliberately says nothing about where: the other record may be out of scope.
    return DomainError(
        _("A person with this ID number is already registered."),
        field="id_number",
        code="duplicate",
    )


def _save_person(person: Person) -> None:
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise _already_registered() from exc


def person_register(
    *,
    actor: Any,
    household: Household,
    name: str,
    id_number: str,
    ethnicity: Ethnicity,
    relation: str,
    phone: str = "",
    education: str = "",
    health: str = "healthy",
    occupation: str = "",
    joined_on: dt.date | None = None,
    reason: str = MembershipReason.REGISTERED,
    confirm_warnings: bool = False,
) -> Person:
    """Add a person to a household. A warning (say, an ID region code from another era) must
    be confirmed by the cadre: without ``confirm_warnings`` it is raised as an error."""
    name, occupation = name.strip(), occupation.strip()
    with transaction.atomic():
        household = get_for_user(
            Household.objects.select_for_update(), actor, "view", pk=household.pk
        )
        if not has_permission(actor, Person, "add"):
            raise Forbidden()
        _check_person_fields(
            name=name, relation=relation, education=education, health=health, occupation=occupation
        )
        checked = _checked_id_number(id_number, confirm_warnings=confirm_warnings)
        columns = sensitive_columns(checked.number, _checked_phone(phone))
        if Person.objects.filter(id_number_hash=columns["id_number_hash"]).exists():
            raise _already_registered()
        person = Person(
            household=household,
            name=name,
            sex=checked.sex,
            birth_date=checked.birth_date,
            ethnicity=ethnicity,
            relation=relation,
            education=education,
            health=health,
            occupation=occupation,
            **columns,
        )
        _save_person(person)
        HouseholdMembership.objects.create(
            person=person,
            household=household,
            relation=relation,
            joined_on=joined_on or timezone.localdate(),
            joined_reason=reason,
        )
        if relation == Relation.HEAD and household.head_id is None:
            household.head = person
            household.save(update_fields=["head", "updated_at"])
        audit_create(actor=actor, obj=person)
        return person


def person_update(
    *,
    actor: Any,
    person: Person,
    name: str,
    ethnicity: Ethnicity,
    relation: str,
    education: str = "",
    health: str = "healthy",
    occupation: str = "",
    id_number: str | None = None,
    phone: str | None = None,
    confirm_warnings: bool = False,
) -> Person:
    """Correct a person's record; the change is audited (masked values only).

    ``id_number`` and ``phone`` None keep them as they are: a form never shows them in clear,
    so a blank field means "unchanged"; ``phone=""`` removes the phone. Changing either needs
    the permission to see them in clear (whoever sets a number knows it). Sex and birth date
    follow the ID number. The relation to the head changes only for a registered person, and
    a household has one head: the head's place is taken only when it is free.
    """
    name, occupation = name.strip(), occupation.strip()
    with transaction.atomic():
        person = get_for_user(Person.objects.select_for_update(), actor, "change", pk=person.pk)
        household = Household.objects.select_for_update().get(pk=person.household_id)
        _check_person_fields(
            name=name, relation=relation, education=education, health=health, occupation=occupation
        )
        changes_sensitive = bool(id_number) or phone is not None
        if changes_sensitive and not has_permission(actor, Person, "view_sensitive"):
            raise Forbidden()
        before = snapshot(person)
        if id_number:
            _set_id_number(person, id_number, confirm_warnings=confirm_warnings)
        if phone is not None:
            _set_phone(person, _checked_phone(phone))
        if relation != person.relation:
            _change_relation(actor, person, household, relation)
        person.name, person.ethnicity, person.education = name, ethnicity, education
        person.health, person.occupation = health, occupation
        _save_person(person)
        audit_update(actor=actor, obj=person, before=before)
        persons_changed.send(sender=Person, person_ids=[person.pk])
        return person


def _set_id_number(person: Person, id_number: str, *, confirm_warnings: bool) -> None:
    ids = sealer(ID_PURPOSE)
    if ids.index(normalise_id_number(id_number)) == person.id_number_hash:
        return  # the same number typed again: nothing to check or confirm
    checked = _checked_id_number(id_number, confirm_warnings=confirm_warnings)
    digest = ids.index(checked.number)
    if Person.objects.filter(id_number_hash=digest).exclude(pk=person.pk).exists():
        raise _already_registered()
    person.id_number_encrypted, person.id_number_hash = ids.seal(checked.number), digest
    person.id_number_masked = mask_id_number(checked.number)
    person.sex, person.birth_date = checked.sex, checked.birth_date


def _set_phone(person: Person, phone: str) -> None:
    if not phone:
        person.phone_encrypted = person.phone_hash = person.phone_masked = ""
        return
    phones = sealer(PHONE_PURPOSE)
    person.phone_encrypted, person.phone_hash = phones.seal(phone), phones.index(phone)
    person.phone_masked = mask_phone(phone)


def _change_relation(actor: Any, person: Person, household: Household, relation: str) -> None:
    """The person's relation to the head, on the person and on their current membership; the
    household's head follows (audited on the household)."""
    if person.status != PersonStatus.ACTIVE:
        raise DomainError(
            _("Only a registered person's relation to the head can change."), field="relation"
        )
    before = snapshot(household)
    if relation == Relation.HEAD:
        if household.head_id not in (None, person.pk):
            raise DomainError(
                _("The household already has a head, %(name)s: change their relation first.")
                % {"name": household.head.name if household.head else ""},
                field="relation",
            )
        household.head = person
    elif household.head_id == person.pk:
        household.head = None
    HouseholdMembership.objects.filter(
        person=person, household=household, left_on__isnull=True
    ).update(relation=relation)
    person.relation = relation
    if diff(before, snapshot(household)):
        household.save(update_fields=["head", "updated_at"])
        audit_update(actor=actor, obj=household, before=before)


def _close_membership(person: Person, *, on: dt.date, reason: str) -> None:
    HouseholdMembership.objects.filter(person=person, left_on__isnull=True).update(
        left_on=on, left_reason=reason
    )


def person_move(
    *,
    actor: Any,
    person: Person,
    to_household: Household,
    relation: str,
    on: dt.date | None = None,
    reason: str = MembershipReason.MOVED,
) -> Person:
    """Move a person to another household (both in the actor's scope); history is kept."""
    on = on or timezone.localdate()
    with transaction.atomic():
        person = get_for_user(Person.objects.select_for_update(), actor, "change", pk=person.pk)
        target = get_for_user(Household.objects.all(), actor, "change", pk=to_household.pk)
        if person.status != PersonStatus.ACTIVE:
            raise DomainError(_("Only a registered person can move."), field="person")
        if target.pk == person.household_id:
            raise DomainError(_("The person already belongs to this household."), field="household")
        before = snapshot(person)
        old = person.household
        _close_membership(person, on=on, reason=reason)
        HouseholdMembership.objects.create(
            person=person, household=target, relation=relation, joined_on=on, joined_reason=reason
        )
        person.household, person.relation = target, relation
        person.save()
        if old.head_id == person.pk:
            old.head = None
            old.save(update_fields=["head", "updated_at"])
        ensure_still_in_scope(actor, person)
        audit_update(actor=actor, obj=person, before=before)
        return person


def household_split(
    *,
    actor: Any,
    household: Household,
    persons: Sequence[Person],
    new_number: str,
    head: Person,
    on: dt.date | None = None,
) -> Household:
    """Split some members off into a new household in the same village (分户)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        household = get_for_user(
            Household.objects.select_for_update(), actor, "change", pk=household.pk
        )
        ids = {p.pk for p in persons}
        if head.pk not in ids:
            raise DomainError(_("The new head must be one of the persons split off."), field="head")
        members = set(
            household.members.filter(status=PersonStatus.ACTIVE).values_list("pk", flat=True)
        )
        if not ids or not ids <= members:
            raise DomainError(
                _("Only current members of the household can be split off."), field="persons"
            )
        if ids == members:
            raise DomainError(
                _("At least one member must stay in the old household."), field="persons"
            )
        new = household_create(
            actor=actor,
            village=household.village,
            group=household.group,
            number=new_number,
            address=household.address,
        )
        for person in Person.objects.filter(pk__in=ids).order_by("pk"):
            person_move(
                actor=actor,
                person=person,
                to_household=new,
                relation=Relation.HEAD if person.pk == head.pk else Relation.OTHER,
                on=on,
                reason=MembershipReason.SPLIT,
            )
        new.head_id = head.pk
        new.save(update_fields=["head", "updated_at"])
        return new


def household_merge(
    *, actor: Any, source: Household, into: Household, on: dt.date | None = None
) -> Household:
    """Merge ``source``'s members into ``into`` (合户); the emptied household stays on record."""
    on = on or timezone.localdate()
    with transaction.atomic():
        source = get_for_user(Household.objects.select_for_update(), actor, "change", pk=source.pk)
        into = get_for_user(Household.objects.select_for_update(), actor, "change", pk=into.pk)
        if source.pk == into.pk:
            raise DomainError(_("A household cannot be merged into itself."), field="into")
        for person in source.members.filter(status=PersonStatus.ACTIVE).order_by("pk"):
            relation = Relation.OTHER if person.relation == Relation.HEAD else person.relation
            person_move(
                actor=actor,
                person=person,
                to_household=into,
                relation=relation,
                on=on,
                reason=MembershipReason.MERGED,
            )
        return into


def person_record_exit(
    *, actor: Any, person: Person, status: str, on: dt.date | None = None
) -> Person:
    """Record a death or a move away: the person stays on record, their membership closes."""
    if status not in (PersonStatus.DECEASED, PersonStatus.MIGRATED):
        raise DomainError(_("Record a death or a move away."), field="status")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="on")
    with transaction.atomic():
        person = get_for_user(Person.objects.select_for_update(), actor, "change", pk=person.pk)
        if person.status != PersonStatus.ACTIVE:
            raise DomainError(_("This person is no longer registered."), field="status")
        before = snapshot(person)
        reason = (
            MembershipReason.DIED if status == PersonStatus.DECEASED else MembershipReason.MIGRATED
        )
        _close_membership(person, on=on, reason=reason)
        person.status, person.status_changed_on = status, on
        person.save()
        household = person.household
        if household.head_id == person.pk:
            household.head = None
            household.save(update_fields=["head", "updated_at"])
        audit_update(actor=actor, obj=person, before=before)
        return person


def person_reveal(*, actor: Any, person: Person) -> dict[str, str]:
    """The clear ID number and phone, for a role allowed to see them; every reveal is audited."""
    with transaction.atomic():
        person = get_for_user(Person.objects.all(), actor, "view", pk=person.pk)
        if not has_permission(actor, Person, "view_sensitive"):
            raise Forbidden()
        revealed = {
            "id_number": decrypt(person.id_number_encrypted, purpose=ID_PURPOSE),
            "phone": decrypt(person.phone_encrypted, purpose=PHONE_PURPOSE)
            if person.phone_encrypted
            else "",
        }
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_SENSITIVE,
            obj=person,
            changes={"fields": ["id_number", "phone"]},
        )
        return revealed


def household_positions_load(*, label: str, positions: Sequence[tuple[int, Any, Any]]) -> int:
    """Set many households' positions at once, for loaders (the demo, a surveyed list):
    ``(household id, latitude, longitude)``. One audit row per household, in bulk."""
    ids = [pk for pk, _lat, _lng in positions]
    by_id = {pk: (lat, lng) for pk, lat, lng in positions}
    changed = []
    audit = []
    for start in range(0, len(ids), 2000):
        batch = list(
            Household.objects.filter(pk__in=ids[start : start + 2000]).select_related("village")
        )
        for household in batch:
            lat, lng = by_id[household.pk]
            audit.append(
                (
                    AuditAction.UPDATE,
                    household.pk,
                    household.number,
                    household.village.code,
                    {
                        "latitude": [_str(household.latitude), str(lat)],
                        "longitude": [_str(household.longitude), str(lng)],
                    },
                )
            )
            household.latitude, household.longitude = lat, lng
            changed.append(household)
    with transaction.atomic():
        Household.objects.bulk_update(changed, ["latitude", "longitude"], batch_size=1000)
        audit_rows(actor=label, model=Household, items=audit)
    return len(changed)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
