"""List pages, exports and API lists run a fixed number of queries, whatever the row count
(DESIGN §10: no N+1). Each test adds rows and checks the count does not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World, make_region, make_user
from tests.factories import populate
from tests.kernel.routes import API_LISTS, EXPORTS, LISTS, Route
from zhenxing.core.accounts.roles import Role
from zhenxing.core.regions import services
from zhenxing.core.regions.models import RegionKind


def queries(client, url: str, **params: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(world: World, start: int, n: int) -> None:
    """Add ``n`` villages, each with a group, a cadre account and an audited rename."""
    for i in range(start, start + n):
        village = make_region(
            f"520281004{300 + i}", f"新{i}村", RegionKind.VILLAGE, world.township_a
        )
        make_region(f"{village.code}001", "一组", RegionKind.GROUP, village)
        make_user(f"cadre_{i}", Role.VILLAGE_CADRE, village)
        services.region_update(actor=world.city, region=village, name=f"新{i}村改")


@pytest.mark.parametrize(
    ("persona", "url", "params"),
    [
        ("officer_a", "home", {}),
        ("officer_a", "home_chart_export", {}),
        ("officer_a", "regions:region_detail", {"code": "520281004"}),
        ("officer_a", "regions:region_export", {"code": "520281004"}),
        ("officer_a", "regions:region_search", {"q": "村"}),
        ("officer_a", "accounts:account_list", {}),
        ("auditor", "audit:audit_list", {}),
        ("auditor", "audit:audit_export", {}),
        ("officer_a", "/api/v1/regions/", {}),
        ("officer_a", "/api/v1/accounts/", {}),
        ("auditor", "/api/v1/audit/", {}),
    ],
)
def test_query_count_does_not_grow_with_rows(
    world: World, as_user, persona: str, url: str, params: dict[str, str]
) -> None:
    client = as_user(getattr(world, persona))
    code = params.pop("code", None)
    path = url if url.startswith("/") else reverse(url, args=[code] if code else [])
    grow(world, 0, 2)
    small = queries(client, path, **params)
    grow(world, 2, 20)
    large = queries(client, path, **params)
    assert large == small, f"{path}: {small} queries with few rows, {large} with more"


# ---- every list page, export and API list, over the factories' rows ×1 and ×3 ------------------


def _route_url(route: Route, rows) -> str:  # type: ignore[no-untyped-def]
    args = [route.arg(rows, rows.world.village_a)] if route.arg else []
    return reverse(route.name, args=args)


@pytest.mark.parametrize("route", LISTS + EXPORTS, ids=lambda r: f"{r.name}{r.params or ''}")
def test_page_queries_do_not_grow_with_the_data(world: World, as_user, route: Route) -> None:
    rows = populate(world)
    client = as_user(getattr(world, route.reader))
    path = _route_url(route, rows)
    small = queries(client, path, **route.params)
    populate(world, copies=2, rows=rows, start=1)
    large = queries(client, path, **route.params)
    assert large == small, f"{path}: {small} queries with the rows ×1, {large} with ×3"


@pytest.mark.parametrize("path", sorted(API_LISTS))
def test_api_list_queries_do_not_grow_with_the_data(world: World, as_user, path: str) -> None:
    spec = API_LISTS[path]
    rows = populate(world)
    client = as_user(getattr(world, spec.reader))
    small = queries(client, path, limit="100")
    populate(world, copies=2, rows=rows, start=1)
    large = queries(client, path, limit="100")
    assert large == small, f"{path}: {small} queries with the rows ×1, {large} with ×3"
