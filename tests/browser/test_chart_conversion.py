"""A township officer converts a village's 2004-chart books to the 2023 chart from a phone:
the page shows where each old balance goes, the officer assigns the livestock balance that
splits by the rule beside it, and the 2024 balance sheet opens in the new layout, balanced."""

from __future__ import annotations

import datetime as dt

import pytest

from zhenxing.economy import services
from zhenxing.economy.services import LineIn, entities

pytestmark = pytest.mark.browser


def test_an_officer_converts_old_books_from_a_phone(
    transactional_db, world, open_session, artifacts_dir
):
    org = entities.organization_create(
        actor=world.city, village=world.village_a, name="沙坡村股份经济合作社", chart="2004"
    )
    # 2004 codes: 102 银行存款, 131 牲畜（禽）资产, 301 资本.
    draft = services.voucher_prepare(
        actor=world.city,
        organization=org,
        date=dt.date(2023, 3, 1),
        summary="建账",
        lines=[LineIn("102", "70000", 0), LineIn("131", "30000", 0), LineIn("301", 0, "100000")],
    )
    services.voucher_post(actor=world.officer_a, voucher=draft)
    phone = {"viewport": {"width": 390, "height": 844}}
    officer = open_session(**phone)
    page = officer.page
    officer.login("officer_a")
    page.on("dialog", lambda dialog: dialog.accept())  # converting asks first; the officer agrees
    officer.goto(f"/economy/organizations/{org.pk}/")
    with page.expect_navigation():
        page.click("#conversion-link")
    assert "131" in page.inner_text("#conversion-balances")
    # The livestock balance splits: 育肥畜 to 消耗性生物资产, 产役畜 to 生产性生物资产.
    page.fill("input[name=share_131_131]", "12000")
    page.fill("input[name=share_131_132]", "17000")  # 1,000 short: refused with the reason
    with page.expect_navigation():
        page.click("button[value=convert]")
    assert "30,000" in page.inner_text("main") or "30000" in page.inner_text("main")
    assert page.query_selector("#conversions") is None  # nothing was converted
    # The shares entered so far show in the proposal: 12,000 already opens 消耗性生物资产.
    assert "12,000.00" in page.inner_text("#conversion-opening tr[data-new='131']")
    page.fill("input[name=share_131_132]", "18000")
    page.screenshot(path=str(artifacts_dir / "conversion-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_navigation():
        page.click("button[value=convert]")
    assert "year=2024&month=1" in page.url
    assert page.get_attribute("#balance-sheet tr[data-row='20']", "data-section") == "assets"
    assert "100,000.00" in page.inner_text("#balance-sheet tr[data-row='20']")  # 资产总计
    assert "12,000.00" in page.inner_text("#balance-sheet tr[data-row='4']")  # 存货
    assert page.query_selector("article:has(#balance-sheet) [data-balanced=yes]") is not None
    officer.assert_offline_and_healthy()
