"""The registry's API: lists from the FilterSets, bounded and paginated, a constant number of
queries; the household detail with its members, masked; path ids bounded."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import World, make_household, make_person, valid_id


def test_the_household_detail_lists_its_members_masked(world: World, as_user) -> None:
    household = make_household(world, "HA-001")
    head = make_person(world, household, "张三", 1, phone="13912345678")
    make_person(world, household, "李四", 2, relation="spouse")
    body = as_user(world.officer_a).get(f"/api/v1/households/{household.pk}")
    assert body.status_code == 200
    data = body.json()
    assert data["number"] == "HA-001" and data["head"] == "张三" and data["members"] == 2
    assert [m["name"] for m in data["member_list"]] == ["张三", "李四"]
    first = data["member_list"][0]
    assert first["id"] == head.pk and first["phone"] == "139****5678"
    assert valid_id(seq=1) not in body.content.decode()
    assert first["id_number"] == head.id_number_masked


def test_a_household_out_of_scope_is_404(world: World, as_user) -> None:
    other = make_household(world, "HB-001", world.village_b)
    assert as_user(world.officer_a).get(f"/api/v1/households/{other.pk}").status_code == 404
    assert as_user(world.officer_b).get(f"/api/v1/households/{other.pk}").status_code == 200


@pytest.mark.parametrize("path", ["households", "persons"])
def test_an_out_of_range_id_is_a_400(world: World, as_user, path: str) -> None:
    response = as_user(world.officer_a).get(f"/api/v1/{path}/{10**20}")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["households", "persons"])
def test_an_out_of_range_offset_is_a_400(world: World, as_user, path: str) -> None:
    response = as_user(world.officer_a).get(f"/api/v1/{path}/", {"offset": 10**20})
    assert response.status_code == 400


def test_a_bad_person_filter_is_a_400_naming_it(world: World, as_user) -> None:
    response = as_user(world.officer_a).get("/api/v1/persons/", {"village": "abc"})
    assert response.status_code == 400 and "village" in response.json()["errors"]


def test_persons_filter_by_household_and_search(world: World, as_user) -> None:
    a, b = make_household(world, "HA-001"), make_household(world, "HA-002")
    make_person(world, a, "张三", 1)
    make_person(world, b, "李四", 3)
    client = as_user(world.officer_a)
    by_household = client.get("/api/v1/persons/", {"household": "HA-002"}).json()
    assert [p["name"] for p in by_household["items"]] == ["李四"]
    by_name = client.get("/api/v1/persons/", {"q": "zs"}).json()
    assert [p["name"] for p in by_name["items"]] == ["张三"]


def _grow(world: World, start: int, count: int) -> None:
    for i in range(start, start + count):
        make_person(world, make_household(world, f"HA-{i:03d}"), f"人{i}", 2 * i + 1)


@pytest.mark.parametrize("path", ["/api/v1/households/", "/api/v1/persons/"])
def test_the_lists_take_as_many_queries_for_more_rows(world: World, as_user, path: str) -> None:
    client = as_user(world.officer_a)
    _grow(world, 0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path, {"limit": 100}).status_code == 200
    _grow(world, 2, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path, {"limit": 100})
    assert response.json()["count"] == 14
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_household_detail_takes_as_many_queries_for_more_members(world: World, as_user) -> None:
    client = as_user(world.officer_a)
    small, large = make_household(world, "HA-001"), make_household(world, "HA-002")
    make_person(world, small, "甲", 1)
    for i in range(6):
        make_person(world, large, f"乙{i}", 3 + 2 * i, relation="child" if i else "head")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/v1/households/{small.pk}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"/api/v1/households/{large.pk}").json()["member_list"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)
