"""What the membership pipeline asks of a reader now, for the home page (``core.waiting``):
overdue talks and overdue conversions in their region, counted by the worklist's own rules
(``summary.pipeline_worklist``) over two narrow columns, not by building the worklist."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.waiting import WaitingItem
from zhenxing.party.models import PartyMember, Stage
from zhenxing.party.policy import earliest_step, policies_cached, talk_deadline
from zhenxing.party.selectors.summary import WORK_LABELS, WorkKind


def pipeline_overdue(*, actor: Any) -> list[WaitingItem]:
    """Overdue pipeline steps in the reader's region, for a role that records them (a grid
    worker or an auditor only reads the worklist). Each kind links to the worklist showing it."""
    if not has_permission(actor, PartyMember, "change"):
        return []
    today = timezone.localdate()
    # The reader's scope is their region's subtree: what the worklist shows them by default.
    members = PartyMember.objects.visible_to(actor)
    applied = members.filter(stage=Stage.APPLICANT, talked_on__isnull=True).values_list(
        "applied_on", flat=True
    )
    probation = members.filter(stage=Stage.PROBATIONARY, probationary_on__isnull=False).values_list(
        "probationary_on", flat=True
    )
    # Deadlines depend on each year's policy, so they are computed per date, as the worklist
    # does; the dates are few (applicants and probationary members, not the whole roll).
    with policies_cached():
        talks = [day for day in applied if talk_deadline(day) < today]
        conversions = [
            day
            for day in probation
            if day is not None and earliest_step(Stage.FULL, previous=day) < today
        ]
    counts = {WorkKind.TALK_OVERDUE: len(talks), WorkKind.CONVERSION_OVERDUE: len(conversions)}
    worklist = reverse("party:worklist")
    return [
        WaitingItem(kind, str(WORK_LABELS[kind]), count, f"{worklist}?kind={kind}")
        for kind, count in counts.items()
        if count
    ]
