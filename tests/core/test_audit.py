"""The audit log: every change through pages, the API and commands, with before/after values,
grouped by request; browsable by auditors and city administrators; impossible to alter."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from zhenxing.core.audit.models import AuditEntry, ImmutableAuditError
from zhenxing.core.audit.services import audit_created_in_bulk, audit_record, audit_rows
from zhenxing.core.regions import services
from zhenxing.core.regions.models import Region


def test_a_change_through_a_page_is_logged_with_before_after_ip_and_request(
    world: World, as_user
) -> None:
    client = as_user(world.officer_a)
    response = client.post(
        reverse("regions:region_update", args=[world.village_a.code]),
        {"code": world.village_a.code, "name": "沙坡新村"},
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="update")
    assert entry.actor == world.officer_a and entry.actor_label == "officer_a"
    assert entry.source == "web" and entry.ip == "10.20.30.40"
    assert entry.changes == {"name": ["沙坡村", "沙坡新村"]}
    assert str(entry.request_id) == response["X-Request-ID"]


def test_a_change_through_the_api_is_logged(world: World, as_user) -> None:
    client = as_user(world.officer_a)
    response = client.patch(
        f"/api/v1/regions/{world.village_a.code}",
        {"name": "沙坡二村"},
        content_type="application/json",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="update")
    assert entry.source == "api"
    assert entry.changes == {"name": ["沙坡村", "沙坡二村"]}


def test_both_changes_show_on_the_audit_page_and_the_objects_history(world: World, as_user) -> None:
    officer = as_user(world.officer_a)
    officer.post(
        reverse("regions:region_update", args=[world.village_a.code]),
        {"code": world.village_a.code, "name": "沙坡新村"},
    )
    officer.patch(
        f"/api/v1/regions/{world.village_a.code}",
        {"name": "沙坡二村"},
        content_type="application/json",
    )
    page = as_user(world.auditor).get(reverse("audit:audit_list")).content.decode()
    assert page.count('data-action="update"') == 2
    for value in ("沙坡村", "沙坡新村", "沙坡二村"):
        assert value in page
    history = officer.get(reverse("regions:region_detail", args=[world.village_a.code]))
    assert [e.changes["name"][1] for e in history.context["history"]] == ["沙坡二村", "沙坡新村"]


def test_audit_filters_narrow_the_list(world: World, as_user) -> None:
    services.region_update(actor=world.officer_a, region=world.village_a, name="甲")
    services.region_update(actor=world.officer_b, region=world.village_b, name="乙")
    client = as_user(world.auditor)
    by_actor = client.get(reverse("audit:audit_list"), {"actor": "officer_b"})
    assert [e.object_repr for e in by_actor.context["entries"]] == [
        str(type(world.village_b).objects.get(pk=world.village_b.pk))
    ]
    by_region = client.get(reverse("audit:audit_list"), {"region": world.township_a.code})
    assert {e.actor_label for e in by_region.context["entries"]} == {"officer_a"}


def test_audit_log_is_for_auditors_and_city_admins(world: World, as_user) -> None:
    assert as_user(world.city).get(reverse("audit:audit_list")).status_code == 200
    assert as_user(world.auditor).get(reverse("audit:audit_list")).status_code == 200
    for user in (world.officer_a, world.cadre_a, world.grid_a):
        assert as_user(user).get(reverse("audit:audit_list")).status_code == 403
        assert as_user(user).get("/api/v1/audit/").status_code == 403


def test_audit_export_is_an_xlsx_of_the_filtered_entries(world: World, as_user) -> None:
    services.region_update(actor=world.officer_a, region=world.village_a, name="甲村")
    response = as_user(world.auditor).get(reverse("audit:audit_export"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2 and "甲村" in rows[1][6]


def test_audit_rows_cannot_be_changed_through_the_model(world: World) -> None:
    services.region_update(actor=world.officer_a, region=world.village_a, name="甲")
    entry = AuditEntry.objects.get()
    entry.actor_label = "someone else"
    with pytest.raises(ImmutableAuditError):
        entry.save()
    with pytest.raises(ImmutableAuditError):
        entry.delete()
    with pytest.raises(ImmutableAuditError):
        AuditEntry.objects.all().update(actor_label="x")
    with pytest.raises(ImmutableAuditError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().actor_label == "officer_a"


def test_audit_rows_cannot_be_changed_even_with_raw_sql(world: World) -> None:
    services.region_update(actor=world.officer_a, region=world.village_a, name="甲")
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET actor_label = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get().actor_label == "officer_a"


def test_a_failed_write_leaves_no_audit_row(world: World) -> None:
    from zhenxing.core.errors import DomainError

    with pytest.raises(DomainError):
        services.region_create(
            actor=world.officer_a,
            parent=world.township_a,
            code="520281004500",
            name="错村",
            kind="village",
        )
    assert not AuditEntry.objects.exists()


def test_history_of_a_moved_account_keeps_the_old_jurisdictions_entries_out(
    world: World, as_user
) -> None:
    from zhenxing.core.accounts import services as account_services

    account_services.account_update(
        actor=world.city,
        account=world.cadre_b,
        full_name="秘密",
        role="village_cadre",
        region=world.village_b,
        is_active=True,
    )
    account_services.account_update(
        actor=world.city,
        account=world.cadre_b,
        full_name="秘密",
        role="village_cadre",
        region=world.village_a,
        is_active=True,
    )
    page = as_user(world.officer_a).get(reverse("accounts:account_detail", args=[world.cadre_b.pk]))
    history = page.context["history"]
    assert [e.region_code for e in history] == [world.village_a.code]
    # The rename recorded while the account was in township B (Cadre_B → 秘密) stays out; the
    # move itself is shown, with where it came from.
    assert "Cadre_B" not in page.content.decode()


def test_ip_addresses_in_history_are_for_audit_readers_only(world: World, as_user) -> None:
    as_user(world.officer_a).post(
        reverse("regions:region_update", args=[world.village_a.code]),
        {"code": world.village_a.code, "name": "沙坡新村"},
        REMOTE_ADDR="10.20.30.40",
    )
    url = reverse("regions:region_detail", args=[world.village_a.code])
    assert "10.20.30.40" not in as_user(world.grid_a).get(url).content.decode()
    assert "10.20.30.40" in as_user(world.auditor).get(url).content.decode()


def test_client_address_behind_a_trusted_proxy(world: World, as_user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NUM_PROXIES = 1
    as_user(world.officer_a).post(
        reverse("regions:region_update", args=[world.village_a.code]),
        {"code": world.village_a.code, "name": "沙坡新村"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.9",
    )
    assert AuditEntry.objects.get(action="update").ip == "10.1.1.9"


def test_every_write_path_stores_the_county_code(world: World) -> None:
    """The distribution key: one entry, rows written in bulk, and objects created in bulk."""
    services.region_update(actor=world.officer_a, region=world.village_a, name="甲")
    audit_rows(
        actor=world.city,
        model=Region,
        items=[("update", world.group_b.pk, "一组", world.group_b.code, {})],
    )
    audit_created_in_bulk(
        actor=world.city, model=Region, at=timezone.now(), created={world.township_b.code: [1, 2]}
    )
    audit_record(actor="load_divisions", action="create", obj=world.county, region_code="")
    codes = set(AuditEntry.objects.values_list("region_code", "county_code"))
    assert codes == {
        (world.village_a.code, "520281"),
        (world.group_b.code, "520281"),
        (world.township_b.code, "520281"),
        ("", ""),
    }


def test_the_county_code_cannot_be_changed_either(world: World) -> None:
    # Migration 0006 dropped the triggers to fill the new column in: they must be back.
    services.region_update(actor=world.officer_a, region=world.village_a, name="甲")
    table = AuditEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET county_code = '999999'")
    assert AuditEntry.objects.get().county_code == "520281"


def test_a_bad_filter_on_the_audit_page_and_export_is_a_400(world: World, as_user) -> None:
    client = as_user(world.auditor)
    page = client.get(reverse("audit:audit_list"), {"since": "notadate"})
    assert page.status_code == 400 and "since" in page.context["filter"].errors
    assert client.get(reverse("audit:audit_export"), {"action": "bogus"}).status_code == 400
    assert client.get(reverse("audit:audit_export"), {"format": "pdf"}).status_code == 400


def test_the_audit_export_needs_the_export_permission_too(world: World, as_user) -> None:
    # The page is for audit readers; its export for readers who may export (both, today).
    assert as_user(world.grid_a).get(reverse("audit:audit_export")).status_code == 403


def test_the_log_pages_newest_first_without_counting(world: World, as_user) -> None:
    """A log of millions of rows is paged by "next" and "previous", not counted on each
    request: page N reads one row more than it shows."""
    for i in range(7):
        services.region_update(actor=world.officer_a, region=world.village_a, name=f"村{i}")
    services.region_update(actor=world.officer_b, region=world.village_b, name="乙村")
    client = as_user(world.auditor_a)  # township A's auditor: township B's entry is not hers
    url = reverse("audit:audit_list")
    with override_page_size(3):
        first = client.get(url)
        names = [e.changes["name"][1] for e in first.context["entries"]]
        assert names == ["村6", "村5", "村4"]
        body = first.content.decode()
        assert "page=2" in body and "page=0" not in body
        assert "第 1 页（第 1–3 条）" in body and "共" not in body.split("pagination")[1]
        last = client.get(url, {"page": 3})
        assert [e.changes["name"][1] for e in last.context["entries"]] == ["村0"]
        assert "page=4" not in last.content.decode() and "page=2" in last.content.decode()
        assert client.get(url, {"page": 4}).status_code == 404
        assert client.get(url, {"page": "x"}).status_code == 404
    # The county's auditor sees both townships' entries, newest first.
    everyone = as_user(world.auditor).get(url)
    assert everyone.context["entries"][0].changes["name"][1] == "乙村"


def override_page_size(n: int):  # type: ignore[no-untyped-def]
    from unittest import mock

    from zhenxing.core.audit.views import AuditListView

    return mock.patch.object(AuditListView, "paginate_by", n)
