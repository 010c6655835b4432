"""Recording imports: every import run is kept with its outcome and errors (the result page
and the error report stay available to the user after the upload)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from zhenxing.core.errors import NotFound
from zhenxing.io.models import ImportRun, ImportStatus
from zhenxing.io.specs import Message, RowError, stored_reason


def import_run_start(*, actor: Any, kind: str, filename: str) -> ImportRun:
    if getattr(actor, "region", None) is None:
        raise NotFound()
    return ImportRun.objects.create(
        kind=kind,
        actor=actor,
        region=actor.region,
        filename=filename[:255],
        status=ImportStatus.RUNNING,
    )


def import_run_finish(
    run: ImportRun, *, errors: Sequence[RowError], counts: dict[str, int], rows: int
) -> ImportRun:
    run.status = ImportStatus.REJECTED if errors else ImportStatus.DONE
    # Reasons as messages (untranslated, with their parameters): each reader sees their own
    # language (``run_errors``).
    run.errors = [
        [e.row, stored_reason(e.column), e.value, stored_reason(e.reason)]
        for e in errors[: ImportRun.MAX_ERRORS]
    ]
    run.error_count = len(errors)
    run.counts = counts
    run.rows_total = run.rows_done = rows
    run.finished_at = timezone.now()
    run.save()
    return run


def import_run_fail(run: ImportRun, *, reason: str) -> ImportRun:
    run.status = ImportStatus.FAILED
    run.errors = [[0, "", "", stored_reason(reason)]]
    run.error_count = 1
    run.finished_at = timezone.now()
    run.save()
    return run


def run_errors(run: ImportRun) -> list[RowError]:
    """The run's errors; each reason is shown in the language active when it is rendered
    (runs kept before reasons were stored as messages show their text as it was)."""
    return [
        RowError(row=r, column=Message.from_json(c), value=v, reason=Message.from_json(m))
        for r, c, v, m in run.errors
    ]
