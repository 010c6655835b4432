"""What waits, from the home page, on a 375-px phone and on a desk: the accountant opens the
voucher waiting for their approval, the township officer the plan waiting for its decision, the
grid worker their households; closing a month asks first (cancelling closes nothing), and the
voucher form shows its running difference while lines are typed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_household, make_user
from zhenxing.core.accounts.roles import Role
from zhenxing.economy.models import CollectiveOrganization
from zhenxing.economy.services import LineIn, distribution, entities, voucher_prepare

pytestmark = pytest.mark.browser

SCREENS = {
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture(params=list(SCREENS))
def screen(request: Any) -> tuple[str, dict[str, Any]]:
    return request.param, SCREENS[request.param]


def org_of(world: Any) -> CollectiveOrganization:
    return entities.organization_create(
        actor=world.city, village=world.village_a, name="沙坡村股份经济合作社"
    )


def fits(session: Any, name: str) -> None:
    """On a phone nothing scrolls sideways."""
    width = session.page.evaluate("document.documentElement.scrollWidth")
    limit = session.page.viewport_size["width"]
    assert width <= limit, f"{name} scrolls sideways: {width} > {limit}"


def test_the_accountant_opens_the_voucher_waiting_for_approval(
    transactional_db, world, open_session, artifacts_dir, screen
) -> None:
    name, options = screen
    org = org_of(world)
    make_user("accountant_a", Role.VILLAGE_CADRE, world.village_a)
    voucher = voucher_prepare(
        actor=world.cadre_a,
        organization=org,
        date=timezone.localdate(),
        summary="收到鱼塘承包费",
        lines=[LineIn("102", "6800.50", 0), LineIn("501", 0, "6800.50")],
    )
    session = open_session(**options)
    page = session.page
    session.login("accountant_a")
    assert urlsplit(page.url).path == "/"
    item = page.locator("[data-waiting=vouchers]")
    assert org.name in item.inner_text()
    assert item.locator("[data-waiting-count]").inner_text() == "1"
    fits(session, "the home page")
    page.screenshot(path=str(artifacts_dir / f"home-accountant-{name}.png"), full_page=True)
    with page.expect_navigation():
        item.locator("a").click()
    assert urlsplit(page.url).path == reverse("economy:voucher_detail", args=[voucher.pk])
    assert page.get_attribute("[data-status]", "data-status") == "draft"
    # Approving asks first and says that a posted voucher never changes; agreeing posts it.
    messages: list[str] = []

    def agree(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", agree)
    with page.expect_navigation():
        page.click("main form[action$='/post/'] button")
    assert messages and "红字" in messages[0]
    assert page.get_attribute("[data-status]", "data-status") == "posted"
    session.goto("/")
    assert page.locator("[data-waiting=vouchers]").count() == 0
    session.assert_offline_and_healthy()


def test_the_township_officer_sees_the_plan_to_decide(
    transactional_db, world, open_session, artifacts_dir, screen
) -> None:
    name, options = screen
    org = org_of(world)
    accountant = make_user("accountant_a", Role.VILLAGE_CADRE, world.village_a)
    plan = distribution.distribution_plan_propose(
        actor=world.cadre_a, organization=org, year=2025, reserve="0", dividend_per_share="0"
    )
    distribution.distribution_plan_approve(actor=accountant, plan=plan)
    session = open_session(**options)
    page = session.page
    session.login("officer_a")
    item = page.locator("[data-waiting=plans_village_approved]")
    assert item.locator("[data-waiting-count]").inner_text() == "1"
    assert "收益分配方案" in item.inner_text()
    # Below the list, the township's villages and their groups, charted.
    page.wait_for_selector("#children-chart svg")
    fits(session, "the home page")
    page.screenshot(path=str(artifacts_dir / f"home-township-officer-{name}.png"), full_page=True)
    with page.expect_navigation():
        item.locator("a").click()
    assert urlsplit(page.url).path == reverse("economy:plan_detail", args=[plan.pk])
    # Putting it into effect asks first; declining leaves the plan waiting.
    messages: list[str] = []

    def decline(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.click("main form[action$='/approve/'] button")
    page.wait_for_timeout(300)
    assert messages and "不能撤销" in messages[0]
    assert page.get_attribute("[data-status]", "data-status") == "village_approved"
    plan.refresh_from_db()
    assert plan.status == "village_approved"
    session.assert_offline_and_healthy()


def test_the_grid_worker_sees_the_households_of_their_area(
    transactional_db, world, open_session, artifacts_dir, screen
) -> None:
    name, options = screen
    for number in ("SP-1", "SP-2", "SP-3"):
        make_household(world, number)
    make_household(world, "LJ-1", village=world.village_b)
    session = open_session(**options)
    page = session.page
    session.login("grid_a")
    item = page.locator("[data-waiting=households]")
    assert item.locator("[data-waiting-count]").inner_text() == "3"
    assert "沙坡村" in item.inner_text()
    # No chart of zeros: the village's groups have nothing below them; they are still listed.
    assert page.locator("#children-chart").count() == 0
    assert page.locator("main .region-grid a").all_inner_texts() == ["一组"]
    fits(session, "the home page")
    page.screenshot(path=str(artifacts_dir / f"home-grid-worker-{name}.png"), full_page=True)
    with page.expect_navigation():
        item.locator("a").click()
    assert urlsplit(page.url).path == reverse("registry:household_list")
    listed = page.inner_text("main")
    assert all(n in listed for n in ("SP-1", "SP-2", "SP-3")) and "LJ-1" not in listed
    session.assert_offline_and_healthy()


def test_closing_a_month_asks_and_cancelling_closes_nothing(
    transactional_db, world, open_session, artifacts_dir, screen
) -> None:
    _name, options = screen
    org = org_of(world)
    session = open_session(**options)
    page = session.page
    session.login("cadre_a")
    session.goto(f"/economy/organizations/{org.pk}/reports/?year=2025&month=1")
    messages: list[str] = []

    def decline(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.click("main form[action$='/close/'] button")
    page.wait_for_timeout(300)
    # The question names the month and says closing cannot be undone; declined, nothing closes.
    assert messages and "2025-01" in messages[0] and "不能撤销" in messages[0]
    assert urlsplit(page.url).query == "year=2025&month=1"
    org.refresh_from_db()
    assert org.closed_through is None
    fits(session, "the reports page")

    def agree(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", agree)
    with page.expect_navigation():
        page.click("main form[action$='/close/'] button")
    org.refresh_from_db()
    assert org.closed_through == 202501
    assert page.locator("main form[action$='/close/']").count() == 0
    session.assert_offline_and_healthy()


def test_the_voucher_form_shows_the_running_difference(
    transactional_db, world, open_session, artifacts_dir, screen
) -> None:
    name, options = screen
    org = org_of(world)
    session = open_session(**options)
    page = session.page
    session.login("cadre_a")
    session.goto(f"/economy/organizations/{org.pk}/vouchers/new/")
    totals = page.locator("[data-voucher-totals]")
    assert totals.is_visible()
    page.fill("input[name=summary]", "收到鱼塘承包费")
    page.select_option("select[name=account_0]", "102")
    page.fill("input[name=debit_0]", "6800.50")
    page.select_option("select[name=account_1]", "501")
    page.fill("input[name=credit_1]", "6800")
    assert totals.locator("[data-total=debit]").inner_text() == "6,800.50"
    assert totals.locator("[data-total=credit]").inner_text() == "6,800.00"
    assert totals.locator("[data-total=difference]").inner_text() == "0.50"
    assert totals.locator("[data-balance]").get_attribute("data-balance") == "unbalanced"
    fits(session, "the voucher form")
    page.screenshot(path=str(artifacts_dir / f"voucher-form-totals-{name}.png"), full_page=True)
    # Submitted unbalanced, the error box stands out: a red frame on a pale red ground.
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    alert = page.locator("main [role=alert]")
    assert "6800.50" in alert.inner_text()
    style = alert.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return [s.borderLeftColor, s.borderLeftWidth, s.backgroundColor]; }"
    )
    assert style == ["rgb(198, 40, 40)", "6px", "rgb(253, 236, 234)"]
    page.screenshot(path=str(artifacts_dir / f"voucher-form-error-{name}.png"), full_page=True)
    # The typed lines came back with the errors, and the totals read them again.
    assert totals.locator("[data-total=difference]").inner_text() == "0.50"
    page.fill("input[name=credit_1]", "6800.50")
    assert totals.locator("[data-total=difference]").inner_text() == "0.00"
    assert totals.locator("[data-balance]").get_attribute("data-balance") == "balanced"
    fits(session, "the voucher form with its errors")
    session.assert_offline_and_healthy()
