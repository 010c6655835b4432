"""Pure checks of the economy's entities and the contracts between them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError
from zhenxing.economy.models import ContractKind


def check_contract(
    *, kind: str, signed_on: dt.date, starts_on: dt.date, ends_on: dt.date, guaranteed_price: Any
) -> None:
    """A contract's kind and dates; a guaranteed purchase states its price."""
    if kind not in ContractKind.values:
        raise DomainError(_("Choose the kind of contract."), field="kind")
    if ends_on < starts_on:
        raise DomainError(_("A contract ends after it starts."), field="ends_on")
    if signed_on > ends_on:
        raise DomainError(_("A contract is signed before it ends."), field="signed_on")
    if kind == ContractKind.GUARANTEED_PURCHASE and guaranteed_price in (None, ""):
        raise DomainError(
            _("A guaranteed purchase states its price per unit."), field="guaranteed_price"
        )
