"""Personas and a small jurisdiction tree shared by the suite.

Two townships of 盘州市 (红果街道 and 亦资街道), each with villages and groups, and one persona per
role (Healthchecks' alice/bob): a city administrator, a township officer in each township, a
village cadre, a grid worker, an auditor for the city and one for a township, and an outsider
whose account is bound to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zhenxing.core.accounts.models import User
from zhenxing.core.accounts.roles import Role
from zhenxing.core.regions.models import Region, RegionKind

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    county: Region
    township_a: Region  # 红果街道
    township_b: Region  # 亦资街道
    village_a: Region
    village_a2: Region
    village_b: Region
    group_a: Region
    group_b: Region
    city: User
    officer_a: User
    officer_b: User
    cadre_a: User
    grid_a: User
    auditor: User
    auditor_a: User
    cadre_b: User
    outsider: User


def make_region(code: str, name: str, kind: str, parent: Region | None) -> Region:
    return Region.objects.create(code=code, name=name, kind=kind, parent=parent)


def make_user(username: str, role: str, region: Region | None) -> User:
    user = User(username=username, role=role, region=region, full_name=username.title())
    user.set_password(PASSWORD)
    user.save()
    return user


def _ethnic_groups_loaded() -> None:
    """The catalogues (GB 3304 ethnic groups, charts of accounts, economy policy) are seeded by
    data migrations; a transactional test's teardown empties every table, so the tests after
    one reload them."""
    import importlib

    from django.apps import apps

    from zhenxing.economy.models import Account
    from zhenxing.registry.models import Ethnicity

    if not Ethnicity.objects.exists():
        importlib.import_module("zhenxing.registry.migrations.0002_ethnic_groups").load(apps, None)
    if not Account.objects.exists():
        from zhenxing.economy.selectors.charts import clear_chart_cache

        importlib.import_module(
            "zhenxing.economy.migrations.0010_rekey_official_charts"
        ).load_catalogue(apps, None)
        importlib.import_module("zhenxing.economy.migrations.0005_industries").load(apps, None)
        clear_chart_cache()
    from zhenxing.party.models import Course

    if not Course.objects.exists():
        importlib.import_module("zhenxing.party.migrations.0002_catalogues").load(apps, None)


@pytest.fixture
def world(db: None) -> World:
    _ethnic_groups_loaded()
    county = make_region("520281", "盘州市", RegionKind.COUNTY, None)
    ta = make_region("520281004", "红果街道", RegionKind.TOWNSHIP, county)
    tb = make_region("520281001", "亦资街道", RegionKind.TOWNSHIP, county)
    va = make_region("520281004201", "沙坡村", RegionKind.VILLAGE, ta)
    va2 = make_region("520281004202", "竹箐村", RegionKind.VILLAGE, ta)
    vb = make_region("520281001201", "龙井村", RegionKind.VILLAGE, tb)
    ga = make_region("520281004201001", "一组", RegionKind.GROUP, va)
    gb = make_region("520281001201001", "一组", RegionKind.GROUP, vb)
    return World(
        county=county,
        township_a=ta,
        township_b=tb,
        village_a=va,
        village_a2=va2,
        village_b=vb,
        group_a=ga,
        group_b=gb,
        city=make_user("city", Role.CITY_ADMIN, county),
        officer_a=make_user("officer_a", Role.TOWNSHIP_OFFICER, ta),
        officer_b=make_user("officer_b", Role.TOWNSHIP_OFFICER, tb),
        cadre_a=make_user("cadre_a", Role.VILLAGE_CADRE, va),
        grid_a=make_user("grid_a", Role.GRID_WORKER, va),
        auditor=make_user("auditor", Role.AUDITOR, county),
        auditor_a=make_user("auditor_a", Role.AUDITOR, ta),
        cadre_b=make_user("cadre_b", Role.VILLAGE_CADRE, vb),
        outsider=make_user("outsider", "", None),
    )


def valid_id(region: str = "520202", birth: str = "19850612", seq: int = 1) -> str:
    """A resident ID number with a correct check digit (odd ``seq``: male, even: female)."""
    from stdnum.cn import ric

    body = f"{region}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_household(world: World, number: str, village: Region | None = None) -> Any:
    from zhenxing.registry import services

    return services.household_create(
        actor=world.city, village=village or world.village_a, number=number, address="沙坡村一组"
    )


def make_person(world: World, household: Any, name: str, seq: int, **kwargs: Any) -> Any:
    from zhenxing.registry import services
    from zhenxing.registry.models import Ethnicity

    defaults: dict[str, Any] = {
        "id_number": valid_id(seq=seq),
        "ethnicity": Ethnicity.objects.get(code="01"),
        "relation": "head",
        "phone": f"138{seq:08d}",
    }
    return services.person_register(
        actor=world.city, household=household, name=name, **(defaults | kwargs)
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return client_for


# --- background jobs ------------------------------------------------------------------------


@pytest.fixture
def background(settings: Any, tmp_path: Path) -> Path:
    """Every upload goes to the worker; stored files and job progress live under ``tmp_path``.
    Returns the folder where uploads wait."""
    settings.IMPORT_BACKGROUND_BYTES = 0
    settings.IMPORT_DIR = tmp_path / "imports"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "jobs": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "jobs"),
        },
    }
    return tmp_path / "imports"


def run_queued_tasks() -> list[str]:
    """Run every queued task with django-tasks-db's own worker code, as ``zhenxing db_worker``
    does (one at a time, from its database row); returns every task's status."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.ready():
        worker.run_task(result)
    return [str(r.status) for r in DBTaskResult.objects.all()]
