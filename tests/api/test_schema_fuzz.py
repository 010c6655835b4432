"""schemathesis over ``/api/v1/openapi.json``, inside the suite: bounded, fixed seed.

Every operation of the API is called by hypothesis-generated requests as the city
administrator (a bearer token), over the factories' rows in both townships. Checks: no 5xx,
every status code the API answers is documented for that operation, and every response
conforms to its documented schema. ``FUZZ_EXAMPLES`` raises the bound (``make fuzz``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import World
from tests.factories import populate
from zhenxing.wsgi import application

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# Every operation is fuzzed: none is excluded.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests go straight to the WSGI application, not through Django's test client: keep
    the test's database connection open across them (the test client does the same), or
    PostgreSQL loses the test transaction after the first request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(world: World, keep_connection: None) -> str:
    from django.apps import apps

    populate(world)
    return apps.get_model("accounts", "ApiToken").issue(world.city)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
