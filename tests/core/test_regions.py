"""The jurisdiction tree: code rules, subtree queries, name search, services and the loader."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.errors import Conflict, DomainError, Forbidden, NotFound
from zhenxing.core.regions import selectors, services
from zhenxing.core.regions.models import Region, RegionKind, region_code_errors
from zhenxing.core.scoping import subtree_q
from zhenxing.registry import services as registry_services


@pytest.mark.parametrize(
    ("kind", "code", "parent_code", "field"),
    [
        ("township", "52028100", "520281", "code"),  # 8 digits
        ("township", "52028100X", "520281", "code"),  # not digits
        ("township", "520282004", "520281", "code"),  # not under the parent
        ("village", "520281004199", "520281004", "code"),  # village serials are 200-399
        ("village", "520281004400", "520281004", "code"),
        ("community", "520281004200", "520281004", "code"),  # community serials are 001-199
        ("community", "520281004000", "520281004", "code"),
        ("group", "520281004201000", "520281004201", "code"),
        ("village", "520281004201", "520281", "parent"),  # a village directly under a county
        ("group", "520281004001", "520281004", "parent"),  # a group under a township
        ("township", "520281009", None, "parent"),
    ],
)
def test_bad_codes_and_parents_are_refused(
    world: World, kind: str, code: str, parent_code: str | None, field: str
) -> None:
    parent = Region.objects.get(code=parent_code) if parent_code else None
    errors = region_code_errors(kind=kind, code=code, parent=parent)
    assert field in errors


@pytest.mark.parametrize(
    ("kind", "code", "parent_code"),
    [
        ("township", "520281009", "520281"),
        ("village", "520281004200", "520281004"),
        ("village", "520281004399", "520281004"),
        ("community", "520281004001", "520281004"),
        ("community", "520281004199", "520281004"),
        ("group", "520281004201012", "520281004201"),
    ],
)
def test_good_codes_pass(world: World, kind: str, code: str, parent_code: str) -> None:
    assert (
        region_code_errors(kind=kind, code=code, parent=Region.objects.get(code=parent_code)) == {}
    )


def test_subtree_is_one_range_query_on_the_indexed_code(world: World) -> None:
    with CaptureQueriesContext(connection) as ctx:
        codes = list(
            Region.objects.filter(subtree_q(world.township_a.code)).values_list("code", flat=True)
        )
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"]
    assert ">=" in sql and "<" in sql and "LIKE" not in sql.upper()
    assert sorted(codes) == sorted(
        [world.township_a.code, world.village_a.code, world.village_a2.code, world.group_a.code]
    )


def test_ancestors_come_from_code_prefixes(world: World) -> None:
    assert [r.code for r in world.group_a.ancestors()] == ["520281", "520281004", "520281004201"]


@pytest.mark.parametrize("query", ["盘州", "盤州", "pzs", "PZS", "panzhou", "盘州市"])
def test_search_finds_the_city_in_either_script_or_pinyin(world: World, query: str) -> None:
    found = selectors.region_list(actor=world.city, q=query)
    assert world.county in found


def test_search_by_traditional_name_of_a_township(world: World) -> None:
    assert list(selectors.region_list(actor=world.city, q="紅果")) == [world.township_a]


def test_search_is_scoped(world: World) -> None:
    assert list(selectors.region_list(actor=world.officer_a, q="龙井")) == []
    assert list(selectors.region_list(actor=world.officer_b, q="龙井")) == [world.village_b]


def test_create_writes_and_audits_in_one_go(world: World) -> None:
    region = services.region_create(
        actor=world.officer_a,
        parent=world.township_a,
        code="520281004230",
        name="新寨村",
        kind=RegionKind.VILLAGE,
    )
    entry = AuditEntry.objects.get(object_id=str(region.pk), action="create")
    assert entry.actor == world.officer_a
    assert entry.changes["name"] == [None, "新寨村"]
    assert entry.region_code == "520281004230"


def test_duplicate_code_is_a_field_error_and_writes_nothing(world: World) -> None:
    before = Region.objects.count()
    with pytest.raises(DomainError) as exc:
        services.region_create(
            actor=world.officer_a,
            parent=world.township_a,
            code=world.village_a.code,
            name="重复村",
            kind="village",
        )
    assert "code" in exc.value.errors
    assert Region.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_village_cadre_adds_groups_only_in_own_village(world: World) -> None:
    group = services.region_create(
        actor=world.cadre_a,
        parent=world.village_a,
        code="520281004201002",
        name="二组",
        kind="group",
    )
    assert group.parent == world.village_a
    with pytest.raises(NotFound):
        services.region_create(
            actor=world.cadre_a,
            parent=world.village_a2,
            code="520281004202002",
            name="二组",
            kind="group",
        )


def test_grid_worker_and_auditor_cannot_write(world: World) -> None:
    for actor in (world.grid_a, world.auditor):
        with pytest.raises(Forbidden):
            services.region_create(
                actor=actor,
                parent=world.village_a,
                code="520281004201003",
                name="三组",
                kind="group",
            )


def test_nobody_edits_the_region_they_are_bound_to(world: World) -> None:
    with pytest.raises(Forbidden):
        services.region_update(actor=world.officer_a, region=world.township_a, name="改名")


def test_update_records_before_and_after(world: World) -> None:
    services.region_update(actor=world.officer_a, region=world.village_a, name="沙坡新村")
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes == {"name": ["沙坡村", "沙坡新村"]}


def test_update_with_no_change_records_nothing(world: World) -> None:
    services.region_update(actor=world.officer_a, region=world.village_a, name="沙坡村")
    assert not AuditEntry.objects.exists()


def test_code_of_a_region_with_children_cannot_change(world: World) -> None:
    with pytest.raises(DomainError) as exc:
        services.region_update(actor=world.officer_a, region=world.village_a, code="520281004203")
    assert exc.value.field == "code"
    assert Region.objects.get(pk=world.village_a.pk).code == "520281004201"


def test_deleting_a_region_with_children_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as exc:
        services.region_delete(actor=world.officer_a, region=world.village_a)
    assert exc.value.code == "has_children"
    assert Region.objects.filter(pk=world.village_a.pk).exists()


def test_deleting_a_region_with_accounts_is_refused(world: World) -> None:
    Region.objects.filter(parent=world.village_a).delete()
    with pytest.raises(DomainError) as exc:
        services.region_delete(actor=world.officer_a, region=world.village_a)
    assert exc.value.code == "has_accounts"


def test_delete_keeps_an_audit_record_of_what_was_deleted(world: World) -> None:
    services.region_delete(actor=world.officer_a, region=world.group_a)
    entry = AuditEntry.objects.get(action="delete")
    assert entry.changes["code"] == ["520281004201001", None]
    assert not Region.objects.filter(code="520281004201001").exists()


@pytest.mark.django_db
def test_load_divisions_loads_panzhou_and_its_27_townships() -> None:
    call_command("load_divisions", county="520281")
    county = Region.objects.get(code="520281")
    assert county.name == "盘州市" and county.kind == RegionKind.COUNTY
    townships = Region.objects.filter(parent=county, kind=RegionKind.TOWNSHIP)
    assert townships.count() == 27
    assert townships.get(code="520281004").name == "红果街道"
    assert townships.get(code="520281214").name == "保基苗族彝族乡"
    entries = AuditEntry.objects.filter(action="create")
    assert entries.count() == 28
    assert set(entries.values_list("source", flat=True)) == {"command"}
    assert len(set(entries.values_list("request_id", flat=True))) == 1


@pytest.mark.django_db
def test_load_divisions_twice_changes_nothing() -> None:
    call_command("load_divisions", county="520281")
    entries = AuditEntry.objects.count()
    call_command("load_divisions", county="520281")
    assert Region.objects.count() == 28
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_load_divisions_rejects_an_unknown_county() -> None:
    with pytest.raises(CommandError, match="999999"):
        call_command("load_divisions", county="999999")
    assert not Region.objects.exists()


def test_home_chart_export_needs_the_export_permission(world: World, as_user) -> None:
    # A grid worker's role holds no permissions: the chart's numbers are an export like any other.
    assert as_user(world.grid_a).get(reverse("home_chart_export")).status_code == 403
    response = as_user(world.officer_a).get(reverse("home_chart_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        as_user(world.officer_a).get(reverse("home_chart_export"), {"format": "pdf"}).status_code
        == 400
    )


def test_deleting_a_referenced_region_is_a_conflict(world: World) -> None:
    registry_services.household_create(
        actor=world.city, village=world.village_a, group=world.group_a, number="001", address="一组"
    )
    with pytest.raises(Conflict):
        services.region_delete(actor=world.city, region=world.group_a)
    assert Region.objects.filter(pk=world.group_a.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_deleting_a_referenced_region_from_its_page_says_why(world: World, as_user) -> None:
    registry_services.household_create(
        actor=world.city, village=world.village_a, group=world.group_a, number="001", address="一组"
    )
    response = as_user(world.city).post(reverse("regions:region_delete", args=[world.group_a.code]))
    assert response.status_code == 409
    assert "一组" in response.content.decode()
    assert Region.objects.filter(pk=world.group_a.pk).exists()
