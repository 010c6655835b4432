"""A large import in a real browser: the page shows the worker's progress, polled by htmx, and
turns into the result by itself when the worker is done; a second import is cancelled from the
page. The worker's own code (django-tasks-db) runs the task, in a thread of the test."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import run_queued_tasks
from tests.registry.test_import import as_csv, person_rows

pytestmark = pytest.mark.browser


def test_progress_is_polled_and_the_result_appears(
    transactional_db, world, background, open_session, artifacts_dir, tmp_path
):
    session = open_session(viewport={"width": 390, "height": 844})  # a grid worker's phone
    page = session.page
    session.login("officer_a")
    upload = tmp_path / "households.csv"
    upload.write_bytes(as_csv(person_rows(world, 1500)))  # 3,000 rows: two batches

    session.goto("/registry/import/")
    page.set_input_files("input[name=file]", str(upload))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.get_attribute(".import-status", "data-status") == "pending"
    progress = page.locator("#import-progress")
    assert progress.get_attribute("data-phase") == "pending"
    page.screenshot(path=str(artifacts_dir / "import-waiting.png"), full_page=True)

    # The page keeps polling while the worker imports; when the run ends it reloads itself.
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/progress/") else None)
    worker = threading.Thread(target=run_queued_tasks)
    worker.start()
    worker.join(timeout=60)
    page.wait_for_selector(".import-status[data-status=done]", timeout=15_000)
    assert polls, "the progress fragment was never polled"
    assert page.inner_text("[data-count=persons_created]").replace(",", "") == "3000"
    page.screenshot(path=str(artifacts_dir / "import-done.png"), full_page=True)
    session.assert_offline_and_healthy()


def test_an_import_is_cancelled_from_the_page(
    transactional_db, world, background, open_session, tmp_path
):
    from zhenxing.io.models import ImportRun
    from zhenxing.registry.models import Household

    session = open_session(viewport={"width": 390, "height": 844})
    page = session.page
    session.login("officer_a")
    upload = tmp_path / "households.csv"
    upload.write_bytes(as_csv(person_rows(world, 10)))
    session.goto("/registry/import/")
    page.set_input_files("input[name=file]", str(upload))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    with page.expect_navigation():
        page.click("#import-progress button[type=submit]")
    assert page.get_attribute(".import-status", "data-status") == "cancelled"
    run = ImportRun.objects.get()
    assert run.status == "cancelled" and not Path(run.stored_file).exists()
    run_queued_tasks()  # the queued task finds the run cancelled and does nothing
    assert Household.objects.count() == 0
