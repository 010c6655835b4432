"""Pure checks of support given to key supported villages."""

from __future__ import annotations

import decimal

from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError
from zhenxing.economy.models import SupportForm


def check_support(form: str, amount: decimal.Decimal, source: str) -> str:
    """One of the five forms; funding states its amount; the source is named. Returns the
    source, stripped."""
    if form not in SupportForm.values:
        raise DomainError(_("Choose the form of support."), field="form")
    if form == SupportForm.FUNDING and not amount:
        raise DomainError(_("Funding states its amount."), field="amount")
    source = (source or "").strip()
    if not source:
        raise DomainError(_("Say where the support came from."), field="source")
    return source
