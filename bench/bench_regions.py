"""Benchmark: the jurisdiction tree at province scale (Guizhou).

Builds every Guizhou county and its official townships from the shipped division data (88
county-level units, ~1,500 townships), adds 10 synthetic villages per township (~15,000) and 6
villager groups per village (~90,000), then times the reads every page depends on: a subtree
(range scan on the code), a scoped name search, a page of the region API, and ancestors.

Run: .venv/bin/python bench/bench_regions.py            (SQLite in a temporary folder)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_regions.py
Prints a table; nothing is asserted (speed is measured here, never in tests).
"""

from __future__ import annotations

import csv
import os
import platform
import statistics
import sys
import tempfile
import time

os.environ.setdefault("ZHENXING_TESTING", "1")
os.environ.setdefault("ZHENXING_VAR", tempfile.mkdtemp(prefix="zx-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenxing.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.makedirs(os.path.join(os.environ["ZHENXING_VAR"], "static"), exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from zhenxing.core.accounts.models import User  # noqa: E402
from zhenxing.core.regions.loaders import DATA_DIR  # noqa: E402
from zhenxing.core.regions.models import Region, RegionKind  # noqa: E402
from zhenxing.core.regions.selectors import region_list  # noqa: E402
from zhenxing.core.scoping import subtree_q  # noqa: E402
from zhenxing.core.text import search_text  # noqa: E402

VILLAGES_PER_TOWNSHIP = 10
GROUPS_PER_VILLAGE = 6


def build() -> None:
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    with (DATA_DIR / "counties.csv").open(encoding="utf-8") as fh:
        counties = [r for r in csv.DictReader(fh) if r["provinceCode"] == "52"]
    with (DATA_DIR / "townships-guizhou.csv").open(encoding="utf-8") as fh:
        townships = list(csv.DictReader(fh))
    by_code: dict[str, Region] = {}
    rows = [
        Region(
            code=c["code"],
            name=c["name"],
            kind=RegionKind.COUNTY,
            search_text=search_text(c["name"]),
        )
        for c in counties
    ]
    for r in Region.objects.bulk_create(rows):
        by_code[r.code] = r
    rows = [
        Region(
            code=t["code"],
            name=t["name"],
            kind=RegionKind.TOWNSHIP,
            parent=by_code[t["countyCode"]],
            search_text=search_text(t["name"]),
        )
        for t in townships
        if t["countyCode"] in by_code
    ]
    tws = Region.objects.bulk_create(rows, batch_size=2000)
    villages = [
        Region(
            code=f"{t.code}{200 + i:03d}",
            name=f"{t.name[:2]}{i}村",
            kind=RegionKind.VILLAGE,
            parent=t,
            search_text=search_text(f"{t.name[:2]}{i}村"),
        )
        for t in tws
        for i in range(VILLAGES_PER_TOWNSHIP)
    ]
    villages = Region.objects.bulk_create(villages, batch_size=5000)
    groups = [
        Region(
            code=f"{v.code}{g:03d}",
            name=f"{g}组",
            kind=RegionKind.GROUP,
            parent=v,
            search_text=search_text(f"{g}组"),
        )
        for v in villages
        for g in range(1, GROUPS_PER_VILLAGE + 1)
    ]
    Region.objects.bulk_create(groups, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def timed(fn, repeat: int = 30) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    t0 = time.perf_counter()
    build()
    build_s = time.perf_counter() - t0
    total = Region.objects.count()
    panzhou = Region.objects.get(code="520281")
    township = Region.objects.get(code="520281004")
    admin = User(username="bench", role="city_admin", region=panzhou)
    admin.set_password("bench-password-123")
    admin.save()
    client = Client()
    client.force_login(admin)

    cases = [
        (
            "subtree of a township (count)",
            lambda: Region.objects.filter(subtree_q(township.code)).count(),
        ),
        (
            "subtree of a county (count)",
            lambda: Region.objects.filter(subtree_q(panzhou.code)).count(),
        ),
        (
            "subtree of a county (fetch codes)",
            lambda: list(
                Region.objects.filter(subtree_q(panzhou.code)).values_list("code", flat=True)
            ),
        ),
        ("scoped search 'hg' (city admin)", lambda: list(region_list(actor=admin, q="hg")[:50])),
        (
            "ancestors of a group",
            lambda: Region.objects.filter(subtree_q("520281004201001")).first().ancestors(),
        ),  # type: ignore[union-attr]
        (
            "GET /api/v1/regions/?parent=520281",
            lambda: client.get("/api/v1/regions/", {"parent": "520281"}),
        ),
        (
            "GET /api/v1/regions/?limit=100&offset=1000",
            lambda: client.get("/api/v1/regions/", {"limit": 100, "offset": 1000}),
        ),
        ("GET /regions/520281/ (page)", lambda: client.get("/regions/520281/")),
    ]
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, {connection.vendor}"
    )
    print(
        f"tree: {total:,} regions built in {build_s:.1f} s "
        f"(subtree of 520281: {Region.objects.filter(subtree_q('520281')).count():,})"
    )
    print(f"{'operation':<45} {'median ms':>10} {'p95 ms':>10}")
    for name, fn in cases:
        if name.startswith("GET"):
            status = fn().status_code
            assert status == 200, (name, status)
        median, p95 = timed(fn)
        print(f"{name:<45} {median:>10.2f} {p95:>10.2f}")


if __name__ == "__main__":
    main()
