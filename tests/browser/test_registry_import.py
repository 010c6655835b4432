"""A township officer's import in a real browser: download the template, fill it, import it,
read the errors, fix them, import again, and see the households (issue 3's acceptance flow)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import valid_id

pytestmark = pytest.mark.browser


def fill(template: Path, target: Path, rows: list[dict[str, str]]) -> None:
    """Fill the downloaded template as a cadre would: keep its headers, replace the example."""
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    headers = [str(c.value or "").lstrip("*") for c in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)  # the grey example row goes
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            sheet.cell(row=r, column=headers.index(key) + 1, value=value)
    book.save(target)


def test_officer_imports_households_from_the_template(
    transactional_db, world, open_session, artifacts_dir, tmp_path
):
    session = open_session(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = session.page
    session.login("officer_a")

    session.goto("/registry/import/")
    with page.expect_download() as download:
        page.click("a[href='/imports/households/template/']")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    good = valid_id(seq=11)
    rows = [
        {
            "户编号": "HG-0001",
            "村代码": world.village_a.code,
            "姓名": "王大山",
            "身份证号码": good,
            "与户主关系": "户主",
            "民族": "汉族",
            "联系电话": "13912345678",
        },
        {
            "户编号": "HG-0001",
            "村代码": world.village_a.code,
            "姓名": "李小花",
            "身份证号码": good[:-1]
            + ("1" if good[-1] != "1" else "2"),  # a typo in the check digit
            "与户主关系": "配偶",
            "民族": "彝族",
        },
        {
            "户编号": "HG-0002",
            "村代码": world.village_a.code,
            "姓名": "张三",
            "身份证号码": valid_id(seq=13),
            "与户主关系": "户主",
            "民族": "苗族",
        },
    ]
    first = tmp_path / "households.xlsx"
    fill(template, first, rows)
    page.set_input_files("input[name=file]", str(first))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.get_attribute(".import-status", "data-status") == "rejected"
    errors = page.locator("table.import-errors tbody tr")
    assert errors.count() == 1, [errors.nth(i).inner_text() for i in range(errors.count())]
    assert errors.first.locator("td").first.inner_text() == "3"  # row 3 in Excel
    assert "身份证号码" in errors.first.inner_text()
    with page.expect_download() as report:
        page.click("a[href$='/errors/']")
    assert report.value.suggested_filename.endswith(".xlsx")

    # The cadre fixes the typo and uploads again: everything goes in.
    rows[1]["身份证号码"] = valid_id(seq=12)
    fixed = tmp_path / "households-fixed.xlsx"
    fill(template, fixed, rows)
    session.goto("/registry/import/")
    page.set_input_files("input[name=file]", str(fixed))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.get_attribute(".import-status", "data-status") == "done"
    assert page.inner_text("[data-count=households_created]") == "2"
    assert page.inner_text("[data-count=persons_created]") == "3"

    with page.expect_navigation():
        page.click("a[href='/registry/households/']")
    table = page.inner_text("main table")
    assert "HG-0001" in table and "HG-0002" in table and "王大山" in table
    assert good not in page.content()  # masked, even for the importer
    page.screenshot(path=str(artifacts_dir / "registry-import.png"), full_page=True)
    session.assert_offline_and_healthy()
