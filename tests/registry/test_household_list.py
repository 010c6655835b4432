"""The household list: members counted per page (page and API alike), and one search box that
finds a household by its number, a member's name, full ID number or phone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World, make_household, make_person, valid_id
from zhenxing.registry.choices import PersonStatus


@pytest.fixture
def households(world: World) -> World:
    big = make_household(world, "HA-001")
    for i, name in enumerate(("张长春", "李梅", "张小明"), start=1):
        make_person(world, big, name, i, relation="head" if i == 1 else "child")
    small = make_household(world, "HA-002")
    make_person(world, small, "王芳", 7)
    make_household(world, "HA-003")  # no members yet
    return world


def test_members_are_counted_on_the_page_and_in_the_api(households: World, as_user) -> None:
    w = households
    client = as_user(w.officer_a)
    page = client.get(reverse("registry:household_list"))
    counts = {h.number: h.member_count for h in page.context["households"]}
    assert counts == {"HA-001": 3, "HA-002": 1, "HA-003": 0}
    api = client.get("/api/v1/households/").json()
    assert {h["number"]: h["members"] for h in api["items"]} == counts
    assert api["count"] == 3


def test_a_departed_member_is_not_counted(households: World, as_user) -> None:
    from zhenxing.registry.models import Person

    Person.objects.filter(name="李梅").update(status=PersonStatus.DECEASED)
    page = as_user(households.officer_a).get(reverse("registry:household_list"))
    assert {h.number: h.member_count for h in page.context["households"]}["HA-001"] == 2


def test_the_page_counts_members_in_one_query_for_the_page(households: World, as_user) -> None:
    client = as_user(households.officer_a)
    client.get(reverse("registry:household_list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("registry:household_list"))
    person_queries = [q["sql"] for q in queries if 'FROM "registry_person"' in q["sql"]]
    assert len(person_queries) == 1, person_queries
    assert "COUNT" in person_queries[0].upper()


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("HA-002", ["HA-002"]),
        ("张长春", ["HA-001"]),
        ("zcc", ["HA-001"]),  # 张长春: 长 read chang, as in his name
        ("zzc", ["HA-001"]),  # and zhang, its other reading
        ("zhangchangchun", ["HA-001"]),  # full pinyin
        ("張長春", ["HA-001"]),  # Traditional characters
        (valid_id(seq=7), ["HA-002"]),  # 王芳's full ID number
        ("13800000007", ["HA-002"]),  # and phone
        ("138 0000 0002", ["HA-001"]),  # written with spaces
    ],
)
def test_one_search_box_finds_number_name_id_and_phone(
    households: World, as_user, query: str, numbers: list[str]
) -> None:
    client = as_user(households.officer_a)
    page = client.get(reverse("registry:household_list"), {"q": query})
    assert page.status_code == 200
    assert [h.number for h in page.context["households"]] == numbers
    api = client.get("/api/v1/households/", {"q": query}).json()
    assert [h["number"] for h in api["items"]] == numbers


@pytest.mark.parametrize("query", ["单田芳", "stf", "shantianfang", "dtf"])
def test_a_surname_is_found_by_its_reading_as_a_surname(
    households: World, as_user, query: str
) -> None:
    make_person(households, make_household(households, "HA-005"), "单田芳", 11)
    page = as_user(households.officer_a).get(reverse("registry:household_list"), {"q": query})
    assert [h.number for h in page.context["households"]] == ["HA-005"]


def test_stored_search_keys_hold_every_reading() -> None:
    from zhenxing.core.text import search_text

    assert search_text("张长春").split() == [
        "张长春", "zzc", "zhangzhangchun", "zcc", "zhangchangchun",
    ]  # fmt: skip
    assert search_text("曾国藩").split()[1:3] == ["zgf", "zengguofan"]  # the surname first
    assert search_text("李").split() == ["李", "l", "li"]


def test_a_search_finds_members_inside_the_readers_scope_only(households: World, as_user) -> None:
    w = households
    make_person(w, make_household(w, "HB-001", village=w.village_b), "王芳", 12)
    url = reverse("registry:household_list")
    cadre = as_user(w.cadre_a).get(url, {"q": "王芳"})
    assert [h.number for h in cadre.context["households"]] == ["HA-002"]
    city = as_user(w.city).get(url, {"q": "王芳"})
    assert [h.number for h in city.context["households"]] == ["HA-002", "HB-001"]


def test_the_household_page_names_the_failing_checklist_items(households: World, as_user) -> None:
    from zhenxing.registry import services
    from zhenxing.registry.models import Household

    household = Household.objects.get(number="HA-002")
    services.household_update(
        actor=households.city, household=household, water_secure=False, housing_secure=False,
        food_secure=True,
    )  # fmt: skip
    client = as_user(households.officer_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
    assert 'data-gap="water"' in page and 'data-gap="housing"' in page
    assert 'data-gap="food"' not in page
    other = Household.objects.get(number="HA-001")
    page = client.get(reverse("registry:household_detail", args=[other.pk])).content.decode()
    assert "data-gap=" not in page


def test_a_page_past_the_last_shows_the_last_page(households: World, as_user) -> None:
    """A bookmarked ``?page=50`` of a village's short list shows its last page, not a 404."""
    from unittest import mock

    client = as_user(households.officer_a)
    url = reverse("registry:household_list")
    with mock.patch("zhenxing.core.web.views.ScopedListView.paginate_by", 2):
        last = client.get(url, {"page": 50})
        assert last.status_code == 200
        page = last.context["households"]
        assert page.number == page.paginator.num_pages > 1
        assert client.get(url, {"page": "x"}).context["households"].number == 1
