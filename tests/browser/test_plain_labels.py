"""Plain labels in the reader's language, in a real browser at 375 px and on a desktop: a
household's history and the audit log name fields and values (not ``labour_count``, ``True``),
a reveal reads as "viewed the ID number and phone", the households list names the failing
checklist items, and an import's errors read in English for a reader who chose English."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import make_household, make_person
from tests.registry.test_import import as_csv, person_rows
from zhenxing.registry import services

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "375px": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

WORDS = {
    "zh-hans": ["劳动力人数", "饮水安全有保障", "脱贫不稳定户", "否"],
    "en": ["labour force", "safe drinking water", "Unstable lifted household", "No"],
}
REVEAL = {"zh-hans": "查看了身份证号码和联系电话", "en": "viewed the ID number and phone"}
RAW = ["labour_count", "water_secure", "monitoring_status", "unstable", "True", "id_number"]


def choose(session, language: str) -> None:
    """The language switch's cookie, as the switch sets it."""
    host = urlsplit(session.base_url).hostname
    session.context.add_cookies(
        [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    )


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_history_and_audit_log_read_in_plain_words(
    transactional_db, world, open_session, artifacts_dir, size
):
    household = make_household(world, "HP-0001")
    services.household_update(
        actor=world.city,
        household=household,
        labour_count=3,
        water_secure=False,
        monitoring_status="unstable",
    )
    person = make_person(world, household, "王芳", 3)
    services.person_reveal(actor=world.city, person=person)
    session = open_session(**VIEWPORTS[size])
    page = session.page
    session.login("city")
    for language in ("zh-hans", "en"):
        choose(session, language)
        session.goto(f"/registry/households/{household.pk}/")
        assert session.html_lang() == language
        history = page.locator("details.history").inner_text()
        for word in WORDS[language]:
            assert word in history, (language, word)
        for raw in RAW:
            assert raw not in history, (language, raw)
        page.locator("details.history").screenshot(
            path=str(artifacts_dir / f"plain-labels-history-{language}-{size}.png")
        )

        session.goto("/audit/")
        log = page.locator("table.audit").inner_text()
        assert REVEAL[language] in log
        for word in WORDS[language]:
            assert word in log, (language, word)
        for raw in RAW:
            assert raw not in log, (language, raw)
        page.screenshot(
            path=str(artifacts_dir / f"plain-labels-audit-{language}-{size}.png"), full_page=True
        )

        session.goto("/registry/households/?gap=water")
        gaps = page.locator("td.gaps").first.inner_text()
        assert gaps.strip() == {"zh-hans": "饮水安全", "en": "drinking water"}[language]
    session.assert_offline_and_healthy()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_an_import_result_reads_in_english_for_an_english_reader(
    transactional_db, world, open_session, artifacts_dir, tmp_path: Path, size
):
    rows = person_rows(world, 2)
    rows[0][1] = "52x"  # a village code with a letter
    upload = tmp_path / "households.csv"
    upload.write_bytes(as_csv(rows))
    session = open_session(**VIEWPORTS[size])
    page = session.page
    session.login("cadre_a")
    session.goto("/imports/households/")  # uploaded in Simplified Chinese, the default
    page.set_input_files("main form input[type=file]", str(upload))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "由数字组成" in page.locator("table.import-errors").inner_text()
    result = page.url
    choose(session, "en")
    session.goto(urlsplit(result).path)
    errors = page.locator("table.import-errors").inner_text()
    assert "A division code is made of digits." in errors
    assert "由数字组成" not in errors
    page.screenshot(path=str(artifacts_dir / f"plain-labels-import-en-{size}.png"), full_page=True)
    session.assert_offline_and_healthy()
