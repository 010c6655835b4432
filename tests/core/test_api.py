"""The JSON API's fixed points: token auth, region listing and lookup, errors as 400/404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, World
from zhenxing.core.accounts import services as account_services
from zhenxing.core.accounts.models import ApiToken
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.regions import services as region_services
from zhenxing.core.regions.models import Region
from zhenxing.registry import services as registry_services


def bearer(world_user: str) -> dict[str, str]:
    token = (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": world_user, "password": PASSWORD},
            content_type="application/json",
        )
        .json()["token"]
    )
    return {"Authorization": f"Bearer {token}"}


def test_token_is_issued_and_only_its_hash_is_stored(world: World) -> None:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "officer_a", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 32
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(token), user=world.officer_a).exists()


def test_wrong_credentials_get_400_with_a_message(world: World) -> None:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "officer_a", "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_without_credentials_the_api_answers_401(world: World) -> None:
    assert Client().get("/api/v1/regions/").status_code == 401
    bad = Client().get("/api/v1/regions/", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_regions_list_shape_and_filters(world: World) -> None:
    client = Client(headers=bearer("city"))
    body = client.get("/api/v1/regions/", {"parent": "520281"}).json()
    assert body["count"] == 2
    assert {"code": "520281004", "name": "红果街道", "kind": "township", "parent": "520281"} in (
        body["items"]
    )
    villages = client.get("/api/v1/regions/", {"kind": "village"}).json()
    assert {i["code"] for i in villages["items"]} == {
        "520281004201",
        "520281004202",
        "520281001201",
    }
    assert client.get("/api/v1/regions/", {"q": "pzs"}).json()["items"][0]["code"] == "520281"
    assert client.get("/api/v1/regions/", {"q": "盤州"}).json()["count"] == 1


def test_regions_list_is_paginated(world: World) -> None:
    client = Client(headers=bearer("city"))
    page = client.get("/api/v1/regions/", {"limit": 3, "offset": 0}).json()
    assert page["count"] == 8 and len(page["items"]) == 3
    rest = client.get("/api/v1/regions/", {"limit": 3, "offset": 6}).json()
    assert len(rest["items"]) == 2


def test_one_region_by_code(world: World) -> None:
    client = Client(headers=bearer("officer_a"))
    assert client.get("/api/v1/regions/520281004201").json() == {
        "code": "520281004201",
        "name": "沙坡村",
        "kind": "village",
        "parent": "520281004",
    }
    assert client.get("/api/v1/regions/520281001201").status_code == 404
    assert client.get("/api/v1/regions/999999").status_code == 404


def test_bad_input_gets_400_with_field_errors_never_500(world: World) -> None:
    client = Client(headers=bearer("officer_a"))
    bad_code = client.post(
        "/api/v1/regions/",
        {"parent": "520281004", "code": "520281004150", "name": "错", "kind": "village"},
        content_type="application/json",
    )
    assert bad_code.status_code == 400
    assert "code" in bad_code.json()["errors"]
    wrong_kind = client.post(
        "/api/v1/regions/",
        {"parent": "520281004", "code": "520281004001001", "name": "组", "kind": "group"},
        content_type="application/json",
    )
    assert wrong_kind.status_code == 400 and "parent" in wrong_kind.json()["errors"]
    duplicate = client.post(
        "/api/v1/regions/",
        {"parent": "520281004", "code": "520281004201", "name": "重", "kind": "village"},
        content_type="application/json",
    )
    assert duplicate.status_code == 400 and "code" in duplicate.json()["errors"]
    missing = client.post(
        "/api/v1/regions/", {"parent": "520281004"}, content_type="application/json"
    )
    assert missing.status_code == 400
    assert {"code", "name", "kind"} <= set(missing.json()["errors"])
    with_children = client.delete("/api/v1/regions/520281004201")
    assert with_children.status_code == 400
    assert Region.objects.filter(code="520281004201").exists()


def test_errors_come_in_the_callers_language(world: World) -> None:
    client = Client(headers=bearer("officer_a"))
    payload = {"parent": "520281004", "code": "520281004201", "name": "重", "kind": "village"}
    zh = client.post("/api/v1/regions/", payload, content_type="application/json")
    en = client.post(
        "/api/v1/regions/",
        payload,
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert "520281004201" in en.json()["errors"]["code"][0]
    assert "already in use" in en.json()["errors"]["code"][0]
    assert zh.json()["errors"]["code"][0] != en.json()["errors"]["code"][0]


def test_session_writes_need_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    response = client.patch(
        "/api/v1/regions/520281004201", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert Region.objects.get(code="520281004201").name == "沙坡村"


def test_openapi_schema_is_served(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/regions/" in schema["paths"]
    assert "/api/v1/auth/token" in schema["paths"]


def test_overlong_and_control_character_names_are_400(world: World) -> None:
    client = Client(headers=bearer("officer_a"))
    for name in ("村" * 65, "沙坡\n村", "a\tb"):
        response = client.post(
            "/api/v1/regions/",
            {"parent": "520281004", "code": "520281004260", "name": name, "kind": "village"},
            content_type="application/json",
        )
        assert response.status_code == 400, name
        assert "name" in response.json()["errors"]
    assert not Region.objects.filter(code="520281004260").exists()


def test_a_64_character_name_fits_with_its_pinyin(world: World) -> None:
    client = Client(headers=bearer("officer_a"))
    response = client.post(
        "/api/v1/regions/",
        {"parent": "520281004", "code": "520281004261", "name": "龘" * 64, "kind": "village"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_nul_characters_are_400_everywhere(world: World, as_user) -> None:
    client = as_user(world.officer_a)
    for url in (
        "/regions/search/?q=%00",
        "/regions/%00/",
        "/api/v1/regions/?q=%00",
        "/api/v1/regions/%00",
        "/accounts/?q=%00",
    ):
        assert client.get(url).status_code == 400, url
    token = Client().post(
        "/api/v1/auth/token",
        '{"username": "a\\u0000b", "password": "x"}',
        content_type="application/json",
    )
    assert token.status_code == 400


def test_very_long_queries_find_nothing_instead_of_failing(world: World, as_user) -> None:
    client = as_user(world.city)
    long_q = "村" * 60_000
    assert client.get("/api/v1/regions/", {"q": long_q}).json() == {"items": [], "count": 0}
    assert client.get("/regions/search/", {"q": long_q}).status_code == 200
    assert client.get("/accounts/", {"q": long_q}).status_code == 200


def test_unknown_filter_values_are_400(world: World) -> None:
    client = Client(headers=bearer("auditor"))
    kind = client.get("/api/v1/regions/", {"kind": "bogus"})
    assert kind.status_code == 400 and "kind" in kind.json()["errors"]
    since = client.get("/api/v1/audit/", {"since": "notadate"})
    assert since.status_code == 400 and "since" in since.json()["errors"]


def test_exports_survive_names_excel_refuses_as_sheet_names(world: World, as_user) -> None:
    Region.objects.filter(pk=world.village_a.pk).update(name="沙坡/新村[1]")
    client = as_user(world.officer_a)
    response = client.get(f"/regions/{world.village_a.code}/export/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


# --- defects found by the kernel issue (each failed before its fix) ---------------------------


@pytest.mark.parametrize("path", ["/api/v1/regions/", "/api/v1/accounts/", "/api/v1/audit/"])
@pytest.mark.parametrize("param", [{"offset": 10**20}, {"limit": 10**20}, {"offset": -1}])
def test_out_of_range_paging_is_400_not_500(world: World, path: str, param: dict) -> None:
    response = Client(headers=bearer("city")).get(path, param)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(param)


def test_deleting_a_group_households_still_reference_is_409(world: World) -> None:
    registry_services.household_create(
        actor=world.city, village=world.village_a, group=world.group_a, number="001", address="一组"
    )
    response = Client(headers=bearer("city")).delete(f"/api/v1/regions/{world.group_a.code}")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and "一组" in body["detail"]
    assert Region.objects.filter(code=world.group_a.code).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"parent": "520281004201", "code": "5" * 10_000, "name": "组", "kind": "group"},
        {
            "parent": "520281004201",
            "code": "520281004201002",
            "name": "组" * 10_000,
            "kind": "group",
        },
        {"parent": "520281004201", "code": "520281004201002", "name": "组", "kind": "g" * 10_000},
        {"parent": "5" * 10_000, "code": "520281004201002", "name": "组", "kind": "group"},
        {"parent": 10**30, "code": "520281004201002", "name": "组", "kind": "group"},
        {"parent": "520281004201", "code": 10**30, "name": "组", "kind": "group"},
    ],
)
def test_over_large_values_on_region_create_are_400(world: World, payload: dict) -> None:
    response = Client(headers=bearer("city")).post(
        "/api/v1/regions/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not Region.objects.filter(code="520281004201002").exists()


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _grow(world: World, parent: Region, n: int, start: int = 0) -> None:
    """More regions, accounts, audit entries (their creation) and the caller's tokens."""
    for i in range(start, start + n):
        region_services.region_create(
            actor=world.city,
            parent=parent,
            code=f"{parent.code}{i + 2:03d}",
            name=f"组{i}",
            kind="group",
        )
        account_services.account_create(
            actor=world.city,
            username=f"grow_{i}",
            full_name="",
            role="village_cadre",
            region=parent,
            password=PASSWORD,
        )
        ApiToken.issue(world.city)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/regions/", "/api/v1/accounts/", "/api/v1/audit/", "/api/v1/auth/tokens"],
)
def test_api_list_query_count_does_not_grow_with_rows(world: World, path: str) -> None:
    client = Client(headers=bearer("city"))
    _grow(world, world.village_a2, 2)
    _queries(client, path)  # the token's first use is recorded once (a write), then not
    before = _queries(client, path)
    _grow(world, world.village_b, 8, start=2)
    assert _queries(client, path) == before
