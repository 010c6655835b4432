"""Background imports: a large upload is stored and queued, the database worker imports it with
progress and a cancel button, and the run's result stays for the user. The worker's own code
(django-tasks-db) runs each task from its database row, as ``zhenxing db_worker`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.conftest import World
from tests.conftest import run_queued_tasks as work
from tests.registry.test_import import as_csv, person_rows
from zhenxing.core.audit.models import AuditEntry
from zhenxing.io.jobs import job_key
from zhenxing.io.models import ImportRun
from zhenxing.registry.models import Household, Person


def upload(world: World, as_user: Any, commit: Any, rows: list[list[str]]) -> Any:
    client = as_user(world.officer_a)
    with commit(execute=True):
        response = client.post(
            reverse("registry:import_upload"),
            {"file": SimpleUploadedFile("households.csv", as_csv(rows))},
        )
    assert response.status_code == 302
    return client, ImportRun.objects.get()


def test_a_large_upload_is_imported_by_the_worker(
    world: World, as_user: Any, background: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, run = upload(world, as_user, django_capture_on_commit_callbacks, person_rows(world, 5))
    assert run.status == "pending" and Household.objects.count() == 0
    stored = Path(run.stored_file)
    assert stored.is_file() and stored.is_relative_to(background)
    page = client.get(reverse("io:import_result", args=[run.pk]))
    assert b'hx-trigger="every 1s"' in page.content
    assert reverse("io:import_cancel", args=[run.pk]).encode() in page.content

    assert work() == ["SUCCESSFUL"]
    run.refresh_from_db()
    assert run.status == "done" and run.counts["persons_created"] == 10
    assert Household.objects.count() == 5 and not stored.exists()
    # One request id for the whole import, recorded as an import.
    entries = AuditEntry.objects.filter(action="bulk_create")
    assert {e.source for e in entries} == {"import"} and len(entries) == 2
    assert len({e.request_id for e in entries}) == 1
    # The polling fragment tells the page to show the outcome, which stays for the user.
    poll = client.get(reverse("io:import_progress", args=[run.pk]))
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"
    page = client.get(reverse("io:import_result", args=[run.pk]))
    assert b'data-count="persons_created">10<' in page.content


def test_errors_found_by_the_worker_are_in_the_uploaders_language(
    world: World, as_user: Any, background: Path, django_capture_on_commit_callbacks: Any
) -> None:
    rows = person_rows(world, 2)
    rows[1][3] = "520202198506120018"  # a wrong check digit
    client = as_user(world.officer_a)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registry:import_upload"),
            {"file": SimpleUploadedFile("households.csv", as_csv(rows))},
        )
    work()
    run = ImportRun.objects.get()
    assert run.status == "rejected" and run.language == "en"
    assert run.errors[0][:2] == [3, "身份证号码"]
    # The reason is kept as a message, so the uploader (English) and anyone else read it in
    # their own language.
    assert run.errors[0][3]["msgid"] == "The check digit is wrong: a digit was probably mistyped."
    page = client.get(reverse("io:import_result", args=[run.pk])).content.decode()
    assert "The check digit is wrong" in page
    assert Household.objects.count() == 0


def test_cancelling_a_waiting_import_stops_it_before_it_starts(
    world: World, as_user: Any, background: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, run = upload(world, as_user, django_capture_on_commit_callbacks, person_rows(world, 3))
    response = client.post(reverse("io:import_cancel", args=[run.pk]), follow=True)
    assert 'data-status="cancelled"' in response.content.decode()
    assert "导入已取消：没有保存任何数据。" in response.content.decode()
    run.refresh_from_db()
    assert run.status == "cancelled" and not Path(run.stored_file).exists()
    work()
    run.refresh_from_db()
    assert run.status == "cancelled" and Household.objects.count() == 0


def test_cancelling_a_running_import_rolls_back_everything(
    world: World, as_user: Any, background: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from zhenxing.io.jobs import import_run_cancel

    # 2,500 rows: more than one batch, so the worker checks for a cancel request mid-file.
    _client, run = upload(
        world, as_user, django_capture_on_commit_callbacks, person_rows(world, 1250)
    )
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    run.refresh_from_db()
    import_run_cancel(run)  # what the button does while the worker runs
    assert caches["jobs"].get(f"{job_key(run)}:cancel") is True
    ImportRun.objects.filter(pk=run.pk).update(status="pending")  # the worker has not begun
    work()
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert Household.objects.count() == 0 and Person.objects.count() == 0
    assert not AuditEntry.objects.filter(content_type__model="person").exists()
    assert caches["jobs"].get(f"{job_key(run)}:cancel") is None


def test_small_uploads_are_imported_at_once(
    world: World, as_user: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.IMPORT_BACKGROUND_BYTES = 1024 * 1024
    _client, run = upload(world, as_user, django_capture_on_commit_callbacks, person_rows(world, 2))
    assert run.status == "done" and not run.stored_file
    assert not DBTaskResult.objects.exists()


def test_a_cancel_seen_after_the_first_batch_rolls_the_written_rows_back(
    world: World, background: Path
) -> None:
    """The user clicks Cancel after the first batch was checked and written: the import's one
    transaction is rolled back, so not even those rows remain."""
    from zhenxing.io import jobs
    from zhenxing.registry.importers import household_person_spec, import_households

    written: list[int] = []

    def cancel_after_first_batch(*, progress: Any, **kwargs: Any) -> Any:
        def watch(phase: str, done: int) -> None:
            if phase == "checking" and done:
                written.append(Person.objects.count())
                caches["jobs"].set(f"{job_key(run)}:cancel", True)
            progress(phase, done)

        return import_households(progress=watch, **kwargs)

    jobs.register_importer("cancel-test", household_person_spec, cancel_after_first_batch)
    path = background / "x" / "upload.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(as_csv(person_rows(world, 1250)))
    run = ImportRun.objects.create(
        kind="cancel-test",
        actor=world.officer_a,
        region=world.officer_a.region,
        filename="households.csv",
        stored_file=str(path),
        status="pending",
    )
    assert jobs.run_import.call(run.pk) == "cancelled"
    assert written == [2000]  # the first batch was in the database when the cancel came
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    assert not path.exists()


def test_a_cancel_clicked_after_the_worker_took_the_run_is_not_lost(
    world: World, as_user: Any, background: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The page was loaded while the run waited; the worker took it before the click."""
    from zhenxing.io.jobs import import_run_cancel

    _client, run = upload(world, as_user, django_capture_on_commit_callbacks, person_rows(world, 2))
    stale = ImportRun.objects.get(pk=run.pk)  # as the view loaded it: pending
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    import_run_cancel(stale)
    assert caches["jobs"].get(f"{job_key(run)}:cancel") is True


def test_stale_runs_are_swept_and_their_files_removed(
    world: World, as_user: Any, background: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """A worker killed mid-import leaves its run 'running' and the upload (ID numbers) on
    disk: the sweep fails such runs after a while and deletes the files."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    _client, run = upload(world, as_user, django_capture_on_commit_callbacks, person_rows(world, 2))
    stored = Path(run.stored_file)
    ImportRun.objects.filter(pk=run.pk).update(
        status="running", started_at=timezone.now() - dt.timedelta(hours=1)
    )
    call_command("import_sweep", "--older-than-hours", "2")
    run.refresh_from_db()
    assert run.status == "running" and stored.exists()  # not stale yet
    ImportRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=3),
        created_at=timezone.now() - dt.timedelta(hours=3),
    )
    call_command("import_sweep", "--older-than-hours", "2")
    run.refresh_from_db()
    assert run.status == "failed" and not stored.exists()
    assert "nothing was saved" in run.errors[0][3] or "没有保存" in run.errors[0][3]


def test_a_cancel_flag_left_by_an_earlier_database_does_not_touch_a_new_run(
    world: World, as_user: Any, background: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Run ids start again at 1 when the database is recreated (a new demo); the jobs cache
    may still hold a flag for "run 1" of the old one."""
    _client, run = upload(world, as_user, django_capture_on_commit_callbacks, person_rows(world, 2))
    caches["jobs"].set(f"import:{run.pk}:cancel", True)  # the old scheme's key
    caches["jobs"].set(f"import:{run.pk}:0.000000:cancel", True)  # an older run with this id
    work()
    run.refresh_from_db()
    assert run.status == "done" and Household.objects.count() == 2
