"""Benchmark: every page each role's menu reaches, timed on the full-scale demo city.

For each database (SQLite in ``var/bench/pages.sqlite3``, PostgreSQL in database
``bench_pages``), the full-scale demo (``zhenxing demo --scale full``: about 300,000
households, 1.2 million persons, 1,000,000 voucher lines) is created once and reused. Then, in a
fresh process, each demo login (city, township, village, accountant, grid, auditor) opens its
home page; every link of its menu, plus the detail pages a list leads to (the first household,
person, voucher, organisation's books, plan, region) and the household list searched by name,
pinyin and ID number, is fetched once to warm up and then ``RUNS`` times through Django's test
client: in-process, so the time is the server's (middleware, view, queries, template), without a
network. The sub-menus of the pages reached (``nav.subnav``) are followed one level.
``EXPORTS=1`` also times the household export as CSV and XLSX for the city and the township
(first byte and rows a second; targets 1 s and 20,000 rows a second).

Then the province-scale set (``bench/province.py``: 15,000 villages under one root, built once
per database in ``var/bench/province.sqlite3`` and database ``bench_province``) is crawled the
same way as its province-level administrator, a township officer and an auditor, against a
target of 1 s: the dashboards summarise 15,000 villages by the level below.

Run: make bench-pages   (RUNS=5; ONLY=sqlite or postgresql; SETS=city or province; PG_URL
for another server; REBUILD=1 to regenerate the demo). Prints a table: median, p95 and size
per page and role, and the pages over the targets (p95 300 ms, 1 s for the province set; 200
KB). Nothing is asserted.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
RUNS = int(os.environ.get("RUNS", "5"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/bench_pages")
TARGET_MS = 300
PROVINCE_TARGET_MS = 1000
TARGET_KB = 200
EXPORT_FIRST_BYTE_S = 1.0
EXPORT_ROWS_PER_S = 20_000
ROLES = ("city", "township", "village", "accountant", "grid", "auditor")
PROVINCE_ROLES = ("province", "ptownship", "pauditor")
SETS = ("city", "province")


def database_url(kind: str, dataset: str) -> str:
    if kind == "postgresql":
        return PG_URL if dataset == "city" else PG_URL.rsplit("/", 1)[0] + "/bench_province"
    name = "pages.sqlite3" if dataset == "city" else "province.sqlite3"
    return f"sqlite:///{VAR / name}"


def environment(kind: str, dataset: str = "city") -> dict[str, str]:
    VAR.mkdir(parents=True, exist_ok=True)
    for name, make in (("secret_key", "x" * 50), ("data_key", None)):
        path = VAR / name
        if not path.exists():
            if make is None:
                import base64

                make = base64.urlsafe_b64encode(os.urandom(32)).decode()
            path.write_text(make)
    env = dict(os.environ)
    env.update(
        SECRET_KEY_FILE=str(VAR / "secret_key"),
        DATA_KEY_FILE=str(VAR / "data_key"),
        ZHENXING_HOME=str(VAR / (kind if dataset == "city" else f"province-{kind}")),
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        ZHENXING_DEMO_PASSWORD=os.environ.get("ZHENXING_DEMO_PASSWORD", "bench-Pass-2026!x"),
        DJANGO_SETTINGS_MODULE="zhenxing.settings",
    )
    env["DATABASE_URL"] = database_url(kind, dataset)
    return env


def zhenxing(kind: str, *args: str, dataset: str = "city") -> None:
    subprocess.run(
        [sys.executable, "-m", "zhenxing", *args], env=environment(kind, dataset), check=True
    )


def marker_of(kind: str, dataset: str) -> Path:
    return VAR / (f"{kind}.ready" if dataset == "city" else f"province-{kind}.ready")


def ensure_demo(kind: str, dataset: str = "city") -> None:
    """The full-scale demo (or the province set) on ``kind``, created once (``REBUILD=1``
    starts again)."""
    marker = marker_of(kind, dataset)
    if marker.exists() and not os.environ.get("REBUILD"):
        return
    url = database_url(kind, dataset)
    if kind == "postgresql":
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    started = time.perf_counter()
    zhenxing(kind, "migrate", "--no-input", "--verbosity", "0", dataset=dataset)
    if dataset == "city":
        zhenxing(kind, "demo", "--scale", "full")
    else:
        subprocess.run(
            [sys.executable, __file__, "--build-province", kind],
            env=environment(kind, dataset),
            check=True,
        )
    marker.write_text(f"{time.perf_counter() - started:.0f} s to build\n")


def build_province() -> None:
    import django

    django.setup()
    import province

    print(province.build(stdout=sys.stdout))


def child(kind: str, dataset: str = "city") -> None:
    """Time the pages (runs in its own process, on ``kind``), in an application loaded as the
    production server loads it (``zhenxing.wsgi``: settings, URLs, the garbage collector's
    start-up freeze)."""
    from django.test import Client
    from django.urls import reverse

    import zhenxing.wsgi  # noqa: F401
    from zhenxing.core.accounts.models import User

    results = []

    def timed(client: Client, role: str, path: str) -> str:
        """Time ``path``; returns the page (for its sub-menu's links)."""
        try:
            warm = client.get(path)  # warm-up: caches, the first query plans
        except Exception as exc:
            results.append({"role": role, "path": path, "error": repr(exc)[:120]})
            return ""
        times, size, status = [], 0, 0
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append((time.perf_counter() - started) * 1000)
            size, status = len(body), response.status_code
        times.sort()
        results.append(
            {
                "role": role,
                "path": path,
                "status": status,
                "median": statistics.median(times),
                "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                "kb": size / 1024,
            }
        )
        if warm.streaming or "html" not in warm.get("Content-Type", ""):
            return ""
        return warm.content.decode("utf-8", "replace")

    def links(html: str, pattern: str = r"<nav.*?</nav>") -> list[str]:
        nav = " ".join(re.findall(pattern, html, flags=re.S))
        found = re.findall(r'href="(/[^"#]*)"', nav)
        skip = ("/static/", "/i18n/", "/accounts/logout", "/logout", "/admin")
        return [p for p in dict.fromkeys(found) if not p.startswith(skip)]

    for role in ROLES if dataset == "city" else PROVINCE_ROLES:
        user = User.objects.filter(username=role).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        home = client.get("/").content.decode("utf-8", "replace")
        paths = ["/", *links(home)]
        paths += detail_paths(user)
        queue = list(dict.fromkeys(paths))
        seen = set(queue)
        while queue:
            page = timed(client, role, queue.pop(0))
            # One level further: the sub-menus of the pages the menu reaches (party building's).
            for link in links(page, r'<nav class="subnav".*?</nav>'):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        if os.environ.get("EXPORTS") and role in ("city", "township"):
            from zhenxing.registry.models import Person

            persons = Person.objects.visible_to(user).count()
            for fmt in ("csv", "xlsx"):
                path = reverse("registry:household_export") + f"?format={fmt}"
                export(client, role, path, results, persons)
    print(json.dumps(results))


def detail_paths(user) -> list[str]:  # type: ignore[no-untyped-def]
    """The pages a list leads to, for the first row the user may see, and the searches."""
    from django.urls import reverse

    from zhenxing.economy.models import CollectiveOrganization, DistributionPlan, Voucher
    from zhenxing.registry.models import Household, Person

    paths = []
    household = Household.objects.visible_to(user).order_by("pk").first()
    if household is not None:
        paths.append(reverse("registry:household_detail", args=[household.pk]))
        person = Person.objects.visible_to(user).filter(household=household).first()
        if person is not None:
            paths.append(reverse("registry:person_detail", args=[person.pk]))
            base = reverse("registry:household_list")
            paths += [f"{base}?q={person.name}", f"{base}?q=zcc", f"{base}?page=50"]
    organization = CollectiveOrganization.objects.visible_to(user).order_by("pk").first()
    if organization is not None:
        paths.append(reverse("economy:organization_detail", args=[organization.pk]))
        paths.append(
            reverse("economy:organization_reports", args=[organization.pk]) + "?year=2020&month=12"
        )
    voucher = Voucher.objects.visible_to(user).order_by("-pk").first()
    if voucher is not None:
        paths.append(reverse("economy:voucher_detail", args=[voucher.pk]))
    plan = DistributionPlan.objects.visible_to(user).order_by("pk").first()
    if plan is not None:
        paths.append(reverse("economy:plan_detail", args=[plan.pk]))
    if user.region_id:
        paths.append(reverse("regions:region_detail", args=[user.region.code]))
    # What the party dashboard's script fetches after the page: the members' structure.
    paths.append(reverse("party:dashboard") + "?part=structure")
    return paths


def export(client, role: str, path: str, results: list, rows: int) -> None:  # type: ignore[no-untyped-def]
    """Time one export: its first byte and its rows (the persons in scope) a second."""
    started = time.perf_counter()
    response = client.get(path)
    first = None
    size = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
    total = time.perf_counter() - started
    results.append(
        {
            "role": role,
            "path": path,
            "status": response.status_code,
            "median": total * 1000,
            "p95": total * 1000,
            "kb": size / 1024,
            "first_byte_s": first or total,
            "rows_per_s": rows / total if total else 0,
        }
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--build-province":
        build_province()
        return
    kinds = [os.environ["ONLY"]] if os.environ.get("ONLY") else ["sqlite", "postgresql"]
    sets = [os.environ["SETS"]] if os.environ.get("SETS") else list(SETS)
    print(
        f"# pages on the full-scale demo city and the province set; {RUNS} runs after a "
        f"warm-up; {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    slow, slow_exports = [], []
    for dataset in sets:
        target = TARGET_MS if dataset == "city" else PROVINCE_TARGET_MS
        for kind in kinds:
            ensure_demo(kind, dataset)
            # Pages name their assets through the manifest, as in production.
            zhenxing(kind, "collectstatic", "--no-input", "--verbosity", "0", dataset=dataset)
            done = subprocess.run(
                [sys.executable, __file__, "--child", kind, dataset],
                env=environment(kind, dataset),
                capture_output=True,
                text=True,
            )
            if done.returncode:
                sys.exit(f"{kind} {dataset}: the page run failed\n{done.stderr[-4000:]}")
            rows = json.loads(done.stdout.strip().splitlines()[-1])
            built = marker_of(kind, dataset).read_text().strip()
            print(f"\n## {dataset}, {kind} ({built}; target p95 {target} ms)")
            print(f"{'role':<11} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'KB':>7}  page")
            for r in rows:
                if "error" in r:
                    print(f"{r['role']:<11} {'error':>6} {'':>27}  {r['path']} {r['error']}")
                    continue
                line = (
                    f"{r['role']:<11} {r['status']:>6} {r['median']:>10.1f} {r['p95']:>8.1f} "
                    f"{r['kb']:>7.1f}  {r['path']}"
                )
                if "rows_per_s" in r:
                    line += f"  first byte {r['first_byte_s']:.2f} s, {r['rows_per_s']:,.0f} rows/s"
                print(line)
                if "rows_per_s" in r:
                    if (
                        r["first_byte_s"] > EXPORT_FIRST_BYTE_S
                        or r["rows_per_s"] < EXPORT_ROWS_PER_S
                    ):
                        slow_exports.append((kind, r))
                elif r["p95"] > target or r["kb"] > TARGET_KB:
                    slow.append((f"{dataset}/{kind}", r))
    print(
        f"\n{len(slow)} pages over the targets (p95 {TARGET_MS} ms for the city, "
        f"{PROVINCE_TARGET_MS} ms for the province; {TARGET_KB} KB):"
    )
    for where, r in slow:
        print(f"  {where:<20} {r['role']:<11} {r['p95']:>8.1f} ms {r['kb']:>7.1f} KB  {r['path']}")
    if os.environ.get("EXPORTS"):
        print(
            f"{len(slow_exports)} exports over the targets (first byte {EXPORT_FIRST_BYTE_S} s, "
            f"{EXPORT_ROWS_PER_S:,} rows a second):"
        )
        for kind, r in slow_exports:
            print(
                f"  {kind:<10} {r['role']:<11} first byte {r['first_byte_s']:.2f} s, "
                f"{r['rows_per_s']:,.0f} rows/s  {r['path']}"
            )


if __name__ == "__main__":
    main()
