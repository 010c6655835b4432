"""Scoping-matrix cases for the routes the app kernel added: the shared import pages (io), API
tokens, and every API list and object of the economy, party and registry apps. Lists are
checked over the factories' rows in both townships (tests/factories.py); registered by
importing this module from ``tests/core/test_scoping_matrix.py``."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.urls import reverse

from tests.conftest import World
from tests.core.test_scoping_matrix import api_route, web
from tests.factories import Rows, populate
from tests.kernel.routes import API_LISTS

# ---- io: one set of import pages for every importer ------------------------------------------


def _runs(w: World) -> tuple[int, int]:
    rows = populate(w)
    return rows.one("io.ImportRun", w.village_a).pk, rows.one("io.ImportRun", w.village_b).pk


def _own_run_case(name: str, own_status: int = 200) -> None:
    @web(name)
    def case(w: World, as_user: Any) -> None:
        own, other = _runs(w)
        c = as_user(w.cadre_a)  # the run's actor
        status = c.get(reverse(name, args=[own])).status_code
        assert status == own_status, (name, status)
        assert c.get(reverse(name, args=[other])).status_code == 404
        assert as_user(w.officer_b).get(reverse(name, args=[own])).status_code == 404


for _name in ("io:import_result", "io:import_errors", "io:import_progress"):
    _own_run_case(_name)  # the factories' runs are pending: progress answers 200


@web("io:import_cancel")
def _io_import_cancel(w: World, as_user: Any) -> None:
    ImportRun = apps.get_model("io", "ImportRun")
    own, other = _runs(w)
    ImportRun.objects.filter(pk__in=[own, other]).update(status="pending")
    c = as_user(w.cadre_a)
    assert c.post(reverse("io:import_cancel", args=[other])).status_code == 404
    assert c.post(reverse("io:import_cancel", args=[own])).status_code == 302
    statuses = dict(ImportRun.objects.values_list("pk", "status"))
    assert (statuses[own], statuses[other]) == ("cancelled", "pending")


@web("io:import_upload")
def _io_import_upload(w: World, as_user: Any) -> None:
    c = as_user(w.officer_a)
    assert c.get(reverse("io:import_upload", args=["households"])).status_code == 200
    assert c.get(reverse("io:import_upload", args=["no-such-kind"])).status_code == 404
    assert (
        as_user(w.grid_a).get(reverse("io:import_upload", args=["households"])).status_code == 403
    )


@web("io:import_template")
def _io_import_template(w: World, as_user: Any) -> None:
    # The same blank template for everyone; an unknown kind is 404.
    c = as_user(w.officer_a)
    assert c.get(reverse("io:import_template", args=["households"])).status_code == 200
    assert c.get(reverse("io:import_template", args=["no-such-kind"])).status_code == 404


# ---- API tokens: each user's own -------------------------------------------------------------


def _tokens(w: World) -> tuple[int, int]:
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.issue(w.officer_a)
    ApiToken.issue(w.officer_b)
    return (
        ApiToken.objects.get(user=w.officer_a).pk,
        ApiToken.objects.get(user=w.officer_b).pk,
    )


@web("accounts:token_list")
def _token_list(w: World, as_user: Any) -> None:
    own, _other = _tokens(w)
    response = as_user(w.officer_a).get(reverse("accounts:token_list"))
    assert response.status_code == 200
    assert [t.pk for t in response.context["tokens"]] == [own]


@web("accounts:token_create")
def _token_create(w: World, as_user: Any) -> None:
    ApiToken = apps.get_model("accounts", "ApiToken")
    assert as_user(w.officer_a).post(reverse("accounts:token_create")).status_code == 200
    assert list(ApiToken.objects.values_list("user", flat=True)) == [w.officer_a.pk]


@web("accounts:token_revoke")
def _token_revoke(w: World, as_user: Any) -> None:
    ApiToken = apps.get_model("accounts", "ApiToken")
    own, other = _tokens(w)
    c = as_user(w.officer_a)
    assert c.post(reverse("accounts:token_revoke", args=[other])).status_code == 404
    assert c.post(reverse("accounts:token_revoke", args=[own])).status_code == 302
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [other]


@api_route("GET /api/v1/auth/tokens")
def _api_tokens(w: World, as_user: Any) -> None:
    own, _other = _tokens(w)
    data = as_user(w.officer_a).get("/api/v1/auth/tokens").json()
    items = data["items"] if isinstance(data, dict) else data
    assert [t["id"] for t in items] == [own]


@api_route("DELETE /api/v1/auth/tokens/{token_id}")
def _api_token_revoke(w: World, as_user: Any) -> None:
    ApiToken = apps.get_model("accounts", "ApiToken")
    own, other = _tokens(w)
    c = as_user(w.officer_a)
    assert c.delete(f"/api/v1/auth/tokens/{other}").status_code == 404
    assert c.delete(f"/api/v1/auth/tokens/{own}").status_code == 204
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [other]


# ---- API lists and objects over the factories' rows ------------------------------------------


def _listed(response: Any, key: str) -> set[Any]:
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    return {item[key] for item in (data["items"] if isinstance(data, dict) else data)}


def _api_list_case(path: str) -> None:
    spec = API_LISTS[path]

    @api_route(f"GET {path}")
    def case(w: World, as_user: Any) -> None:
        rows: Rows = populate(w)
        model = apps.get_model(spec.model)
        ancestors = bool(getattr(model, "scope_includes_ancestors", False))
        reader = getattr(w, spec.reader)

        def values(code: str) -> set[Any]:
            pks = rows.expected(spec.model, code, ancestors=ancestors)
            qs = model._default_manager.filter(pk__in=pks)
            return set(qs.values_list(spec.column, flat=True))

        listed = _listed(as_user(reader).get(path, {"limit": 100}), spec.key)
        assert listed and listed <= values(reader.region.code)
        others = values(w.township_b.code) - values(reader.region.code)
        assert others and not listed & others


_MATRIX_LISTS = [p for p in API_LISTS if p.startswith(("/api/v1/economy/", "/api/v1/party/"))]
for _path in _MATRIX_LISTS:
    _api_list_case(_path)


def _api_object_case(path: str, label: str) -> None:
    @api_route(f"GET {path}")
    def case(w: World, as_user: Any) -> None:
        rows = populate(w)
        own = rows.one(label, w.village_a).pk
        other = rows.one(label, w.village_b).pk
        c = as_user(w.officer_a)
        url = path.split("{")[0]
        assert c.get(f"{url}{own}").status_code == 200
        assert c.get(f"{url}{other}").status_code == 404


for _path, _label in [
    ("/api/v1/economy/organizations/{organization_id}", "economy.CollectiveOrganization"),
    ("/api/v1/economy/vouchers/{voucher_id}", "economy.Voucher"),
    ("/api/v1/households/{household_id}", "registry.Household"),
]:
    _api_object_case(_path, _label)
