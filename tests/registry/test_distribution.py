"""Ready to be distributed by county (Citus): the registry's and io's large tables carry the
county code on every write path, and every unique constraint on them includes it."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.urls import reverse

from tests.conftest import World, make_household, make_person
from tests.registry.test_import import as_csv, person_rows, run
from zhenxing.io.models import ImportRun
from zhenxing.registry import services
from zhenxing.registry.models import Household, HouseholdMembership, Person

LARGE = [Household, Person, HouseholdMembership, ImportRun]


@pytest.mark.parametrize("model", LARGE, ids=lambda m: m.__name__)
def test_the_table_carries_the_county_code_in_every_unique_constraint(model) -> None:
    assert model._meta.get_field("county_code")
    for field in model._meta.fields:
        assert not field.unique or field.primary_key, f"{model.__name__}.{field.name} unique"
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            assert "county_code" in constraint.fields, constraint.name


def test_memberships_written_by_the_services_carry_the_county(world: World) -> None:
    first, second = make_household(world, "HA-001"), make_household(world, "HA-002")
    person = make_person(world, first, "张三", 1)
    services.person_move(
        actor=world.city,
        person=person,
        to_household=second,
        relation="spouse",
        on=dt.date(2024, 1, 1),
    )
    codes = set(HouseholdMembership.objects.values_list("county_code", flat=True))
    assert HouseholdMembership.objects.count() == 2 and codes == {"520281"}


def test_memberships_written_by_the_bulk_import_carry_the_county(world: World) -> None:
    assert run(world, as_csv(person_rows(world, 3))).ok
    assert HouseholdMembership.objects.count() == 6
    assert set(HouseholdMembership.objects.values_list("county_code", flat=True)) == {"520281"}


def test_an_import_run_carries_the_importers_county(world: World, as_user) -> None:
    upload = SimpleUploadedFile("h.csv", as_csv(person_rows(world, 1)))
    as_user(world.cadre_a).post(reverse("registry:import_upload"), {"file": upload})
    assert ImportRun.objects.get().county_code == "520281"


def test_the_migrations_fill_in_the_county_code_of_existing_rows(world: World) -> None:
    household = make_household(world, "HA-001")
    make_person(world, household, "张三", 1)
    ImportRun.objects.create(kind="households", actor=world.cadre_a, region=world.village_a)
    HouseholdMembership.objects.update(county_code="")
    ImportRun.objects.update(county_code="")
    registry = importlib.import_module(
        "zhenxing.registry.migrations.0005_county_code_in_memberships_and_unique_constraints"
    )
    io = importlib.import_module("zhenxing.io.migrations.0003_importrun_county_code")
    with connection.cursor() as cursor:
        cursor.execute(registry.BACKFILL)
        cursor.execute(io.BACKFILL)
    assert HouseholdMembership.objects.get().county_code == "520281"
    assert ImportRun.objects.get().county_code == "520281"
