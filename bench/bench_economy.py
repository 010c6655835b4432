"""Benchmark: the collective economy dashboard's figures, from summary tables vs. the ledger.

For the full-scale demo city (451 villages, five years of books, over 1,000,000 voucher lines)
and a province-scale synthetic set (15,000 villages in 500 townships, five years), on SQLite and
on PostgreSQL, each on a fresh database in its own process:

* the books are generated through the posting path (``vouchers_load``: balanced vouchers,
  summary tables kept up to date) and timed;
* ``dashboard``: the server's computation of the city dashboard's figures (accumulation,
  operating income and tier for every village, the tier counts, cooperatives and companies),
  exactly what the dashboard view and the summary API call, repeated;
* ``group by``: the same per-village figures from a plain GROUP BY over the posted voucher
  lines (joined to their vouchers and accounts), the figures' formulas applied in SQL;
* before measuring, ``ANALYZE`` gives the planner the statistics a live server has;
* both answers are compared village by village (they must be equal to the fen), and
  ``ledger_mismatches`` proves the summary tables equal the ledger.

Run: make bench-economy   (RUNS=30 repeats; SPLITS=16 cuts the city's vouchers finer;
PROVINCE=15000 villages; PG_URL for another server; ONLY=sqlite:city,… for some runs)
Prints a table; nothing is asserted except that both methods agree.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("RUNS", "30"))
GROUP_BY_RUNS = int(os.environ.get("GROUP_BY_RUNS", "5"))
SPLITS = int(os.environ.get("SPLITS", "16"))
PROVINCE = int(os.environ.get("PROVINCE", "15000"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
ONLY = {x for x in os.environ.get("ONLY", "").split(",") if x}
HERE = Path(__file__).resolve()
YEAR = 2020


def setup(database_url: str | None, var: str) -> None:
    os.environ.setdefault("ZHENXING_TESTING", "1")
    os.environ["ZHENXING_VAR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenxing.settings")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def province_regions() -> None:
    """A synthetic county-level root with 500 townships of 30 villages (15,000 villages)."""
    from zhenxing.core.regions.models import Region, RegionKind

    root = Region.objects.create(code="529901", name="省级规模合成区", kind=RegionKind.COUNTY)
    townships = Region.objects.bulk_create(
        Region(code=f"529901{t:03d}", name=f"合成乡{t}", kind=RegionKind.TOWNSHIP, parent=root)
        for t in range(1, PROVINCE // 30 + 1)
    )
    Region.objects.bulk_create(
        Region(
            code=f"{township.code}{200 + v:03d}",
            name=f"{township.name}第{v + 1}村",
            kind=RegionKind.VILLAGE,
            parent=township,
        )
        for township in townships
        for v in range(30)
    )


def generate(dataset: str) -> dict[str, float]:
    from django.core.management import call_command

    from zhenxing.economy.demo import demo_economy_load
    from zhenxing.economy.models import VoucherLine

    started = time.perf_counter()
    if dataset == "city":
        call_command("demo", "--scale", "none", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        splits = SPLITS
    else:
        province_regions()
        splits = 1
    filled = demo_economy_load(splits=splits)
    return {
        "villages": filled["organizations"],
        "lines": VoucherLine.objects.count(),
        "generate_s": time.perf_counter() - started,
    }


def dashboard(root):  # type: ignore[no-untyped-def]
    """What the dashboard view and the summary API compute (the figures, tiers and counts)."""
    from zhenxing.economy.selectors.figures import economy_summary, village_figures

    figures = village_figures(region=root, year=YEAR)
    economy_summary(region=root, year=YEAR, figures=figures)
    return figures


def per_village(figures) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """The dashboard's answer in the GROUP BY's shape, for comparing the two (not timed)."""
    return {f.code: (f.accumulation_fen, f.operating_income_fen) for f in figures}


def group_by(root) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """The same figures straight from the voucher lines, the formulas applied in SQL."""
    from collections import Counter

    from django.db.models import Case, DecimalField, F, Q, Sum, Value, When

    from zhenxing.core.regions.models import Region, RegionKind
    from zhenxing.core.scoping import subtree_q
    from zhenxing.economy.models import FigureTerm, VoucherLine, VoucherStatus
    from zhenxing.economy.selectors.figures import target_for
    from zhenxing.economy.services.summaries import to_fen

    money = DecimalField(max_digits=18, decimal_places=2)

    def terms(figure: str) -> Q:
        """The figure's formula (``FigureTerm``, per chart) as one condition on the lines."""
        q = Q(pk__in=[])
        for t in FigureTerm.objects.filter(figure=figure):
            q |= Q(account__chart=t.chart, account__code__startswith=t.account_prefix)
        return q

    equity = terms("accumulation")
    # Operating income: net of losses, the year-end carry-forward (and opening vouchers) left out.
    operating = terms("operating_income") & Q(voucher__year=YEAR, voucher__kind="ordinary")
    rows = (
        VoucherLine.objects.filter(
            subtree_q(root.code, "voucher__organization__village__code"),
            voucher__status=VoucherStatus.POSTED,
            voucher__year__lte=YEAR,
        )
        .values_list("voucher__organization__village__code")
        .annotate(
            acc=Sum(
                Case(
                    When(equity, then=F("credit") - F("debit")),
                    default=Value(0),
                    output_field=money,
                )
            ),
            inc=Sum(
                Case(
                    When(operating, then=F("credit") - F("debit")),
                    default=Value(0),
                    output_field=money,
                )
            ),
        )
        .order_by()
    )
    result = {code: (to_fen(acc), to_fen(inc)) for code, acc, inc in rows}
    # The rest of the dashboard's answer: every village (with or without books) and its tier.
    target = target_for(YEAR)
    tiers: Counter[str] = Counter()
    for code in Region.objects.filter(subtree_q(root.code), kind=RegionKind.VILLAGE).values_list(
        "code", flat=True
    ):
        acc, inc = result.setdefault(code, (0, 0))
        tiers[target.tier(acc / 100, inc / 100) if target else ""] += 1
    return result


def timed(fn, root, runs: int):  # type: ignore[no-untyped-def]
    times = []
    answer = None
    for _ in range(runs):
        started = time.perf_counter()
        answer = fn(root)
        times.append((time.perf_counter() - started) * 1000)
    return times, answer


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def child(phase: str, dataset: str, database_url: str, var: str) -> None:
    """One phase in its own process: ``generate`` loads the books; ``measure`` times the
    dashboard and the GROUP BY in a fresh process, as a server's would be. (Timed in the process
    that generated millions of rows, every collection of Python's garbage collector walked that
    heap: a third of a province dashboard's time went on a cost no server pays.)"""
    setup(database_url or None, var)
    from zhenxing.core.regions.models import Region, RegionKind
    from zhenxing.economy.services.summaries import ledger_mismatches

    if phase == "generate":
        made = generate(dataset)
        # Planner statistics, as autovacuum (PostgreSQL) or a nightly ANALYZE would have them
        # on a live server; right after a bulk load they describe empty tables.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print("RESULT " + json.dumps(made))
        return
    root = Region.objects.get(kind=RegionKind.COUNTY)
    dashboard(root)  # warm: the first run pays for connections and caches, as a server has
    fast, answer = timed(dashboard, root, RUNS)
    slow, plain = timed(group_by, root, GROUP_BY_RUNS)
    assert per_village(answer) == plain, "the summary tables and the ledger disagree"
    started = time.perf_counter()
    assert ledger_mismatches() == []
    print(
        "RESULT "
        + json.dumps(
            {
                "check_s": time.perf_counter() - started,
                "median": statistics.median(fast),
                "p95": p95(fast),
                "gb_median": statistics.median(slow),
                "gb_p95": p95(slow),
            }
        )
    )


def pg(sql: str) -> None:
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    command = ["psql", PG_URL, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)  # noqa: S603


def run(kind: str, dataset: str) -> dict[str, float]:
    var = tempfile.mkdtemp(prefix="zx-bench-economy-")
    url = ""
    if kind == "postgresql":
        pg("DROP DATABASE IF EXISTS zx_bench_economy")
        pg("CREATE DATABASE zx_bench_economy")
        url = PG_URL.rsplit("/", 1)[0] + "/zx_bench_economy"
    result: dict[str, float] = {}
    try:
        for phase in ("generate", "measure"):
            out = subprocess.run(  # noqa: S603 - our own script
                [sys.executable, str(HERE), "--child", phase, dataset, url, var],
                capture_output=True,
                text=True,
            )
            if out.returncode:
                sys.exit(f"{dataset} on {kind} failed ({phase}):\n{out.stderr[-3000:]}")
            line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
            result |= json.loads(line[7:])
    finally:
        shutil.rmtree(var, ignore_errors=True)
        if kind == "postgresql":
            pg("DROP DATABASE IF EXISTS zx_bench_economy")
    return result


def main() -> None:
    print(
        f"Collective economy dashboard — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {RUNS} dashboard runs, {GROUP_BY_RUNS} GROUP BY runs"
    )
    head = (
        f"{'database':10} {'dataset':8} {'villages':>8} {'lines':>10} {'generate s':>10} "
        f"{'median ms':>9} {'p95 ms':>8} {'GROUP BY median ms':>18} {'p95 ms':>8} {'×':>6} "
        f"{'check s':>7}"
    )
    print(head)
    print("-" * len(head))
    for kind in ("sqlite", "postgresql"):
        for dataset in ("city", "province"):
            if ONLY and f"{kind}:{dataset}" not in ONLY:
                continue
            r = run(kind, dataset)
            print(
                f"{kind:10} {dataset:8} {r['villages']:>8,.0f} {r['lines']:>10,.0f} "
                f"{r['generate_s']:>10.0f} {r['median']:>9.1f} {r['p95']:>8.1f} "
                f"{r['gb_median']:>18.1f} {r['gb_p95']:>8.1f} "
                f"{r['gb_median'] / r['median']:>5.0f}× {r['check_s']:>7.1f}",
                flush=True,
            )
    print(
        "dashboard = village_figures + economy_summary over YearFigures (the view's and the API's "
        "path); GROUP BY = the same per-village figures summed from the posted voucher lines; "
        "× = GROUP BY median / dashboard median; check = economy_check's comparison of summary "
        "tables and ledger."
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
    else:
        main()
