"""The search finds what the registry holds now, through whichever index the database has:
SQLite's FTS5 trigram table is kept in step by triggers (registry migration 0009) on every
insert, rename and delete, and a query that cannot be looked up by trigram (too short, or with
a LIKE wildcard in it) reads the search text itself."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World, make_household, make_person
from zhenxing.registry import selectors, services
from zhenxing.registry.models import Person


def found(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page = client.get(reverse("registry:household_list"), {"q": query})
    assert page.status_code == 200
    return [h.number for h in page.context["households"]]


def test_a_rename_and_a_removal_reach_the_search(world: World, as_user) -> None:
    person = make_person(world, make_household(world, "HA-001"), "罗建国", 1)
    make_person(world, make_household(world, "HA-002"), "罗建华", 2)
    client = as_user(world.city)
    assert found(client, "罗建国") == ["HA-001"]
    assert found(client, "luojian") == ["HA-001", "HA-002"]
    services.person_update(
        actor=world.city,
        person=person,
        name="罗振兴",
        ethnicity=person.ethnicity,
        relation=person.relation,
    )
    assert found(client, "罗建国") == []
    assert found(client, "罗振兴") == ["HA-001"]
    assert found(client, "luozhenxing") == ["HA-001"]
    Person.objects.filter(pk=person.pk).delete()
    assert found(client, "罗振兴") == []
    assert found(client, "luojian") == ["HA-002"]


def test_short_queries_and_wildcards_are_read_literally(world: World, as_user) -> None:
    make_person(world, make_household(world, "HA-001"), "罗建国", 1)
    make_person(world, make_household(world, "HA-002"), "王芳", 2)
    client = as_user(world.city)
    assert found(client, "建国") == ["HA-001"]  # two characters: no trigram to look up
    assert found(client, "wf") == ["HA-002"]
    assert found(client, "%%%") == []  # a wildcard is a character, not a pattern
    assert found(client, "l_g") == []
    assert found(client, "ljg") == ["HA-001"]


def test_sqlite_looks_a_name_up_in_the_trigram_index(world: World) -> None:
    """On SQLite a name is found through the trigram table, not by reading every person's
    search text (what makes the city's search a millisecond); elsewhere the plain LIKE."""
    make_person(world, make_household(world, "HA-001"), "罗建国", 1)
    with CaptureQueriesContext(connection) as queries:
        result = selectors.household_search(
            selectors.household_list(actor=world.city), "罗建国", actor=world.city
        )
        assert [h.number for h in result.households] == ["HA-001"]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert (selectors.TRIGRAM_TABLE in sql) == (connection.vendor == "sqlite")


def test_a_broad_word_stops_at_the_search_limit_inside_the_index(
    world: World, as_user, monkeypatch
) -> None:
    monkeypatch.setattr(selectors, "SEARCH_IDS_LIMIT", 2)
    for i, name in enumerate(("王建一", "王建二", "王建三")):
        make_person(world, make_household(world, f"HA-00{i}"), name, 2 * i + 1)
    page = as_user(world.city).get(reverse("registry:household_list"), {"q": "wangjian"})
    assert len(page.context["households"]) == 2
    assert 'id="search-truncated"' in page.content.decode()
    ids = selectors.trigram_matches("wangjian", 2)
    if connection.vendor == "sqlite":
        assert ids is not None and len(ids) == 2
    else:
        assert ids is None


def test_each_database_has_an_index_that_answers_a_substring(world: World) -> None:
    """SQLite: the FTS5 trigram table; PostgreSQL: the pg_trgm GIN index, which its planner
    takes for ``contains`` once a table is large (here the small table's sequential scan is
    switched off, as the city's 1.2 million rows switch it off by cost)."""
    make_person(world, make_household(world, "HA-001"), "罗建国", 1)
    if connection.vendor == "sqlite":
        assert selectors.trigram_matches("luojian", 10) == [Person.objects.get(name="罗建国").pk]
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Person.objects.filter(search_text__contains="luojian").explain()
    assert "registry_person_search_trgm" in plan
