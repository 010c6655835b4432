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
