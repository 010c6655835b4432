"""Browser fixtures: Debian's Chromium driven by Playwright, against pytest-django's live server.

One headless Chromium per test session; a fresh browser context (cookies, viewport) per test.
Every context is cut off from the outside world: requests to the live server go through, any
other request is aborted and recorded, so a test can assert that a page did not try to load a
CDN asset, a web font or an analytics beacon. Playwright never downloads a browser here: the
tests use /usr/bin/chromium (``apt-get install chromium fonts-wqy-microhei``) and are skipped,
with a reason, on a machine without it.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread; without this Django
# refuses ORM calls made from that thread (fixtures such as ``world``) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.db import connection
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Request,
    Response,
    Route,
    WebSocketRoute,
    sync_playwright,
)

from tests.conftest import PASSWORD, _ethnic_groups_loaded

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 10_000
# Schemes that never leave the machine; everything else must go to the live server.
LOCAL_SCHEMES = {"data", "blob", "about"}
# The migration that makes audit rows immutable with database triggers (SQLite and PostgreSQL).
AUDIT_TRIGGERS = importlib.import_module("zhenxing.core.audit.migrations.0002_immutable_triggers")


@pytest.fixture(scope="package", autouse=True)
def _audit_log_flushable(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Let the transactional test database be emptied although audit rows are immutable.

    ``live_server`` needs ``transactional_db``, whose teardown empties every table (DELETE on
    SQLite, TRUNCATE on PostgreSQL), and the audit triggers refuse that for the rows a login
    writes. So the browser tests run without those triggers: they are dropped before the first
    browser test and put back after the last one, before the test database goes away, so the
    rest of the suite still runs against immutable audit rows.
    """
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        AUDIT_TRIGGERS.backwards(None, editor)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            with connection.schema_editor() as editor:
                AUDIT_TRIGGERS.forwards(None, editor)
            # The last browser test's teardown also emptied the catalogues the data migrations
            # seed (charts of accounts, ethnic groups, courses): put them back for the tests
            # that follow on this worker, which may not ask for ``world`` (the demo's).
            _ethnic_groups_loaded()
            # On PostgreSQL an open connection left here keeps the test database from being
            # dropped at the end of the session ("being accessed by other users").
            connection.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is not installed (apt-get install chromium fonts-wqy-microhei); "
            "browser tests need Debian's Chromium and never download one"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class BrowserSession:
    """A browser context with one page, bound to the live server and walled off from the rest."""

    base_url: str
    context: BrowserContext
    page: Page
    outside_requests: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Response:
        response = self.page.goto(self.url(path))
        assert response is not None, path
        return response

    def login(self, username: str, password: str = PASSWORD) -> None:
        """Log in through the real form, as a person would, and wait for the page landed on."""
        self.goto("/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation():
            self.page.click("main form button[type=submit]")
        assert urlsplit(self.page.url).path != "/login/", f"logging in as {username} failed"

    def html_lang(self) -> str | None:
        return self.page.get_attribute("html", "lang")

    def assert_offline_and_healthy(self) -> None:
        """No request left the machine, every vendored asset loaded, no script threw."""
        assert self.outside_requests == [], f"requests to the outside: {self.outside_requests}"
        assert self.failed_assets == [], f"assets that failed to load: {self.failed_assets}"
        assert self.page_errors == [], f"JavaScript errors: {self.page_errors}"


def _open_session(browser: Browser, base_url: str, **context_options) -> BrowserSession:
    origin = urlsplit(base_url)
    context = browser.new_context(base_url=base_url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    session = BrowserSession(base_url=base_url, context=context, page=page)

    def is_local(url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        return parts.hostname == origin.hostname and parts.port == origin.port

    def guard(route: Route, request: Request) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            session.outside_requests.append(f"{request.method} {request.url}")
            route.abort("internetdisconnected")

    def guard_websocket(ws: WebSocketRoute) -> None:
        if is_local(ws.url.replace("ws", "http", 1)):
            ws.connect_to_server()
        else:
            session.outside_requests.append(f"WEBSOCKET {ws.url}")
            ws.close()

    def on_response(response: Response) -> None:
        if urlsplit(response.url).path.startswith("/static/") and response.status >= 400:
            session.failed_assets.append(f"{response.status} {response.url}")

    def on_request_failed(request: Request) -> None:
        # ERR_ABORTED is what a navigation does to requests still in flight, and what Chromium
        # reports after a 4xx asset (already recorded above); anything else is a real failure.
        failure = request.failure or ""
        if is_local(request.url) and "ERR_ABORTED" not in failure:
            session.failed_assets.append(f"{failure} {request.url}")

    context.route("**/*", guard)
    context.route_web_socket(re.compile(r".*"), guard_websocket)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("pageerror", lambda error: session.page_errors.append(str(error)))
    return session


@pytest.fixture
def open_session(browser: Browser, live_server) -> Iterator[Callable[..., BrowserSession]]:
    """Factory: ``open_session(viewport={...}, is_mobile=True)`` -> a fresh walled-off context."""
    sessions: list[BrowserSession] = []

    def factory(**context_options) -> BrowserSession:
        session = _open_session(browser, live_server.url, **context_options)
        sessions.append(session)
        return session

    yield factory
    for session in sessions:
        session.context.close()
