"""A village cadre keeps the books from a phone: prepares a voucher, a second cadre approves
it, and the village's figures change. The city dashboard draws its charts with the vendored
ECharts, with no network beyond the server."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_user
from zhenxing.core.accounts.roles import Role
from zhenxing.economy import services
from zhenxing.economy.services import LineIn, entities

pytestmark = pytest.mark.browser


def test_a_cadre_posts_a_voucher_from_a_phone_and_the_figures_change(
    transactional_db, world, open_session, artifacts_dir
):
    org = entities.organization_create(
        actor=world.city, village=world.village_a, name="沙坡村股份经济合作社"
    )
    make_user("accountant_a", Role.VILLAGE_CADRE, world.village_a)
    phone = {"viewport": {"width": 390, "height": 844}}

    cadre = open_session(**phone)
    page = cadre.page
    cadre.login("cadre_a")
    cadre.goto("/economy/")
    with page.expect_navigation():
        page.click(f"main a[href='/economy/organizations/{org.pk}/']")
    with page.expect_navigation():
        page.click(f"main a[href='/economy/organizations/{org.pk}/vouchers/new/']")
    page.fill("input[name=summary]", "收到鱼塘承包费")
    page.select_option("select[name=account_0]", "102")
    page.fill("input[name=debit_0]", "6800.50")
    page.select_option("select[name=account_1]", "501")
    page.fill("input[name=credit_1]", "6800")  # a typo: the voucher does not balance
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "6800.50" in page.inner_text("main [role=alert]")
    page.fill("input[name=credit_1]", "6800.50")
    page.screenshot(path=str(artifacts_dir / "voucher-phone.png"), full_page=True)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.get_attribute("[data-status]", "data-status") == "draft"
    voucher_url = page.url
    # Nothing fits sideways on the phone: the page is no wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    accountant = open_session(**phone)
    accountant.login("accountant_a")
    accountant.page.goto(voucher_url)
    # Approving asks first (a posted voucher never changes): the accountant agrees.
    accountant.page.once("dialog", lambda dialog: dialog.accept())
    with accountant.page.expect_navigation():
        accountant.page.click("main form[action$='/post/'] button")
    assert accountant.page.get_attribute("[data-status]", "data-status") == "posted"

    cadre.goto(f"/economy/organizations/{org.pk}/")
    year = dt.date.today().year
    assert page.inner_text(f"[data-year='{year}']") == "6,800.50"
    cadre.assert_offline_and_healthy()
    accountant.assert_offline_and_healthy()


def test_the_city_dashboard_draws_its_charts_offline(
    transactional_db, world, open_session, artifacts_dir
):
    org = entities.organization_create(
        actor=world.city, village=world.village_a, name="沙坡村股份经济合作社"
    )
    for summary, credit in (("股本金", "301"), ("农产品销售收入", "501")):
        draft = services.voucher_prepare(
            actor=world.cadre_a,
            organization=org,
            date=dt.date(2020, 5, 1),
            summary=summary,
            lines=[LineIn("102", "130000", 0), LineIn(credit, 0, "130000")],
        )
        services.voucher_post(actor=world.officer_a, voucher=draft)
    city = open_session(viewport={"width": 1280, "height": 900})
    city.login("city")
    city.goto("/economy/?year=2020")
    page = city.page
    for chart in ("tiers", "distribution", "progress", "top", "bottom"):
        page.wait_for_selector(f"#chart-{chart} svg", timeout=10_000)
    assert page.get_attribute("[data-tier='on_target']", "data-tier") == "on_target"
    assert page.inner_text("[data-tier='on_target']") == "1"
    page.screenshot(path=str(artifacts_dir / "economy-dashboard.png"), full_page=True)
    city.assert_offline_and_healthy()
