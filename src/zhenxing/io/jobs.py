"""Imports as background jobs: the upload is stored, a task is queued, the worker imports it.

Every app registers its importer once (``register_importer``); a run then goes through
``import_run_submit`` (small files at once, large ones to the worker), and the worker's task
``run_import`` reads the stored file, imports it with a progress callback, records the outcome
on the ``ImportRun`` (kept for the user) and deletes the file.

Progress and cancel requests travel through the "jobs" cache, not the database: the import
holds one write transaction while it writes, and on SQLite a second writer would wait for it.
Cancelling before the worker starts marks the run at once; cancelling while it runs is seen at
the next batch of rows, and the import's transaction then rolls back, so nothing is written.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from zhenxing.core.audit.context import audit_context
from zhenxing.core.errors import DomainError
from zhenxing.io.models import ImportRun, ImportStatus
from zhenxing.io.parallel import in_this_process
from zhenxing.io.readers import SUPPORTED_EXTENSIONS, read_rows
from zhenxing.io.services import import_run_fail, import_run_finish, import_run_start
from zhenxing.io.specs import ImportSpec, RowError


class Cancelled(Exception):
    """The user cancelled the run: raised from the progress callback, rolls the import back."""


class Outcome(Protocol):
    errors: list[RowError]
    rows: int

    @property
    def counts(self) -> dict[str, int]: ...


class Importer(Protocol):
    def __call__(
        self,
        *,
        actor: Any,
        rows: Iterable[tuple[int, list[str]]],
        spec: ImportSpec | None = None,
        progress: Callable[[str, int], None] | None = None,
    ) -> Outcome: ...


# An importer whose spec declares options (``ImportSpec.options``) also takes
# ``options: dict[str, str] | None``: the run's chosen values by option name.


@dataclass(frozen=True)
class ImporterEntry:
    spec: Callable[[], ImportSpec]
    run: Importer


_IMPORTERS: dict[str, ImporterEntry] = {}


def register_importer(kind: str, spec: Callable[[], ImportSpec], run: Importer) -> None:
    _IMPORTERS[kind] = ImporterEntry(spec, run)


def importer(kind: str) -> ImporterEntry:
    return _IMPORTERS[kind]


def _jobs() -> Any:
    return caches["jobs"]


def job_key(run: ImportRun) -> str:
    """The run's keys in the jobs cache: its id and creation time, so a flag left over from a
    database that was since recreated (ids start again at 1) never applies to a new run."""
    return f"import:{run.pk}:{run.created_at.timestamp():.6f}"


def progress_of(run: ImportRun) -> dict[str, Any]:
    """``{"phase": "checking"|"writing"|…, "done": rows, "total": rows or 0}`` for the page."""
    if run.finished:
        return {"phase": run.status, "done": run.rows_done, "total": run.rows_total}
    return _jobs().get(f"{job_key(run)}:progress") or {"phase": run.status, "done": 0, "total": 0}


def clean_options(spec: ImportSpec, options: dict[str, Any] | None) -> dict[str, str]:
    """The spec's options from ``options``: every declared option, "" when not given; a value
    outside an option's choices is refused (``DomainError`` on the option's field)."""
    given = options or {}
    cleaned: dict[str, str] = {}
    for option in spec.options:
        value = str(given.get(option.name) or "")
        if value and value not in {choice for choice, _label in option.choices()}:
            raise DomainError(
                _("“%(value)s” is not one of the choices for %(option)s.")
                % {"value": value, "option": option.label},
                field=option.name,
            )
        cleaned[option.name] = value
    return cleaned


def import_run_submit(
    *, actor: Any, kind: str, upload: UploadedFile, options: dict[str, Any] | None = None
) -> ImportRun:
    """Import an upload: at once when it is small, else in the background worker.

    ``options`` are the choices the spec declares (``ImportSpec.options``): kept on the run,
    so the worker imports with the same ones."""
    entry = importer(kind)
    spec = entry.spec()
    chosen = clean_options(spec, options)
    name = upload.name or "upload"
    size = upload.size or 0
    if size > spec.max_bytes or Path(name).suffix.lower() not in SUPPORTED_EXTENSIONS:
        # Refused before anything is stored, with the reader's own message.
        read_rows(upload, name, max_bytes=spec.max_bytes)
    run = import_run_start(actor=actor, kind=kind, filename=name)
    if chosen:
        run.options = chosen
        run.save(update_fields=["options"])
    if size <= settings.IMPORT_BACKGROUND_BYTES:
        try:
            with in_this_process():  # a web server's thread: no forking here
                _import(run, entry, spec, lambda: read_rows(upload, name, max_bytes=spec.max_bytes))
        except Exception:
            import_run_fail(run, reason=_("The import stopped unexpectedly: nothing was saved."))
            raise
        return run
    folder = Path(settings.IMPORT_DIR) / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("upload" + Path(name).suffix.lower())
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    run.status = ImportStatus.PENDING
    run.stored_file = str(path)
    run.language = translation.get_language() or settings.LANGUAGE_CODE
    run.save(update_fields=["status", "stored_file", "language"])
    # Queued only once the run is committed, so the worker always finds it.
    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run


def import_run_cancel(run: ImportRun) -> ImportRun:
    """Cancel a waiting run at once, or ask a running one to stop at its next batch.

    The request goes to the jobs cache first, whatever the status the page saw: the worker
    may have taken the run since. The database is written only for a run still waiting, so
    on SQLite a click never waits for an import's write lock."""
    flag = f"{job_key(run)}:cancel"
    _jobs().set(flag, True)
    status = ImportRun.objects.filter(pk=run.pk).values_list("status", flat=True).first()
    if status == ImportStatus.PENDING and ImportRun.objects.filter(
        pk=run.pk, status=ImportStatus.PENDING
    ).update(status=ImportStatus.CANCELLED, finished_at=timezone.now()):
        _discard(run.stored_file)
        _jobs().delete(flag)  # it never started: nothing will read the flag
    run.refresh_from_db()
    return run


def import_runs_sweep(*, older_than: dt.timedelta) -> int:
    """Fail runs left waiting or running longer than ``older_than`` (a worker was killed, or
    none ran) and delete their stored files, which hold ID numbers. Returns how many."""
    cutoff = timezone.now() - older_than
    stale = ImportRun.objects.filter(
        status__in=[ImportStatus.PENDING, ImportStatus.RUNNING], created_at__lt=cutoff
    ).filter(Q(started_at__isnull=True) | Q(started_at__lt=cutoff))
    count = 0
    for run in stale:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            import_run_fail(
                run,
                reason=_(
                    "The import did not finish (the import worker stopped): nothing was saved. "
                    "Upload the file again."
                ),
            )
        _discard(run.stored_file)
        count += 1
    return count


def _discard(path: str) -> None:
    if path:
        shutil.rmtree(Path(path).parent, ignore_errors=True)


def _import(
    run: ImportRun,
    entry: ImporterEntry,
    spec: ImportSpec,
    open_rows: Callable[[], Iterable[tuple[int, list[str]]]],
    progress: Callable[[str, int], None] | None = None,
) -> None:
    # Only an importer that declares options takes them: the others keep their signature.
    extra: dict[str, Any] = {"options": dict(run.options or {})} if spec.options else {}
    try:
        result = entry.run(actor=run.actor, rows=open_rows(), spec=spec, progress=progress, **extra)
    except DomainError as exc:
        import_run_fail(run, reason=str(exc.message))
    else:
        import_run_finish(run, errors=result.errors, counts=result.counts, rows=result.rows)


@task()
def run_import(run_id: int) -> str:
    """The worker's side of a background import (see the module docstring)."""
    if not ImportRun.objects.filter(pk=run_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    ):
        return "not pending"  # cancelled before it started, or already taken
    run = ImportRun.objects.select_related("actor").get(pk=run_id)
    jobs = _jobs()
    key = job_key(run)
    total = 0

    def progress(phase: str, done: int) -> None:
        nonlocal total
        if phase == "checking":
            total = done
        jobs.set(f"{key}:progress", {"phase": phase, "done": done, "total": total})
        if jobs.get(f"{key}:cancel"):
            raise Cancelled()

    entry = importer(run.kind)
    try:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            spec = entry.spec()
            with audit_context(source="import"):
                _import(
                    run,
                    entry,
                    spec,
                    lambda: read_rows(run.stored_file, run.filename, max_bytes=spec.max_bytes),
                    progress,
                )
    except Cancelled:
        run.status = ImportStatus.CANCELLED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    except Exception:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            import_run_fail(run, reason=_("The import stopped unexpectedly: nothing was saved."))
        raise
    finally:
        _discard(run.stored_file)
        jobs.delete_many([f"{key}:progress", f"{key}:cancel"])
    return str(run.status)
