"""One FilterSet per model (django-filter) serves the HTML list, the API's query parameters and
the export alike (NetBox), so a filter never exists in only one of them.

A FilterSet here knows its reader (``self.actor``) so its choices can be scoped, and an invalid
value is never ignored: :func:`filter_queryset` turns it into a ``DomainError`` with the errors
by parameter, which pages and the API both answer with 400.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenxing.core.errors import DomainError
from zhenxing.core.scoping import subtree_q
from zhenxing.core.web.params import FIRST_YEAR, LAST_YEAR

#: The largest integer a filter accepts unless it says otherwise: SQLite's INTEGER is 64-bit
#: and a larger value in a query would be an OverflowError (a 500), not an empty answer.
MAX_INT = 2**31 - 1


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet that knows who reads, for choices limited to the reader's scope."""

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        actor: Any = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.actor = actor if actor is not None else getattr(request, "user", None)
        self.setup_choices()

    def setup_choices(self) -> None:
        """Override to limit model choices to ``self.actor``'s scope (through selectors)."""


class BoundedNumberFilter(django_filters.NumberFilter):
    """An integer filter with documented bounds (``min_value``/``max_value``)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, min_value: int = 0, max_value: int = MAX_INT, **kwargs: Any):
        kwargs.setdefault("min_value", min_value)
        kwargs.setdefault("max_value", max_value)
        super().__init__(*args, **kwargs)
        self.min_value, self.max_value = min_value, max_value


class YearFilter(BoundedNumberFilter):
    """A year the platform knows (2000–2100)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


_CODE = RegexValidator(r"^\d{2,15}$", gettext_lazy("A division code is made of digits."))


class RegionCodeFilter(django_filters.CharFilter):
    """A division code: the rows in that region's subtree (``path`` is the code's lookup).
    Scope still applies first: a code outside the reader's scope simply finds nothing."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("division code"))
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("validators", [_CODE])
        super().__init__(**kwargs)
        self.path = path

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(subtree_q(value, self.path))


def filterset_errors(filterset: django_filters.FilterSet) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}


def invalid_filters(filterset: django_filters.FilterSet) -> DomainError:
    errors = filterset_errors(filterset)
    return DomainError(
        _("Some filters are not valid: %(names)s.") % {"names": ", ".join(errors)},
        code="invalid_filter",
        field=next(iter(errors), None),
        errors=errors,
    )


def filter_queryset(
    filterset_class: type[django_filters.FilterSet],
    data: Any,
    queryset: QuerySet[Any],
    *,
    actor: Any,
) -> QuerySet[Any]:
    """``queryset`` filtered by ``data`` (a QueryDict); an invalid value raises a
    ``DomainError`` naming each bad parameter."""
    kwargs: dict[str, Any] = {"queryset": queryset}
    if issubclass(filterset_class, ScopedFilterSet):
        kwargs["actor"] = actor
    filterset = filterset_class(data, **kwargs)
    if not filterset.is_valid():
        raise invalid_filters(filterset)
    return filterset.qs
