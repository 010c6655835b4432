"""Writes for training: villages order courses from the menu (点单), the department assigns them
(配菜), sessions are scheduled, cancelled, and their attendance recorded after they happen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.services import audit_bulk, audit_create, audit_update, snapshot
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import ensure_can_add_under, get_for_user, subtree_q
from zhenxing.party.models import (
    Attendance,
    AttendanceResult,
    CadrePosition,
    Course,
    CourseOrder,
    DeliveryMode,
    OrderOrigin,
    TrainingSession,
)
from zhenxing.party.rules import training as training_rules
from zhenxing.party.services import figures
from zhenxing.party.services.cadres import held_on


def course_order(
    *, actor: Any, village: Region, course: Course, year: int, note: str = "", assign: bool = False
) -> CourseOrder:
    """A village orders a course from the menu (点单), or the department assigns one (配菜)."""
    with transaction.atomic():
        ensure_can_add_under(actor, CourseOrder, village)
        if assign and not has_permission(actor, CourseOrder, "assign"):
            raise Forbidden()
        if village.kind not in VILLAGE_LEVEL:
            raise DomainError(_("Choose a village."), field="village")
        if CourseOrder.objects.filter(village=village, course=course, year=year).exists():
            raise DomainError(
                _("This course is already on the village's list for %(year)d.") % {"year": year},
                field="course",
            )
        order = CourseOrder.objects.create(
            village=village,
            course=course,
            year=year,
            origin=OrderOrigin.ASSIGNED if assign else OrderOrigin.ORDERED,
            note=note.strip()[:200],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_create(actor=actor, obj=order)
        return order


def session_schedule(
    *,
    actor: Any,
    region: Region,
    course: Course,
    mode: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    place: str,
    trainers: str,
    hours: Decimal | None = None,
    orders: Sequence[CourseOrder] = (),
) -> TrainingSession:
    """Schedule (or record, after the fact) a session of a course for the cadres under
    ``region``; the orders it answers are marked as served by it."""
    with transaction.atomic():
        ensure_can_add_under(actor, TrainingSession, region)
        if mode not in DeliveryMode.values:
            raise DomainError(_("Choose how it is delivered."), field="mode")
        ends_on = ends_on or starts_on
        if ends_on < starts_on:
            raise DomainError(_("A session ends on or after its first day."), field="ends_on")
        if not place.strip():
            raise DomainError(_("Say where it takes place."), field="place")
        if not trainers.strip():
            raise DomainError(_("Name the trainers."), field="trainers")
        session = TrainingSession.objects.create(
            region=region,
            course=course,
            mode=mode,
            starts_on=starts_on,
            ends_on=ends_on,
            place=place.strip()[:64],
            trainers=trainers.strip()[:128],
            hours=hours if hours is not None else course.hours,
        )
        if orders:
            ids = [o.pk for o in orders]
            # An order already served by another session is not moved to this one.
            served = CourseOrder.objects.filter(
                subtree_q(region.code, "village__code"),
                pk__in=ids,
                course=course,
                session__isnull=True,
            )
            rows = list(served.select_related("village", "course"))
            if len(rows) != len(set(ids)):
                raise DomainError(
                    _("An order is for another course, another region, or already served."),
                    field="orders",
                )
            # One UPDATE for the orders and one INSERT for their audit entries.
            CourseOrder.objects.filter(pk__in=[o.pk for o in rows]).update(session=session)
            for row in rows:
                row.session = session
            audit_bulk(
                actor=actor,
                items=[("update", o, {"session": [None, str(session)]}) for o in rows],
            )
        audit_create(actor=actor, obj=session)
        return session


def session_cancel(*, actor: Any, session: TrainingSession) -> TrainingSession:
    """Cancel a session that has no attendance recorded."""
    with transaction.atomic():
        session = get_for_user(
            TrainingSession.objects.select_for_update(), actor, "change", pk=session.pk
        )
        if session.attendance.exists():
            raise DomainError(_("Attendance is recorded: the session took place."))
        before = snapshot(session)
        session.cancelled = True
        session.save(update_fields=["cancelled"])
        audit_update(actor=actor, obj=session, before=before)
        return session


def session_happened(session: TrainingSession, today: dt.date | None = None) -> bool:
    """A session took place if it was not cancelled and its first day has come."""
    return not session.cancelled and session.starts_on <= (today or timezone.localdate())


def attendance_record(
    *,
    actor: Any,
    session: TrainingSession,
    entries: Sequence[tuple[CadrePosition, str]],
    removed: Sequence[CadrePosition] = (),
) -> int:
    """Record who attended a session and how they did, for cadres in the actor's scope: new rows
    are added, changed results updated, and the ``removed`` cadres' rows (ticked by mistake)
    deleted, all audited, in one transaction. Refused whole: a session that did not happen
    (cancelled, or not yet begun), a cadre outside the actor's scope or not in post on the
    session's dates. Returns the rows written or removed."""
    with transaction.atomic():
        session = get_for_user(
            TrainingSession.objects.select_related("region", "course"), actor, pk=session.pk
        )
        if not has_permission(actor, Attendance, "add"):
            raise Forbidden()
        refusal = training_rules.attendance_refusal(
            cancelled=session.cancelled, starts_on=session.starts_on, today=timezone.localdate()
        )
        if refusal:
            raise DomainError(refusal, code="no_session")
        wanted = {position.pk: result for position, result in entries}
        dropped = {position.pk for position in removed} - set(wanted)
        for result in wanted.values():
            if result not in AttendanceResult.values:
                raise DomainError(_("Choose a result."), field="result")
        positions = {
            p.pk: p
            for p in CadrePosition.objects.writable_by(actor, "change")
            .filter(pk__in=set(wanted) | dropped)
            .filter(subtree_q(session.region.code, "village__code"))
            .filter(held_on(session.ends_on) | held_on(session.starts_on))
            .select_related("person", "village")
        }
        if len(positions) != len(wanted) + len(dropped):
            raise DomainError(
                _("A cadre listed is not in post under this session's region on its dates."),
                field="position",
            )
        existing = {
            a.position_id: a
            for a in Attendance.objects.filter(session=session, position_id__in=wanted)
        }
        for row in existing.values():
            # The audit entries name the session and the cadre: reuse the rows loaded above
            # rather than fetching them again for each entry.
            row.session = session
            row.position = positions[row.position_id]
        created = [
            Attendance(
                session=session,
                position=positions[pk],
                result=result,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            for pk, result in wanted.items()
            if pk not in existing
        ]
        changed = [a for pk, a in existing.items() if a.result != wanted[pk]]
        previous = {a.pk: a.result for a in changed}
        for row in changed:
            row.result = wanted[row.position_id]
        gone = list(Attendance.objects.filter(session=session, position_id__in=dropped))
        for row in gone:
            row.session = session
            row.position = positions[row.position_id]
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(changed, ["result"])
        # Audited before the rows go, so each entry still names its session and cadre.
        audit_bulk(
            actor=actor,
            items=[("create", a, {"result": [None, a.result]}) for a in created]
            + [("update", a, {"result": [previous[a.pk], a.result]}) for a in changed]
            + [("delete", a, {"result": [a.result, None]}) for a in gone],
        )
        Attendance.objects.filter(pk__in=[a.pk for a in gone]).delete()
        # Who is trained changed for these cadres, in each village where they hold a post.
        figures.forget_persons(a.position.person_id for a in (*created, *gone))
        return len(created) + len(changed) + len(gone)
