"""Reading policy values: the row in force for a year, else the declared default."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from decimal import Decimal

from zhenxing.core.policy import registry
from zhenxing.core.policy.models import PolicyValue

#: Inside ``policies_cached()``, the values already read by key and year.
_cache: contextvars.ContextVar[dict[tuple[str, int], Decimal] | None] = contextvars.ContextVar(
    "policy_cache", default=None
)


@contextlib.contextmanager
def policies_cached() -> Iterator[None]:
    """Read each setting once per year for the duration: a list that reads a value per row (a
    worklist's deadlines, one per member) costs one query per setting, not one per row. Values
    do not change within a request."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def policy_value(key: str, year: int) -> Decimal:
    """The value of ``key`` in force in ``year``."""
    cache = _cache.get()
    if cache is not None and (key, year) in cache:
        return cache[(key, year)]
    value = _read(key, year)
    if cache is not None:
        cache[(key, year)] = value
    return value


def _read(key: str, year: int) -> Decimal:
    declared = registry.setting(key)
    row = (
        PolicyValue.objects.filter(key=key, effective_from__lte=year)
        .order_by("-effective_from")
        .values_list("value", flat=True)
        .first()
    )
    return Decimal(row if row is not None else declared.default)


def policy_int(key: str, year: int) -> int:
    """An integer setting (months, days, counts) in force in ``year``."""
    return int(policy_value(key, year))


def policy_values(prefix: str, year: int) -> dict[str, Decimal]:
    """Every setting whose key starts with ``prefix`` (``"party."``), in force in ``year``, in
    one query."""
    declared = registry.settings_by_key()
    keys = [k for k in declared if k.startswith(prefix)]
    values = {k: Decimal(declared[k].default) for k in keys}
    rows = PolicyValue.objects.filter(key__in=keys, effective_from__lte=year).order_by(
        "key", "effective_from"
    )
    for row in rows:  # later rows overwrite earlier ones
        values[row.key] = row.value
    return values


def policy_history() -> list[PolicyValue]:
    """Every stored value, by setting and year (for the operator's listing)."""
    return list(PolicyValue.objects.order_by("key", "effective_from"))
