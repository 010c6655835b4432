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
    return list(
        AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("-at", "-id")[
            :limit
        ]
    )
