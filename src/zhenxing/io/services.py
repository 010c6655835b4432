"""Recording imports: every import run is kept with its outcome and errors (the result page
and the error report stay available to the user after the upload)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from zhenxing.core.errors import NotFound
from zhenxing.io.models import ImportRun, ImportStatus
from zhenxing.io.specs import RowError


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
    run.errors = [[e.row, e.column, e.value, e.reason] for e in errors[: ImportRun.MAX_ERRORS]]
    run.error_count = len(errors)
    run.counts = counts
    run.rows_total = run.rows_done = rows
    run.finished_at = timezone.now()
    run.save()
    return run


def import_run_fail(run: ImportRun, *, reason: str) -> ImportRun:
    run.status = ImportStatus.FAILED
    run.errors = [[0, "", "", reason]]
    run.error_count = 1
    run.finished_at = timezone.now()
    run.save()
    return run


def run_errors(run: ImportRun) -> list[RowError]:
    return [RowError(row=r, column=c, value=v, reason=m) for r, c, v, m in run.errors]
