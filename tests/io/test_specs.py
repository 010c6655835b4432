"""Import specs: lenient header matching, every error of every row, and the shared parsers."""

from __future__ import annotations

import datetime as dt
import decimal
import gc

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.io import numbered, person_spec
from zhenxing.io.specs import (
    Field,
    FieldError,
    ImportSpec,
    ParseResult,
    RowError,
    column_letter,
    decimal_parser,
    normalise_header,
    parse_bool,
    parse_date,
    parse_int,
)

ID_1 = "520202198506120019"
ID_2 = "52020219900101002X"
ID_3 = "520281200001010031"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("* 身份證號碼（選填）", "身份证号码"),
        ("身份证号码*", "身份证号码"),
        ("ＩＤ　Ｎｕｍｂｅｒ", "idnumber"),
        ("Phone (optional)", "phone"),
        ("出生日期【必填】", "出生日期"),
        ("  户 编 号：", "户编号"),
        ("姓名\n(必填)", "姓名"),
    ],
)
def test_headers_are_compared_after_folding(header: str, expected: str) -> None:
    assert normalise_header(header) == expected


HEADERS = {
    "zh-hans": ["户编号", "姓名", "身份证号码", "性别", "出生日期", "联系电话", "家庭人口"],
    # 身分證號碼 is Taiwan's word (an alias); 聯絡電話 matches only through the zh-hant catalogue.
    "zh-hant": ["戶編號", "姓名", "身分證號碼", "性別", "出生日期", "聯絡電話", "家庭人口"],
    "en": [
        "Household number",
        "Full name",
        "ID Number",
        "Sex",
        "Birth date",
        "Phone",
        "household size",
    ],
}
KEYS = ["household_number", "name", "id_number", "sex", "birth_date", "phone", "members"]


@pytest.mark.parametrize("language", list(HEADERS))
def test_headers_in_simplified_traditional_and_english_all_match(language: str) -> None:
    columns, errors = person_spec().match_headers(HEADERS[language])
    assert errors == []
    assert [columns[i].key for i in range(len(KEYS))] == KEYS


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_every_label_matches_as_rendered_in_each_language(language: str) -> None:
    spec = person_spec()
    with translation.override(language):
        headers = [f"*{f.label}" if f.required else str(f.label) for f in spec.fields]
    # The UI language while importing does not matter: a zh-hant file imports under zh-hans.
    columns, errors = spec.match_headers(headers)
    assert errors == []
    assert [columns[i].key for i in range(len(spec.fields))] == [f.key for f in spec.fields]


def test_a_missing_required_column_is_named_by_its_label() -> None:
    spec = person_spec()
    with translation.override("zh-hans"):
        columns, errors = spec.match_headers(["户编号", "姓名", "备注"])
        label = str(spec.fields[2].label)
    assert label == "身份证号码"
    assert [(e.row, e.column, e.value) for e in errors] == [(1, label, "")]
    assert label in errors[0].reason
    assert sorted(f.key for f in columns.values()) == ["household_number", "name"]


def test_a_missing_required_column_still_checks_every_row_but_keeps_none() -> None:
    rows = numbered([["户编号", "姓名", "性别"], ["1", "王建华", "男"], ["2", "李梅", "不详"]])
    result = person_spec().parse(rows)
    assert result.records == []
    assert [(e.row, e.column) for e in result.errors] == [(1, "身份证号码"), (3, "性别")]


def test_a_duplicated_header_is_an_error_naming_both_columns() -> None:
    columns, errors = person_spec().match_headers(["户号", "姓名", "身份证号", "Name"])
    assert len(errors) == 1
    error = errors[0]
    assert (error.row, error.column, error.value) == (1, "Name", "Name")
    assert "B" in error.reason and "D" in error.reason
    assert columns[1].key == "name" and 3 not in columns  # the first one is used


def test_unknown_headers_are_ignored_and_listed() -> None:
    rows = numbered(
        [["户号", "备注", "姓名", "身份证号", ""], ["1", "低保户", "王建华", ID_1, "x"]]
    )
    result = person_spec().parse(rows)
    assert result.errors == []
    assert result.ignored == ["备注"]
    assert result.records[0].values == {
        "household_number": "1",
        "name": "王建华",
        "id_number": ID_1,
    }


def test_every_bad_row_and_every_bad_cell_is_reported_with_excel_row_numbers() -> None:
    header = ["户号", "姓名", "身份证号", "性别", "出生日期", "家庭人口"]
    rows = numbered(
        [
            header,
            ["1", "王建华", ID_1, "男", "1985-06-12", "4"],  # row 2: good
            ["1", "王小华", "5202021985", "男", "1985/6/12", "4"],  # row 3: bad ID
            ["2", "李梅", ID_2, "女", "1990年1月1日", "3"],  # row 4: good
            ["2", "", ID_3, "男", "2000.1.1", "3"],  # row 5: name required
            ["3", "张三", ID_3, "未知", "2000-13-01", "三"],  # row 6: three bad cells
            ["4", "赵四", ID_2.lower(), "", "", ""],  # row 7: good (x folded, optional empty)
        ]
    )
    result = person_spec().parse(rows)
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, "身份证号", "5202021985"),
        (5, "姓名", ""),
        (6, "性别", "未知"),
        (6, "出生日期", "2000-13-01"),
        (6, "家庭人口", "三"),
    ]
    assert all(e.reason for e in result.errors)
    assert [r.row for r in result.records] == [2, 4, 7]
    assert result.rows == 6
    good = result.records[0].values
    assert good["birth_date"] == dt.date(1985, 6, 12) and good["members"] == 4
    assert result.records[1].values["birth_date"] == dt.date(1990, 1, 1)
    assert result.records[2].values == {
        "household_number": "4",
        "name": "赵四",
        "id_number": ID_2,
        "sex": None,
        "birth_date": None,
        "members": None,
    }


def test_blank_rows_are_skipped_and_row_numbers_still_count_them() -> None:
    rows = numbered(
        [
            ["户号", "姓名", "身份证号", "备注"],
            [],
            ["1", "王建华", ID_1, ""],
            ["", "  ", "\t", ""],
            ["", "", "", "合计"],  # text only in an ignored column
            ["", ""],
            ["2", "李梅", ID_2],  # a short row: the missing cells are empty
        ]
    )
    result = person_spec().parse(rows)
    assert result.errors == []
    assert [(r.row, r.values["name"]) for r in result.records] == [(3, "王建华"), (7, "李梅")]
    assert result.rows == 2


def test_a_title_row_above_the_header_is_passed_over() -> None:
    rows = numbered(
        [["沙坡村人员花名册", "", ""], [], ["户号", "姓名", "身份证号"], ["1", "王建华", ID_1]]
    )
    result = person_spec().parse(rows)
    assert result.header_row == 3 and result.errors == []
    assert [r.row for r in result.records] == [4]


def test_more_rows_than_the_limit_is_one_clear_error() -> None:
    data = [[str(n), f"村民{n}", ID_1] for n in range(5)]
    result = person_spec(max_rows=3).parse(numbered([["户号", "姓名", "身份证号"], *data]))
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.row == 5 and "3" in error.reason
    assert result.rows == 3


def test_the_templates_example_row_is_refused() -> None:
    spec = person_spec()
    header = [str(f.label) for f in spec.fields]
    example = [f.example for f in spec.fields]
    result = spec.parse(numbered([header, example, ["1", "王建华", ID_2, "", "", "", "", ""]]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "")]
    assert [r.row for r in result.records] == [3]


def test_an_empty_file_says_the_header_is_missing() -> None:
    result = person_spec().parse(numbered([[], ["", ""]]))
    assert result.records == []
    assert len(result.errors) == 1 and result.errors[0].row == 1


def test_a_parser_may_raise_a_django_validation_error() -> None:
    def even(text: str) -> int:
        if int(text) % 2:
            raise ValidationError("odd number")
        return int(text)

    spec = ImportSpec(name="t", title="t", fields=[Field("n", "n", parse=even)])
    result = spec.parse(numbered([["n"], ["2"], ["3"]]))
    assert result.errors == [RowError(3, "n", "3", "odd number")]
    assert [r.values for r in result.records] == [{"n": 2}]


def test_reasons_are_in_the_active_language() -> None:
    spec = person_spec()
    with translation.override("en"):
        result = spec.parse(numbered([["户号", "姓名", "身份证号"], ["1", "", ID_1]]))
    assert result.errors[0].reason == "This cell is required."


def test_parse_leaves_the_garbage_collector_as_it_found_it() -> None:
    def boom(text: str) -> str:
        raise RuntimeError(text)

    spec = ImportSpec(name="t", title="t", fields=[Field("n", "n", parse=boom)])
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        spec.parse(numbered([["n"], ["1"]]))  # an unexpected exception is a bug: not swallowed
    assert gc.isenabled()
    gc.disable()
    try:
        spec.parse(numbered([["n"]]))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_iter_records_streams_the_valid_rows_and_collects_the_rest() -> None:
    rows = numbered([["户号", "姓名", "身份证号"], ["1", "王建华", ID_1], ["2", "李梅", "x"]])
    result = ParseResult()
    stream = person_spec().iter_records(iter(rows), result)
    first = next(stream)
    assert first.row == 2 and first.values["name"] == "王建华"
    assert list(stream) == []
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")]
    assert result.records == [] and result.rows == 2


def test_two_fields_claiming_one_header_is_a_mistake_in_the_spec() -> None:
    spec = ImportSpec(
        name="t", title="t", fields=[Field("a", "电话"), Field("b", "手机", aliases=("電話",))]
    )
    with pytest.raises(ValueError, match=r"電話.*both 'a' and 'b'"):
        spec.match_headers(["电话"])


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "ZZ",
        "AAA",
    ]


@pytest.mark.parametrize(
    "text",
    ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305", "2024-03-05 00:00:00"],
)
def test_parse_date_accepts_what_excel_and_cadres_write(text: str) -> None:
    assert parse_date(text) == dt.date(2024, 3, 5)


@pytest.mark.parametrize("text", ["2024-02-30", "5/3/2024", "明天", "45356"])
def test_parse_date_refuses_the_rest(text: str) -> None:
    with pytest.raises(FieldError):
        parse_date(text)


def test_parse_int_and_decimal() -> None:
    assert parse_int("1,234") == 1234 and parse_int("5.0") == 5
    with pytest.raises(FieldError):
        parse_int("5.5")
    money = decimal_parser(2)
    assert money("￥1,234.5") == decimal.Decimal("1234.50")
    for bad in ("1.234", "NaN", "一千"):
        with pytest.raises(FieldError):
            money(bad)


def test_parse_bool() -> None:
    assert [parse_bool(t) for t in ("是", "√", "TRUE", "有")] == [True] * 4
    assert [parse_bool(t) for t in ("否", "×", "FALSE", "無")] == [False] * 4
    with pytest.raises(FieldError):
        parse_bool("也许")
