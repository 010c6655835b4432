"""Query-string parameters read once, the same way everywhere: a bad value is a
``DomainError`` naming the parameter (a 400 on pages and in the API), never a 500 and never a
silent default that shows the user something they did not ask for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError

#: Years the pages and reports accept (the platform's books start in 2000).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def int_param(request: HttpRequest, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """``?name=`` as an integer within [minimum, maximum]; absent or empty gives ``default``."""
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise DomainError(_("Enter a whole number."), field=name) from None
    if not minimum <= value <= maximum:
        raise DomainError(
            _("Enter a number from %(minimum)d to %(maximum)d.")
            % {"minimum": minimum, "maximum": maximum},
            field=name,
        )
    return value


def year_param(
    request: HttpRequest,
    *,
    default: int,
    name: str = "year",
    minimum: int = FIRST_YEAR,
    maximum: int = LAST_YEAR,
) -> int:
    """``?year=`` within the years the platform knows."""
    return int_param(request, name, default=default, minimum=minimum, maximum=maximum)


def choice_param(request: HttpRequest, name: str, choices: Iterable[Any], default: str) -> str:
    """``?name=`` as one of ``choices`` (values, or (value, label) pairs)."""
    values = [c[0] if isinstance(c, tuple | list) else c for c in choices]
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if raw not in [str(v) for v in values]:
        raise DomainError(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(str(v) for v in values)},
            field=name,
        )
    return raw
