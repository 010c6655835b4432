"""Writing policy values: a new row from a year (or a corrected one), audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenxing.core.audit.services import audit_create, audit_update, snapshot
from zhenxing.core.errors import DomainError
from zhenxing.core.policy import registry
from zhenxing.core.policy.models import PolicyValue

FIRST_YEAR, LAST_YEAR = 2000, 2100


def policy_set(
    *, actor: Any, key: str, effective_from: int, value: Decimal | int | str, note: str = ""
) -> PolicyValue:
    """Set ``key`` to ``value`` from ``effective_from`` on (years before keep theirs)."""
    declared = registry.settings_by_key()
    if key not in declared:
        raise DomainError(_("Unknown setting."), field="key")
    if not FIRST_YEAR <= effective_from <= LAST_YEAR:
        raise DomainError(
            _("The year must be between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="effective_from",
        )
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("Enter a number."), field="value") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14"):
        raise DomainError(_("Enter a number of zero or more."), field="value")
    if declared[key].kind == "int" and amount != amount.to_integral_value():
        raise DomainError(_("Enter a whole number."), field="value")
    with transaction.atomic():
        row = (
            PolicyValue.objects.select_for_update()
            .filter(key=key, effective_from=effective_from)
            .first()
        )
        if row is None:
            row = PolicyValue.objects.create(
                key=key, effective_from=effective_from, value=amount, note=note
            )
            audit_create(actor=actor, obj=row)
        else:
            before = snapshot(row)
            row.value, row.note = amount, note
            row.save(update_fields=["value", "note"])
            audit_update(actor=actor, obj=row, before=before)
    return row
