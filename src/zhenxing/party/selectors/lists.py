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
    ReserveTalent,
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
