"""Opens an audit context per request: one request id for every audit row the request writes."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from zhenxing.core.audit.context import audit_context


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it,
    # and a deployment behind one sets REMOTE_ADDR through its WSGI server.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        with audit_context(source=source, ip=client_ip(request)) as ctx:
            request.audit_request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            response["X-Request-ID"] = str(ctx.request_id)
            return response
