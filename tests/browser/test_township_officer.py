"""A township officer's day in a real browser, with no network beyond the server itself.

Acceptance: officer_a of 红果街道 logs in through the login form, sees their township on the home
page, browses the region tree down to one of their villages, cannot open another township's
village (404, and its name never reaches the page), and switches the interface language. The
page must work with only what the server ships (vendored Pico, htmx, fonts stack): any request to
another host is aborted and fails the test. Assertions are on data, codes, statuses and the
``lang`` attribute, not on translated labels.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

# Names from src/zhenxing/static/css/zhenxing.css's --pico-font-family stack.
CJK_FONTS = ("PingFang", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK", "Source Han")


def assert_assets_loaded(page) -> None:
    """Vendored htmx ran, Pico's stylesheet applied, and zhenxing.css's CJK font stack won."""
    assert page.evaluate("typeof window.htmx") == "object"
    pico_primary = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--pico-primary').trim()"
    )
    assert pico_primary, "Pico's custom properties are missing: pico.red.min.css did not load"
    font_family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert any(name in font_family for name in CJK_FONTS), font_family


def test_township_officer_browses_own_tree_offline(
    transactional_db, world, open_session, artifacts_dir
):
    session = open_session(viewport={"width": 1280, "height": 800})
    page = session.page

    # Log in through the real form; the home page shows the officer's own township.
    session.login("officer_a")
    assert urlsplit(page.url).path == "/"
    assert page.inner_text("main h1") == "红果街道"
    assert "520281004" in page.inner_text("main")
    assert session.html_lang() == "zh-hans"
    assert_assets_loaded(page)

    # Open the region browser from the main navigation: it lands on the officer's township.
    with page.expect_navigation():
        page.click("header .mainnav a[href='/regions/']")
    assert urlsplit(page.url).path == "/regions/520281004/"
    assert page.inner_text("main h1") == "红果街道"
    children = page.locator("main table tbody a")
    assert sorted(children.all_inner_texts()) == sorted(["沙坡村", "竹箐村"])
    assert "龙井村" not in page.content()

    # htmx in action: the live search finds a village of the township, and nothing of
    # another township's.
    search = page.locator("main form.search input[name=q]")
    with page.expect_response(lambda r: "/regions/search/" in r.url and "q=" in r.url):
        search.fill("竹箐")
    page.locator("#search-results a", has_text="竹箐村").wait_for()
    with page.expect_response(lambda r: "/regions/search/" in r.url and "q=" in r.url) as info:
        search.fill("龙井")
    assert info.value.status == 200
    assert "龙井村" not in page.inner_text("#search-results")

    # Click through to the village 沙坡村 from the children table.
    with page.expect_navigation():
        children.filter(has_text="沙坡村").click()
    assert urlsplit(page.url).path == "/regions/520281004201/"
    assert page.inner_text("main h1") == "沙坡村"
    assert "520281004201" in page.inner_text("main hgroup")
    crumbs = page.locator("nav.crumbs")
    assert "红果街道" in crumbs.inner_text()
    assert crumbs.locator("a[href='/regions/520281004/']").inner_text() == "红果街道"
    # Breadcrumbs start at the officer's own region: the county above is not theirs.
    assert "盘州市" not in crumbs.inner_text()
    page.locator("main table tbody a", has_text="一组").wait_for()
    assert_assets_loaded(page)
    page.screenshot(path=str(artifacts_dir / "township-officer-region.png"), full_page=True)

    # Another township's village, typed into the address bar: 404, and its name never shows.
    response = session.goto("/regions/520281001201/")
    assert response.status == 404
    assert "龙井村" not in page.content()
    assert "亦资街道" not in page.content()

    # The language switch: English, then Traditional Chinese; the data stays.
    session.goto("/regions/520281004201/")
    assert session.html_lang() == "zh-hans"
    with page.expect_navigation():
        page.click("form.lang-switch button[name=language][value=en]")
    assert urlsplit(page.url).path == "/regions/520281004201/"
    assert session.html_lang() == "en"
    assert "520281004201" in page.inner_text("main hgroup")
    with page.expect_navigation():
        page.click("form.lang-switch button[name=language][value=zh-hant]")
    assert urlsplit(page.url).path == "/regions/520281004201/"
    assert session.html_lang() == "zh-hant"
    assert "520281004201" in page.inner_text("main hgroup")
    # The choice sticks for the next page.
    session.goto("/")
    assert session.html_lang() == "zh-hant"
    assert_assets_loaded(page)

    session.assert_offline_and_healthy()


def test_home_fits_a_grid_workers_phone(transactional_db, world, open_session, artifacts_dir):
    session = open_session(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = session.page
    session.login("officer_a")
    assert urlsplit(page.url).path == "/"
    assert page.inner_text("main h1") == "红果街道"
    assert_assets_loaded(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"home page scrolls sideways on a 360 px phone: {scroll_width}"
    page.screenshot(path=str(artifacts_dir / "township-officer-home-360.png"), full_page=True)
    session.assert_offline_and_healthy()


def test_the_outside_world_is_unreachable(transactional_db, open_session):
    """The guard itself: a page reaching for a CDN is cut off, and the attempt is on record."""
    session = open_session()
    page = session.page
    response = session.goto("/login/")
    assert response.status == 200
    outcome = page.evaluate(
        """() => fetch("https://cdn.jsdelivr.net/npm/htmx.org/dist/htmx.min.js")
                   .then(() => "reached", () => "blocked")"""
    )
    assert outcome == "blocked"
    page.evaluate(
        """() => new Promise((resolve) => {
               const s = document.createElement("script");
               s.src = "https://unpkg.com/htmx.org";
               s.onload = s.onerror = resolve;
               document.head.appendChild(s);
           })"""
    )
    assert session.outside_requests == [
        "GET https://cdn.jsdelivr.net/npm/htmx.org/dist/htmx.min.js",
        "GET https://unpkg.com/htmx.org",
    ]
    session.outside_requests.clear()
    session.assert_offline_and_healthy()
