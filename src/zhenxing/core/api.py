"""API plumbing shared by every app's router: authentication and error shapes.

Errors: bad input answers 400 with ``{"detail", "errors": {field: [messages]}}`` in the
caller's language; missing or out-of-scope objects 404; role refusals 403. Never a 500.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from zhenxing.core.accounts.models import ApiToken
from zhenxing.core.errors import DomainError, Forbidden, NotFound


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(key_hash=ApiToken.hash_key(token), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        # Touch at most once a minute: a write per request would serialise API clients.
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


AUTH = [BearerToken(), django_auth]


def _field_path(loc: list[Any]) -> str:
    # ninja reports ("body", "payload", "code"); the caller only cares about "code".
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, Forbidden) else 400
        if status == 404:
            return api.create_response(request, {"detail": _("Not found.")}, status=404)
        if status == 403:
            return api.create_response(request, {"detail": _("Permission denied.")}, status=403)
        if exc.code == "login_locked":
            status = 429
        return api.create_response(
            request,
            {"detail": str(exc.message), "code": exc.code, "errors": exc.errors},
            status=status,
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            errors.setdefault(_field_path(list(err.get("loc", []))), []).append(
                str(err.get("msg", _("Invalid value.")))
            )
        return api.create_response(
            request,
            {"detail": _("The request has invalid fields."), "errors": errors},
            status=400,
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": _("Authentication required.")}, status=401)
