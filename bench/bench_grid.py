"""Grid management's benchmark (``make bench-grid``): the phone's queue syncing 500 visits
and a township's quarter assessment, on the demo city in a scratch SQLite database.

What it does, and prints as a table:

1. builds the demo city at the default scale (``SCALE=small``; ``SCALE=full`` for the
   full-scale city, about an hour) in ``var/bench-grid/`` unless it is there already;
2. serves it with Django's server on loopback and opens Debian's Chromium (Playwright) as the
   demo grid worker on a 375-px phone; the first load of the phone's home page is measured in
   bytes over the wire (compressed as served) and in time to usable on an emulated slow 3G
   link (400 kbit/s down, 400 ms round trip);
3. queues 500 visits in the phone's IndexedDB queue while the browser is offline, goes online,
   and times ``zxQueue.flush()`` until the queue is empty; then queues the same 500 client ids
   again (a forced retry of every request), flushes, and counts the visits saved: it must be
   500 more, not 1,000;
4. times ``period_compute`` for the demo township's current quarter.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCALE = os.environ.get("SCALE", "small")
VAR = ROOT / "var" / f"bench-grid-{SCALE}"
PORT = int(os.environ.get("PORT", "8765"))
BIN = ROOT / ".venv" / "bin"
VISITS = 500


def env() -> dict[str, str]:
    return os.environ | {
        "ZHENXING_VAR": str(VAR),
        "SECRET_KEY_FILE": str(ROOT / "var" / "secret_key"),
        "DATA_KEY_FILE": str(ROOT / "var" / "data_key"),
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "zhenxing.settings",
    }


def build() -> float:
    if (VAR / "db.sqlite3").exists() or any(VAR.glob("*.sqlite3")):
        return 0.0
    VAR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    subprocess.run(  # noqa: S603 - our own command
        [BIN / "zhenxing", "migrate", "--no-input"],
        env=env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    demo = [str(BIN / "zhenxing"), "demo", "--scale", SCALE]
    subprocess.run(demo, env=env(), check=True)  # noqa: S603 - our own command
    return time.monotonic() - started


def main() -> None:
    built = build()
    os.environ.update(env())
    # Playwright's sync API runs an event loop in this thread; the ORM reads here are plain
    # synchronous reads between its calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.utils import timezone
    from playwright.sync_api import sync_playwright

    from zhenxing.core.accounts.models import User
    from zhenxing.grid.models import AssessmentPeriod, GridHousehold, Visit
    from zhenxing.grid.services import assessment

    server = subprocess.Popen(  # noqa: S603 - our own command
        [BIN / "zhenxing", "runserver", f"127.0.0.1:{PORT}", "--noreload", "--nothreading"],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    rows: list[tuple[str, str]] = []
    try:
        time.sleep(3)
        password = (VAR / "demo-password").read_text().strip()
        worker = User.objects.get(username="grid")
        households = list(
            GridHousehold.objects.filter(grid__posts__worker=worker).values_list(
                "household_id", flat=True
            )
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                ],
            )
            context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
            page = context.new_page()
            page.goto(base + "/login/")
            page.fill("input[name=username]", "grid")
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.click("main form button[type=submit]")

            # First load of the phone's home on slow 3G, with an empty cache.
            cold = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
            cold.add_cookies(context.cookies())  # type: ignore[arg-type]
            cold_page = cold.new_page()
            cdp = cold.new_cdp_session(cold_page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": 400,
                    "downloadThroughput": 400_000 / 8,
                    "uploadThroughput": 400_000 / 8,
                },
            )
            transferred = 0

            def on_finished(event: dict) -> None:
                nonlocal transferred
                transferred += int(event.get("encodedDataLength", 0))

            cdp.on("Network.loadingFinished", on_finished)
            started = time.monotonic()
            cold_page.goto(base + "/grid/m/", wait_until="load")
            cold_page.wait_for_function("document.body.dataset.queueReady === '1'")
            usable = time.monotonic() - started
            rows += [
                ("phone home, first load, bytes over the wire", f"{transferred:,}"),
                ("phone home, usable on slow 3G (s)", f"{usable:.2f}"),
            ]
            cold.close()

            page.goto(base + "/grid/m/")
            page.wait_for_function("document.body.dataset.queueReady === '1'")
            now = timezone.localtime().isoformat()
            items = [
                {
                    "client_id": f"00000000-0000-4000-8000-{i:012d}",
                    "household": households[i % len(households)],
                    "household_version": 1,
                    "visited_at": now,
                    "checked": ["food_secure"],
                    "notes": f"bench {i}",
                }
                for i in range(VISITS)
            ]
            before = Visit.objects.count()
            context.set_offline(True)
            page.evaluate(
                "async (items) => { for (const it of items) await window.zxQueue.add(it); }", items
            )
            queued = page.evaluate("window.zxQueue.count()")
            context.set_offline(False)
            started = time.monotonic()
            page.evaluate("window.zxQueue.flush()")
            while page.evaluate("window.zxQueue.count()"):
                page.evaluate("window.zxQueue.flush()")
            synced = time.monotonic() - started
            saved = Visit.objects.count() - before
            page.evaluate(
                "async (items) => { for (const it of items) await window.zxQueue.add(it); }", items
            )
            started = time.monotonic()
            page.evaluate("window.zxQueue.flush()")
            while page.evaluate("window.zxQueue.count()"):
                page.evaluate("window.zxQueue.flush()")
            retried = time.monotonic() - started
            after_retry = Visit.objects.count() - before
            rows += [
                ("visits queued offline", f"{queued}"),
                (f"sync of {VISITS} queued visits (s)", f"{synced:.2f}"),
                ("visits saved", f"{saved}"),
                (f"forced retry of all {VISITS} (s)", f"{retried:.2f}"),
                ("duplicates after the retry", f"{after_retry - saved}"),
            ]
            browser.close()
        city = User.objects.get(username="city")
        period = AssessmentPeriod.objects.filter(
            township__code=worker.region.code[:9], status="open"
        ).first()
        assert period is not None, "the demo township has no open period"
        started = time.monotonic()
        scored = assessment.period_compute(actor=city, period=period)
        rows.append(
            (
                f"township quarter assessment, {scored} workers (s)",
                f"{time.monotonic() - started:.2f}",
            )
        )
    finally:
        server.terminate()
        server.wait()
    print(f"bench-grid, scale {SCALE}, SQLite, built in {built:.0f} s (0: reused)")
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
