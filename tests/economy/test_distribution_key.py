"""Vouchers and their lines carry their organisation's county code on every write path, so the
tables can be distributed by county (issue 12, item 10)."""

from __future__ import annotations

import datetime as dt

from django.db import models

from tests.economy.conftest import Books, post
from zhenxing.economy.models import Voucher, VoucherLine
from zhenxing.economy.services import LineIn, VoucherIn, vouchers_load


def test_a_vouchers_lines_carry_its_county(books: Books) -> None:
    county = books.world.village_a.code[:6]
    voucher = post(books, [("102", "100", 0), ("501", 0, "100")])
    assert voucher.county_code == county
    assert list(voucher.lines.values_list("county_code", flat=True)) == [county, county]


def test_vouchers_loaded_in_bulk_and_their_lines_carry_their_county(books: Books) -> None:
    county = books.world.village_b.code[:6]
    ids = vouchers_load(
        vouchers=[
            VoucherIn(
                books.org_b.pk,
                dt.date(2020, 4, 1),
                "租金",
                [LineIn("102", debit="50"), LineIn("501", credit="50")],
            )
        ],
        actor="test",
    )
    assert set(Voucher.objects.filter(pk__in=ids).values_list("county_code", flat=True)) == {county}
    lines = VoucherLine.objects.filter(voucher_id__in=ids)
    assert lines.count() == 2
    assert set(lines.values_list("county_code", flat=True)) == {county}


def test_every_unique_constraint_on_vouchers_and_lines_includes_the_county() -> None:
    for model in (Voucher, VoucherLine):
        uniques = [c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
        assert uniques, model
        for constraint in uniques:
            assert "county_code" in constraint.fields, (model, constraint.name)
        # No single-column unique (a one-to-one) outside the county either.
        assert not [
            f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key
        ], model
