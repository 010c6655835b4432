"""Reading the audit log, scoped like everything else."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from zhenxing.core.audit.models import AuditEntry, AuditEntryQuerySet


def audit_entries_for(*, actor: Any) -> AuditEntryQuerySet:
    return AuditEntry.objects.visible_to(actor).select_related("content_type")


def object_history(*, actor: Any, obj: models.Model, limit: int = 50) -> list[AuditEntry]:
    """An object's own history, newest first, for its detail page."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    # Scoped like the log itself: an object moved into the reader's jurisdiction does not
    # bring along the entries written while it was elsewhere.
    entries = audit_entries_for(actor=actor).filter(content_type=ct, object_id=str(obj.pk))
    return list(entries.order_by("-at", "-id")[:limit])
