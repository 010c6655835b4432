"""Benchmark: importing a county's registry (1,000,000 persons) from CSV and from XLSX.

Generates the persons of about 250,000 households in the demo city's villages (valid,
era-consistent ID numbers, phones), writes them as a UTF-8 CSV and as an XLSX, then for SQLite
and for PostgreSQL measures, each in a fresh process on a fresh database:

* ``import``: the full import (reading, validation, binding, encryption, keyed hashes, audit)
  through ``import_households``, the code path of the upload page's worker;
* the raw floors on the same tables and indexes: reading alone (``csv`` for the CSV,
  python-calamine for the XLSX, no writing) and writing alone (PostgreSQL ``COPY`` /
  SQLite ``executemany`` in one transaction of the already-validated, already-encrypted person
  rows); the floor for a file is reading then writing: rows / (read s + write s);
* django-import-export on a slice (households then persons, per row), the peer a Django
  developer would reach for.

Peak memory is each process's maximum resident set (ru_maxrss), the interpreter included.

Run: make bench-import        (ROWS=100000 for a quicker run; PG_URL to use another server)
Prints a table; nothing is asserted (speed is measured here, never in tests).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("ROWS", "1000000"))
SLICE = int(os.environ.get("SLICE", "20000"))
# Rounds of every measurement; each keeps its fastest (REPEAT=3 for a steadier ratio).
REPEAT = int(os.environ.get("REPEAT", "1"))
# ONLY=sqlite:import:.csv,… runs just those measurements; WORK=folder keeps (and reuses) the
# generated files and template databases between runs.
ONLY = {x for x in os.environ.get("ONLY", "").split(",") if x}
WORK = os.environ.get("WORK", "")
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
HERE = Path(__file__).resolve()
HEADERS = [
    "户号",
    "村代码",
    "组代码",
    "家庭住址",
    "姓名",
    "身份证号",
    "与户主关系",
    "民族",
    "联系电话",
    "文化程度",
    "健康状况",
    "职业",
    "建档立卡年度",
    "脱贫年度",
]


def setup_django(database_url: str | None, var: str) -> None:
    os.environ.setdefault("ZHENXING_TESTING", "1")
    # A throwaway key for the throwaway databases (never a real one).
    os.environ.setdefault("DATA_KEY", "YmVuY2gtaW1wb3J0LWRhdGEta2V5LTMyLWJ5dGVzISE=")
    os.environ["ZHENXING_VAR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenxing.settings")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: on Linux that survives
    exec, so a child would report the parent's peak (the generator holds all rows). The
    import, which has a worker process, is measured by ``MemoryWatch``."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- generating the files -----------------------------------------------------------------


def generate(folder: Path) -> tuple[Path, Path, Path]:
    """The CSV, the XLSX and a SLICE-row CSV of the same persons."""
    from zhenxing.core.regions.models import Region, RegionKind
    from zhenxing.registry.demo import _id_number

    villages = list(
        Region.objects.filter(kind=RegionKind.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    rng = random.Random(2020)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    given = "建华明英兰芳军平国强玉梅秀春海林云霞文志红丽德成光永福金荣贵忠祥"
    ethnic = ["汉族"] * 76 + ["彝族"] * 8 + ["苗族"] * 7 + ["布依族"] * 6 + ["白族", "回族", "回族"]
    relations = ["户主", "spouse", "child", "child", "grandchild", "parent"]
    education = ["primary", "junior", "senior", "college", "none"]
    start = dt.date(1940, 1, 1)
    days = (dt.date(2020, 12, 31) - start).days
    rows: list[list[str]] = []
    household = 0
    person = 0
    while person < ROWS:
        village = villages[household % len(villages)]
        number = f"{village}{household // len(villages):04d}"
        size = min(rng.choice([1, 2, 3, 4, 4, 5, 5, 6]), ROWS - person)
        surname = rng.choice(surnames)
        poor = rng.random() < 0.2
        for m in range(size):
            birth = start + dt.timedelta(days=person % days)
            id_number = _id_number(birth, person // days + 1)
            rows.append(
                [
                    number,
                    village,
                    "",
                    f"{household % 40 + 1} 号",
                    surname + rng.choice(given) + rng.choice(given),
                    id_number,
                    relations[min(m, len(relations) - 1)],
                    rng.choice(ethnic),
                    f"1{rng.choice('3578')}{person:09d}",
                    rng.choice(education),
                    "健康",
                    "务农",
                    "2015" if poor else "",
                    "2019" if poor else "",
                ]
            )
            person += 1
        household += 1
    csv_path = folder / "persons.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    slice_path = folder / "slice.csv"
    with slice_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows[:SLICE])
    import xlsxwriter

    xlsx_path = folder / "persons.xlsx"
    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("人员")
    sheet.write_row(0, 0, HEADERS)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return csv_path, xlsx_path, slice_path


# --- one measurement per process ------------------------------------------------------------


def officer():  # type: ignore[no-untyped-def]
    from zhenxing.core.accounts.models import User

    return User.objects.get(username="city")


def measure_import(path: Path) -> dict[str, float]:
    from zhenxing.core.audit.context import audit_context
    from zhenxing.io.readers import read_rows
    from zhenxing.registry.importers import household_person_spec, import_households

    spec = household_person_spec()
    actor = officer()
    with MemoryWatch() as memory:
        started = time.perf_counter()
        with audit_context(source="import"):
            rows = read_rows(path, path.name, max_bytes=spec.max_bytes)
            result = import_households(actor=actor, rows=rows, spec=spec)
        seconds = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    assert result.persons_created == ROWS, result.counts
    return {"seconds": seconds, "rows": result.rows, "peak_mb": memory.peak_mb}


class MemoryWatch:
    """The peak memory of this process and its children (the import's worker) together, as
    the sum of their proportional set sizes (PSS: a page the worker still shares with this
    process since the fork counts half in each), sampled four times a second by a thread."""

    def __enter__(self) -> MemoryWatch:
        import threading

        self.peak_kb = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self) -> None:
        while not self.stop.wait(0.25):
            self.peak_kb = max(self.peak_kb, sum(map(_pss_kb, _tree(os.getpid()))))

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            pids.extend(_tree(int(child)))
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0  # ended meanwhile


def measure_read(path: Path) -> dict[str, float]:
    started = time.perf_counter()
    count = 0
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for _row in csv.reader(fh):
                count += 1
    else:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        for _row in book.get_sheet_by_index(0).iter_rows():
            count += 1
    return {"seconds": time.perf_counter() - started, "rows": count - 1, "peak_mb": peak_mb()}


def measure_write(path: Path) -> dict[str, float]:
    """The write floor: the person rows, validated and encrypted beforehand (untimed), written
    by COPY / executemany in one transaction into the same table with the same indexes."""
    return _write_raw(path, everything=False)


def measure_write_all(path: Path) -> dict[str, float]:
    """Not a floor the issue names, a lower bound for any import that stores what ours does:
    the households, the persons and their memberships, built beforehand (untimed), written raw
    (COPY / executemany, memberships by INSERT … SELECT as the import does) in one
    transaction, with the heads set. No reading, no checks, no audit."""
    return _write_raw(path, everything=True)


def _write_raw(path: Path, *, everything: bool) -> dict[str, float]:
    from django.db import connection, transaction

    from zhenxing.core.bulk import BulkInsert
    from zhenxing.core.regions.models import Region
    from zhenxing.core.sensitive import blind_index, encrypt, mask_id_number, mask_phone
    from zhenxing.core.text import search_text
    from zhenxing.registry.importers import PERSON_INSERT_COLUMNS
    from zhenxing.registry.models import Ethnicity, Household, Person
    from zhenxing.registry.services import ID_PURPOSE, PHONE_PURPOSE
    from zhenxing.registry.validators import check_id_number

    villages = dict(Region.objects.values_list("code", "pk"))
    ethnicities = dict(Ethnicity.objects.values_list("name", "pk"))
    now = dt.datetime.now(dt.UTC)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        data = list(reader)
    numbers = {}
    for row in data:
        numbers.setdefault(row[0], row[1])
    data_numbers = [row[0] for row in data]
    households = BulkInsert(Household, ["number", "village", "county_code"])
    household_rows = [(n, villages[v], v[:6]) for n, v in numbers.items()]
    if not everything:  # in place beforehand, untimed
        with transaction.atomic():
            households.write(household_rows)
    household_pk = dict(Household.objects.values_list("number", "pk")) or dict.fromkeys(numbers, 0)
    prepared = []
    for row in data:
        checked = check_id_number(row[5])
        prepared.append(
            (
                household_pk[row[0]],
                row[1][:6],
                row[4],
                search_text(row[4]),
                encrypt(checked.number, purpose=ID_PURPOSE),
                blind_index(checked.number, purpose=ID_PURPOSE),
                mask_id_number(checked.number),
                str(checked.sex),
                checked.birth_date,
                ethnicities[row[7]],
                "head",
                encrypt(row[8], purpose=PHONE_PURPOSE),
                blind_index(row[8], purpose=PHONE_PURPOSE),
                mask_phone(row[8]),
                row[9],
                "healthy",
                row[11],
                now,
                now,
            )
        )
    del data
    # The import's own column list: the floor writes exactly the rows the import writes.
    insert = BulkInsert(Person, PERSON_INSERT_COLUMNS)
    connection.ensure_connection()
    if not everything:
        started = time.perf_counter()
        with transaction.atomic():
            written = insert.write(prepared)
        return {"seconds": time.perf_counter() - started, "rows": written, "peak_mb": peak_mb()}

    from zhenxing.core.bulk import update_column
    from zhenxing.registry.importers import _register_memberships

    # The households' keys are needed before the persons: drawn the way the import draws
    # them (returned by the insert), so the persons are built after it, outside the timing.
    started = time.perf_counter()
    with transaction.atomic():
        keys = households.write_returning_ids(household_rows)
        elapsed = time.perf_counter() - started
        household_pk = dict(zip(numbers, keys, strict=True))
        rebuilt = [(household_pk[data_numbers[i]], *row[1:]) for i, row in enumerate(prepared)]
        resumed = time.perf_counter()
        pks = insert.write_returning_ids(rebuilt)
        for start in range(0, len(pks), 2000):
            _register_memberships(
                pks[start : start + 2000], connection.ops.adapt_datefield_value(dt.date.today())
            )
        first: dict[int, int] = {}
        for pk, row in zip(pks, rebuilt, strict=True):
            first.setdefault(row[0], pk)
        update_column(Household, "head", list(first.items()))
    seconds = elapsed + time.perf_counter() - resumed
    return {"seconds": seconds, "rows": len(pks), "peak_mb": peak_mb()}


def measure_import_export(path: Path) -> dict[str, float]:
    """django-import-export: households, then persons, on the slice; the encryption and hashing
    our import does are done in its hooks so both do the same work."""
    import tablib
    from django.db import transaction
    from import_export import fields, resources, widgets

    from zhenxing.core.regions.models import Region
    from zhenxing.core.sensitive import blind_index, encrypt, mask_id_number
    from zhenxing.registry.models import Ethnicity, Household, Person
    from zhenxing.registry.services import ID_PURPOSE
    from zhenxing.registry.validators import check_id_number

    class HouseholdResource(resources.ModelResource):
        number = fields.Field(attribute="number", column_name="户号")
        village = fields.Field(
            attribute="village",
            column_name="村代码",
            widget=widgets.ForeignKeyWidget(Region, "code"),
        )
        address = fields.Field(attribute="address", column_name="家庭住址")

        class Meta:
            model = Household
            import_id_fields = ("number",)
            fields = ("number", "village", "address")
            skip_unchanged = True

        def before_save_instance(self, instance, row, **kwargs):  # type: ignore[no-untyped-def]
            instance.county_code = instance.village.code[:6]

    class PersonResource(resources.ModelResource):
        household = fields.Field(
            attribute="household",
            column_name="户号",
            widget=widgets.ForeignKeyWidget(Household, "number"),
        )
        name = fields.Field(attribute="name", column_name="姓名")
        ethnicity = fields.Field(
            attribute="ethnicity",
            column_name="民族",
            widget=widgets.ForeignKeyWidget(Ethnicity, "name"),
        )
        id_number_hash = fields.Field(attribute="id_number_hash", column_name="hash")

        class Meta:
            model = Person
            import_id_fields = ("id_number_hash",)
            fields = ("household", "name", "ethnicity", "id_number_hash")

        def before_import_row(self, row, **kwargs):  # type: ignore[no-untyped-def]
            row["hash"] = blind_index(check_id_number(row["身份证号"]).number, purpose=ID_PURPOSE)

        def before_save_instance(self, instance, row, **kwargs):  # type: ignore[no-untyped-def]
            checked = check_id_number(row["身份证号"])
            instance.id_number_encrypted = encrypt(checked.number, purpose=ID_PURPOSE)
            instance.id_number_masked = mask_id_number(checked.number)
            instance.sex = str(checked.sex)
            instance.birth_date = checked.birth_date
            instance.relation = "head"

    text = path.read_text(encoding="utf-8-sig")
    started = time.perf_counter()
    dataset = tablib.Dataset().load(text, format="csv")
    dataset.append_col([""] * len(dataset), header="hash")  # filled per row by the resource
    with transaction.atomic():
        first = HouseholdResource().import_data(dataset, raise_errors=True)
        second = PersonResource().import_data(dataset, raise_errors=True)
    seconds = time.perf_counter() - started
    assert not first.has_errors() and not second.has_errors()
    return {"seconds": seconds, "rows": len(dataset), "peak_mb": peak_mb()}


MEASURES = {
    "import": measure_import,
    "read": measure_read,
    "write": measure_write,
    "write-all": measure_write_all,
    "import-export": measure_import_export,
}


def child(measure: str, path: str, database_url: str, var: str) -> None:
    setup_django(database_url or None, var)
    result = MEASURES[measure](Path(path))
    print("RESULT " + json.dumps(result))


# --- databases ------------------------------------------------------------------------------


def prepare_template(var: Path, database_url: str | None) -> None:
    """Migrate and load the demo city's regions and accounts (no registry) once."""
    env = {**os.environ, "ZHENXING_TESTING": "1", "ZHENXING_VAR": str(var)}
    env.setdefault("DATA_KEY", "YmVuY2gtaW1wb3J0LWRhdGEta2V5LTMyLWJ5dGVzISE=")
    if database_url:
        env["DATABASE_URL"] = database_url
    zhenxing = str(Path(sys.executable).parent / "zhenxing")
    for args in (["migrate", "--no-input", "-v", "0"], ["demo", "--scale", "none"]):
        subprocess.run(  # noqa: S603 - our own command
            [zhenxing, *args], env=env, check=True, stdout=subprocess.DEVNULL
        )


def pg(sql: str) -> None:
    # The server's own client, on PATH.
    command = ["psql", PG_URL, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)  # noqa: S603


def fresh(kind: str, template: Path) -> tuple[str, str]:
    """A fresh copy of the template database: (DATABASE_URL or "", var folder)."""
    var = tempfile.mkdtemp(prefix="zx-bench-run-")
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            source = template / f"zhenxing.sqlite3{suffix}"
            if source.exists():
                shutil.copy(source, Path(var) / source.name)
        return "", var
    pg("DROP DATABASE IF EXISTS zx_bench_run")
    pg("CREATE DATABASE zx_bench_run TEMPLATE zx_bench_template")
    return PG_URL.rsplit("/", 1)[0] + "/zx_bench_run", var


def run(measure: str, path: Path, kind: str, template: Path) -> dict[str, float]:
    url, var = fresh(kind, template)
    out = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(HERE), "--child", measure, str(path), url, var],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(f"{measure} {path.name} on {kind} failed:\n{out.stderr[-3000:]}")
    shutil.rmtree(var, ignore_errors=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, float] = json.loads(line[7:])
    result["per_s"] = result["rows"] / result["seconds"]
    return result


def main() -> None:
    work = Path(WORK or tempfile.mkdtemp(prefix="zx-bench-import-"))
    template = work / "sqlite-template"
    reuse = bool(WORK) and (work / "persons.xlsx").exists()
    if not reuse:
        template.mkdir(parents=True, exist_ok=True)
        print(f"Preparing databases and generating {ROWS:,} persons …", flush=True)
        prepare_template(template, None)
        pg("DROP DATABASE IF EXISTS zx_bench_run")
        pg("DROP DATABASE IF EXISTS zx_bench_template")
        pg("CREATE DATABASE zx_bench_template")
        pg_template = PG_URL.rsplit("/", 1)[0] + "/zx_bench_template"
        prepare_template(work / "pg-var", pg_template)
    setup_django(None, str(template))
    started = time.perf_counter()
    if reuse:
        csv_path, xlsx_path, slice_path = (
            work / "persons.csv",
            work / "persons.xlsx",
            work / "slice.csv",
        )
    else:
        csv_path, xlsx_path, slice_path = generate(work)
    print(
        f"Generated in {time.perf_counter() - started:.0f} s: CSV "
        f"{csv_path.stat().st_size / 1e6:.0f} MB, XLSX {xlsx_path.stat().st_size / 1e6:.0f} MB",
        flush=True,
    )
    results: dict[tuple[str, str, str], dict[str, float]] = {}
    for kind in ("sqlite", "postgresql"):
        # Each round measures everything once, so a machine that slows down for a while
        # slows the import and its floor alike; each measure keeps its fastest round.
        for _round in range(REPEAT):
            for measure, path in (
                ("import", csv_path),
                ("import", xlsx_path),
                ("read", csv_path),
                ("read", xlsx_path),
                ("write", csv_path),
                ("write-all", csv_path),
                ("import-export", slice_path),
            ):
                if ONLY and f"{kind}:{measure}:{path.suffix}" not in ONLY:
                    continue
                key = (kind, measure, path.suffix)
                if measure == "read" and kind == "postgresql":
                    results[key] = results[("sqlite", measure, path.suffix)]
                    continue
                if measure == "import-export" and key in results:
                    continue  # the peer is far off; once is enough
                r = run(measure, path, kind, template)
                if key not in results or r["seconds"] < results[key]["seconds"]:
                    results[key] = r
                print(
                    f"  {kind:10} {measure:14} {path.suffix:5} {r['rows']:>9,.0f} rows "
                    f"{r['seconds']:8.1f} s {r['per_s']:>10,.0f} rows/s  "
                    f"peak {r['peak_mb']:6.0f} MB",
                    flush=True,
                )
    if ONLY:
        return
    pg("DROP DATABASE IF EXISTS zx_bench_run")
    if not WORK:
        pg("DROP DATABASE IF EXISTS zx_bench_template")

    print()
    print(
        f"Import of {ROWS:,} persons — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    head = (
        f"{'database':10} {'file':5} {'import rows/s':>13} {'peak MB':>8} {'floor rows/s':>13} "
        f"{'% of floor':>10} {'bound':>6} {'i-e rows/s':>11} {'× i-e':>7}"
    )
    print(head)
    print("-" * len(head))
    for kind in ("sqlite", "postgresql"):
        write = results[(kind, "write", ".csv")]
        everything = results[(kind, "write-all", ".csv")]
        peer = results[(kind, "import-export", ".csv")]
        for suffix in (".csv", ".xlsx"):
            full = results[(kind, "import", suffix)]
            read = results[(kind, "read", suffix)]
            floor = ROWS / (read["seconds"] + write["seconds"])
            bound = ROWS / (read["seconds"] + everything["seconds"])
            print(
                f"{kind:10} {suffix[1:]:5} {full['per_s']:>13,.0f} {full['peak_mb']:>8.0f} "
                f"{floor:>13,.0f} {100 * full['per_s'] / floor:>9.0f}% "
                f"{100 * bound / floor:>5.0f}% "
                f"{peer['per_s']:>11,.0f} {full['per_s'] / peer['per_s']:>6.0f}×"
            )
    print(
        "floor = rows / (read alone + write alone); read: csv module / python-calamine; write: "
        "COPY (PostgreSQL) or executemany (SQLite) of the validated, encrypted person rows; "
        "bound = the same with every row the import stores (households, persons, memberships, "
        "heads) written raw: the most any import storing them could reach, in % of the floor; "
        f"i-e = django-import-export on {SLICE:,} rows (households, then persons); "
        f"fastest of {REPEAT} round(s)."
    )
    if not WORK:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
    else:
        main()
