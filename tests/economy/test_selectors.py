"""The reads other apps (party) make through the economy's selectors, scoped like the pages."""

from __future__ import annotations

import pytest

from tests.economy.conftest import Books
from zhenxing.core.errors import NotFound
from zhenxing.economy import selectors


def test_an_organisation_outside_scope_is_not_found(books: Books) -> None:
    world = books.world
    assert selectors.organization_get(actor=world.officer_a, pk=books.org_a.pk) == books.org_a
    with pytest.raises(NotFound):
        selectors.organization_get(actor=world.officer_a, pk=books.org_b.pk)
    assert list(selectors.organization_list(actor=world.officer_b)) == [books.org_b]
    assert selectors.organization_of_village(actor=world.officer_b, village=world.village_a) is None


def test_units_under_a_region_are_limited_to_it(books: Books) -> None:
    ids = [books.org_a.pk, books.org_b.pk]
    units = selectors.units_under(region=books.world.township_a, kind="cooperative", ids=ids)
    assert list(units) == [books.org_a]
