"""Laying out grids: a household in one grid only, boundaries that are valid GeoJSON inside
the village's area, households assigned by list or by drawing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import World, make_household
from tests.grid.setup import build, square
from zhenxing.core.errors import DomainError, NotFound
from zhenxing.grid.models import GridHousehold
from zhenxing.grid.rules.geometry import parse_polygon
from zhenxing.grid.services import grids
from zhenxing.registry import services as registry_services


def test_a_household_belongs_to_one_grid_only(world: World) -> None:
    g = build(world)
    second = grids.grid_create(actor=world.cadre_a, village=world.village_a, name="二网格")
    with pytest.raises(DomainError, match=g.households_a[0].number):
        grids.grid_assign_households(
            actor=world.cadre_a, grid=second, numbers=[g.households_a[0].number]
        )
    assert GridHousehold.objects.get(household_id=g.households_a[0].pk).grid == g.grid_a


def test_unknown_numbers_write_nothing(world: World) -> None:
    g = build(world, households=0)
    fresh = make_household(world, "NEW001", world.village_a)
    with pytest.raises(DomainError, match="NOPE"):
        grids.grid_assign_households(actor=world.cadre_a, grid=g.grid_a, numbers=["NEW001", "NOPE"])
    assert not GridHousehold.objects.filter(household_id=fresh.pk).exists()


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"type": "Point", "coordinates": [104, 25]}',
        '{"type": "Polygon", "coordinates": [[[104, 25], [105, 25], [104, 25]]]}',
        '{"type": "Polygon", "coordinates": [[[104, 25], [105, 25], [105, 26], [104, 26]]]}',
        '{"type": "Polygon", "coordinates": '
        "[[[104, 25], [105, 26], [105, 25], [104, 26], [104, 25]]]}",
        '{"type": "Polygon", "coordinates": [[[200, 25], [105, 25], [105, 26], [200, 25]]]}',
    ],
)
def test_a_boundary_that_is_not_a_valid_polygon_is_refused(text: str) -> None:
    with pytest.raises(DomainError, match="GeoJSON"):
        parse_polygon(text)


def test_a_grid_outside_its_villages_area_is_refused(world: World) -> None:
    grids.village_area_set(
        actor=world.cadre_a, village=world.village_a, boundary=square(25.7, 104.6, 0.02)
    )
    inside = grids.grid_create(
        actor=world.cadre_a, village=world.village_a, name="内", boundary=square(25.7, 104.6, 0.01)
    )
    assert inside.boundary["type"] == "Polygon"
    with pytest.raises(DomainError) as refused:
        grids.grid_create(
            actor=world.cadre_a,
            village=world.village_a,
            name="外",
            boundary=square(25.8, 104.6, 0.01),
        )
    assert refused.value.field == "boundary" and world.village_a.name in str(refused.value)
    assert not grids.Grid.objects.filter(name="外").exists()


def test_households_inside_a_drawn_boundary_are_assigned(world: World) -> None:
    inside = make_household(world, "IN001", world.village_a)
    outside = make_household(world, "OUT001", world.village_a)
    registry_services.household_positions_load(
        label="test",
        positions=[
            (inside.pk, Decimal("25.700000"), Decimal("104.600000")),
            (outside.pk, Decimal("25.900000"), Decimal("104.600000")),
        ],
    )
    grid = grids.grid_create(
        actor=world.cadre_a, village=world.village_a, name="画", boundary=square(25.7, 104.6)
    )
    assert grids.grid_assign_drawn(actor=world.cadre_a, grid=grid) == 1
    assert set(GridHousehold.objects.values_list("household_id", flat=True)) == {inside.pk}


def test_another_villages_grid_is_out_of_reach(world: World) -> None:
    g = build(world)
    with pytest.raises(NotFound):
        grids.grid_update(actor=world.officer_a, grid=g.grid_b, name="改")
