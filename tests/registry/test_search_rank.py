"""The search box ranks exact matches first, and says so when a query matches more residents
than a search reads (one letter over the whole city)."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import World, make_household, make_person
from zhenxing.registry import selectors


def numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.number for h in response.context["households"]]


def test_exact_matches_come_first(world: World, as_user) -> None:
    make_person(world, make_household(world, "HA-001"), "张长春林", 1)
    make_person(world, make_household(world, "HA-002"), "王芳", 3)
    make_person(world, make_household(world, "HA-010"), "张长春", 5)
    client = as_user(world.city)
    url = reverse("registry:household_list")
    # By name, by full pinyin, by initials: the member called exactly that comes first.
    assert numbers(client.get(url, {"q": "张长春"})) == ["HA-010", "HA-001"]
    assert numbers(client.get(url, {"q": "zhangchangchun"})) == ["HA-010", "HA-001"]
    assert numbers(client.get(url, {"q": "zcc"})) == ["HA-010", "HA-001"]
    # Without an exact match, households keep their number order.
    assert numbers(client.get(url, {"q": "长春"})) == ["HA-001", "HA-010"]
    # A household number itself is the best match of all.
    make_person(world, make_household(world, "HA-000"), "张长春", 7)
    assert numbers(client.get(url, {"q": "HA-010"}))[0] == "HA-010"
    # The API and the export rank the same way the page does (one filterset).
    api = client.get("/api/v1/households/", {"q": "张长春"}).json()
    assert [h["number"] for h in api["items"]][:2] == ["HA-000", "HA-010"]


def test_a_broad_query_shows_the_first_matches_and_says_so(
    world: World, as_user, monkeypatch
) -> None:
    monkeypatch.setattr(selectors, "SEARCH_IDS_LIMIT", 2)
    for i, name in enumerate(("张一", "张二", "张三")):
        make_person(world, make_household(world, f"HA-00{i}"), name, 2 * i + 1)
    client = as_user(world.city)
    url = reverse("registry:household_list")
    broad = client.get(url, {"q": "张"})
    assert len(numbers(broad)) == 2
    assert 'id="search-truncated"' in broad.content.decode()
    narrow = client.get(url, {"q": "张二"})
    assert numbers(narrow) == ["HA-001"] and 'id="search-truncated"' not in narrow.content.decode()
