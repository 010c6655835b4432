"""`zhenxing demo`: the demo city with real townships, synthetic villages and one login per role."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client, override_settings

from zhenxing.core.accounts.models import User
from zhenxing.core.regions.models import VILLAGE_SERIALS, Region, RegionKind, region_code_errors


def run_demo() -> str:
    """The demo command without the registry fill (tests/demo/test_registry_demo.py has that)."""
    out = io.StringIO()
    call_command("demo", "--scale", "none", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZHENXING_DEMO_PASSWORD", "demo-password-for-tests")
    with override_settings(VAR_DIR=tmp_path):
        yield tmp_path


@pytest.mark.django_db
def test_demo_builds_the_city_and_prints_one_login_per_role(demo_env: Path) -> None:
    out = run_demo()
    county = Region.objects.get(code="520281")
    assert Region.objects.filter(parent=county, kind=RegionKind.TOWNSHIP).count() == 27
    villages = Region.objects.filter(kind=RegionKind.VILLAGE)
    assert 447 <= villages.count() <= 451
    # Every township has villages, every village has villager groups, every code is valid.
    per_township = villages.values("parent").annotate(n=Count("id"))
    assert len(per_township) == 27 and min(r["n"] for r in per_township) >= 4
    assert not villages.annotate(g=Count("children")).filter(g=0).exists()
    for region in Region.objects.select_related("parent").exclude(kind=RegionKind.COUNTY):
        assert region_code_errors(kind=region.kind, code=region.code, parent=region.parent) == {}
    assert all(int(c[-3:]) in VILLAGE_SERIALS for c in villages.values_list("code", flat=True))
    assert len(set(villages.values_list("name", flat=True))) == villages.count()
    for username in ("city", "township", "village", "accountant", "grid", "auditor"):
        assert username in out
    assert "demo-password-for-tests" in out
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "city": "city_admin",
        "township": "township_officer",
        "village": "village_cadre",
        "accountant": "village_cadre",
        "grid": "grid_worker",
        "auditor": "auditor",
    }
    assert User.objects.get(username="township").region.name == "红果街道"
    assert User.objects.get(username="village").region.parent.name == "红果街道"


@pytest.mark.django_db
def test_demo_twice_reuses_what_it_made(demo_env: Path) -> None:
    run_demo()
    regions = Region.objects.count()
    out = run_demo()
    assert Region.objects.count() == regions
    assert "0 regions created" in out
    client = Client()
    response = client.post(
        "/login/", {"username": "township", "password": "demo-password-for-tests"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_demo_generates_a_password_once_and_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZHENXING_DEMO_PASSWORD", raising=False)
    with override_settings(VAR_DIR=tmp_path):
        first = run_demo()
        second = run_demo()
    password = (tmp_path / "demo-password").read_text().strip()
    assert len(password) >= 12
    assert password in first and password in second
    assert User.objects.get(username="city").check_password(password)


@pytest.mark.django_db
def test_demo_with_a_new_password_audits_the_reset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhenxing.core.audit.models import AuditEntry

    with override_settings(VAR_DIR=tmp_path):
        monkeypatch.setenv("ZHENXING_DEMO_PASSWORD", "first-demo-password")
        run_demo()
        monkeypatch.setenv("ZHENXING_DEMO_PASSWORD", "second-demo-password")
        run_demo()
    assert User.objects.get(username="city").check_password("second-demo-password")
    resets = AuditEntry.objects.filter(action="password", actor_label="demo").count()
    assert resets == User.objects.count() == 6


@pytest.mark.django_db
def test_demo_refuses_a_weak_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management.base import CommandError

    monkeypatch.setenv("ZHENXING_DEMO_PASSWORD", "123")
    with override_settings(VAR_DIR=tmp_path), pytest.raises(CommandError):
        run_demo()
