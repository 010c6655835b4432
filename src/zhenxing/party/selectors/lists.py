"""The rows party's lists (pages, API, exports) read, scoped to the reader and with what each
row shows loaded up front: a longer list costs no more queries. ``party.filtersets`` narrows
them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhenxing.party.models import (
    Attendance,
    CadrePosition,
    PartyMember,
    PartyOrganization,
    PipelineException,
    ReserveTalent,
    Stage,
    TrainingSession,
)


def organization_list(*, actor: Any) -> QuerySet[PartyOrganization]:
    """Party organisations in ``actor``'s scope, with their region and parent."""
    return (
        PartyOrganization.objects.visible_to(actor)
        .select_related("region", "parent")
        .order_by("region__code", "name", "pk")
    )


def member_list(*, actor: Any) -> QuerySet[PartyMember]:
    """Party members and people in the pipeline in ``actor``'s scope."""
    return (
        PartyMember.objects.visible_to(actor)
        .select_related("person", "organization")
        .order_by("organization__region__code", "organization_id", "pk")
    )


def position_list(*, actor: Any) -> QuerySet[CadrePosition]:
    """Village cadres' posts (current and past) in ``actor``'s scope."""
    return (
        CadrePosition.objects.visible_to(actor)
        .select_related("village", "person")
        .order_by("village__code", "post", "-started_on", "pk")
    )


def talent_list(*, actor: Any) -> QuerySet[ReserveTalent]:
    """The reserve talent pools ("双培养") in ``actor``'s scope."""
    return (
        ReserveTalent.objects.visible_to(actor)
        .select_related("village", "person", "mentor")
        .order_by("village__code", "track", "pk")
    )


def session_rows(*, actor: Any) -> QuerySet[TrainingSession]:
    """Training sessions in ``actor``'s scope, with their region and course."""
    return (
        TrainingSession.objects.visible_to(actor)
        .select_related("region", "course")
        .order_by("-starts_on", "-pk")
    )


def attendance_list(*, actor: Any) -> QuerySet[Attendance]:
    """Attendance of the cadres in ``actor``'s scope, with the session and the post."""
    return (
        Attendance.objects.visible_to(actor)
        .select_related("session", "session__course", "position", "position__person")
        .order_by("-session__starts_on", "session_id", "pk")
    )


def member_in_scope(*, actor: Any) -> QuerySet[PartyMember]:
    """Members ``actor`` sees, with the person and organisation a member's page shows (the
    kernel's object lookup narrows it to one)."""
    return PartyMember.objects.select_related("person", "organization")


def member_writable(*, actor: Any, member: PartyMember) -> bool:
    """Whether ``actor`` may change ``member`` (their role and scope allow it)."""
    return PartyMember.objects.writable_by(actor, "change").filter(pk=member.pk).exists()


def introducer_choices(*, actor: Any, member: PartyMember) -> QuerySet[PartyMember]:
    """Full members of ``member``'s organisation who may introduce them, in ``actor``'s scope."""
    return (
        PartyMember.objects.visible_to(actor)
        .filter(organization=member.organization, stage=Stage.FULL)
        .exclude(pk=member.pk)
        .select_related("person")
    )


def transfer_choices(*, actor: Any, member: PartyMember) -> QuerySet[PartyOrganization]:
    """The organisations in ``actor``'s scope a member may move to."""
    return (
        PartyOrganization.objects.visible_to(actor)
        .exclude(pk=member.organization_id)
        .order_by("region__code", "name")
    )


def member_exceptions(*, member: PartyMember) -> QuerySet[PipelineException]:
    """The exceptions to the intervals recorded for ``member`` (read with the member)."""
    return PipelineException.objects.filter(member=member).select_related("approved_by")


def person_panel(*, actor: Any, person: Any) -> dict[str, Any]:
    """What a registry person's page shows about them in party building: where they stand in
    the pipeline and the village posts they held, as far as ``actor`` may see (the registry
    page includes ``party/_person_panel.html`` with this)."""
    return {
        "party_member": PartyMember.objects.visible_to(actor)
        .filter(person_id=person.pk)
        .select_related("organization")
        .first(),
        "posts": list(
            CadrePosition.objects.visible_to(actor)
            .filter(person_id=person.pk)
            .select_related("village")
            .order_by("-started_on")
        ),
    }
