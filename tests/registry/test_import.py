"""Importing households and persons from a spreadsheet: all rows or none, idempotent, every
error reported, GB18030 CSVs and Traditional-Chinese headers accepted."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import World, valid_id
from zhenxing.core.audit.models import AuditEntry
from zhenxing.io.readers import read_rows
from zhenxing.registry.importers import import_households
from zhenxing.registry.models import Household, Person

HEADERS = ["户编号", "村代码", "姓名", "身份证号码", "与户主关系", "民族", "联系电话"]


def unique_id(seq: int) -> str:
    """A distinct, era-consistent (before 1999: 520202) ID number for every ``seq``."""
    import datetime as dt

    birth = dt.date(1950, 1, 1) + dt.timedelta(days=seq // 999)
    return valid_id(birth=birth.strftime("%Y%m%d"), seq=seq % 999 + 1)


def person_rows(world: World, n_households: int, per_household: int = 2) -> list[list[str]]:
    rows = []
    seq = 1
    for h in range(n_households):
        for m in range(per_household):
            rows.append(
                [
                    f"HA-{h:05d}",
                    world.village_a.code,
                    f"王{h}{m}",
                    unique_id(seq),
                    "户主" if m == 0 else "配偶",
                    "汉族",
                    f"139{seq:08d}",
                ]
            )
            seq += 1
    return rows


def as_csv(
    rows: list[list[str]], headers: list[str] = HEADERS, encoding: str = "utf-8-sig"
) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def run(world: World, data: bytes, name: str = "households.csv", actor=None):  # type: ignore[no-untyped-def]
    rows = read_rows(io.BytesIO(data), name, max_bytes=50 * 1024 * 1024)
    return import_households(actor=actor or world.cadre_a, rows=rows)


def test_a_clean_file_creates_households_persons_memberships_and_audit(world: World) -> None:
    result = run(world, as_csv(person_rows(world, 3)))
    assert result.ok, result.errors
    assert (result.households_created, result.persons_created) == (3, 6)
    household = Household.objects.get(number="HA-00000")
    assert household.head is not None and household.head.name == "王00"
    assert household.members.count() == 2
    # Creation is audited in bulk: one entry per model and village, listing the ids.
    entries = AuditEntry.objects.filter(action="bulk_create")
    assert sorted(
        (e.content_type.model, e.region_code, len(e.changes["ids"])) for e in entries
    ) == [
        ("household", world.village_a.code, 3),
        ("person", world.village_a.code, 6),
    ]
    assert len(set(AuditEntry.objects.values_list("request_id", flat=True))) == 1


def test_one_bad_row_among_ten_thousand_writes_nothing(world: World) -> None:
    rows = person_rows(world, 5000)
    bad = list(rows[6789])
    bad[3] = bad[3][:-1] + ("0" if bad[3][-1] != "0" else "1")  # a mistyped check digit
    rows[6789] = bad
    result = run(world, as_csv(rows))
    assert [(e.row, e.column) for e in result.errors] == [(6791, "身份证号码")]
    assert not Household.objects.exists() and not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_every_bad_row_is_reported(world: World) -> None:
    rows = person_rows(world, 3)
    rows[0][5] = "火星族"
    rows[3][1] = world.village_b.code  # another township's village: as if it did not exist
    rows[4][4] = "邻居"
    result = run(world, as_csv(rows))
    assert {(e.row, e.column) for e in result.errors} >= {
        (2, "民族"),
        (5, "村代码"),
        (6, "与户主关系"),
    }
    assert not Person.objects.exists()


def test_the_same_file_twice_changes_nothing_and_a_changed_cell_changes_one_field(
    world: World,
) -> None:
    data = as_csv(person_rows(world, 4))
    assert run(world, data).ok
    entries = AuditEntry.objects.count()
    again = run(world, data)
    assert again.ok and (
        again.households_created,
        again.persons_created,
        again.persons_updated,
    ) == (0, 0, 0)
    assert again.unchanged == 8
    assert AuditEntry.objects.count() == entries
    rows = person_rows(world, 4)
    rows[2][2] = "王改名"
    changed = run(world, as_csv(rows))
    assert changed.persons_updated == 1
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes == {"name": ["王10", "王改名"]}


def test_a_gb18030_csv_imports(world: World) -> None:
    assert run(world, as_csv(person_rows(world, 2), encoding="gb18030")).ok
    assert Person.objects.filter(name="王00").exists()


def test_an_xlsx_with_traditional_chinese_headers_imports(world: World) -> None:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet()
    headers = ["戶編號", "村代碼", "姓名", "身分證號碼", "與戶主關係", "民族", "聯繫電話"]
    for c, h in enumerate(headers):
        sheet.write_string(0, c, h)
    for r, row in enumerate(person_rows(world, 2), start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    result = run(world, buf.getvalue(), name="households.xlsx")
    assert result.ok, result.errors
    assert Person.objects.count() == 4 and Household.objects.get(number="HA-00001").head


def test_an_era_warning_needs_the_confirm_column(world: World) -> None:
    rows = person_rows(world, 1, per_household=1)
    rows[0][3] = valid_id(region="520281", birth="19850612", seq=9)
    assert not run(world, as_csv(rows)).ok
    confirmed = [[*r, "是"] for r in rows]
    assert run(world, as_csv(confirmed, [*HEADERS, "已核实"])).ok


def test_importing_needs_add_and_change(world: World) -> None:
    from zhenxing.core.errors import Forbidden

    with pytest.raises(Forbidden):
        run(world, as_csv(person_rows(world, 1)), actor=world.grid_a)


def test_the_upload_page_reports_errors_and_offers_the_report(world: World, as_user) -> None:
    client = as_user(world.cadre_a)
    rows = person_rows(world, 2)
    rows[1][3] = "123"
    upload = SimpleUploadedFile("户.csv", as_csv(rows), content_type="text/csv")
    response = client.post(reverse("registry:import_upload"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "身份证号码" in response.content.decode() and not Person.objects.exists()
    run_id = response.context["run"].pk
    report = client.get(reverse("registry:import_errors", args=[run_id]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert values[1][:3] == [3, "身份证号码", "123"]
    # Another user cannot read this import's errors (they quote the importer's file).
    assert (
        as_user(world.officer_a).get(reverse("registry:import_errors", args=[run_id])).status_code
        == 404
    )


def test_the_template_downloads_with_the_import_headers(world: World, as_user) -> None:
    response = as_user(world.cadre_a).get(reverse("registry:import_template"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    headers = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert "*身份证号码" in headers and len(book.worksheets) == 2


def test_each_created_object_is_in_one_bulk_entry_and_its_history(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    """Every household and person the import created is listed by exactly one bulk entry of
    its model and village, written at its creation time, and its page's history shows it."""
    from zhenxing.core.audit.selectors import object_history

    assert run(world, as_csv(person_rows(world, 2))).ok
    for model in (Household, Person):
        entries = AuditEntry.objects.filter(
            action="bulk_create", content_type__model=model._meta.model_name
        )
        listed = [pk for e in entries for pk in e.changes["ids"]]
        assert sorted(listed) == sorted(model.objects.values_list("pk", flat=True))
        for obj in model.objects.all():
            (entry,) = [e for e in entries if obj.pk in e.changes["ids"]]
            ids = entry.changes["ids"]
            assert entry.object_id == f"{min(ids)}-{max(ids)}"
            assert entry.at == obj.created_at
            assert entry.region_code == world.village_a.code
            assert entry.source == "import" and entry.actor == world.cadre_a
            history = object_history(actor=world.cadre_a, obj=obj)
            assert [e.pk for e in history] == [entry.pk]
    # The person's page shows the entry as a bulk creation, without listing the ids.
    person = Person.objects.first()
    assert person is not None
    page = as_user(world.cadre_a).get(reverse("registry:person_detail", args=[person.pk]))
    assert b'data-action="bulk_create"' in page.content
    assert f"{Person._meta.verbose_name} × 4".encode() in page.content


def test_income_and_labour_columns_upsert_the_year(world: World) -> None:
    headers = [*HEADERS, "劳动力人数", "收入年度", "人均纯收入"]
    rows = [[*r, "2", "2025", "12680.5"] for r in person_rows(world, 1)]
    assert run(world, as_csv(rows, headers)).ok
    household = Household.objects.get(number="HA-00000")
    assert household.labour_count == 2
    (income,) = household.incomes.all()
    assert (income.year, str(income.income_per_head)) == (2025, "12680.50")
    rows = [[*r[:-1], "13000"] for r in rows]
    result = run(world, as_csv(rows, headers))
    assert result.ok and result.unchanged == 2
    income.refresh_from_db()
    assert str(income.income_per_head) == "13000.00"
    change = AuditEntry.objects.filter(action="update", content_type__model="householdincome")
    assert [e.changes for e in change] == [{"income_per_head": ["12680.50", "13000.00"]}]
    # A year without an amount is an error on that row, naming the missing column.
    rows = [[*r[:-1], ""] for r in rows]
    result = run(world, as_csv(rows, headers))
    assert [(e.row, e.column) for e in result.errors] == [(2, "人均纯收入")]


def test_a_person_in_another_household_is_named_not_moved(world: World) -> None:
    rows = person_rows(world, 2)
    assert run(world, as_csv(rows)).ok
    rows[1][0] = "HA-00001"  # the spouse of the first household, listed under the second
    result = run(world, as_csv(rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "户编号")]
    assert "HA-00000" in result.errors[0].reason
    assert Person.objects.get(name="王01").household.number == "HA-00000"


def test_error_reports_never_hold_a_whole_id_number(world: World) -> None:
    """Errors are kept in the database (the result page) and the report: an ID number in
    them is masked like everywhere else; the row and column say where it is."""
    rows = person_rows(world, 2)
    rows[1][3] = rows[1][3][:-1] + ("0" if rows[1][3][-1] != "0" else "1")  # bad check digit
    rows[2][3] = rows[0][3]  # the same person twice
    result = run(world, as_csv(rows))
    values = {(e.row, e.column): e.value for e in result.errors}
    assert values[(3, "身份证号码")] == rows[1][3][:6] + "********" + rows[1][3][-4:]
    assert values[(4, "身份证号码")] == rows[0][3][:6] + "********" + rows[0][3][-4:]
    assert not any(r[3] in e.value for r in rows for e in result.errors)


def registry_state() -> list[tuple[object, ...]]:
    """What an import stored, without keys or ciphertexts (random nonces differ each time)."""
    persons = Person.objects.order_by("id_number_hash").values_list(
        "household__number",
        "household__address",
        "household__registered_poor_year",
        "household__head__name",
        "name",
        "search_text",
        "id_number_hash",
        "id_number_masked",
        "sex",
        "birth_date",
        "relation",
        "phone_hash",
        "phone_masked",
    )
    return [*persons, *Household.objects.order_by("number").values_list("number", "village")]


@pytest.mark.parametrize("workers", [0, 1], ids=["here", "in-a-worker"])
def test_a_large_file_is_checked_the_same_in_a_worker_or_not(
    world: World,
    settings,
    workers: int,  # type: ignore[no-untyped-def]
) -> None:
    """5,000 rows: the first 2,000 are checked here, the rest by the worker process (or here).
    Households whose rows are apart, and a bad row inside a household, cross chunk edges."""
    from zhenxing.io.specs import ROWS_PER_CHUNK

    settings.IMPORT_WORKERS = workers
    headers = [*HEADERS, "家庭住址", "建档立卡年度"]
    rows = [
        [*r, f"{r[0]} 号", "2016" if r[0] < "HA-01000" else ""] for r in person_rows(world, 2500)
    ]
    # One household's rows on both sides of the first chunk edge, apart from each other.
    spouse = rows.pop(1)
    rows.insert(ROWS_PER_CHUNK + 3, spouse)
    bad = [list(r) for r in rows]
    # Spouses' rows (a head's would also leave its household without a head).
    first, second = (
        next(i for i in range(at, at + 3) if bad[i][4] == "配偶")
        for at in (
            ROWS_PER_CHUNK + 10,
            2 * ROWS_PER_CHUNK + 7,
        )
    )
    bad[first][3] = "52020219500101001"  # 17 characters
    bad[second][5] = "火星族"
    # A household's second row that disagrees with its first: the first row's values count.
    bad[next(i for i in range(4000, 4003) if bad[i][4] == "配偶")][8] = "2015"
    result = run(world, as_csv(bad, headers))
    # Spreadsheet rows: the header is row 1.
    assert [(e.row, e.column) for e in result.errors] == [
        (first + 2, "身份证号码"),
        (second + 2, "民族"),
    ]
    assert not Person.objects.exists() and not Household.objects.exists()

    result = run(world, as_csv(rows, headers))
    assert result.ok, result.errors[:3]
    assert (result.households_created, result.persons_created) == (2500, 5000)
    state = registry_state()
    assert len(state) == 7500
    household = Household.objects.get(number="HA-00000")
    assert (household.address, household.registered_poor_year) == ("HA-00000 号", 2016)
    assert sorted(household.members.values_list("name", flat=True)) == ["王00", "王01"]
    assert household.head is not None and household.head.name == "王00"
    assert Household.objects.get(number="HA-02000").registered_poor_year is None
    # The same file again: nothing changes.
    again = run(world, as_csv(rows, headers))
    assert again.ok and again.unchanged == 5000 and registry_state() == state


def test_the_worker_and_this_process_store_the_same(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    """Byte for byte what each stores, but for keys and ciphertexts (random nonces)."""
    data = as_csv(person_rows(world, 1500))
    stored = []
    for workers in (0, 1):
        settings.IMPORT_WORKERS = workers
        assert run(world, data).ok
        stored.append(registry_state())
        Household.objects.update(head=None)
        Person.objects.all().delete()
        Household.objects.all().delete()
    assert stored[0] == stored[1] and len(stored[0]) == 4500


def test_a_person_registered_meanwhile_stops_the_import_with_a_clear_message(
    world: World,
) -> None:
    """Another office registers one of the file's persons while the import runs, after its
    first batch was written (here through the progress callback, in the import's own
    transaction): the unique key refuses the import's row, the import says so in words, and
    nothing it wrote is kept."""
    from tests.conftest import make_household, make_person
    from zhenxing.core.errors import DomainError

    rows = person_rows(world, 1500)  # 3,000 rows: two batches
    late = rows[2500]

    def register_meanwhile(phase: str, done: int) -> None:
        household = make_household(world, "HB-1", village=world.village_b)
        make_person(world, household, "先登记", 1, id_number=late[3], phone="")

    data = read_rows(io.BytesIO(as_csv(rows)), "h.csv", max_bytes=1 << 22)
    with pytest.raises(DomainError) as caught:
        import_households(actor=world.cadre_a, rows=data, progress=register_meanwhile)
    assert caught.value.code == "changed_meanwhile"
    assert not Person.objects.exists() and not Household.objects.exists()
