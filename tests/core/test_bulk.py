"""Plain-row inserts (COPY on PostgreSQL, executemany on SQLite): defaults filled the way
Django would, keys returned in order without lookups, one-column updates by pairs."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from tests.conftest import World
from zhenxing.core.bulk import BulkInsert, update_column
from zhenxing.registry.models import Household, HouseholdIncome


def test_rows_get_model_defaults_and_keys_come_back_in_order(world: World) -> None:
    insert = BulkInsert(Household, ["number", "village", "county_code", "registered_poor_year"])
    rows = [(f"B-{i:03d}", world.village_a.pk, "520281", 2016 if i % 2 else None) for i in range(5)]
    with transaction.atomic():
        keys = insert.write_returning_ids(rows)
    assert len(set(keys)) == 5
    stored = {h.pk: h for h in Household.objects.filter(pk__in=keys)}
    assert [stored[k].number for k in keys] == [r[0] for r in rows]
    first = stored[keys[1]]
    assert first.registered_poor_year == 2016 and stored[keys[0]].registered_poor_year is None
    # Columns left out took the model's defaults, as Model.save would have stored them.
    assert first.labour_count == 0 and first.address == "" and first.food_secure is None
    assert first.created_at is not None and first.updated_at is not None


def test_dates_and_decimals_are_stored_as_django_would(world: World) -> None:
    from decimal import Decimal

    with transaction.atomic():
        (pk,) = BulkInsert(
            Household, ["number", "village", "county_code", "checklist_checked_on"]
        ).write_returning_ids([("B-d", world.village_a.pk, "520281", dt.date(2025, 3, 5))])
        BulkInsert(HouseholdIncome, ["household", "year", "income_per_head"]).write(
            [(pk, 2025, Decimal("12680.50"))]
        )
    stored = Household.objects.get(pk=pk)
    assert stored.checklist_checked_on == dt.date(2025, 3, 5)
    assert stored.incomes.get().income_per_head == Decimal("12680.50")


def test_update_column_sets_each_row_its_own_value(world: World) -> None:
    with transaction.atomic():
        keys = BulkInsert(Household, ["number", "village", "county_code"]).write_returning_ids(
            [(f"U-{i}", world.village_a.pk, "520281") for i in range(7)]
        )
    pairs = [(key, 2010 + i) for i, key in enumerate(keys) if i != 3]
    assert update_column(Household, "registered_poor_year", pairs, batch=2) == 6
    years = dict(Household.objects.filter(pk__in=keys).values_list("pk", "registered_poor_year"))
    assert [years[k] for k in keys] == [2010, 2011, 2012, None, 2014, 2015, 2016]
