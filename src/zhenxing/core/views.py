"""Shared view helpers: one way to turn domain errors into pages."""

from __future__ import annotations

from typing import Any

from django import forms
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
    for field, messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def paginate(request: HttpRequest, queryset: Any, per_page: int = 50) -> Any:
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
