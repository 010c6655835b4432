"""The household export at the city's scale: persons read by household chunks in number order
(across chunk boundaries), labels in the reader's language, masked unless asked; the CSV leaves
its heading at once and then rows in chunks; an XLSX longer than a sheet goes on to a next sheet
instead of dropping rows."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.utils import translation

from tests.conftest import World, make_household, make_person, valid_id
from zhenxing.core.web import export
from zhenxing.core.web.export import Column
from zhenxing.registry import selectors


@pytest.fixture
def five(world: World) -> World:
    # Numbers created out of order, in two villages and two townships.
    for number, seq, village in (
        ("HA-003", 5, world.village_a),
        ("HA-001", 1, world.village_a),
        ("HB-001", 9, world.village_b),
        ("HA-002", 3, world.village_a2),
    ):
        household = make_household(world, number, village)
        make_person(world, household, f"户主{seq}", seq)
        if number == "HA-001":
            make_person(world, household, "配偶", seq + 1, relation="spouse", phone="")
    return world


def rows_for(actor, **kwargs):  # type: ignore[no-untyped-def]
    households = selectors.household_list(actor=actor)
    return list(selectors.household_export_rows(actor=actor, households=households, **kwargs))


def test_rows_follow_household_numbers_across_chunks(five: World, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 2)
    rows = rows_for(five.city)
    assert [(r["household"], r["name"]) for r in rows] == [
        ("HA-001", "户主1"),
        ("HA-001", "配偶"),
        ("HA-002", "户主3"),
        ("HA-003", "户主5"),
        ("HB-001", "户主9"),
    ]
    # Scoped: the township officer of A never gets township B's household.
    assert {r["household"] for r in rows_for(five.officer_a)} == {"HA-001", "HA-002", "HA-003"}


def test_rows_are_masked_and_labelled_in_the_readers_language(five: World) -> None:
    with translation.override("en"):
        head = rows_for(five.city)[0]
    assert head["relation"] == "Head of household" and head["sex"] == "Male"
    assert head["village"] == "沙坡村" and head["ethnicity"]
    assert head["id_number"] != valid_id(seq=1) and "*" in head["id_number"]
    assert head["phone"] == "138****0001"
    with translation.override("zh-hans"):
        zh = rows_for(five.city)[0]
    assert zh["relation"] == "户主" and zh["sex"] == "男"
    clear = rows_for(five.city, unmasked=True)
    assert clear[0]["id_number"] == valid_id(seq=1) and clear[0]["phone"] == "13800000001"
    assert clear[1]["phone"] == ""  # no phone recorded: blank, not an error


def test_csv_sends_its_heading_first_then_rows_in_chunks(monkeypatch) -> None:
    monkeypatch.setattr(export, "CSV_ROWS_PER_CHUNK", 2)
    columns = [Column("a", "甲"), Column("b", "乙")]
    rows = [{"a": i, "b": f"={i}"} for i in range(5)]
    response = export.csv_response(columns=columns, rows=rows, filename="t")
    chunks = [c.decode("utf-8") for c in response.streaming_content]
    assert chunks[0] == "\ufeff甲,乙\r\n"
    assert [c.count("\n") for c in chunks[1:]] == [2, 2, 1]
    read = list(csv.reader(io.StringIO("".join(chunks).lstrip("\ufeff"))))
    assert read[1:] == [[str(i), f"'={i}"] for i in range(5)]  # formulas still escaped


def test_xlsx_longer_than_a_sheet_continues_on_the_next() -> None:
    columns = [Column("n", "序号")]
    response = export.xlsx_response(
        columns=columns,
        rows=[{"n": i} for i in range(5)],
        filename="t",
        sheet="户籍",
        rows_per_sheet=2,
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["户籍", "户籍 (2)", "户籍 (3)"]
    values = [[c for (c,) in ws.iter_rows(values_only=True)] for ws in book.worksheets]
    assert values == [["序号", 0, 1], ["序号", 2, 3], ["序号", 4]]
