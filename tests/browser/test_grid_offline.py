"""The grid worker's visit made without signal, on a 375-px phone: the form goes into the
phone's queue while the browser is offline, is sent once when the network returns (the photo
with it), and the township then sees the visit in the worker's score, confirms the period and
gets the next period's allocation by the rule."""

from __future__ import annotations

import base64
import time
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.grid.setup import build, enter_criteria
from zhenxing.grid.models import ContractAllocation, Visit, VisitPhoto, WorkerScore

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
# A 1×1 PNG: a real image the phone's canvas can decode and shrink.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def wait_for_queue(page, n: int, seconds: float = 15) -> None:  # type: ignore[no-untyped-def]
    """Until the phone's queue holds ``n`` items (``zxQueue.count()`` is a promise, which
    ``evaluate`` awaits)."""
    deadline = time.monotonic() + seconds
    while (count := page.evaluate("window.zxQueue.count()")) != n:
        assert time.monotonic() < deadline, f"the queue holds {count}, not {n}"
        page.wait_for_timeout(100)


def test_a_visit_made_offline_is_saved_once_and_scored(
    transactional_db, world, open_session
) -> None:
    g = build(world)
    household = g.households_a[1]
    phone = open_session(**PHONE)
    phone.login("grid_a")
    phone.goto(reverse("grid:phone_home"))
    page = phone.page
    assert page.locator("#to-visit a[data-card]").count() == len(g.households_a)
    page.wait_for_function("document.body.dataset.queueReady === '1'")
    page.click(f"a[href='{reverse('grid:phone_household', args=[household.pk])}']")
    page.wait_for_selector("#visit-form")
    page.wait_for_function("document.body.dataset.queueReady === '1'")

    phone.context.set_offline(True)
    page.check("input[name=checked][value=water_secure]")
    page.select_option("select[name=value_water_secure]", "no")
    page.fill("textarea[name=notes]", "水管漏水")
    page.uncheck("input[name=locate]")
    page.set_input_files(
        "input[name=photos]", files=[{"name": "p.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("#visit-form button[type=submit]")
    wait_for_queue(page, 1)
    assert not Visit.objects.exists()  # nothing reached the server while offline
    assert page.locator("#queue-count").inner_text().strip() != ""

    phone.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_queue(page, 0)
    visit = Visit.objects.get()
    assert visit.household_id == household.pk and visit.notes == "水管漏水"
    assert visit.changes == {"water_secure": [None, False]}
    assert VisitPhoto.objects.filter(visit=visit).count() == 1
    # A forced resend of the same queue item never makes a second visit.
    page.evaluate("window.zxQueue.flush()")
    assert Visit.objects.count() == 1

    # The township: the visit in the worker's score, then confirmation and the allocation.
    enter_criteria(world, g.period_a, world.grid_a)
    office = open_session(viewport={"width": 1280, "height": 900})
    office.login("officer_a")
    office.goto(reverse("grid:period_detail", args=[g.period_a.pk]))
    row = office.page.locator("#worker-scores tr[data-worker='grid_a']")
    assert row.locator("td[data-k=visits]").inner_text() == "1"
    office.page.once("dialog", lambda dialog: dialog.accept())
    office.page.click("#confirm-scores")
    office.page.wait_for_selector("#next-allocations")
    score = WorkerScore.objects.get(period=g.period_a, worker=world.grid_a)
    assert score.visits == 1
    allocation = ContractAllocation.objects.get(basis=g.period_a)
    # 12,000 over a 24-month contract: a month's 500, all to the village's only worker.
    assert allocation.worker == world.grid_a and allocation.amount == Decimal("500.00")
    assert office.page.locator("#next-allocations td[data-k=amount]").inner_text() == "500.00"
