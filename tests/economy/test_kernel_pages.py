"""The economy's pages on the web kernel: a bad parameter is a 400 that names it (never a 500
or a silent default), and list pages read a fixed number of queries whatever they hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import zhenxing.economy.views
from tests.conftest import client_for
from tests.economy.conftest import Books, fill, new_organization


@pytest.mark.parametrize(
    ("name", "params", "param"),
    [
        ("economy:plan_list", {"status": "bogus"}, "status"),
        ("economy:plan_list", {"year": "1999"}, "year"),
        ("economy:contracts", {"kind": "bogus"}, "kind"),
        ("economy:companies", {"region": "abc"}, "region"),
        ("economy:industries", {"industry": "0"}, "industry"),
    ],
)
def test_a_bad_filter_is_a_400_that_names_it(
    books: Books, name: str, params: dict, param: str
) -> None:
    response = client_for(books.world.city).get(reverse(name), params)
    assert response.status_code == 400
    assert f'data-param="{param}"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("economy:dashboard", {"year": "twenty"}),
        ("economy:dashboard", {"year": "1850"}),
        ("economy:dashboard_export", {"table": "bogus"}),
        ("economy:dashboard_export", {"format": "pdf"}),
        ("economy:summary_report", {"year": "x"}),
        ("economy:industries", {"format": "pdf"}),
        ("economy:supported_villages", {"year": "x"}),
    ],
)
def test_a_bad_parameter_is_a_400(books: Books, name: str, params: dict) -> None:
    assert client_for(books.world.city).get(reverse(name), params).status_code == 400


def test_no_economy_view_module_checks_scope_or_permissions_itself() -> None:
    for module in Path(zhenxing.economy.views.__file__).parent.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        for name in ("visible_to", "get_for_user", "has_permission"):
            assert name not in text, (module.name, name)


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


PAGES = ["economy:plan_list", "economy:contracts", "economy:companies"]


def test_list_pages_read_no_more_queries_for_more_rows(
    books: Books,
    company: Any,
) -> None:
    city = client_for(books.world.city)
    fill(books, books.org_a, company)
    fill(books, new_organization(books), company)
    industries = reverse("economy:industries") + f"?region={books.world.county.code}&year=2020"
    supported = (
        reverse("economy:supported_villages") + f"?region={books.world.county.code}&year=2020"
    )
    paths = [reverse(name) for name in PAGES] + [industries, supported]
    small = [_queries(city, path) for path in paths]
    for _ in range(4):
        fill(books, new_organization(books), company)
    assert [_queries(city, path) for path in paths] == small
