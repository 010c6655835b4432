"""Reads of import runs: an import's record is its importer's to read (its errors quote the
importer's file), and only inside their scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhenxing.core.errors import NotFound
from zhenxing.io.models import ImportRun


def import_runs_recent(*, actor: Any, kind: str | None = None, limit: int = 10) -> list[ImportRun]:
    """The actor's own latest imports (of one kind, if given), newest first."""
    qs: QuerySet[ImportRun] = ImportRun.objects.visible_to(actor).filter(actor_id=actor.pk)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("-created_at")[:limit])


def import_run_of(*, actor: Any, pk: int) -> ImportRun:
    """One of the actor's own imports; anyone else's (even in scope) is ``NotFound``."""
    run = ImportRun.objects.visible_to(actor).filter(pk=pk, actor_id=actor.pk).first()
    if run is None:
        raise NotFound()
    return run
