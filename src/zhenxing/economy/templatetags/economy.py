"""Money as officials read it: 亿 and 万 in Chinese, millions and thousands in English."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def yuan_short(amount: Decimal | int | None) -> str:
    """¥1.41 亿 / ¥31.18 万 (zh), ¥141.16 million / ¥311.75 thousand (en)."""
    value = Decimal(amount or 0)
    if abs(value) >= 100_000_000:
        return _("¥%(amount)s hundred million") % {"amount": f"{value / 100_000_000:.2f}"}
    if abs(value) >= 10_000:
        return _("¥%(amount)s ten thousand") % {"amount": f"{value / 10_000:.2f}"}
    return f"¥{value:,.2f}"
