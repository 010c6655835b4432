"""Opens an audit context per request: one request id for every audit row the request writes."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from zhenxing.core.audit.context import audit_context


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the audit log and the login throttle.

    X-Forwarded-For is client-controlled, so it is read only when ``NUM_PROXIES`` says how many
    trusted reverse proxies stand in front of the app: the address the outermost trusted proxy
    saw is that many entries from the right. Without proxies, REMOTE_ADDR.
    """
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
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
