"""Reads of import runs: an import's record is its importer's to read (its errors quote the
importer's file), and only inside their scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.errors import NotFound
from zhenxing.core.waiting import WaitingItem
from zhenxing.io.jobs import importer
from zhenxing.io.models import ImportRun, ImportStatus

#: How long a finished import stays on its importer's home page.
RECENT_IMPORT_DAYS = 7


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


def imports_finished(*, actor: Any) -> list[WaitingItem]:
    """The reader's own imports that finished (imported, or refused for errors, or failed) in
    the last few days, by kind and outcome, each linking to the latest one's result page (which
    leads on to the upload page and its list of earlier runs). Read through the importer's own
    rows only (``actor_id``, indexed), never the whole table."""
    since = timezone.now() - dt.timedelta(days=RECENT_IMPORT_DAYS)
    outcomes = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)
    rows = (
        ImportRun.objects.visible_to(actor)
        .filter(actor_id=actor.pk, status__in=outcomes, finished_at__gte=since)
        .values("kind", "status")
        .annotate(n=Count("pk"), latest=Max("pk"))
        .order_by("kind", "status")
    )
    items = []
    for row in rows:
        try:
            title = str(importer(row["kind"]).spec().title)
        except KeyError:  # a kind no longer installed: its runs still show, by name
            title = row["kind"]
        status = ImportStatus(row["status"])
        items.append(
            WaitingItem(
                f"imports_{row['kind']}_{status.value}",
                _("%(title)s import: %(status)s") % {"title": title, "status": status.label},
                row["n"],
                reverse("io:import_result", args=[row["latest"]]),
                alert=status != ImportStatus.DONE,
            )
        )
    return items
