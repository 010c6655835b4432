"""The web and API kernel: scoping, permissions, filters, exports, errors and policy values
decided once (core.web, core.api, core.policy), checked through small views built only from
the kernel's classes (tests/web/kernel_urls.py) and through the project's API document."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import FieldError

from tests.conftest import World
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.errors import DomainError
from zhenxing.core.policy.models import PolicyValue
from zhenxing.core.policy.registry import Setting
from zhenxing.core.regions.models import Region

pytestmark = pytest.mark.urls("tests.web.kernel_urls")


def test_a_list_shows_only_the_readers_subtree(world: World, as_user) -> None:
    body = as_user(world.officer_a).get("/kernel/regions/").json()
    assert world.township_a.code in body["codes"]
    assert world.village_a.code in body["codes"]
    assert world.township_b.code not in body["codes"]
    assert world.village_b.code not in body["codes"]


def test_a_list_filters_through_its_filterset(world: World, as_user) -> None:
    body = as_user(world.city).get("/kernel/regions/?kind=township").json()
    assert body["codes"] == sorted([world.township_a.code, world.township_b.code])


def test_a_bad_filter_value_is_a_400_naming_the_parameter(world: World, as_user) -> None:
    response = as_user(world.city).get("/kernel/regions/?kind=planet&since=1e30")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind", "since"}
    assert response.json()["codes"] == []


def test_another_regions_object_is_404_and_ones_own_200(world: World, as_user) -> None:
    client = as_user(world.officer_a)
    assert client.get(f"/kernel/regions/{world.village_b.code}/").status_code == 404
    assert client.get(f"/kernel/regions/{world.village_a.code}/").json() == {
        "code": world.village_a.code
    }


def test_a_missing_permission_is_403_and_anonymous_goes_to_login(
    world: World, as_user, client
) -> None:
    assert as_user(world.grid_a).get("/kernel/needs-write/").status_code == 403
    assert as_user(world.officer_a).get("/kernel/needs-write/").status_code == 200
    response = client.get("/kernel/needs-write/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_export_needs_the_export_permission(world: World, as_user) -> None:
    assert as_user(world.grid_a).get("/kernel/regions/?format=xlsx").status_code == 403
    response = as_user(world.officer_a).get("/kernel/regions/?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world.village_a.code in text and world.village_b.code not in text


def test_an_unknown_export_format_or_bad_filter_is_a_400(world: World, as_user) -> None:
    client = as_user(world.officer_a)
    assert client.get("/kernel/regions/?format=pdf").status_code == 400
    assert client.get("/kernel/regions/?format=csv&kind=planet").status_code == 400


def test_a_conflict_is_a_409_page(world: World, as_user) -> None:
    response = as_user(world.city).get("/kernel/conflict/")
    assert response.status_code == 409
    assert "This region is still referenced." in response.content.decode()


def test_an_action_refused_by_the_service_is_a_message_not_a_write(world: World, as_user) -> None:
    client = as_user(world.officer_a)
    response = client.post(f"/kernel/regions/{world.village_a.code}/rename/", {"name": ""})
    assert response.status_code == 302
    world.village_a.refresh_from_db()
    assert world.village_a.name != ""
    client.post(f"/kernel/regions/{world.village_a.code}/rename/", {"name": "新名村"})
    world.village_a.refresh_from_db()
    assert world.village_a.name == "新名村"


def test_an_action_on_another_regions_object_is_404_and_without_the_role_403(
    world: World, as_user
) -> None:
    url = f"/kernel/regions/{world.village_b.code}/rename/"
    assert as_user(world.officer_a).post(url, {"name": "x"}).status_code == 404
    own = f"/kernel/regions/{world.group_a.code}/rename/"
    assert as_user(world.grid_a).post(own, {"name": "x"}).status_code in (403, 404)
    assert as_user(world.auditor).post(own, {"name": "x"}).status_code == 403
    world.village_b.refresh_from_db()
    assert world.village_b.name != "x"


def test_a_wrong_scope_field_fails_even_for_an_outsider(world: World, monkeypatch) -> None:
    monkeypatch.setattr(Region, "scope_region_field", "no_such_field", raising=False)
    monkeypatch.setattr(Region, "scope_code_field", None, raising=False)
    with pytest.raises(FieldError):
        Region.objects.visible_to(world.outsider)
    with pytest.raises(FieldError):
        Region.objects.writable_by(world.outsider, "change")


# ---- the API's error contract -----------------------------------------------------------


def test_every_api_operation_documents_its_errors_with_one_schema(db: None) -> None:
    from zhenxing.api import api

    schema = api.get_openapi_schema()
    assert "ErrorOut" in schema["components"]["schemas"]
    operations = [
        (path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()
    ]
    assert len(operations) > 5
    for path, method, op in operations:
        codes = {int(c) for c in op["responses"]}
        assert {400, 401, 403, 404} <= codes, (path, method)
        if method in ("post", "put", "patch", "delete"):
            assert 409 in codes, (path, method)
        error = op["responses"][404]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ErrorOut"}


def test_api_pagination_is_bounded(settings) -> None:
    from pydantic import ValidationError

    from zhenxing.core.api import Pagination

    schema = Pagination.Input.model_json_schema()["properties"]
    assert schema["offset"]["minimum"] == 0
    assert schema["offset"]["maximum"] == settings.API_MAX_OFFSET
    assert schema["limit"]["maximum"] == settings.API_MAX_PAGE_SIZE
    for bad in ({"offset": 10**20}, {"offset": -1}, {"limit": 0}, {"limit": 10**6}):
        with pytest.raises(ValidationError):
            Pagination.Input(**bad)


# ---- yearly policy values -----------------------------------------------------------------


def test_a_policy_value_reads_the_row_in_force_else_the_default(world: World, monkeypatch) -> None:
    from zhenxing.core.policy import registry, selectors, services

    declared = Setting(key="test.days", label="days", default=5, kind="int", source="test")
    table = {**registry.settings_by_key(), declared.key: declared}
    monkeypatch.setattr(registry, "settings_by_key", lambda: table)
    assert selectors.policy_value("test.days", 2024) == Decimal(5)
    row = services.policy_set(actor=world.city, key="test.days", effective_from=2025, value=7)
    assert selectors.policy_int("test.days", 2024) == 5
    assert selectors.policy_int("test.days", 2025) == 7
    assert selectors.policy_int("test.days", 2030) == 7
    assert selectors.policy_values("test.", 2030) == {"test.days": Decimal(7)}
    assert AuditEntry.objects.filter(object_id=str(row.pk)).exists()
    for bad in ({"value": "1.5"}, {"value": "-1"}, {"effective_from": 1900}, {"key": "x.y"}):
        kwargs = {"key": "test.days", "effective_from": 2026, "value": 3} | bad
        with pytest.raises(DomainError):
            services.policy_set(actor=world.city, **kwargs)
    assert PolicyValue.objects.filter(key="test.days").count() == 1


def test_a_filtersets_parameters_are_documented_with_their_types_and_bounds() -> None:
    from tests.web.kernel_urls import RegionFilterSet
    from zhenxing.core.api import filter_params

    properties = filter_params(RegionFilterSet).model_json_schema()["properties"]
    kinds = next(t for t in properties["kind"]["anyOf"] if "enum" in t)["enum"]
    assert "township" in kinds and "village" in kinds
    since = next(t for t in properties["since"]["anyOf"] if t.get("type") == "integer")
    assert (since["minimum"], since["maximum"]) == (2000, 2100)


def test_a_text_filters_length_and_pattern_are_documented() -> None:
    import django_filters

    from zhenxing.core.api import filter_params
    from zhenxing.core.web.filters import RegionCodeFilter, ScopedFilterSet

    class Coded(ScopedFilterSet):
        village = RegionCodeFilter("code")
        name = django_filters.CharFilter(max_length=64)

        class Meta:
            model = Region
            fields: list[str] = []

    properties = filter_params(Coded).model_json_schema()["properties"]
    village = next(t for t in properties["village"]["anyOf"] if t.get("type") == "string")
    assert village["maxLength"] == 15 and village["pattern"] == r"^\d{2,15}$"
    name = next(t for t in properties["name"]["anyOf"] if t.get("type") == "string")
    assert name["maxLength"] == 64


def test_an_api_error_names_a_parameter_even_when_it_is_called_form() -> None:
    from zhenxing.core.api import _field_path

    assert _field_path(["query", "form"]) == "form"
    assert _field_path(["body", "payload", "code"]) == "code"
    assert _field_path(["query", "filters", "village"]) == "village"
    assert _field_path(["query", "limit"]) == "limit"
    assert _field_path([]) == "__all__"


@pytest.mark.parametrize("url", ["/party/cadres/", "/party/pipeline/", "/party/talent/"])
def test_a_pages_unknown_export_format_is_a_400_not_the_page(
    world: World, as_user, url: str
) -> None:
    assert as_user(world.officer_a).get(url + "?format=pdf").status_code == 400
    assert as_user(world.grid_a).get(url + "?format=xlsx").status_code == 403
    assert as_user(world.officer_a).get(url).status_code == 200


def test_no_two_api_schemas_share_a_name(db: None) -> None:
    """ninja names a component by its class: two ``MemberOut`` classes (registry, party) made
    the document describe the party members' list with the registry's schema."""
    import ast
    from collections import Counter
    from pathlib import Path

    import zhenxing

    root = Path(zhenxing.__file__).parent
    names = Counter(
        node.name
        for path in root.rglob("api.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef)
        and any(getattr(b, "id", "") == "Schema" for b in node.bases)
    )
    assert [n for n, count in names.items() if count > 1] == []


def test_the_policy_command_lists_every_apps_settings_and_sets_one(db: None) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    from zhenxing.core.policy.selectors import policy_value

    out = StringIO()
    call_command("policy", stdout=out)
    listing = out.getvalue()
    assert "economy.min_accumulation" in listing and "party.term_years" in listing
    call_command("policy", "economy.min_accumulation", "2027", "250000", stdout=StringIO())
    assert policy_value("economy.min_accumulation", 2027) == Decimal("250000")
    assert policy_value("economy.min_accumulation", 2026) != Decimal("250000")
    row = PolicyValue.objects.get(key="economy.min_accumulation", effective_from=2027)
    entry = AuditEntry.objects.get(object_id=str(row.pk))
    assert entry.actor_label == "policy"
    for bad in (["no.such", "2027", "1"], ["party.term_years", "2027", "4.5"]):
        with pytest.raises(CommandError):
            call_command("policy", *bad, stdout=StringIO())
