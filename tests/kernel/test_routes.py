"""Every list page, detail page, export and API list, as each persona: another region's object
answers 404, a role without the permission 403, the reader's own 200 (so no case is vacuous).

The routes are data (``routes.py``); the tests below also walk the URL resolver and the
OpenAPI document so that a kernel list, detail or export view without a line there fails.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import World
from tests.factories import Rows
from tests.kernel.routes import (
    API_LISTS,
    API_NOT_LISTS,
    DETAILS,
    EXPORTS,
    LISTS,
    PENDING_EXPORTS,
    Route,
)
from zhenxing.core.web.views import ExportMixin, ScopedDetailView, ScopedListView


def body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def url(route: Route, rows: Rows, village: Any) -> str:
    args = [route.arg(rows, village)] if route.arg else []
    return reverse(route.name, args=args)


def walk(patterns: list[Any], namespace: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns and namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            found |= walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            found[f"{namespace}:{p.name}" if namespace else p.name] = p.callback
    return found


def kernel_views(base: type) -> set[str]:
    return {
        name
        for name, callback in walk(get_resolver().url_patterns).items()
        if isinstance(getattr(callback, "view_class", None), type)
        and issubclass(callback.view_class, base)
        and not name.startswith("api:")
    }


# ---- completeness --------------------------------------------------------------------------


def test_every_kernel_list_view_has_a_route_line() -> None:
    exports_only = {r.name for r in EXPORTS + PENDING_EXPORTS}
    lists = kernel_views(ScopedListView) - exports_only
    assert lists - {r.name for r in LISTS} == set()


def test_every_kernel_detail_view_has_a_route_line() -> None:
    assert kernel_views(ScopedDetailView) - {r.name for r in DETAILS} == set()


def test_every_export_has_a_route_line() -> None:
    exports = kernel_views(ExportMixin) | {
        name
        for name, callback in walk(get_resolver().url_patterns).items()
        if getattr(getattr(callback, "view_class", None), "permission", None) == "export"
    }
    assert exports - {r.name for r in EXPORTS + PENDING_EXPORTS} == set()


def test_every_api_list_has_a_line() -> None:
    from zhenxing.api import api

    paths = api.get_openapi_schema()["paths"]
    lists = {path for path, ops in paths.items() if "get" in ops and "{" not in path}
    assert lists - set(API_LISTS) - API_NOT_LISTS == set()
    assert set(API_LISTS) - lists == set(), "lines for API lists that no longer exist"


# ---- details -------------------------------------------------------------------------------


@pytest.mark.parametrize("route", DETAILS, ids=str)
def test_detail_answers_404_outside_scope(world: World, rows: Rows, as_user, route: Route) -> None:
    w = world
    own = url(route, rows, w.village_a)
    other = url(route, rows, w.village_b)
    officer = as_user(w.officer_a)
    assert officer.get(own).status_code == 200, own
    assert officer.get(other).status_code == 404, other
    assert as_user(w.officer_b).get(own).status_code == 404, own
    assert as_user(w.officer_b).get(other).status_code == 200, other
    city = as_user(w.city)
    assert city.get(own).status_code == 200 and city.get(other).status_code == 200
    assert as_user(w.outsider).get(own).status_code in (403, 404), own
    cadre = as_user(w.cadre_a)
    assert cadre.get(own).status_code == 200, own
    if route.village_scoped:
        sibling = url(route, rows, w.village_a2)
        assert cadre.get(sibling).status_code == 404, sibling


IMPORT_RUN_ROUTES = ["io:import_result", "io:import_progress", "io:import_errors"]


@pytest.mark.parametrize("name", IMPORT_RUN_ROUTES)
def test_an_import_run_is_its_actors_own(world: World, rows: Rows, as_user, name: str) -> None:
    """An import run answers its actor only: another township's, or another reader's in the
    same township, is 404."""
    w = world
    run_a = rows.one("io.ImportRun", w.village_a)
    run_b = rows.one("io.ImportRun", w.village_b)
    assert run_a.actor == w.cadre_a and run_b.actor == w.cadre_b
    own = reverse(name, args=[run_a.pk])
    assert as_user(w.cadre_a).get(own).status_code == 200, own
    assert as_user(w.cadre_a).get(reverse(name, args=[run_b.pk])).status_code == 404
    assert as_user(w.officer_b).get(own).status_code == 404
    assert as_user(w.outsider).get(own).status_code in (403, 404)


# ---- lists ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", LISTS, ids=str)
def test_list_is_scoped(world: World, rows: Rows, as_user, route: Route) -> None:
    w = world
    path = url(route, rows, w.village_a)
    for persona in route.readers:
        response = as_user(getattr(w, persona)).get(path, route.params)
        assert response.status_code == 200, (persona, path)
    officer = as_user(getattr(w, route.reader))
    page = body(officer.get(path, route.params))
    if route.marker is not None:
        assert route.marker(rows, w.village_a) in page, "own rows missing: vacuous case"
        assert route.marker(rows, w.village_b) not in page, "another township's rows listed"
        assert route.marker(rows, w.village_b) in body(as_user(w.city).get(path, route.params))
    # Asking for another township (or the county above) never shows its rows: a kernel
    # region page answers 404, a filter refuses the choice (400) or ignores it.
    for region in (w.township_b, w.county):
        outside = officer.get(path, route.params | {"region": region.code})
        if route.region_param:
            assert outside.status_code == 404, (path, region.code, outside.status_code)
        else:
            assert outside.status_code in (200, 400, 404), (path, outside.status_code)
        if route.marker is not None and outside.status_code == 200:
            assert route.marker(rows, w.village_b) not in body(outside), (path, region.code)


# ---- exports -------------------------------------------------------------------------------


@pytest.mark.parametrize("route", EXPORTS, ids=str)
def test_export_needs_the_export_permission(
    world: World, rows: Rows, as_user, route: Route
) -> None:
    w = world
    path = url(route, rows, w.village_a)
    response = as_user(w.grid_a).get(path, route.params)
    assert response.status_code == 403, f"a grid worker downloads {path}: {response.status_code}"
    reader = as_user(getattr(w, route.reader))
    own = reader.get(path, route.params)
    assert own.status_code == 200, path
    body(own)
    if route.arg is not None:
        other = url(route, rows, w.village_b)
        assert reader.get(other, route.params).status_code == 404, other
    if route.region_param:
        outside = reader.get(path, route.params | {"region": w.township_b.code})
        assert outside.status_code == 404, path


# ---- API lists -----------------------------------------------------------------------------


def items(response: Any) -> list[dict[str, Any]]:
    data = response.json()
    return data["items"] if isinstance(data, dict) else data


@pytest.mark.parametrize("path", sorted(API_LISTS))
def test_api_list_is_scoped(world: World, rows: Rows, as_user, path: str) -> None:
    spec = API_LISTS[path]
    model = apps.get_model(spec.model)
    ancestors = bool(getattr(model, "scope_includes_ancestors", False))
    w = world
    for persona in spec.readers:
        user = getattr(w, persona)
        response = as_user(user).get(path, {"limit": 100})
        assert response.status_code == 200, (persona, path, response.content[:300])
        listed = {item[spec.key] for item in items(response)}
        pks = rows.expected(spec.model, user.region.code, ancestors=ancestors)
        expected = set(
            model._default_manager.filter(pk__in=pks).values_list(spec.column, flat=True)
        )
        assert listed, f"{persona} lists nothing on {path}: vacuous"
        assert listed <= expected, f"{persona} on {path} lists rows outside scope"
    outsider = as_user(w.outsider).get(path)
    assert outsider.status_code in (403, 404) or items(outsider) == [], path
    grid = as_user(w.grid_a).get(path)
    assert grid.status_code in (200, 403), path
    outside = as_user(getattr(w, spec.reader)).get(path, {"region": w.township_b.code})
    assert outside.status_code in (200, 400, 404), path
    if outside.status_code == 200:
        other = rows.expected(spec.model, w.township_b.code)
        assert not {item[spec.key] for item in items(outside)} & set(
            model._default_manager.filter(pk__in=other).values_list(spec.column, flat=True)
        ), path
