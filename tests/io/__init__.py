"""The import/export framework, tested with real files written to a temporary directory.

``person_spec`` is a realistic spec for these tests: labels that exist in the message catalogues
(so Simplified, Traditional and English headers really come from the translations) and the
aliases cadres use, such as Taiwan's 身分證號碼 for 身份证号码.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from zhenxing.io.specs import Field, FieldError, ImportSpec, decimal_parser, parse_date, parse_int


def check_id(text: str) -> str:
    """A stand-in for the registry's ID check: 17 digits and a digit or X."""
    number = text.upper()
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise FieldError("An ID number has 18 characters.")
    return number


def check_sex(text: str) -> str:
    if text in ("男", "male", "m"):
        return "m"
    if text in ("女", "female", "f"):
        return "f"
    raise FieldError("男 or 女.")


def person_spec(**options: Any) -> ImportSpec:
    return ImportSpec(
        name="persons",
        title="人员花名册",
        fields=[
            Field(
                "household_number",
                gettext_lazy("household number"),
                aliases=("户号", "戶號"),
                required=True,
                example="5202810042010001",
                help="同一户的每一行户号相同。",
            ),
            Field(
                "name",
                gettext_lazy("name"),
                aliases=("姓名", "full name"),
                required=True,
                example="王建华",
            ),
            Field(
                "id_number",
                gettext_lazy("ID number"),
                aliases=("身份证号", "公民身份号码", "身分證號碼", "身分證字號"),
                required=True,
                parse=check_id,
                example="520202198506120019",
                help="18 位，按文本填写。",
            ),
            Field("sex", gettext_lazy("sex"), parse=check_sex, example="男"),
            Field("birth_date", gettext_lazy("birth date"), parse=parse_date, example="1985-06-12"),
            Field(
                "phone", gettext_lazy("phone"), aliases=("手机号", "电话"), example="13812345678"
            ),
            Field("members", "家庭人口", aliases=("household size",), parse=parse_int),
            Field("income", "人均纯收入", aliases=("income per head",), parse=decimal_parser(2)),
        ],
        **options,
    )


def numbered(rows: list[list[str]]) -> list[tuple[int, list[str]]]:
    """Rows as a reader yields them: numbered from 1, the header first."""
    return list(enumerate(rows, start=1))
