"""Reading the audit log, scoped like everything else."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from zhenxing.core.audit.models import AuditAction, AuditEntry, AuditEntryQuerySet


def audit_entries_for(*, actor: Any) -> AuditEntryQuerySet:
    return AuditEntry.objects.visible_to(actor).select_related("content_type")


def object_history(*, actor: Any, obj: models.Model, limit: int = 50) -> list[AuditEntry]:
    """An object's own history, newest first, for its detail page."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    # Scoped like the log itself: an object moved into the reader's jurisdiction does not
    # bring along the entries written while it was elsewhere.
    entries = audit_entries_for(actor=actor).filter(content_type=ct)
    history = list(entries.filter(object_id=str(obj.pk)).order_by("-at", "-id")[:limit])
    created_at = getattr(obj, "created_at", None)
    if created_at is not None:
        # Created by an import: one entry lists the ids of many objects created at that same
        # instant (``audit_created_in_bulk``).
        bulk = entries.filter(action=AuditAction.BULK_CREATE, at=created_at)
        spans = bulk.values_list("pk", "object_id")
        candidates = [pk for pk, span in spans if _in_span(obj.pk, span)]
        if candidates:
            listed = bulk.filter(pk__in=candidates)
            history += [e for e in listed if obj.pk in e.changes.get("ids", ())]
        history.sort(key=lambda e: (e.at, e.pk), reverse=True)
    return history[:limit]


def _in_span(pk: Any, span: str) -> bool:
    """Whether ``pk`` lies in a bulk entry's ``first-last`` range of ids."""
    first, _dash, last = span.partition("-")
    return first.isdigit() and last.isdigit() and int(first) <= pk <= int(last)
