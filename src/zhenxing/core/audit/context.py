"""Who is acting, from where, within which request: set once per request, job or command.

Services take the actor explicitly; the rest (request id, address, channel) rides on a context
variable so that a bulk import or a management command groups its rows under one request id
just like a page does.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AuditContext:
    source: str = "system"  # web, api, command, import, system
    ip: str | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)


_current: ContextVar[AuditContext | None] = ContextVar("zhenxing_audit_context", default=None)


def current() -> AuditContext:
    """The context in force; outside any, a fresh system context (one id per call site)."""
    ctx = _current.get()
    return ctx if ctx is not None else AuditContext()


@contextlib.contextmanager
def audit_context(*, source: str, ip: str | None = None) -> Iterator[AuditContext]:
    ctx = AuditContext(source=source, ip=ip)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextlib.contextmanager
def ensure_audit_context(*, source: str) -> Iterator[AuditContext]:
    """The context in force, or a new one for the duration: a job's many entries share the
    request id of the page that started it, or one of their own."""
    ctx = _current.get()
    if ctx is not None:
        yield ctx
        return
    with audit_context(source=source) as ctx:
        yield ctx
