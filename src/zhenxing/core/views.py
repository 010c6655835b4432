"""Shared view helpers: one way to turn domain errors into pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest

from zhenxing.core.errors import DomainError, Forbidden, NotFound


def raise_http(exc: DomainError) -> None:
    """Scope and role errors become 404 and 403; anything else is the caller's to show."""
    if isinstance(exc, NotFound):
        raise Http404 from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied from exc


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's error on the form fields it names (or on the form as a whole)."""
    raise_http(exc)
    for field, field_messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


def region_for(request: HttpRequest) -> Any:
    """The region a dashboard or report shows: ``?region=CODE`` within the reader's scope, else
    their own; missing or outside scope is 404."""
    from zhenxing.core.regions.models import Region
    from zhenxing.core.scoping import get_for_user

    user: Any = request.user
    code = request.GET.get("region") or (user.region.code if user.region else "")
    if not code:
        raise Http404
    try:
        return get_for_user(Region.objects.all(), user, code=code)
    except DomainError as exc:
        raise Http404 from exc


def ancestors_in_scope(request: HttpRequest, region: Any) -> list[Any]:
    """The breadcrumb above ``region``, only as high as the reader's own region."""
    user: Any = request.user
    root = user.region.code if user.region else "\x00"
    return [a for a in region.ancestors() if a.code.startswith(root)]


def paginate(request: HttpRequest, queryset: Any, per_page: int = 50) -> Any:
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


T = TypeVar("T")


def perform(request: HttpRequest, action: Callable[[], T], done: str) -> T | None:
    """Run a service for a button: its success message, or its error message (scope and role
    errors still become 404 and 403). Returns the service's result, None when it refused."""
    try:
        result = action()
    except DomainError as exc:
        raise_http(exc)
        messages.error(request, str(exc.message))
        return None
    messages.success(request, done)
    return result
