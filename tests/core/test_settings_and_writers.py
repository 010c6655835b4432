"""Settings helpers read the environment; exports escape formulas and stream."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhenxing.core.web.export import Column, csv_response, escape_formula
from zhenxing.settings import env_bool, env_int, env_list, env_str, postgres_options


def test_env_helpers(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZX_FLAG", "yes")
    monkeypatch.setenv("ZX_NUM", "42")
    monkeypatch.setenv("ZX_LIST", "a, b,,c")
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("ZX_SECRET_FILE", str(secret))
    assert env_bool("ZX_FLAG") is True and env_bool("ZX_MISSING", True) is True
    assert env_int("ZX_NUM", 1) == 42
    assert env_list("ZX_LIST", []) == ["a", "b", "c"]
    assert env_str("ZX_SECRET") == "from-a-file"
    monkeypatch.setenv("ZX_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        env_bool("ZX_FLAG")
    monkeypatch.setenv("ZX_NUM", "many")
    with pytest.raises(ImproperlyConfigured):
        env_int("ZX_NUM", 1)


def test_postgres_connections_plan_for_ssd_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PG_RANDOM_PAGE_COST", raising=False)
    assert postgres_options() == "-c random_page_cost=1.1"
    monkeypatch.setenv("PG_RANDOM_PAGE_COST", "4")
    assert postgres_options() == "-c random_page_cost=4"
    for bad in ("fast", "0", "-1; drop"):
        monkeypatch.setenv("PG_RANDOM_PAGE_COST", bad)
        with pytest.raises(ImproperlyConfigured, match="PG_RANDOM_PAGE_COST"):
            postgres_options()


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=x"])
def test_formula_like_cells_are_escaped(value: str) -> None:
    assert escape_formula(value) == "'" + value


def test_plain_cells_are_untouched() -> None:
    assert escape_formula("红果街道") == "红果街道"


def test_csv_has_a_bom_and_escapes_formulas() -> None:
    response = csv_response(
        columns=[Column("a", "名称"), Column("b", "数")],
        rows=iter([{"a": '=HYPERLINK("x")', "b": 3}, {"a": "沙坡村", "b": -2}]),
        filename="t",
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff名称,数")
    assert "'=HYPERLINK" in body
    assert "沙坡村,-2" in body  # numbers stay numbers


def test_the_wsgi_application_starts_with_its_start_up_objects_frozen() -> None:
    """A production server imports ``zhenxing.wsgi``: the URLs are loaded and what start-up
    built is frozen out of the garbage collector's full collections (their pauses landed in
    requests). Run in a fresh interpreter: this one's collector is the test runner's."""
    import os
    import subprocess
    import sys

    script = (
        "import gc; assert gc.get_freeze_count() == 0; import zhenxing.wsgi as w; "
        "import sys; print(gc.get_freeze_count(), 'zhenxing.party.views' in sys.modules, "
        "callable(w.application))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        check=True,
    )
    frozen, views_loaded, callable_app = done.stdout.split()
    assert int(frozen) > 10_000 and views_loaded == "True" and callable_app == "True"
