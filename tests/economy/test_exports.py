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
