"""Writes for the membership pipeline: apply, talk, advance a stage (each step's rules), and
exceptions to the minimum intervals. Each validates, checks scope and role, writes and audits in
one transaction; a broken rule raises a ``DomainError`` and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_create, audit_record, audit_update, diff, snapshot
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.scoping import ensure_still_in_scope, get_for_user
from zhenxing.party.models import (
    STAGE_DATE,
    STAGE_ORDER,
    PartyMember,
    PartyOrganization,
    PipelineException,
    Stage,
)
from zhenxing.party.policy import earliest_step
from zhenxing.party.rules import common as common_rules
from zhenxing.party.rules import pipeline as rules
from zhenxing.party.rules.pipeline import MIN_AGE
from zhenxing.registry.selectors import person_in_scope, person_is_registered

__all__ = ["MIN_AGE", "member_advance", "member_apply", "member_talk", "member_transfer"]


def _person(actor: Any, pk: int, *, for_update: bool = False) -> Any:
    """The registry person in ``actor``'s scope; outside it, not found."""
    person = person_in_scope(actor=actor, pk=pk, for_update=for_update)
    if person is None:
        raise NotFound()
    return person


def _not_future(day: dt.date, field: str) -> None:
    refusal = common_rules.future_date(day, timezone.localdate())
    if refusal:
        raise DomainError(refusal, field=field)


def member_apply(
    *, actor: Any, person: Any, organization: PartyOrganization, applied_on: dt.date
) -> PartyMember:
    """Record an application (入党申请): the person enters the pipeline as an applicant."""
    with transaction.atomic():
        person = _person(actor, person.pk)
        organization = get_for_user(PartyOrganization.objects.all(), actor, pk=organization.pk)
        if not has_permission(actor, PartyMember, "add"):
            raise Forbidden()
        _not_future(applied_on, "applied_on")
        refusal = common_rules.not_registered(person_is_registered(person))
        if refusal:
            raise DomainError(refusal, field="person")
        refusal = rules.applicant_too_young(person.birth_date, applied_on)
        if refusal:
            raise DomainError(refusal, field="applied_on")
        if PartyMember.objects.filter(person=person).exists():
            raise DomainError(_("This person is already in the pipeline."), field="person")
        member = PartyMember.objects.create(
            person=person, organization=organization, stage=Stage.APPLICANT, applied_on=applied_on
        )
        audit_create(actor=actor, obj=member)
        ensure_still_in_scope(actor, member)
        return member


def member_talk(*, actor: Any, member: PartyMember, talked_on: dt.date) -> PartyMember:
    """Record the talk with an applicant (谈话), due within a month of the application; a late
    talk is still recorded (it happened), and the worklist shows it was late."""
    with transaction.atomic():
        member = get_for_user(
            PartyMember.objects.select_for_update(), actor, "change", pk=member.pk
        )
        _not_future(talked_on, "talked_on")
        if talked_on < member.applied_on:
            raise DomainError(_("The talk cannot come before the application."), field="talked_on")
        # The talk comes before the person is named an activist (member_advance requires it).
        if member.activist_on is not None and talked_on > member.activist_on:
            raise DomainError(
                _("The talk cannot come after the person became an activist (%(date)s).")
                % {"date": member.activist_on.isoformat()},
                field="talked_on",
            )
        before = snapshot(member)
        member.talked_on = talked_on
        member.save(update_fields=["talked_on"])
        audit_update(actor=actor, obj=member, before=before)
        return member


def _introducers(
    actor: Any, member: PartyMember, introducers: Sequence[PartyMember], on: dt.date
) -> list[PartyMember]:
    chosen = {i.pk: i for i in introducers}
    if len(chosen) != 2:
        raise DomainError(_("Name exactly two introducers."), field="introducers")
    # Read through the actor's scope: an introducer the actor cannot see is "not found", and
    # the refusal must not name (or reveal the stage of) someone outside their scope.
    fresh = list(
        PartyMember.objects.visible_to(actor).filter(pk__in=chosen).select_related("person")
    )
    if len(fresh) != len(chosen):
        raise NotFound()
    for introducer in fresh:
        # A full member on the step's own date, not only today.
        refusal = rules.introducer_refusal(
            is_self=introducer.pk == member.pk,
            name=introducer.person.name,
            stage=introducer.stage,
            full_on=introducer.full_on,
            on=on,
        )
        if refusal:
            raise DomainError(refusal, field="introducers")
    return fresh


def member_advance(
    *,
    actor: Any,
    member: PartyMember,
    stage: str,
    on: dt.date,
    introducers: Sequence[PartyMember] = (),
    exception_reason: str = "",
) -> PartyMember:
    """Take the next step in the pipeline.

    The step must be the next stage, dated on or after the last one and not in the future. An
    applicant becomes an activist once talked with; a development target needs a year as an
    activist, a full member a year of probation (the intervals are ``party.policy``). Admission as
    a probationary member needs two introducers who are full members. A step before its
    interval is refused unless an approver gives the reason for an exception, which is kept.
    """
    with transaction.atomic():
        member = get_for_user(
            PartyMember.objects.select_for_update(), actor, "change", pk=member.pk
        )
        if stage not in STAGE_ORDER:
            raise DomainError(_("Choose a stage."), field="stage")
        current = STAGE_ORDER.index(member.stage)
        if STAGE_ORDER.index(stage) != current + 1:
            raise DomainError(
                _("Out of order: a %(current)s can only become a %(next)s.")
                % {
                    "current": Stage(member.stage).label,
                    "next": Stage(STAGE_ORDER[current + 1]).label
                    if current + 1 < len(STAGE_ORDER)
                    else "—",
                },
                code="out_of_order",
                field="stage",
            )
        _not_future(on, "on")
        previous: dt.date | None = getattr(member, STAGE_DATE[member.stage])
        if previous is None:
            # A roll imported without this date: the intervals cannot be checked without it.
            raise DomainError(
                _("The date of the current stage (%(stage)s) is not recorded.")
                % {"stage": Stage(member.stage).label},
                field="on",
            )
        if on < previous:
            raise DomainError(
                _("This step cannot come before the previous one (%(date)s).")
                % {"date": previous.isoformat()},
                field="on",
            )
        if stage == Stage.ACTIVIST and member.talked_on is None:
            raise DomainError(
                _("Record the talk with the applicant before naming them an activist."),
                code="out_of_order",
                field="stage",
            )
        if stage == Stage.ACTIVIST and member.talked_on is not None and on < member.talked_on:
            raise DomainError(
                _("This step cannot come before the talk (%(date)s).")
                % {"date": member.talked_on.isoformat()},
                field="on",
            )
        chosen: list[PartyMember] = []
        if stage in (Stage.TARGET, Stage.PROBATIONARY) and introducers:
            chosen = _introducers(actor, member, introducers, on)
        if stage == Stage.PROBATIONARY and not chosen:
            if member.introducers.count() != 2:
                raise DomainError(
                    _("Admission needs two introducers who are full members."),
                    field="introducers",
                )
            chosen = _introducers(actor, member, list(member.introducers.all()), on)
        earliest = earliest_step(stage, previous=previous)
        reason = exception_reason.strip()
        if on < earliest:
            if not reason:
                raise DomainError(
                    _("Too early: this step may be taken from %(date)s.")
                    % {"date": earliest.isoformat()},
                    code="too_early",
                    field="on",
                )
            if not has_permission(actor, PipelineException, "add"):
                raise DomainError(
                    _("Only an approver may record an exception to the interval."),
                    code="forbidden",
                    field="exception_reason",
                )
            exception = PipelineException.objects.create(
                member=member, stage=stage, reason=reason[:200], approved_by=actor
            )
            # Who allowed the early step, and why, is in the audit log as well as on the record.
            audit_create(actor=actor, obj=exception)
        before = snapshot(member)
        introduced_by = _names(member.introducers.select_related("person"))
        member.stage = stage
        setattr(member, STAGE_DATE[stage], on)
        member.save()
        changes = diff(before, snapshot(member, list(before)))
        if chosen:
            member.introducers.set(chosen)
            # Who introduced a member is part of the record, so the audit entry says it too.
            if _names(chosen) != introduced_by:
                changes["introducers"] = [introduced_by, _names(chosen)]
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=member, changes=changes)
        return member


def _names(members: Any) -> list[str]:
    return sorted(m.person.name for m in members)


def member_transfer(
    *, actor: Any, member: PartyMember, organization: PartyOrganization
) -> PartyMember:
    """Move a member's relationship to another organisation (组织关系转接) within scope."""
    with transaction.atomic():
        member = get_for_user(
            PartyMember.objects.select_for_update(), actor, "change", pk=member.pk
        )
        organization = get_for_user(PartyOrganization.objects.all(), actor, pk=organization.pk)
        before = snapshot(member)
        member.organization = organization
        member.save(update_fields=["organization"])
        audit_update(actor=actor, obj=member, before=before)
        ensure_still_in_scope(actor, member)
        return member
