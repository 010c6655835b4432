"""Scoping-matrix cases for party-building routes; registered by importing this module from
``tests/core/test_scoping_matrix.py`` (see its ``web`` and ``api_route`` decorators).

This module: the import pages for members, cadres and attendance, and their templates."""

from __future__ import annotations

import io

import openpyxl
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import World, make_household, make_person, valid_id
from tests.core.test_scoping_matrix import api_route, web  # noqa: F401

CADRE_HEADERS = ["村代码", "身份证号", "职务", "任职日期"]


def _sheet(rows: list[list[str]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, cells in enumerate([CADRE_HEADERS, *rows]):
        for c, value in enumerate(cells):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


@web("party:import")
def _party_import(w: World, as_user) -> None:
    from zhenxing.io.models import ImportRun
    from zhenxing.party.models import CadrePosition

    make_person(w, make_household(w, "SA-1"), "沙坡人", seq=1)
    make_person(w, make_household(w, "LJ-1", village=w.village_b), "龙井人", seq=41)
    c = as_user(w.officer_a)
    url = reverse("party:import", args=["cadres"])
    own = _sheet([[w.village_a.code, valid_id(seq=1), "委员", "2021-03-15"]])
    assert c.post(url, {"file": SimpleUploadedFile("own.xlsx", own)}).status_code == 302
    assert ImportRun.objects.get(filename="own.xlsx").status == "done"
    # 龙井村 and its resident are outside 红果街道: the row is an error and nothing is written.
    other = _sheet([[w.village_b.code, valid_id(seq=41), "委员", "2021-03-15"]])
    assert c.post(url, {"file": SimpleUploadedFile("other.xlsx", other)}).status_code == 302
    run = ImportRun.objects.get(filename="other.xlsx")
    assert run.status == "rejected"
    assert [(row, column) for row, column, _v, _r in run.errors] == [(2, "村代码")]
    held = CadrePosition.objects.values_list("village__code", "person__name")
    assert list(held) == [(w.village_a.code, "沙坡人")]
    # The page lists the officer's own runs only.
    page = c.get(url).content.decode()
    assert "own.xlsx" in page and "other.xlsx" in page
    assert "own.xlsx" not in as_user(w.officer_b).get(url).content.decode()


@web("party:import_template")
def _party_import_template(w: World, as_user) -> None:
    # The same blank template for everyone, bound to no region: served to officer_a as XLSX.
    for kind in ("members", "cadres", "attendance"):
        response = as_user(w.officer_a).get(reverse("party:import_template", args=[kind]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        body = b"".join(response.streaming_content)
        assert openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].max_column > 3
