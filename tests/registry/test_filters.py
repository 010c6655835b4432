"""One HouseholdFilterSet for the page, the API and the export: the same parameters, the
same validation (a bad value is a 400 naming the parameter, never a 500 or ignored)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import World, make_household, make_person
from zhenxing.registry import services


@pytest.fixture
def households(world: World) -> World:
    poor = make_household(world, "HA-001")
    services.household_update(
        actor=world.city, household=poor, registered_poor_year=2015, water_secure=False
    )
    lifted = make_household(world, "HA-002")
    services.household_update(
        actor=world.city, household=lifted, registered_poor_year=2014, lifted_year=2018
    )
    make_household(world, "HA-003")
    for i, h in enumerate((poor, lifted)):
        make_person(world, h, f"人{i}", 2 * i + 1)
    return world


def test_a_bad_gap_on_the_api_is_a_400_naming_it(households: World, as_user) -> None:
    response = as_user(households.officer_a).get("/api/v1/households/", {"gap": "bogus"})
    assert response.status_code == 400
    assert "gap" in response.json()["errors"]


@pytest.mark.parametrize("param", ["gap", "poverty", "monitoring_status"])
def test_a_bad_filter_on_the_page_is_a_400_naming_it(households: World, as_user, param) -> None:
    client = as_user(households.officer_a)
    response = client.get(reverse("registry:household_list"), {param: "bogus"})
    assert response.status_code == 400
    assert param in response.content.decode()


def test_a_bad_filter_on_the_export_is_a_400(households: World, as_user) -> None:
    client = as_user(households.officer_a)
    response = client.get(reverse("registry:household_export"), {"gap": "bogus"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("poverty", "numbers"), [("registered", ["HA-001", "HA-002"]), ("lifted", ["HA-002"])]
)
def test_poverty_filters_the_api_and_the_page(
    households: World, as_user, poverty: str, numbers: list[str]
) -> None:
    client = as_user(households.officer_a)
    api = client.get("/api/v1/households/", {"poverty": poverty}).json()
    assert [h["number"] for h in api["items"]] == numbers
    page = client.get(reverse("registry:household_list"), {"poverty": poverty})
    assert page.status_code == 200
    assert [h.number for h in page.context["households"]] == numbers


def test_poverty_filters_the_export(households: World, as_user) -> None:
    client = as_user(households.officer_a)
    response = client.get(
        reverse("registry:household_export"), {"poverty": "lifted", "format": "csv"}
    )
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    text = body.decode("utf-8-sig")
    assert "HA-002" in text and "HA-001" not in text


def test_the_api_documents_gap_and_poverty(households: World, as_user) -> None:
    schema = as_user(households.officer_a).get("/api/v1/openapi.json").json()
    params = {
        p["name"]
        for p in schema["paths"]["/api/v1/households/"]["get"]["parameters"]
        if p["in"] == "query"
    }
    assert {"gap", "poverty", "monitoring_status", "village", "q"} <= params
