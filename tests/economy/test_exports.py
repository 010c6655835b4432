"""Every economy export needs the ``export`` permission (issue 12: a grid worker, whose role
has none, downloaded the dashboard's, the summary report's and the industries' XLSX)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import client_for, make_household
from tests.economy.conftest import Books, post
from zhenxing.economy.services import distribution


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("economy:dashboard_export", {"year": 2020, "table": "villages"}),
        ("economy:summary_report", {"year": 2020}),
        ("economy:industries", {"year": 2020, "format": "xlsx"}),
        ("economy:plan_list", {"format": "xlsx"}),
        ("economy:contracts", {"format": "csv"}),
        ("economy:companies", {"format": "xlsx"}),
    ],
)
def test_a_role_without_the_export_permission_downloads_nothing(
    books: Books, name: str, params: dict
) -> None:
    grid = client_for(books.world.grid_a)
    assert grid.get(reverse(name), params).status_code == 403
    # The same export still answers a role that holds the permission.
    assert client_for(books.world.officer_a).get(reverse(name), params).status_code == 200


def test_a_plans_dividends_export_needs_the_export_permission(books: Books) -> None:
    world = books.world
    distribution.shareholding_set(
        actor=world.cadre_a,
        organization=books.org_a,
        household=make_household(world, "SP-001"),
        shares="3",
    )
    post(books, [("102", "20000", 0), ("321", 0, "20000")], date=dt.date(2020, 12, 31))
    plan = distribution.distribution_plan_propose(
        actor=world.cadre_a,
        organization=books.org_a,
        year=2020,
        reserve="0",
        dividend_per_share="1000",
    )
    url = reverse("economy:plan_dividends", args=[plan.pk])
    assert client_for(world.grid_a).get(url).status_code == 403
    assert client_for(world.officer_a).get(url).status_code == 200


def test_a_list_export_holds_the_filtered_rows(books: Books) -> None:
    world = books.world
    for village, actor in ((world.village_a, world.cadre_a), (world.village_b, world.cadre_b)):
        organization = books.org_a if village == world.village_a else books.org_b
        distribution.distribution_plan_propose(
            actor=actor, organization=organization, year=2020, reserve="0", dividend_per_share="0"
        )
    city = client_for(world.city)
    everything = city.get(reverse("economy:plan_list"), {"format": "csv"})
    assert everything.status_code == 200
    text = b"".join(everything.streaming_content).decode("utf-8-sig")
    assert "沙坡村" in text and "龙井村" in text
    filtered = city.get(
        reverse("economy:plan_list"), {"format": "csv", "village": world.village_b.code}
    )
    text = b"".join(filtered.streaming_content).decode("utf-8-sig")
    assert "龙井村" in text and "沙坡村" not in text
    bad = city.get(reverse("economy:plan_list"), {"format": "csv", "status": "bogus"})
    assert bad.status_code == 400
