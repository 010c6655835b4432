"""Training attendance from Excel (培训签到)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.context import ensure_audit_context
from zhenxing.core.errors import Forbidden
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
    RESULT_WORDS,
    Progress,
    Rows,
    _choice_parser,
    _chunks,
    _code,
    _date_field,
    _finish,
    _hash,
    _id_field,
    _name_field,
    _start,
    _village_field,
    _villages,
)
from zhenxing.party.models import (
    Attendance,
    AttendanceResult,
    CadrePosition,
    Post,
    TrainingSession,
)
from zhenxing.party.rules import training as training_rules
from zhenxing.party.services.training import attendance_record

# --- training attendance (培训签到) ----------------------------------------------------------


def attendance_spec() -> ImportSpec:
    """The columns of the attendance import (and its downloadable template)."""
    return ImportSpec(
        name="party_attendance",
        model="party.attendance",
        count_labels=(
            ("attendance_created", gettext_lazy("Attendance added")),
            ("attendance_updated", gettext_lazy("Attendance updated")),
            ("unchanged", gettext_lazy("Unchanged")),
        ),
        upload_url_name="party:import",
        upload_url_args=("attendance",),
        done_url_name="party:dashboard",
        done_label=gettext_lazy("Party building"),
        title=gettext_lazy("Training attendance"),
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        fields=[
            Field(
                "course",
                gettext_lazy("course code"),
                required=True,
                aliases=("课程编号", "课程代码", "课程编码"),
                example="C01",
                help=gettext_lazy("The course's code in the menu, such as C01."),
            ),
            _date_field(
                "session_starts_on",
                gettext_lazy("session start date"),
                ("开始日期", "培训开始日期", "开班日期", "培训日期"),
                required=True,
                example="2024-05-08",
            ),
            Field(
                "organiser",
                gettext_lazy("organiser region code"),
                required=True,
                parse=_code,
                aliases=("举办单位代码", "举办单位区划代码", "主办单位代码"),
                example="520281004",
                help=gettext_lazy("Division code of the city, township or village that held it."),
            ),
            _village_field(gettext_lazy("The village where the trainee holds a post.")),
            _id_field(required=True, aliases=ID_ALIASES, example=EXAMPLE_ID),
            _name_field(),
            Field(
                "result",
                gettext_lazy("result"),
                parse=_choice_parser(AttendanceResult, RESULT_WORDS),
                aliases=("结果", "培训结果", "考核结果", "成绩"),
                example="合格",
                help=gettext_lazy("合格, 优秀 or 不合格; empty means 合格."),
            ),
        ],
    )


@dataclass
class AttendanceImportResult(ImportOutcome):
    attendance_created: int = 0
    attendance_updated: int = 0
    unchanged: int = 0

    COUNTED = ("attendance_created", "attendance_updated", "unchanged")


def _held_during(position: CadrePosition, session: TrainingSession) -> bool:
    """``party.cadres.held_on`` on the session's first or last day, in Python."""

    def held(day: dt.date) -> bool:
        return position.started_on <= day and (
            position.ended_on is None or position.ended_on >= day
        )

    return held(session.starts_on) or held(session.ends_on)


def import_attendance(
    *, actor: Any, rows: Rows, spec: ImportSpec | None = None, progress: Progress | None = None
) -> AttendanceImportResult:
    """Check a sign-in sheet whole, then record every attendance in it, or none.

    A row names the session (course code, first day, organiser's code), the village and the
    cadre's ID number. Refused rows: a session unknown within the jurisdiction, cancelled, or
    not yet begun (attendance for a session that did not happen); a person with no post in
    that village on the session's dates, or a village outside the jurisdiction or outside the
    organiser's region. Written through ``party.training.attendance_record``, one call per
    session, in one transaction.
    """
    if not has_permission(actor, Attendance, "add"):
        raise Forbidden()
    spec = spec or attendance_spec()
    result = AttendanceImportResult()
    records, error = _start(spec, rows, result)
    if progress:
        progress("checking", result.rows)
    today = timezone.localdate()

    def session_key(r: ParsedRow) -> tuple[str, dt.date, str]:
        return (
            r.values["course"].strip().upper(),
            r.values["session_starts_on"],
            r.values["organiser"],
        )

    keys = {session_key(r) for r in records}
    sessions: dict[tuple[str, dt.date, str], list[TrainingSession]] = defaultdict(list)
    for key_chunk in _chunks(keys):
        for session in (
            TrainingSession.objects.visible_to(actor)
            .filter(
                course__code__in={k[0] for k in key_chunk},
                starts_on__in={k[1] for k in key_chunk},
                region__code__in={k[2] for k in key_chunk},
            )
            .select_related("course", "region")
        ):
            key = (session.course.code.upper(), session.starts_on, session.region.code)
            if key in keys:
                sessions[key].append(session)
    villages = _villages(actor, {r.values["village"] for r in records})
    hashes = {r.row: _hash(r.values["id_number"]) for r in records}
    positions: dict[tuple[int, str], list[CadrePosition]] = defaultdict(list)
    for hash_chunk in _chunks(set(hashes.values())):
        for position in (
            CadrePosition.objects.writable_by(actor, "change")
            .filter(village__in=list(villages.values()), person__id_number_hash__in=hash_chunk)
            .select_related("person", "village")
            .order_by("started_on", "pk")
        ):
            positions[(position.village_id, position.person.id_number_hash)].append(position)
    attended: dict[tuple[int, int], Attendance] = {}
    session_ids = [s.pk for found in sessions.values() for s in found]
    for id_chunk in _chunks(session_ids):
        for present in Attendance.objects.filter(session_id__in=id_chunk):
            attended[(present.session_id, present.position_id)] = present

    post_rank = {post: i for i, post in enumerate(Post.values)}
    wanted: dict[int, tuple[TrainingSession, dict[int, tuple[CadrePosition, str]]]] = {}
    seen: dict[tuple[int, int], int] = {}
    for record in records:
        v = record.values
        found = sessions.get(session_key(record), [])
        if len(found) != 1:
            error(
                record.row,
                "course",
                v["course"],
                Message(
                    gettext_noop(
                        "No training session in your jurisdiction matches this course, first day "
                        "and organiser."
                    )
                )
                if not found
                else Message(
                    gettext_noop(
                        "Several sessions match this course, first day and organiser: record this "
                        "attendance on the session's page."
                    )
                ),
            )
            continue
        session = found[0]
        refusal = training_rules.attendance_refusal(
            cancelled=session.cancelled, starts_on=session.starts_on, today=today
        )
        if refusal:
            # A cancelled session is the wrong course on the row; a future one, the wrong date.
            if session.cancelled:
                error(record.row, "course", v["course"], refusal)
            else:
                error(record.row, "session_starts_on", session.starts_on, refusal)
            continue
        village = villages.get(v["village"])
        if village is None:
            error(
                record.row,
                "village",
                v["village"],
                Message(gettext_noop("No village in your jurisdiction has this code.")),
            )
            continue
        if not village.code.startswith(session.region.code):
            error(
                record.row,
                "village",
                v["village"],
                Message(
                    gettext_noop("This village is not under the region that organised the session.")
                ),
            )
            continue
        held = [
            p
            for p in positions.get((village.pk, hashes[record.row]), [])
            if _held_during(p, session)
        ]
        if not held:
            error.id(
                record.row,
                "id_number",
                v["id_number"],
                Message(
                    gettext_noop("This person held no post in this village on the session's dates.")
                ),
            )
            continue
        # One attendance per person and session: on the post it is already recorded against,
        # else on the person's first post (the secretary's, for one who is also director).
        held.sort(key=lambda p: ((session.pk, p.pk) not in attended, post_rank[p.post]))
        position = held[0]
        error.name_check(record, position.person)
        person_key = (session.pk, position.person_id)
        if person_key in seen:
            error.id(
                record.row,
                "id_number",
                v["id_number"],
                Message(
                    gettext_noop("The same person is also on row %(row)d for this session."),
                    {"row": seen[person_key]},
                ),
            )
            continue
        seen[person_key] = record.row
        result_value = str(v.get("result") or AttendanceResult.COMPLETED)
        wanted.setdefault(session.pk, (session, {}))[1][position.pk] = (position, result_value)

    if not _finish(result) or not wanted:
        return result
    for session_id, (_session, entries) in wanted.items():
        for position_id, (_position, value) in entries.items():
            recorded = attended.get((session_id, position_id))
            if recorded is None:
                result.attendance_created += 1
            elif recorded.result != value:
                result.attendance_updated += 1
            else:
                result.unchanged += 1
    if progress:
        progress("writing", 0)
    with ensure_audit_context(source="import"), transaction.atomic():
        for session, entries in wanted.values():
            changes = [
                (position, value)
                for position_id, (position, value) in entries.items()
                if getattr(attended.get((session.pk, position_id)), "result", None) != value
            ]
            if changes:
                attendance_record(actor=actor, session=session, entries=changes)
    return result
