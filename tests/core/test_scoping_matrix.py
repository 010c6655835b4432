"""The scoping matrix: every page and API route, exercised by a township officer (or a township
auditor, for audit routes) against another township's objects.

`test_every_route_has_a_scoping_case` enumerates the URL resolver and the OpenAPI schema, so a
new route without a case here fails the suite. Each case checks both sides: the actor's own
object works (so the case is not vacuous), the other township's answers 404 or is absent.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PASSWORD, World
from zhenxing.api import api
from zhenxing.core.accounts.models import User
from zhenxing.core.regions import services as region_services
from zhenxing.core.regions.models import Region

Case = Callable[[World, Callable], None]
WEB: dict[str, Case] = {}
API: dict[str, Case] = {}

# Routes that are not bound to any region's objects.
PUBLIC_WEB = {
    "login",
    "logout",
    "password_change",
    "set_language",
    "registry:import_template",  # the same blank template for everyone
    "economy:voucher_import_template",
}
PUBLIC_API = {"POST /api/v1/auth/token"}
NINJA_DOCS = {"api:openapi-json", "api:openapi-view"}


def web(name: str) -> Callable[[Case], Case]:
    def register(fn: Case) -> Case:
        WEB[name] = fn
        return fn

    return register


def api_route(key: str) -> Callable[[Case], Case]:
    def register(fn: Case) -> Case:
        API[key] = fn
        return fn

    return register


def _walk(patterns: list, namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns and namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            names |= _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            if p.name is None:
                names.add(f"<unnamed {p.pattern}>")
            else:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)
    return names


def all_web_routes() -> set[str]:
    return {n for n in _walk(get_resolver().url_patterns) if not n.startswith("api:")}


def all_api_routes() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def text(response) -> str:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # an XLSX: read every cell
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
        )
    return body.decode("utf-8-sig")


def own_and_others(w: World) -> tuple[str, str]:
    return w.village_a.name, w.village_b.name


# ---- the enumeration -------------------------------------------------------------------------


def test_every_route_has_a_scoping_case() -> None:
    web_routes = all_web_routes()
    api_routes = all_api_routes()
    assert web_routes - set(WEB) - PUBLIC_WEB == set(), "web routes without a scoping case"
    assert api_routes - set(API) - PUBLIC_API == set(), "API routes without a scoping case"
    # Cases for routes that no longer exist are dead weight: fail on those too.
    assert set(WEB) - web_routes == set()
    assert set(API) - api_routes == set()
    ninja_patterns = {n for n in _walk(get_resolver().url_patterns) if n.startswith("api:")}
    assert ninja_patterns >= NINJA_DOCS


# ---- pages -----------------------------------------------------------------------------------


@web("home")
def _home(w: World, as_user) -> None:
    body = text(as_user(w.officer_a).get(reverse("home")))
    own, other = own_and_others(w)
    assert w.township_a.name in body and w.township_b.name not in body
    assert own in body and other not in body
    # The active-accounts card counts the township's accounts only.
    in_township = User.objects.filter(is_active=True, region__code__startswith="520281004")
    assert f'data-count="accounts">{in_township.count()}<' in body


@web("home_chart_export")
def _home_chart(w: World, as_user) -> None:
    body = text(as_user(w.officer_a).get(reverse("home_chart_export")))
    own, other = own_and_others(w)
    assert own in body and other not in body


@web("regions:region_root")
def _region_root(w: World, as_user) -> None:
    response = as_user(w.officer_a).get(reverse("regions:region_root"))
    assert response.status_code == 302
    assert response["Location"] == reverse("regions:region_detail", args=[w.township_a.code])


@web("regions:region_search")
def _region_search(w: World, as_user) -> None:
    body = text(as_user(w.officer_a).get(reverse("regions:region_search"), {"q": "村"}))
    own, other = own_and_others(w)
    assert own in body and other not in body


@web("regions:region_detail")
def _region_detail(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    assert c.get(reverse("regions:region_detail", args=[w.village_a.code])).status_code == 200
    assert c.get(reverse("regions:region_detail", args=[w.village_b.code])).status_code == 404
    assert c.get(reverse("regions:region_detail", args=[w.county.code])).status_code == 404


@web("regions:region_create")
def _region_create(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    own = c.post(
        reverse("regions:region_create", args=[w.township_a.code]),
        {"kind": "village", "code": "520281004210", "name": "新村"},
    )
    assert own.status_code == 302 and Region.objects.filter(code="520281004210").exists()
    other = c.post(
        reverse("regions:region_create", args=[w.township_b.code]),
        {"kind": "village", "code": "520281001210", "name": "新村"},
    )
    assert other.status_code == 404
    assert not Region.objects.filter(code="520281001210").exists()


@web("regions:region_update")
def _region_update(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    own = c.post(
        reverse("regions:region_update", args=[w.village_a.code]),
        {"code": w.village_a.code, "name": "沙坡新村"},
    )
    assert own.status_code == 302
    other = c.post(
        reverse("regions:region_update", args=[w.village_b.code]),
        {"code": w.village_b.code, "name": "改名村"},
    )
    assert other.status_code == 404
    assert Region.objects.get(pk=w.village_b.pk).name == w.village_b.name


@web("regions:region_delete")
def _region_delete(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    assert c.post(reverse("regions:region_delete", args=[w.group_a.code])).status_code == 302
    assert not Region.objects.filter(pk=w.group_a.pk).exists()
    assert c.post(reverse("regions:region_delete", args=[w.group_b.code])).status_code == 404
    assert Region.objects.filter(pk=w.group_b.pk).exists()


@web("regions:region_export")
def _region_export(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    body = text(c.get(reverse("regions:region_export", args=[w.township_a.code])))
    own, other = own_and_others(w)
    assert own in body and other not in body
    assert c.get(reverse("regions:region_export", args=[w.township_b.code])).status_code == 404
    assert c.get(reverse("regions:region_export", args=[w.county.code])).status_code == 404


@web("accounts:account_list")
def _account_list(w: World, as_user) -> None:
    body = text(as_user(w.officer_a).get(reverse("accounts:account_list")))
    assert w.cadre_a.username in body and w.cadre_b.username not in body


@web("accounts:account_create")
def _account_create(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    data = {
        "username": "new_a",
        "full_name": "",
        "role": "village_cadre",
        "region": w.village_a.code,
        "password": PASSWORD,
    }
    assert c.post(reverse("accounts:account_create"), data).status_code == 302
    # Another township's village reads exactly like a code that does not exist.
    data |= {"username": "new_b", "region": w.village_b.code}
    other = c.post(reverse("accounts:account_create"), data)
    missing = c.post(reverse("accounts:account_create"), data | {"region": "520281004299"})
    assert other.status_code == missing.status_code == 200
    assert other.context["form"].errors == missing.context["form"].errors
    assert not User.objects.filter(username="new_b").exists()


@web("accounts:account_detail")
def _account_detail(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    assert c.get(reverse("accounts:account_detail", args=[w.cadre_a.pk])).status_code == 200
    assert c.get(reverse("accounts:account_detail", args=[w.cadre_b.pk])).status_code == 404
    data = {"full_name": "X", "role": "village_cadre", "region": w.village_b.code, "is_active": ""}
    assert c.post(reverse("accounts:account_detail", args=[w.cadre_b.pk]), data).status_code == 404
    assert User.objects.get(pk=w.cadre_b.pk).is_active


@web("accounts:account_password")
def _account_password(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    new = "another-long-password-1"
    ok = c.post(reverse("accounts:account_password", args=[w.cadre_a.pk]), {"password": new})
    assert ok.status_code == 302
    assert User.objects.get(pk=w.cadre_a.pk).check_password(new)
    other = c.post(reverse("accounts:account_password", args=[w.cadre_b.pk]), {"password": new})
    assert other.status_code == 404
    assert User.objects.get(pk=w.cadre_b.pk).check_password(PASSWORD)


def _audited_renames(w: World) -> None:
    region_services.region_update(actor=w.city, region=w.village_a, name=w.village_a.name + "甲")
    region_services.region_update(actor=w.city, region=w.village_b, name=w.village_b.name + "乙")


@web("audit:audit_list")
def _audit_list(w: World, as_user) -> None:
    _audited_renames(w)
    body = text(as_user(w.auditor_a).get(reverse("audit:audit_list")))
    assert w.village_a.name + "甲" in body and w.village_b.name + "乙" not in body


@web("audit:audit_export")
def _audit_export(w: World, as_user) -> None:
    _audited_renames(w)
    body = text(as_user(w.auditor_a).get(reverse("audit:audit_export")))
    assert w.village_a.name + "甲" in body and w.village_b.name + "乙" not in body


# ---- API -------------------------------------------------------------------------------------


def _codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {
        item.get("code") or item.get("username") or item.get("object")
        for item in response.json()["items"]
    }


@api_route("GET /api/v1/regions/")
def _api_regions(w: World, as_user) -> None:
    codes = _codes(as_user(w.officer_a).get("/api/v1/regions/", {"limit": 500}))
    assert w.village_a.code in codes and w.village_b.code not in codes


@api_route("GET /api/v1/regions/{code}")
def _api_region(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    assert c.get(f"/api/v1/regions/{w.village_a.code}").status_code == 200
    assert c.get(f"/api/v1/regions/{w.village_b.code}").status_code == 404


@api_route("POST /api/v1/regions/")
def _api_region_create(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    own = {"parent": w.township_a.code, "code": "520281004220", "name": "甲村", "kind": "village"}
    assert c.post("/api/v1/regions/", own, content_type="application/json").status_code == 201
    other = {"parent": w.township_b.code, "code": "520281001220", "name": "乙村", "kind": "village"}
    assert c.post("/api/v1/regions/", other, content_type="application/json").status_code == 404
    assert not Region.objects.filter(code="520281001220").exists()


@api_route("PATCH /api/v1/regions/{code}")
def _api_region_update(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    ok = c.patch(
        f"/api/v1/regions/{w.village_a.code}", {"name": "甲"}, content_type="application/json"
    )
    assert ok.status_code == 200
    other = c.patch(
        f"/api/v1/regions/{w.village_b.code}", {"name": "乙"}, content_type="application/json"
    )
    assert other.status_code == 404
    assert Region.objects.get(pk=w.village_b.pk).name == w.village_b.name


@api_route("DELETE /api/v1/regions/{code}")
def _api_region_delete(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    assert c.delete(f"/api/v1/regions/{w.group_a.code}").status_code == 204
    assert c.delete(f"/api/v1/regions/{w.group_b.code}").status_code == 404
    assert Region.objects.filter(pk=w.group_b.pk).exists()


@api_route("GET /api/v1/accounts/")
def _api_accounts(w: World, as_user) -> None:
    names = _codes(as_user(w.officer_a).get("/api/v1/accounts/"))
    assert w.cadre_a.username in names and w.cadre_b.username not in names


@api_route("GET /api/v1/accounts/{account_id}")
def _api_account(w: World, as_user) -> None:
    c = as_user(w.officer_a)
    assert c.get(f"/api/v1/accounts/{w.cadre_a.pk}").status_code == 200
    assert c.get(f"/api/v1/accounts/{w.cadre_b.pk}").status_code == 404


@api_route("GET /api/v1/audit/")
def _api_audit(w: World, as_user) -> None:
    _audited_renames(w)
    objects = _codes(as_user(w.auditor_a).get("/api/v1/audit/"))
    assert any(w.village_a.name + "甲" in o for o in objects)
    assert not any(w.village_b.name + "乙" in o for o in objects)


# ---- registry --------------------------------------------------------------------------------


def _registry(w: World) -> tuple[Any, Any, Any, Any]:
    from tests.conftest import make_household, make_person

    ha = make_household(w, "HA-001")
    hb = make_household(w, "HB-001", village=w.village_b)
    pa = make_person(w, ha, "张三", 1)
    pb = make_person(w, hb, "张四", 3)
    return ha, hb, pa, pb


@api_route("GET /api/v1/persons/")
def _api_persons(w: World, as_user) -> None:
    _ha, _hb, pa, pb = _registry(w)
    response = as_user(w.officer_a).get("/api/v1/persons/", {"q": "张"})
    names = {item["id"] for item in response.json()["items"]}
    assert pa.pk in names and pb.pk not in names
    # A full ID number from another township finds nothing either.
    from tests.conftest import valid_id

    other = as_user(w.officer_a).get("/api/v1/persons/", {"q": valid_id(seq=3)})
    assert other.json()["count"] == 0


@api_route("GET /api/v1/persons/{person_id}")
def _api_person(w: World, as_user) -> None:
    _ha, _hb, pa, pb = _registry(w)
    c = as_user(w.officer_a)
    assert c.get(f"/api/v1/persons/{pa.pk}").status_code == 200
    assert c.get(f"/api/v1/persons/{pb.pk}").status_code == 404
    assert c.get(f"/api/v1/persons/{pb.pk}", {"unmasked": "true"}).status_code == 404


@api_route("GET /api/v1/households/")
def _api_households(w: World, as_user) -> None:
    ha, hb, _pa, _pb = _registry(w)
    numbers = {i["number"] for i in as_user(w.officer_a).get("/api/v1/households/").json()["items"]}
    assert ha.number in numbers and hb.number not in numbers
    by_village = as_user(w.officer_a).get("/api/v1/households/", {"village": w.village_b.code})
    assert by_village.json()["count"] == 0


@web("registry:household_list")
def _household_list(w: World, as_user) -> None:
    ha, hb, _pa, _pb = _registry(w)
    body = text(as_user(w.officer_a).get(reverse("registry:household_list")))
    assert ha.number in body and hb.number not in body
    filtered = text(
        as_user(w.officer_a).get(reverse("registry:household_list"), {"village": w.township_b.code})
    )
    assert hb.number not in filtered


@web("registry:household_detail")
def _household_detail(w: World, as_user) -> None:
    ha, hb, _pa, _pb = _registry(w)
    c = as_user(w.officer_a)
    assert c.get(reverse("registry:household_detail", args=[ha.pk])).status_code == 200
    assert c.get(reverse("registry:household_detail", args=[hb.pk])).status_code == 404


@web("registry:household_export")
def _household_export(w: World, as_user) -> None:
    ha, hb, pa, pb = _registry(w)
    body = text(as_user(w.officer_a).get(reverse("registry:household_export")))
    assert ha.number in body and pa.name in body
    assert hb.number not in body and pb.name not in body


@web("registry:person_detail")
def _person_detail(w: World, as_user) -> None:
    _ha, _hb, pa, pb = _registry(w)
    c = as_user(w.officer_a)
    assert c.get(reverse("registry:person_detail", args=[pa.pk])).status_code == 200
    assert c.get(reverse("registry:person_detail", args=[pb.pk])).status_code == 404


@web("registry:person_reveal")
def _person_reveal(w: World, as_user) -> None:
    from zhenxing.core.audit.models import AuditEntry

    _ha, _hb, pa, pb = _registry(w)
    c = as_user(w.officer_a)
    assert c.post(reverse("registry:person_reveal", args=[pa.pk])).status_code == 200
    assert c.post(reverse("registry:person_reveal", args=[pb.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="view_sensitive", object_id=str(pb.pk)).exists()


@web("registry:household_edit")
def _household_edit(w: World, as_user) -> None:
    ha, hb, _pa, _pb = _registry(w)
    c = as_user(w.officer_a)
    data = {"address": "新地址", "labour_count": 2}
    assert c.get(reverse("registry:household_edit", args=[ha.pk])).status_code == 200
    assert c.post(reverse("registry:household_edit", args=[ha.pk]), data).status_code == 302
    assert c.post(reverse("registry:household_edit", args=[hb.pk]), data).status_code == 404
    grid = as_user(w.grid_a).post(reverse("registry:household_edit", args=[ha.pk]), data)
    assert grid.status_code == 403
    ha.refresh_from_db()
    hb.refresh_from_db()
    assert ha.labour_count == 2 and hb.labour_count == 0


@web("registry:person_edit")
def _person_edit(w: World, as_user) -> None:
    _ha, _hb, pa, pb = _registry(w)
    c = as_user(w.officer_a)
    data = {"name": "新名", "ethnicity": "01", "relation": "head", "health": "healthy"}
    assert c.get(reverse("registry:person_edit", args=[pa.pk])).status_code == 200
    assert c.post(reverse("registry:person_edit", args=[pa.pk]), data).status_code == 302
    assert c.post(reverse("registry:person_edit", args=[pb.pk]), data).status_code == 404
    grid = as_user(w.grid_a).post(reverse("registry:person_edit", args=[pa.pk]), data)
    assert grid.status_code == 403
    pa.refresh_from_db()
    pb.refresh_from_db()
    assert pa.name == "新名" and pb.name == "张四"


@web("registry:household_create")
def _household_create(w: World, as_user) -> None:
    from zhenxing.registry.models import Household

    c = as_user(w.officer_a)
    own = c.post(
        reverse("registry:household_create"),
        {"number": "HA-100", "village": w.village_a.code, "labour_count": 1},
    )
    assert own.status_code == 302 and Household.objects.filter(number="HA-100").exists()
    other = c.post(
        reverse("registry:household_create"),
        {"number": "HB-100", "village": w.village_b.code, "labour_count": 1},
    )
    missing = c.post(
        reverse("registry:household_create"),
        {"number": "HB-100", "village": "520281004299", "labour_count": 1},
    )
    assert other.status_code == missing.status_code == 200
    assert other.context["form"].errors == missing.context["form"].errors
    assert not Household.objects.filter(number="HB-100").exists()


@web("registry:person_create")
def _person_create(w: World, as_user) -> None:
    from tests.conftest import valid_id
    from zhenxing.registry.models import Person

    ha, hb, _pa, _pb = _registry(w)
    c = as_user(w.officer_a)
    data = {
        "name": "新人",
        "id_number": valid_id(seq=21),
        "ethnicity": "01",
        "relation": "child",
        "health": "healthy",
    }
    assert c.post(reverse("registry:person_create", args=[ha.pk]), data).status_code == 302
    data["id_number"] = valid_id(seq=23)
    assert c.post(reverse("registry:person_create", args=[hb.pk]), data).status_code == 404
    assert not Person.objects.filter(household=hb, name="新人").exists()


def _import_csv(w: World, village: Any, number: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import valid_id

    body = "户编号,村代码,姓名,身份证号码,与户主关系,民族\n" + (
        f"{number},{village.code},甲,{valid_id(seq=51)},户主,汉族\n"
    )
    return SimpleUploadedFile("h.csv", body.encode("utf-8-sig"), content_type="text/csv")


@web("registry:import_upload")
def _import_upload(w: World, as_user) -> None:
    from zhenxing.registry.models import Household

    c = as_user(w.officer_a)
    own = c.post(reverse("registry:import_upload"), {"file": _import_csv(w, w.village_a, "IA-1")})
    assert own.status_code == 302 and Household.objects.filter(number="IA-1").exists()
    other = c.post(
        reverse("registry:import_upload"),
        {"file": _import_csv(w, w.village_b, "IB-1")},
        follow=True,
    )
    assert other.context["run"].status == "rejected"
    assert not Household.objects.filter(number="IB-1").exists()


def _runs(w: World, as_user) -> tuple[int, int]:
    from zhenxing.io.models import ImportRun

    as_user(w.officer_a).post(
        reverse("registry:import_upload"), {"file": _import_csv(w, w.village_b, "IB-2")}
    )
    as_user(w.officer_b).post(
        reverse("registry:import_upload"), {"file": _import_csv(w, w.village_a, "IA-2")}
    )
    own = ImportRun.objects.get(actor=w.officer_a).pk
    other = ImportRun.objects.get(actor=w.officer_b).pk
    return own, other


@web("registry:import_result")
def _import_result(w: World, as_user) -> None:
    own, other = _runs(w, as_user)
    c = as_user(w.officer_a)
    assert c.get(reverse("registry:import_result", args=[own])).status_code == 200
    assert c.get(reverse("registry:import_result", args=[other])).status_code == 404


@web("registry:import_progress")
def _import_progress(w: World, as_user) -> None:
    own, other = _runs(w, as_user)
    c = as_user(w.officer_a)
    assert c.get(reverse("registry:import_progress", args=[own])).status_code == 204
    assert c.get(reverse("registry:import_progress", args=[other])).status_code == 404


@web("registry:import_cancel")
def _import_cancel(w: World, as_user) -> None:
    from zhenxing.io.models import ImportRun

    own, other = _runs(w, as_user)
    ImportRun.objects.filter(pk__in=[own, other]).update(status="pending")
    c = as_user(w.officer_a)
    assert c.post(reverse("registry:import_cancel", args=[own])).status_code == 302
    assert c.post(reverse("registry:import_cancel", args=[other])).status_code == 404
    statuses = dict(ImportRun.objects.values_list("pk", "status"))
    assert (statuses[own], statuses[other]) == ("cancelled", "pending")


@web("registry:import_errors")
def _import_errors(w: World, as_user) -> None:
    own, other = _runs(w, as_user)
    c = as_user(w.officer_a)
    assert c.get(reverse("registry:import_errors", args=[own])).status_code == 200
    assert c.get(reverse("registry:import_errors", args=[other])).status_code == 404


# ---- collective economy ------------------------------------------------------------------


def _books(w: World) -> tuple[Any, Any, Any, Any]:
    """Each township's village with its cooperative and one posted voucher: (org_a, org_b,
    voucher_a, voucher_b). Amounts differ so a page shows whose books it read."""
    import datetime as dt

    from zhenxing.economy import services as economy
    from zhenxing.economy.services import LineIn
    from zhenxing.economy.services import entities as economy_entities

    orgs = []
    vouchers = []
    for village, approver, amount in (
        (w.village_a, w.officer_a, "11111.11"),
        (w.village_b, w.officer_b, "22222.22"),
    ):
        org = economy_entities.organization_create(
            actor=w.city, village=village, name=f"{village.name}社"
        )
        draft = economy.voucher_prepare(
            actor=w.city,
            organization=org,
            date=dt.date(2020, 5, 6),
            summary=f"{village.name}租金",
            lines=[LineIn("102", amount, 0), LineIn("501", 0, amount)],
        )
        vouchers.append(economy.voucher_post(actor=approver, voucher=draft))
        orgs.append(org)
    return orgs[0], orgs[1], vouchers[0], vouchers[1]


@web("economy:dashboard")
def _economy_dashboard(w: World, as_user) -> None:
    _books(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("economy:dashboard"), {"year": 2020}))
    assert "11,111.11" in body and "22,222.22" not in body
    assert c.get(reverse("economy:dashboard"), {"region": w.township_b.code}).status_code == 404
    assert c.get(reverse("economy:dashboard"), {"region": w.county.code}).status_code == 404


@web("economy:dashboard_export")
def _economy_dashboard_export(w: World, as_user) -> None:
    _books(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("economy:dashboard_export"), {"year": 2020, "table": "villages"}))
    own, other = own_and_others(w)
    assert own in body and other not in body
    assert (
        c.get(reverse("economy:dashboard_export"), {"region": w.village_b.code}).status_code == 404
    )


@web("economy:summary_report")
def _economy_summary_report(w: World, as_user) -> None:
    _books(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("economy:summary_report"), {"year": 2020}))
    own, other = own_and_others(w)
    assert own in body and other not in body
    assert c.get(reverse("economy:summary_report"), {"region": w.county.code}).status_code == 404


@web("economy:organization_detail")
def _economy_organization(w: World, as_user) -> None:
    org_a, org_b, _va, _vb = _books(w)
    c = as_user(w.officer_a)
    assert c.get(reverse("economy:organization_detail", args=[org_a.pk])).status_code == 200
    assert c.get(reverse("economy:organization_detail", args=[org_b.pk])).status_code == 404


@web("economy:organization_reports")
def _economy_reports(w: World, as_user) -> None:
    org_a, org_b, _va, _vb = _books(w)
    c = as_user(w.officer_a)
    args = {"year": 2020, "month": 5}
    body = text(c.get(reverse("economy:organization_reports", args=[org_a.pk]), args))
    assert "11,111.11" in body
    assert c.get(reverse("economy:organization_reports", args=[org_b.pk])).status_code == 404


@web("economy:period_close")
def _economy_period_close(w: World, as_user) -> None:
    org_a, org_b, _va, _vb = _books(w)
    c = as_user(w.officer_a)
    month = {"year": 2020, "month": 5}
    assert c.post(reverse("economy:period_close", args=[org_a.pk]), month).status_code == 302
    assert c.post(reverse("economy:period_close", args=[org_b.pk]), month).status_code == 404
    org_a.refresh_from_db()
    org_b.refresh_from_db()
    assert (org_a.closed_through, org_b.closed_through) == (202005, None)


def _old_books(w: World) -> tuple[Any, Any]:
    """A cooperative in each township keeping a 2004-chart book here (one posted voucher)."""
    import datetime as dt

    from zhenxing.economy import services as economy
    from zhenxing.economy.services import LineIn
    from zhenxing.economy.services import entities as economy_entities

    orgs = []
    for village, approver in ((w.village_a, w.officer_a), (w.village_b, w.officer_b)):
        org = economy_entities.organization_create(
            actor=w.city, village=village, name=f"{village.name}社", chart="2004"
        )
        draft = economy.voucher_prepare(
            actor=w.city,
            organization=org,
            date=dt.date(2023, 5, 6),
            summary="收到资本",
            lines=[LineIn("102", "500", 0), LineIn("301", 0, "500")],
        )
        economy.voucher_post(actor=approver, voucher=draft)
        orgs.append(org)
    return orgs[0], orgs[1]


@web("economy:conversion")
def _economy_conversion(w: World, as_user) -> None:
    org_a, org_b = _old_books(w)
    c = as_user(w.officer_a)
    page = c.get(reverse("economy:conversion", args=[org_a.pk]))
    assert page.status_code == 200 and "库存现金" not in text(page)
    assert "银行存款" in text(page)
    assert c.get(reverse("economy:conversion", args=[org_b.pk])).status_code == 404
    assert as_user(w.cadre_a).get(reverse("economy:conversion", args=[org_a.pk])).status_code == 403
    done = c.post(reverse("economy:conversion", args=[org_a.pk]), {"action": "convert"})
    assert done.status_code == 302
    assert c.post(reverse("economy:conversion", args=[org_b.pk]), {}).status_code == 404
    org_a.refresh_from_db()
    org_b.refresh_from_db()
    assert (org_a.chart, org_b.chart) == ("2023", "2004")


@web("economy:conversion_undo")
def _economy_conversion_undo(w: World, as_user) -> None:
    from zhenxing.economy.services.conversion import chart_convert

    org_a, org_b = _old_books(w)
    own = chart_convert(actor=w.officer_a, organization=org_a)
    other = chart_convert(actor=w.officer_b, organization=org_b)
    c = as_user(w.officer_a)
    assert c.post(reverse("economy:conversion_undo", args=[own.pk])).status_code == 302
    assert c.post(reverse("economy:conversion_undo", args=[other.pk])).status_code == 404
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("undone", "effective")


@web("economy:voucher_create")
def _economy_voucher_create(w: World, as_user) -> None:
    from zhenxing.economy.models import Voucher

    org_a, org_b, _va, _vb = _books(w)
    c = as_user(w.officer_a)
    form = {
        "date": "2020-06-01",
        "summary": "收到租金",
        "attachments": "1",
        "account_0": "102",
        "debit_0": "50",
        "account_1": "501",
        "credit_1": "50",
    }
    assert c.post(reverse("economy:voucher_create", args=[org_a.pk]), form).status_code == 302
    assert c.post(reverse("economy:voucher_create", args=[org_b.pk]), form).status_code == 404
    assert Voucher.objects.filter(summary="收到租金").count() == 1


@web("economy:voucher_detail")
def _economy_voucher_detail(w: World, as_user) -> None:
    _oa, _ob, va, vb = _books(w)
    c = as_user(w.officer_a)
    assert c.get(reverse("economy:voucher_detail", args=[va.pk])).status_code == 200
    assert c.get(reverse("economy:voucher_detail", args=[vb.pk])).status_code == 404


def _drafts(w: World) -> tuple[Any, Any]:
    """A draft in each township's books, prepared by the city (so either officer may post)."""
    import datetime as dt

    from zhenxing.economy import services as economy
    from zhenxing.economy.services import LineIn

    org_a, org_b, _va, _vb = _books(w)
    return tuple(  # type: ignore[return-value]
        economy.voucher_prepare(
            actor=w.city,
            organization=org,
            date=dt.date(2020, 7, 1),
            summary="待审",
            lines=[LineIn("101", "5", 0), LineIn("504", 0, "5")],
        )
        for org in (org_a, org_b)
    )


@web("economy:voucher_post")
def _economy_voucher_post(w: World, as_user) -> None:
    own, other = _drafts(w)
    c = as_user(w.officer_a)
    assert c.post(reverse("economy:voucher_post", args=[own.pk])).status_code == 302
    assert c.post(reverse("economy:voucher_post", args=[other.pk])).status_code == 404
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("posted", "draft")


@web("economy:voucher_discard")
def _economy_voucher_discard(w: World, as_user) -> None:
    from zhenxing.economy.models import Voucher

    own, other = _drafts(w)
    c = as_user(w.officer_a)
    assert c.post(reverse("economy:voucher_discard", args=[own.pk])).status_code == 302
    assert c.post(reverse("economy:voucher_discard", args=[other.pk])).status_code == 404
    assert not Voucher.objects.filter(pk=own.pk).exists()
    assert Voucher.objects.filter(pk=other.pk).exists()


@web("economy:voucher_reverse")
def _economy_voucher_reverse(w: World, as_user) -> None:
    from zhenxing.economy.models import Voucher

    _oa, _ob, va, vb = _books(w)
    c = as_user(w.officer_a)
    assert c.post(reverse("economy:voucher_reverse", args=[va.pk])).status_code == 302
    assert c.post(reverse("economy:voucher_reverse", args=[vb.pk])).status_code == 404
    assert Voucher.objects.filter(reverses=va).exists()
    assert not Voucher.objects.filter(reverses=vb).exists()


def _plans(w: World, status: str = "village_approved") -> tuple[Any, Any]:
    """A distribution plan in each township's village, at ``status``."""
    from zhenxing.economy.models import DistributionPlan
    from zhenxing.economy.services import distribution

    org_a, org_b, _va, _vb = _books(w)
    plans = []
    for org, cadre in ((org_a, w.cadre_a), (org_b, w.cadre_b)):
        plan = distribution.distribution_plan_propose(
            actor=cadre, organization=org, year=2020, reserve="0", dividend_per_share="0"
        )
        plans.append(plan)
    DistributionPlan.objects.filter(pk__in=[p.pk for p in plans]).update(status=status)
    return plans[0], plans[1]


@web("economy:plan_list")
def _economy_plan_list(w: World, as_user) -> None:
    _plans(w)
    body = text(as_user(w.officer_a).get(reverse("economy:plan_list")))
    own, other = own_and_others(w)
    assert own in body and other not in body


@web("economy:plan_detail")
def _economy_plan_detail(w: World, as_user) -> None:
    own, other = _plans(w)
    c = as_user(w.officer_a)
    assert c.get(reverse("economy:plan_detail", args=[own.pk])).status_code == 200
    assert c.get(reverse("economy:plan_detail", args=[other.pk])).status_code == 404


@web("economy:plan_approve")
def _economy_plan_approve(w: World, as_user) -> None:
    own, other = _plans(w)
    c = as_user(w.officer_a)
    assert c.post(reverse("economy:plan_approve", args=[own.pk])).status_code == 302
    assert c.post(reverse("economy:plan_approve", args=[other.pk])).status_code == 404
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("effective", "village_approved")


@web("economy:plan_reject")
def _economy_plan_reject(w: World, as_user) -> None:
    own, other = _plans(w)
    c = as_user(w.officer_a)
    reason = {"reason": "数据有误"}
    assert c.post(reverse("economy:plan_reject", args=[own.pk]), reason).status_code == 302
    assert c.post(reverse("economy:plan_reject", args=[other.pk]), reason).status_code == 404
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("rejected", "village_approved")


@web("economy:plan_dividends")
def _economy_plan_dividends(w: World, as_user) -> None:
    own, other = _plans(w, status="effective")
    c = as_user(w.officer_a)
    assert c.get(reverse("economy:plan_dividends", args=[own.pk])).status_code == 200
    assert c.get(reverse("economy:plan_dividends", args=[other.pk])).status_code == 404


@web("economy:plan_create")
def _economy_plan_create(w: World, as_user) -> None:
    from zhenxing.economy.models import DistributionPlan

    org_a, org_b, _va, _vb = _books(w)
    c = as_user(w.officer_a)
    form = {"year": "2020", "reserve": "0", "collective_shares": "0", "dividend_per_share": "0"}
    assert c.post(reverse("economy:plan_create", args=[org_a.pk]), form).status_code == 302
    assert c.post(reverse("economy:plan_create", args=[org_b.pk]), form).status_code == 404
    assert list(DistributionPlan.objects.values_list("organization", flat=True)) == [org_a.pk]


@web("economy:shareholding_list")
def _economy_shareholdings(w: World, as_user) -> None:
    from tests.conftest import make_household
    from zhenxing.economy.models import Shareholding

    org_a, org_b, _va, _vb = _books(w)
    make_household(w, "SA-1")
    make_household(w, "LJ-1", village=w.village_b)
    c = as_user(w.officer_a)
    assert c.get(reverse("economy:shareholding_list", args=[org_b.pk])).status_code == 404
    url = reverse("economy:shareholding_list", args=[org_a.pk])
    assert (
        c.post(url, {"household": "SA-1", "shares": "4", "basis": "per_person"}).status_code == 302
    )
    # Another township's household is unknown here, as if it did not exist.
    page = text(c.post(url, {"household": "LJ-1", "shares": "4", "basis": "per_person"}))
    assert "LJ-1" not in list(Shareholding.objects.values_list("household__number", flat=True))
    assert "SA-1" in text(c.get(url)) and page


@web("economy:voucher_import")
def _economy_voucher_import(w: World, as_user) -> None:
    from zhenxing.economy.models import Voucher

    _books(w)
    c = as_user(w.officer_a)
    header = "村代码,凭证号,日期,摘要,科目编号,借方金额,贷方金额\n"
    for village, name in ((w.village_a, "own.csv"), (w.village_b, "other.csv")):
        body = (
            header
            + f"{village.code},9,2020-08-01,导入,102,7,\n{village.code},9,2020-08-01,导入,511,,7\n"
        )
        upload = io.BytesIO(body.encode())
        upload.name = name
        assert c.post(reverse("economy:voucher_import"), {"file": upload}).status_code == 302
    imported = Voucher.objects.filter(summary="导入")
    assert list(imported.values_list("organization__village", flat=True)) == [w.village_a.pk]


@web("economy:voucher_post_all")
def _economy_voucher_post_all(w: World, as_user) -> None:
    own, other = _drafts(w)
    c = as_user(w.officer_a)
    assert (
        c.post(reverse("economy:voucher_post_all", args=[own.organization_id])).status_code == 302
    )
    assert (
        c.post(reverse("economy:voucher_post_all", args=[other.organization_id])).status_code == 404
    )
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("posted", "draft")


@web("economy:industries")
def _economy_industries(w: World, as_user) -> None:
    from zhenxing.economy.models import Industry, VillageIndustry
    from zhenxing.economy.services import support

    cili = Industry.objects.get(name="刺梨")
    for village, area in ((w.village_a, "11"), (w.village_b, "22")):
        support.industry_scale_set(
            actor=w.city, village=village, industry=cili, year=2020, area_mu=area
        )
    c = as_user(w.officer_a)
    body = text(c.get(reverse("economy:industries"), {"year": 2020}))
    own, other = own_and_others(w)
    assert own in body and other not in body
    assert c.get(reverse("economy:industries"), {"region": w.village_b.code}).status_code == 404
    form = {"village": w.village_b.code, "industry": cili.pk, "area_mu": "99", "output": "0"}
    form |= {"output_value": "0", "households": "0"}
    c.post(reverse("economy:industries") + "?year=2020", form)
    assert VillageIndustry.objects.get(village=w.village_b).area_mu == 22


@web("economy:supported_villages")
def _economy_supported(w: World, as_user) -> None:
    from zhenxing.economy.models import SupportRecord
    from zhenxing.economy.services import support

    theirs = support.supported_village_designate(actor=w.city, village=w.village_b, year=2020)
    support.supported_village_designate(actor=w.city, village=w.village_a, year=2020)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("economy:supported_villages"), {"year": 2020}))
    own, other = own_and_others(w)
    assert own in body and other not in body
    record = {"record": "1", "supported": theirs.pk, "form": "technical", "date": "2020-05-01"}
    record |= {"amount": "0", "source": "农业农村局"}
    c.post(reverse("economy:supported_villages") + "?year=2020", record)
    assert not SupportRecord.objects.exists()


@web("economy:contracts")
def _economy_contracts(w: World, as_user) -> None:
    import datetime as dt

    from zhenxing.economy.models import Company, LinkageContract
    from zhenxing.economy.rules.values import check_uscc
    from zhenxing.economy.services import entities as economy_entities

    org_a, org_b, _va, _vb = _books(w)
    companies = []
    for region, body, name in (
        (w.township_a, "91520281MA6DKQ1X2", "甲公司"),
        (w.township_b, "915202815829012345", "乙公司"),
    ):
        from stdnum.cn import uscc

        code = body[:17] + uscc.calc_check_digit(body[:17])
        companies.append(
            economy_entities.company_create(
                actor=w.city,
                region=region,
                name=name,
                kind="township",
                uscc=check_uscc(code),
                legal_representative="张三",
            )
        )
    for company, org in zip(companies, (org_a, org_b), strict=True):
        economy_entities.contract_create(
            actor=w.city,
            company=company,
            organization=org,
            kind="labour",
            signed_on=dt.date(2020, 1, 1),
            starts_on=dt.date(2020, 1, 1),
            ends_on=dt.date(2020, 12, 31),
            amount="1000",
        )
    c = as_user(w.officer_a)
    body = text(c.get(reverse("economy:contracts")))
    assert "甲公司" in body and "乙公司" not in body
    form = {"company": companies[1].pk, "village": w.village_b.code, "kind": "labour"}
    form |= {"signed_on": "2020-01-01", "starts_on": "2020-01-01", "ends_on": "2020-12-31"}
    form |= {"amount": "5", "households": "0"}
    c.post(reverse("economy:contracts"), form)
    assert LinkageContract.objects.count() == 2
    assert Company.objects.count() == 2


@web("economy:voucher_attach")
def _economy_voucher_attach(w: World, as_user) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhenxing.economy.models import VoucherAttachment

    own, other = _drafts(w)
    c = as_user(w.officer_a)
    for voucher, status in ((own, 302), (other, 404)):
        scan = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
        url = reverse("economy:voucher_attach", args=[voucher.pk])
        assert c.post(url, {"file": scan}).status_code == status
    assert list(VoucherAttachment.objects.values_list("voucher", flat=True)) == [own.pk]


@web("economy:voucher_attachment")
def _economy_voucher_attachment(w: World, as_user) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhenxing.economy import services as economy

    own, other = _drafts(w)
    files = [
        economy.voucher_attach(
            actor=w.city,
            voucher=v,
            upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        )
        for v in (own, other)
    ]
    c = as_user(w.officer_a)
    assert c.get(reverse("economy:voucher_attachment", args=[files[0].pk])).status_code == 200
    assert c.get(reverse("economy:voucher_attachment", args=[files[1].pk])).status_code == 404


@web("economy:companies")
def _economy_companies(w: World, as_user) -> None:
    from stdnum.cn import uscc

    from zhenxing.economy.models import Company

    c = as_user(w.officer_a)
    for region, village, body, name in (
        (w.township_a, w.village_a, "91520281MA6DKQ1X2", "甲公司"),
        (w.township_b, w.village_b, "915202815829012345", "乙公司"),
    ):
        form = {"name": name, "kind": "private", "legal_representative": "张三"}
        form |= {"uscc": body[:17] + uscc.calc_check_digit(body[:17]), "industries": "刺梨"}
        form |= {"region": region.code, "villages": village.code, "registered_capital": "0"}
        c.post(reverse("economy:companies"), form)
    assert list(Company.objects.values_list("name", flat=True)) == ["甲公司"]
    theirs = Company.objects.create(
        region=w.township_b, name="丙公司", kind="private", uscc="x", legal_representative="李四"
    )
    body = text(c.get(reverse("economy:companies")))
    assert "甲公司" in body and theirs.name not in body


@web("economy:carry_forward")
def _economy_carry_forward(w: World, as_user) -> None:
    from zhenxing.economy.models import Voucher

    org_a, org_b, _va, _vb = _books(w)  # 511 income in 2020 in both books
    c = as_user(w.officer_a)
    assert (
        c.post(reverse("economy:carry_forward", args=[org_a.pk]), {"year": "2020"}).status_code
        == 302
    )
    assert (
        c.post(reverse("economy:carry_forward", args=[org_b.pk]), {"year": "2020"}).status_code
        == 404
    )
    drafts = Voucher.objects.filter(status="draft")
    assert list(drafts.values_list("organization", flat=True)) == [org_a.pk]


@api_route("GET /api/v1/economy/summary")
def _api_economy_summary(w: World, as_user) -> None:
    _books(w)
    c = as_user(w.officer_a)
    own = c.get("/api/v1/economy/summary", {"year": 2020}).json()
    assert own["cooperatives"] == 1 and own["total_accumulation"] == "11111.11"
    assert c.get("/api/v1/economy/summary", {"region": w.township_b.code}).status_code == 404
    assert c.get("/api/v1/economy/summary", {"region": w.county.code}).status_code == 404


# ---- party building: its cases live beside this file and register on import ---------------
from tests.core import (  # noqa: E402,F401
    scoping_grid,
    scoping_kernel,
    scoping_party,
    scoping_party_import,
    scoping_party_training,
)

# ---- the cases above, run (after they have all registered) ---------------------------------


@pytest.mark.parametrize("name", sorted(WEB))
def test_web_route_is_scoped(name: str, world: World, as_user) -> None:
    WEB[name](world, as_user)


@pytest.mark.parametrize("key", sorted(API))
def test_api_route_is_scoped(key: str, world: World, as_user) -> None:
    API[key](world, as_user)
