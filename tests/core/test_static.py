"""The intranet has no internet: every asset a page uses is vendored and served by the app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ROOT = Path(__file__).resolve().parents[2] / "src" / "zhenxing"
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
REMOTE = re.compile(r"""(src|href)\s*=\s*["'](https?:)?//""", re.I)
STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_load_nothing_from_the_internet(template: Path) -> None:
    assert not REMOTE.search(template.read_text(encoding="utf-8"))


def test_css_imports_nothing_from_the_internet() -> None:
    for css in (ROOT / "static").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert "@import url(http" not in text, css


def test_every_static_reference_exists_and_is_served(db: None) -> None:
    paths = {m for t in TEMPLATES for m in STATIC_TAG.findall(t.read_text(encoding="utf-8"))}
    assert {
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "vendor/pico/pico.red.min.css",
    } <= paths
    client = Client()
    for path in sorted(paths):
        assert finders.find(path), path
        response = client.get("/static/" + path)
        assert response.status_code == 200, path
        assert int(response.headers.get("Content-Length", "1")) > 0


def test_pages_render_with_the_production_static_manifest(db: None, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    """What `make demo` and production do: collectstatic with hashed names, then render."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # (Django's setting_changed handler resets the static storage for both changes above.)
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "vendor" / "htmx" / "htmx.min.js").exists()
    response = Client().get("/login/")
    assert response.status_code == 200
    assert "/static/vendor/pico/pico.red." in response.content.decode()
