"""The economy's API lists: scoped, filtered by the pages' FilterSets (a bad value is a 400
naming it), paginated, and a fixed number of queries whatever the page holds."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.economy.conftest import Books, fill, new_organization


def url(name: str) -> str:
    return f"/api/v1/economy/{name}/"


LISTS = [
    "organizations",
    "vouchers",
    "figures",
    "plans",
    "contracts",
    "supported-villages",
    "support-records",
]


@pytest.fixture
def both(books: Books, company: Any) -> Books:
    fill(books, books.org_a, company)
    fill(books, books.org_b, company)
    return books


@pytest.mark.parametrize("name", LISTS)
def test_a_township_officer_sees_only_their_townships_rows(both: Books, name: str) -> None:
    world = both.world
    for officer, own, other in (
        (world.officer_a, world.village_a, world.village_b),
        (world.officer_b, world.village_b, world.village_a),
    ):
        response = client_for(officer).get(url(name))
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == 1
        assert own.code in response.content.decode()
        assert other.code not in response.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_an_outsider_sees_nothing(both: Books, name: str) -> None:
    response = client_for(both.world.outsider).get(url(name))
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_a_voucher_comes_with_its_lines(both: Books) -> None:
    items = client_for(both.world.officer_a).get(url("vouchers")).json()["items"]
    (voucher,) = items
    assert [(line["account"], line["debit"], line["credit"]) for line in voucher["lines"]] == [
        ("102", "1000.00", "0.00"),
        ("501", "0.00", "1000.00"),
    ]


def test_filters_are_the_pages_filters(both: Books) -> None:
    city = client_for(both.world.city)
    assert city.get(url("vouchers")).json()["count"] == 2
    filtered = city.get(url("vouchers"), {"village": both.world.township_b.code}).json()
    assert filtered["count"] == 1
    assert city.get(url("plans"), {"status": "rejected"}).json()["count"] == 0
    assert city.get(url("plans"), {"status": "proposed", "year": 2020}).json()["count"] == 2


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("vouchers", {"status": "bogus"}, "status"),
        ("vouchers", {"month": "13"}, "month"),
        ("plans", {"year": "99999"}, "year"),
        ("figures", {"village": "not-a-code"}, "village"),
        ("contracts", {"kind": "bogus"}, "kind"),
        ("support-records", {"year": "1999"}, "year"),
        ("supported-villages", {"village": "5202810042011234567"}, "village"),
        ("organizations", {"offset": str(10**20)}, "offset"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(
    both: Books, name: str, params: dict, field: str
) -> None:
    response = client_for(both.world.city).get(url(name), params)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_the_summary_of_a_region_outside_scope_is_404(both: Books) -> None:
    officer = client_for(both.world.officer_a)
    assert officer.get("/api/v1/economy/summary", {"region": "520281004"}).status_code == 200
    assert officer.get("/api/v1/economy/summary", {"region": "520281001"}).status_code == 404


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_larger_page_reads_no_more_queries(books: Books, company: Any) -> None:
    city = client_for(books.world.city)
    fill(books, books.org_a, company)
    fill(books, new_organization(books), company)
    small = {name: _queries(city, url(name)) for name in LISTS}
    for _ in range(4):
        fill(books, new_organization(books), company)
    large = {name: _queries(city, url(name)) for name in LISTS}
    counts = {name: city.get(url(name)).json()["count"] for name in LISTS}
    # Six of each (龙井村's organisation, without books, is the seventh organisation).
    assert counts == dict.fromkeys(LISTS, 6) | {"organizations": 7}
    assert large == small


def test_another_regions_object_is_404(both: Books) -> None:
    world = both.world
    officer = client_for(world.officer_a)
    own = officer.get(url("vouchers")).json()["items"][0]["id"]
    other = client_for(world.officer_b).get(url("vouchers")).json()["items"][0]["id"]
    assert officer.get(f"/api/v1/economy/vouchers/{own}").status_code == 200
    assert officer.get(f"/api/v1/economy/vouchers/{other}").status_code == 404
    assert officer.get("/api/v1/economy/vouchers/999999").status_code == 404
    assert officer.get(f"/api/v1/economy/organizations/{both.org_a.pk}").status_code == 200
    assert officer.get(f"/api/v1/economy/organizations/{both.org_b.pk}").status_code == 404
    assert officer.get(f"/api/v1/economy/organizations/{10**20}").status_code == 400
