"""The API kernel every app's router stands on: authentication, bounded pagination, the
FilterSet as query parameters, scoped lookups, and errors as part of the contract.

Errors share one schema (:class:`ErrorOut`): bad input answers 400 with
``{"detail", "code", "errors": {field: [messages]}}`` in the caller's language; no or a bad
token 401; a role refusal 403; a missing or out-of-scope object 404; a conflict with the data's
state (deleting a region still referenced) 409. :class:`ZhenxingAPI` writes these responses
into the OpenAPI document of every operation, so clients (and schemathesis) can rely on them.
Never a 500.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

import django_filters
from django.conf import settings
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, django_auth
from pydantic import create_model

from zhenxing.core.accounts.models import ApiToken
from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.errors import DomainError, Forbidden, http_status
from zhenxing.core.scoping import get_for_user
from zhenxing.core.web.filters import MAX_INT, BoundedNumberFilter, filter_queryset

#: Path ids: positive and within what every database stores (SQLite's INTEGER is 64-bit).
MAX_ID = 2**53
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    """Every error the API answers: a message in the caller's language, a stable code, and
    for 400 the messages by field (``__all__`` for the request as a whole)."""

    detail: str
    code: str | None = None
    errors: dict[str, list[str]] | None = None


class Pagination(LimitOffsetPagination):
    """Limit and offset with documented bounds: ``limit`` 1…``API_MAX_PAGE_SIZE``, ``offset``
    0…``API_MAX_OFFSET`` (a deeper read should filter first)."""

    class Input(Schema):
        limit: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=settings.API_MAX_OFFSET)


def _filter_type(f: django_filters.Filter) -> Any:
    """The documented type of one filter's query parameter."""
    if isinstance(f, django_filters.BooleanFilter):
        return bool
    if isinstance(f, django_filters.ChoiceFilter) and not callable(f.extra.get("choices")):
        values = tuple(str(v) for v, _label in f.extra.get("choices", ()))
        if values:
            return Literal[values]
    if isinstance(f, BoundedNumberFilter):
        return Annotated[int, Field(ge=f.min_value, le=f.max_value)]
    if isinstance(f, django_filters.NumberFilter):
        return Annotated[Decimal, Field(ge=-MAX_INT, le=MAX_INT)]
    if isinstance(f, django_filters.DateFilter):
        return date
    if isinstance(f, django_filters.ModelChoiceFilter):
        return Annotated[int, Field(ge=1, le=MAX_ID)]
    # Text: the filter's own length and pattern, so the schema promises only what it accepts.
    pattern = next(
        (
            getattr(v.regex, "pattern", v.regex)
            for v in f.extra.get("validators", ())
            if isinstance(v, RegexValidator)
        ),
        None,
    )
    return Annotated[str, Field(max_length=f.extra.get("max_length", 200), pattern=pattern)]


def filter_params(filterset_class: type[django_filters.FilterSet]) -> type[Schema]:
    """The query schema of a FilterSet's parameters, to document them in OpenAPI:
    ``def list_x(request, filters: Query[filter_params(XFilterSet)])``. The values are applied
    by the FilterSet itself (:func:`api_list`), the same as on the page and in the export."""
    fields: dict[str, Any] = {}
    for name, f in filterset_class.base_filters.items():
        label = str(f.label or name)
        fields[name] = (_filter_type(f) | None, Field(None, description=label))
    model: type[Schema] = create_model(
        f"{filterset_class.__name__}Params", __base__=Schema, **fields
    )
    return model


#: Parameters the pagination reads, which the FilterSet must not see.
_PAGING = ("limit", "offset")


def api_user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or request.user


def api_list(
    request: HttpRequest,
    filterset_class: type[django_filters.FilterSet] | None,
    queryset: QuerySet[Any],
) -> QuerySet[Any]:
    """``queryset`` (a model's or a selector's) limited to the caller's scope and filtered by
    the FilterSet from the query string; a bad value raises a 400 naming the parameter."""
    user = api_user(request)
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user)
    if filterset_class is None:
        return queryset
    data = request.GET.copy()
    for name in _PAGING:
        data.pop(name, None)
    return filter_queryset(filterset_class, data, queryset, actor=user)


def api_require(request: HttpRequest, permission: str) -> None:
    """The caller's role must hold ``permission`` (``"<app>.<model>.<action>"``): 403 if not,
    the same answer a page gives."""
    if not has_permission(api_user(request), None, permission):
        raise Forbidden()


def api_object(
    queryset: QuerySet[Any], request: HttpRequest, action: str = "view", **lookup: Any
) -> Any:
    """One object for the caller: missing or out of scope 404, inside scope but not permitted
    403."""
    return get_for_user(queryset, api_user(request), action, **lookup)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(key_hash=ApiToken.hash_key(token), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.created_at < now - timedelta(days=settings.API_TOKEN_DAYS):
            return None  # expired: the caller gets 401 and asks for a new token
        # Touch at most once a minute: a write per request would serialise API clients.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


AUTH = [BearerToken(), django_auth]


#: Where ninja says a parameter came from (the first element of an error's location).
_LOCATIONS = ("body", "query", "path", "form", "header", "cookie", "file")
#: The handlers' argument names for a whole body or query schema, not a field of it.
_WRAPPERS = ("payload", "filters")


def _field_path(loc: list[Any]) -> str:
    """ninja reports ("body", "payload", "code") or ("query", "limit"); the caller only cares
    about "code" or "limit" — even when a parameter itself is called "form" or "path"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in _WRAPPERS:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = http_status(exc)
        if status == 404:
            return api.create_response(
                request, {"detail": _("Not found."), "code": exc.code}, status=404
            )
        if status == 403:
            return api.create_response(
                request, {"detail": _("Permission denied."), "code": exc.code}, status=403
            )
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

    @api.exception_handler(OverflowError)
    def overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # Defence in depth: every integer parameter is bounded in the schema, but a number too
        # large for the database is the caller's mistake, never a 500.
        return api.create_response(
            request,
            {"detail": _("A number in the request is out of range."), "code": "out_of_range"},
            status=400,
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


#: The error responses every operation may answer, with what each means.
_ERRORS: Mapping[int, str] = {
    400: "Bad request: a parameter or field is not valid (messages by field).",
    401: "Authentication required: no session and no valid, unexpired bearer token.",
    403: "Permission denied: the caller's role may not do this.",
    404: "Not found: missing, or outside the caller's region (the two look the same).",
    409: "Conflict with the data's state (for example, a region still referenced).",
    429: "Too many failed logins: try again later.",
}
_WRITE_METHODS = {"post", "put", "patch", "delete"}


class ZhenxingAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists every operation's error responses (one schema,
    :class:`ErrorOut`), added here once instead of on each operation."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                codes = [400, 401, 403, 404]
                if method in _WRITE_METHODS:
                    codes.append(409)
                if path.rstrip("/").endswith("/auth/token"):
                    codes.append(429)
                for code in codes:
                    responses.setdefault(
                        code,
                        {
                            "description": _ERRORS[code],
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
        return schema
