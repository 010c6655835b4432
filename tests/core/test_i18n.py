"""Languages: Simplified Chinese by default, Traditional Chinese and English on request, and
complete catalogues for all three."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import World

LOCALE = Path(__file__).resolve().parents[2] / "src" / "zhenxing" / "locale"
LANGUAGES = ["zh_Hans", "zh_Hant", "en"]


def html_lang(body: str) -> str:
    start = body.index('<html lang="') + len('<html lang="')
    return body[start : body.index('"', start)]


def test_simplified_chinese_is_the_default_whatever_the_browser_says(world: World, as_user) -> None:
    client = as_user(world.officer_a)
    body = client.get(reverse("home"), headers={"Accept-Language": "en-US,en;q=0.9"}).content
    assert html_lang(body.decode()) == "zh-hans"


@pytest.mark.parametrize("language", ["zh-hant", "en", "zh-hans"])
def test_the_switch_changes_every_page(world: World, as_user, language: str) -> None:
    client = as_user(world.officer_a)
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    with translation.override(language):
        expected = translation.gettext("Regions")
    for url in (
        reverse("home"),
        reverse("regions:region_detail", args=["520281004"]),
        reverse("accounts:account_list"),
        reverse("password_change"),
    ):
        body = client.get(url).content.decode()
        assert html_lang(body) == language
        assert expected in body


def test_login_page_honours_the_switch_before_login(db: None) -> None:
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    body = client.get(reverse("login")).content.decode()
    assert html_lang(body) == "en" and "Log in" in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.translated() or e.obsolete]
    assert missing == [], f"untranslated in {language}"
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert fuzzy == [], f"fuzzy in {language}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language: str) -> None:
    directory = LOCALE / language / "LC_MESSAGES"
    po = polib.pofile(str(directory / "django.po"))
    mo = polib.mofile(str(directory / "django.mo"))
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo
    }
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    assert source.items() <= compiled.items(), "run `make messages` to recompile"


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext is needed to extract strings (.ci/run installs it)",
)
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    src = LOCALE.parent
    copy = tmp_path / "zhenxing"
    shutil.copytree(
        src,
        copy,
        ignore=shutil.ignore_patterns("static", "locale", "__pycache__", "data", "migrations"),
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [
            shutil.which("django-admin") or "django-admin",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--no-wrap",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": str(Path(__file__).resolve().parents[2] / ".venv" / "bin") + ":/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "",
        },
    )
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))}
    assert extracted - committed == set(), "run `make messages` and translate the new strings"
