"""Party members and the pipeline from a roll (党员花名册)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.context import ensure_audit_context
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_bulk, diff, snapshot
from zhenxing.core.errors import Forbidden
from zhenxing.core.text import to_simplified
from zhenxing.io.specs import (
    Field,
    ImportOutcome,
    ImportSpec,
    Message,
    ParsedRow,
)
from zhenxing.party.importers.common import (
    EXAMPLE_ID,
    ID_ALIASES,
    MAX_BYTES,
    MAX_ROWS,
    STAGE_WORDS,
    Progress,
    Rows,
    _changed_meanwhile,
    _choice_parser,
    _chunks,
    _date_field,
    _duplicates,
    _Errors,
    _finish,
    _fold,
    _hash,
    _id_field,
    _name_field,
    _start,
    _visible_persons,
)
from zhenxing.party.models import (
    STAGE_ORDER,
    PartyMember,
    PartyOrganization,
    PipelineException,
    Stage,
)
from zhenxing.party.policy import earliest_step
from zhenxing.party.rules import add_months
from zhenxing.party.rules import common as common_rules
from zhenxing.party.rules import pipeline as rules
from zhenxing.registry.choices import PersonStatus

# --- members and the pipeline (党员花名册) -----------------------------------------------------


def member_spec() -> ImportSpec:
    """The columns of the member roll import (and its downloadable template)."""
    return ImportSpec(
        name="party_members",
        model="party.partymember",
        count_labels=(
            ("members_created", gettext_lazy("Members added")),
            ("members_updated", gettext_lazy("Members updated")),
            ("unchanged", gettext_lazy("Unchanged")),
        ),
        upload_url_name="party:import",
        upload_url_args=("members",),
        done_url_name="party:dashboard",
        done_label=gettext_lazy("Party building"),
        title=gettext_lazy("Party members"),
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        fields=[
            _id_field(
                required=True,
                aliases=ID_ALIASES,
                example=EXAMPLE_ID,
                help=gettext_lazy("The person must already be in the registry."),
            ),
            _name_field(),
            Field(
                "organization",
                gettext_lazy("party organisation"),
                required=True,
                aliases=("党组织名称", "党组织", "所在党组织", "所在党支部", "党支部"),
                example="沙坡村党支部",
                help=gettext_lazy("The organisation's name as the system has it."),
            ),
            Field(
                "stage",
                gettext_lazy("stage"),
                required=True,
                parse=_choice_parser(Stage, STAGE_WORDS),
                aliases=("阶段", "发展阶段", "类别", "人员类别"),
                example="正式党员",
                help=gettext_lazy("入党申请人, 入党积极分子, 发展对象, 预备党员 or 正式党员."),
            ),
            _date_field(
                "applied_on",
                gettext_lazy("applied on"),
                ("申请入党日期", "入党申请日期", "申请日期"),
                required=True,
                example="2018-03-01",
            ),
            _date_field(
                "talked_on",
                gettext_lazy("talked with on"),
                ("谈话日期", "谈话时间"),
                example="2018-03-20",
                help=gettext_lazy("Required from the activist stage on."),
            ),
            _date_field(
                "activist_on",
                gettext_lazy("activist since"),
                ("确定积极分子日期", "确定为入党积极分子日期", "确定入党积极分子日期"),
                example="2018-06-01",
            ),
            _date_field(
                "target_on",
                gettext_lazy("development target since"),
                ("确定发展对象日期", "确定为发展对象日期"),
                example="2019-07-01",
                help=gettext_lazy("At least a year after the activist date."),
            ),
            _date_field(
                "probationary_on",
                gettext_lazy("admitted on"),
                ("入党日期", "接收预备党员日期", "预备党员日期"),
                example="2019-12-01",
            ),
            _date_field(
                "full_on",
                gettext_lazy("full member since"),
                ("转正日期", "转为正式党员日期"),
                example="2020-12-01",
                help=gettext_lazy("At least a year after admission."),
            ),
            _id_field(
                "introducer_1",
                gettext_lazy("introducer 1 ID number"),
                aliases=("入党介绍人1", "入党介绍人一", "介绍人1", "第一入党介绍人"),
                help=gettext_lazy("Two full members, from the development-target stage on."),
            ),
            _id_field(
                "introducer_2",
                gettext_lazy("introducer 2 ID number"),
                aliases=("入党介绍人2", "入党介绍人二", "介绍人2", "第二入党介绍人"),
            ),
        ],
    )


#: The pipeline's dates in the order they must come, each with the stage from which it is due.
PIPELINE_DATES: tuple[tuple[str, str], ...] = (
    ("applied_on", Stage.APPLICANT),
    ("talked_on", Stage.ACTIVIST),
    ("activist_on", Stage.ACTIVIST),
    ("target_on", Stage.TARGET),
    ("probationary_on", Stage.PROBATIONARY),
    ("full_on", Stage.FULL),
)
#: The steps with a minimum interval, and the date each is counted from.
INTERVALS = {"target_on": (Stage.TARGET, "activist_on"), "full_on": (Stage.FULL, "probationary_on")}
MEMBER_FIELDS = ("organization", "stage", *(key for key, _stage in PIPELINE_DATES))


@dataclass
class MemberImportResult(ImportOutcome):
    members_created: int = 0
    members_updated: int = 0
    unchanged: int = 0

    COUNTED = ("members_created", "members_updated", "unchanged")


@dataclass
class _MemberRow:
    row: int
    hash: str
    person: Any
    organization: PartyOrganization
    stage: str
    dates: dict[str, dt.date | None]
    existing: PartyMember | None
    introducers: list[str] = field(default_factory=list)  # ID-number hashes, two or none


def _organizations(actor: Any, names: Iterable[str]) -> dict[str, list[PartyOrganization]]:
    """Folded name → the organisations of that name within the actor's jurisdiction."""
    wanted = {n for name in names for n in (name, to_simplified(name))}
    found: dict[str, list[PartyOrganization]] = defaultdict(list)
    for chunk in _chunks(wanted):
        for org in (
            PartyOrganization.objects.visible_to(actor)
            .filter(name__in=chunk)
            .select_related("region")
        ):
            found[_fold(org.name)].append(org)
    return found


def import_members(
    *, actor: Any, rows: Rows, spec: ImportSpec | None = None, progress: Progress | None = None
) -> MemberImportResult:
    """Check a member roll whole, then add or update every member in it, or none.

    Rules per row: the person is registered within the actor's jurisdiction and, if already in
    the pipeline, in an organisation the actor sees; the organisation is one the actor sees;
    the dates of every stage up to the row's are given, none in the future, in the pipeline's
    order, with the minimum intervals (an exception already approved for a date the file leaves
    unchanged stands); a member is not taken back a stage; the introducers, from the
    development-target stage on, are two full members (registered, or so in this file), neither
    of them the person. An empty date cell keeps the date already recorded.
    """
    if not (
        has_permission(actor, PartyMember, "add") and has_permission(actor, PartyMember, "change")
    ):
        # A roll both adds and updates, so it needs both permissions (NetBox #22617).
        raise Forbidden()
    spec = spec or member_spec()
    result = MemberImportResult()
    records, error = _start(spec, rows, result)
    if progress:
        progress("checking", result.rows)
    today = timezone.localdate()

    hashes = {r.row: _hash(r.values["id_number"]) for r in records}
    intro_hashes = {
        _hash(r.values[k])
        for r in records
        for k in ("introducer_1", "introducer_2")
        if r.values.get(k)
    }
    persons = _visible_persons(actor, hashes.values())
    organizations = _organizations(actor, {r.values["organization"] for r in records})
    existing: dict[int, PartyMember] = {}  # by person
    for chunk in _chunks([p.pk for p in persons.values()]):
        for found in PartyMember.objects.filter(person_id__in=chunk).select_related(
            "person", "organization__region"
        ):
            existing[found.person_id] = found
    visible_members = {
        pk
        for chunk in _chunks([m.pk for m in existing.values()])
        for pk in PartyMember.objects.visible_to(actor)
        .filter(pk__in=chunk)
        .values_list("pk", flat=True)
    }
    approved = {
        (member_id, stage)
        for chunk in _chunks(list(visible_members))
        for member_id, stage in PipelineException.objects.filter(member_id__in=chunk).values_list(
            "member_id", "stage"
        )
    }
    # Introducers registered as members (within the jurisdiction), by ID-number hash.
    known_members: dict[str, PartyMember] = {}
    for hash_chunk in _chunks(intro_hashes):
        for introducer in (
            PartyMember.objects.visible_to(actor)
            .filter(person__id_number_hash__in=hash_chunk)
            .select_related("person")
        ):
            known_members[introducer.person.id_number_hash] = introducer

    repeated = _duplicates(
        records,
        lambda r: hashes[r.row],
        lambda r, first: error.id(
            r.row,
            "id_number",
            r.values["id_number"],
            Message(gettext_noop("The same ID number is also on row %(row)d."), {"row": first}),
        ),
    )

    @cache
    def interval(step: str, year: int) -> int:
        # earliest_step reads the policy in force in the previous step's year. Asked about
        # 1 January (which no month-end clamps) it gives that year's interval in months: the
        # policy is read once per year in the file, not once per row.
        first = earliest_step(step, previous=dt.date(year, 1, 1))
        return (first.year - year) * 12 + first.month - 1

    def earliest(step: str, previous: dt.date) -> dt.date:
        return add_months(previous, interval(step, previous.year))

    plan: list[_MemberRow] = []
    for record in records:
        if record.row in repeated:
            continue
        v = record.values
        person = persons.get(hashes[record.row])
        if person is None:
            error.id(
                record.row,
                "id_number",
                v["id_number"],
                Message(
                    gettext_noop(
                        "No person with this ID number is registered in your jurisdiction."
                    )
                ),
            )
            continue
        error.name_check(record, person)
        member = existing.get(person.pk)
        if member is not None and member.pk not in visible_members:
            error.id(
                record.row,
                "id_number",
                v["id_number"],
                Message(
                    gettext_noop(
                        "This person is a member of a party organisation outside your jurisdiction."
                    )
                ),
            )
            continue
        refusal = common_rules.not_registered(person.status == PersonStatus.ACTIVE)
        if member is None and refusal:
            error.id(record.row, "id_number", v["id_number"], refusal)
        matches = organizations.get(_fold(v["organization"]), [])
        if len(matches) != 1:
            error(
                record.row,
                "organization",
                v["organization"],
                Message(gettext_noop("No party organisation in your jurisdiction has this name."))
                if not matches
                else Message(
                    gettext_noop("Several party organisations in your jurisdiction have this name.")
                ),
            )
            continue
        stage = str(v["stage"])
        level = STAGE_ORDER.index(stage)
        if member is not None and STAGE_ORDER.index(member.stage) > level:
            error(
                record.row,
                "stage",
                v["stage"].typed,
                Message(
                    gettext_noop(
                        "%(name)s is already a %(stage)s: an import does not take a member back."
                    ),
                    {"name": person.name, "stage": Stage(member.stage).label},
                ),
            )
            continue
        dates = _member_dates(record, member, stage, level, person, today, error)
        if dates is None:
            continue
        for key, (step, previous_key) in INTERVALS.items():
            day, previous = dates[key], dates[previous_key]
            if day is None or previous is None:
                continue
            if (
                member is not None
                and (member.pk, step) in approved
                and (getattr(member, key), getattr(member, previous_key)) == (day, previous)
            ):
                continue  # an approver's exception for exactly these dates stands
            first_day = earliest(step, previous)
            if day < first_day:
                error(
                    record.row,
                    key,
                    day,
                    Message(
                        gettext_noop(
                            "Too early: this step may be taken from %(date)s. An exception to the "
                            "interval is recorded by an approver on the member's page, not by an "
                            "import."
                        ),
                        {"date": first_day.isoformat()},
                    ),
                )
        plan.append(
            _MemberRow(
                row=record.row,
                hash=hashes[record.row],
                person=person,
                organization=matches[0],
                stage=stage,
                dates=dates,
                existing=member,
            )
        )

    # Introducers, once every row's stage is known: "full" in this file counts.
    in_file = {p.hash: p for p in plan}
    rows_by_number = {r.row: r for r in records}
    for item in plan:
        v = rows_by_number[item.row].values
        given = [(k, v[k]) for k in ("introducer_1", "introducer_2") if v.get(k)]
        if not given:
            continue
        if STAGE_ORDER.index(item.stage) < STAGE_ORDER.index(Stage.TARGET):
            key, number = given[0]
            error.id(
                item.row,
                key,
                number,
                Message(
                    gettext_noop("Introducers are named from the development-target stage on.")
                ),
            )
            continue
        if len(given) == 1:
            missing = "introducer_2" if given[0][0] == "introducer_1" else "introducer_1"
            error(
                item.row, missing, "", Message(gettext_noop("Name both introducers, or neither."))
            )
            continue
        chosen: list[str] = []
        for key, number in given:
            h = _hash(number)
            if h == item.hash:
                refusal = rules.introducer_refusal(
                    is_self=True, name="", stage=Stage.FULL, full_on=None, on=None
                )
                error.id(item.row, key, number, str(refusal))
                continue
            if h in chosen:
                error.id(
                    item.row, key, number, Message(gettext_noop("Name two different introducers."))
                )
                continue
            chosen.append(h)
            if h in in_file:
                name, stage = in_file[h].person.name, in_file[h].stage
                full_on = in_file[h].dates.get("full_on")
            elif h in known_members:
                name, stage = known_members[h].person.name, known_members[h].stage
                full_on = known_members[h].full_on
            else:
                error.id(
                    item.row,
                    key,
                    number,
                    Message(
                        gettext_noop(
                            "No party member with this ID number is registered in your "
                            "jurisdiction."
                        )
                    ),
                )
                continue
            # Introducers are named when a person becomes a development target: full members
            # by that day, as the pipeline's own step requires.
            refusal = rules.introducer_refusal(
                is_self=False,
                name=name,
                stage=stage,
                full_on=full_on,
                on=item.dates.get("target_on"),
            )
            if refusal:
                error.id(item.row, key, number, refusal)
        item.introducers = chosen

    if not _finish(result) or not plan:
        return result
    if progress:
        progress("writing", 0)
    with ensure_audit_context(source="import"), transaction.atomic():
        try:
            _write_members(actor, plan, known_members, result)
        except IntegrityError as exc:
            raise _changed_meanwhile() from exc
    return result


def _member_dates(
    record: ParsedRow,
    member: PartyMember | None,
    stage: str,
    level: int,
    person: Any,
    today: dt.date,
    error: _Errors,
) -> dict[str, dt.date | None] | None:
    """The row's pipeline dates (an empty cell keeps a date already recorded), checked: due
    ones given, later stages' ones absent, none in the future, in order. None on an error."""
    v = record.values
    dates: dict[str, dt.date | None] = {}
    clean = True
    previous: tuple[str, dt.date] | None = None
    for key, due in PIPELINE_DATES:
        day = v.get(key) or (getattr(member, key) if member is not None else None)
        dates[key] = day
        due_level = STAGE_ORDER.index(due)
        if day is None:
            if due_level <= level:
                error(
                    record.row,
                    key,
                    "",
                    Message(gettext_noop("This date is required at the row's stage.")),
                )
                clean = False
            continue
        if due_level > level and key != "talked_on":
            error(
                record.row,
                key,
                day,
                Message(
                    gettext_noop(
                        "This date belongs to a later stage than %(stage)s: clear it or correct "
                        "the stage."
                    ),
                    {"stage": Stage(stage).label},
                ),
            )
            clean = False
            continue
        refusal = common_rules.future_date(day, today)
        if refusal:
            error(record.row, key, day, refusal)
            clean = False
            continue
        if previous is not None and day < previous[1]:
            error(
                record.row,
                key,
                day,
                Message(
                    gettext_noop("This date comes before “%(column)s” (%(date)s)."),
                    {"column": error.labels[previous[0]], "date": previous[1].isoformat()},
                ),
            )
            clean = False
        previous = (key, day)
    applied = dates["applied_on"]
    refusal = rules.applicant_too_young(person.birth_date, applied) if applied else None
    if refusal:
        error(record.row, "applied_on", applied, refusal)
        clean = False
    return dates if clean else None


def _write_members(
    actor: Any,
    plan: list[_MemberRow],
    known_members: dict[str, PartyMember],
    result: MemberImportResult,
) -> None:
    audit: list[tuple[str, models.Model, dict[str, Any]]] = []
    new: list[tuple[_MemberRow, PartyMember]] = []
    changed: list[tuple[_MemberRow, PartyMember, dict[str, Any]]] = []
    member_of: dict[str, PartyMember] = dict(known_members)
    for item in plan:
        member = item.existing
        if member is None:
            member = PartyMember(
                person=item.person, organization=item.organization, stage=item.stage, **item.dates
            )
            new.append((item, member))
        else:
            before = snapshot(member)
            member.organization = item.organization
            member.stage = item.stage
            for key, day in item.dates.items():
                setattr(member, key, day)
            changes = diff(before, snapshot(member))
            changed.append((item, member, changes))
        member_of[item.hash] = member
    PartyMember.objects.bulk_create([m for _i, m in new], batch_size=500)
    PartyMember.objects.bulk_update(
        [m for _i, m, changes in changed if changes], list(MEMBER_FIELDS), batch_size=500
    )

    # Introducers: replaced where the file names others, kept where it names none.
    through = PartyMember.introducers.through
    current: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {m.pk: m.person.name for m in member_of.values()}
    existing_ids = [m.pk for _i, m, _c in changed]
    for chunk in _chunks(existing_ids):
        for source, target, name in through.objects.filter(
            from_partymember_id__in=chunk
        ).values_list("from_partymember_id", "to_partymember_id", "to_partymember__person__name"):
            current[source].add(target)
            names[target] = name
    links: list[Any] = []
    replaced: list[int] = []
    introduced: dict[int, dict[str, Any]] = {}
    for item, member in [(i, m) for i, m in new] + [(i, m) for i, m, _c in changed]:
        if not item.introducers:
            continue
        wanted = {member_of[h].pk for h in item.introducers}
        before_ids = current.get(member.pk, set())
        if wanted == before_ids:
            continue
        if before_ids:
            replaced.append(member.pk)
        links += [through(from_partymember_id=member.pk, to_partymember_id=pk) for pk in wanted]
        # As member_advance records it: the names before (none for a new member) and after.
        introduced[member.pk] = {
            "introducers": [
                sorted(names[pk] for pk in before_ids) if item.existing else None,
                sorted(names[pk] for pk in wanted),
            ]
        }
    for chunk in _chunks(replaced):
        through.objects.filter(from_partymember_id__in=chunk).delete()
    through.objects.bulk_create(links, batch_size=500)

    for _item, member in new:
        after = snapshot(member)
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "")}
        audit.append((AuditAction.CREATE, member, changes | introduced.get(member.pk, {})))
    for _item, member, changes in changed:
        changes = changes | introduced.get(member.pk, {})
        if changes:
            audit.append((AuditAction.UPDATE, member, changes))
            result.members_updated += 1
        else:
            result.unchanged += 1
    audit_bulk(actor=actor, items=audit)
    result.members_created = len(new)
