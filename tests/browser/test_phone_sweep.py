"""Every page each role reaches, on a 375-px phone, in Simplified and Traditional Chinese and in
English: nothing scrolls sideways and no table cell is narrower than three characters (the
households list, election readiness, the pipeline worklist and voucher lines once wrapped one
character per line). The pages are found as a person finds them: the menu, each page's own
sub-menu, and the detail pages of the world's objects (tests/kernel/routes.py), so a page added
later is swept without a line here. A desktop pass in English checks the same of the wide screen.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.factories import populate
from tests.kernel.routes import DETAILS

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PERSONAS = ("city", "officer_a", "cadre_a", "grid_a", "auditor")
LANGUAGES = ("zh-hans", "zh-hant", "en")
SKIP = ("/static/", "/i18n/", "/logout", "/admin", "/api/")

# What the page reports about itself: how far it scrolls sideways, and every visible table cell
# whose text box is narrower than its text's first three characters in the cell's own font.
MEASURE = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const narrow = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    const text = cell.innerText.trim();
    if (!text || cell.getClientRects().length === 0) continue;
    const style = getComputedStyle(cell);
    canvas.font = style.font;
    const need = canvas.measureText(Array.from(text).slice(0, 3).join("")).width;
    const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (width + 1 < need) {
      narrow.push(`${text.slice(0, 20)} (${Math.round(width)} < ${Math.round(need)} px)`);
    }
  }
  return {
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    narrow: narrow.slice(0, 5),
    links: Array.from(document.querySelectorAll(
      "header nav a[href], .subnav a[href], main a[role=button][href]"))
      .map(a => a.getAttribute("href")),
  };
}"""


def _local(href: str) -> bool:
    path = urlsplit(href).path
    return href.startswith("/") and not path.startswith(SKIP) and "format=" not in href


def _choose(session, language: str) -> None:
    host = urlsplit(session.base_url).hostname
    session.context.add_cookies(
        [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    )


def _details(rows, world) -> list[str]:
    paths = []
    for route in DETAILS:
        if route.arg is None:
            continue
        paths.append(reverse(route.name, args=[route.arg(rows, world.village_a)]))
    return paths


def _sweep(session, persona: str, languages, details: list[str]) -> tuple[list[str], int]:
    """Visit, in each language, the home page, every link of its menu, every link of those
    pages' sub-menus and action buttons (forms, imports), and the detail pages; returns the
    faults found and the pages measured."""
    faults: list[str] = []
    measured = 0

    def visit(path: str, language: str, *, offered: bool) -> list[str]:
        nonlocal measured
        try:
            response = session.page.goto(session.url(path), wait_until="domcontentloaded")
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):
                return []  # a file (an export, an import template), not a page
            raise
        assert response is not None
        if response.status != 200:
            # A detail page outside the persona's reach answers 403/404; a menu never offers one.
            if offered:
                faults.append(
                    f"{persona} {language} {path}: offered link answers {response.status}"
                )
            return []
        if "html" not in response.headers.get("content-type", ""):
            return []
        measured += 1
        found = session.page.evaluate(MEASURE)
        if found["sideways"] > 0:
            faults.append(f"{persona} {language} {path}: scrolls {found['sideways']} px sideways")
        for cell in found["narrow"]:
            faults.append(f"{persona} {language} {path}: cell narrower than 3 characters: {cell}")
        return [href for href in found["links"] if _local(href)]

    for language in languages:
        _choose(session, language)
        seen = {"/"}
        menu = [p for p in dict.fromkeys(visit("/", language, offered=True)) if p not in seen]
        seen.update(menu)
        submenus: list[str] = []
        for path in menu:
            submenus += [p for p in visit(path, language, offered=True) if p not in seen]
            seen.update(submenus)
        for path in dict.fromkeys(submenus):
            visit(path, language, offered=True)
        for path in details:
            visit(path, language, offered=False)
    return faults, measured


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_fits_a_phone_in_every_language(
    transactional_db, world, open_session, artifacts_dir, persona
):
    rows = populate(world)
    session = open_session(**PHONE)
    session.login(getattr(world, persona).username)
    faults, visited = _sweep(session, persona, LANGUAGES, _details(rows, world))
    session.page.screenshot(path=str(artifacts_dir / f"phone-sweep-{persona}.png"), full_page=True)
    assert visited >= 3 * 8, f"only {visited} pages reached"
    assert faults == [], "\n".join(faults)
    session.assert_offline_and_healthy()


def test_every_page_fits_a_desktop_in_english(transactional_db, world, open_session):
    rows = populate(world)
    session = open_session(**DESKTOP)
    session.login(world.city.username)
    faults, visited = _sweep(session, "city", ("en",), _details(rows, world))
    assert visited >= 8
    assert faults == [], "\n".join(faults)
