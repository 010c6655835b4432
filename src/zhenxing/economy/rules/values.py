"""Pure checks of the collective economy's values: credit codes, amounts, and yuan ↔ fen.

No queries, no writes: services and importers both call these, so a refusal is written once."""

from __future__ import annotations

import decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from zhenxing.core.errors import DomainError

# Reasons an importer stores are kept as message and parameters, so that each reader sees them
# in their own language (the page and the error report), not the importer's.
from zhenxing.io.specs import Message as Reason

#: The characters GB 32100-2015 uses after the region code (no I, O, S, V, Z).
_ALPHABET = set("0123456789ABCDEFGHJKLMNPQRTUWXY")


def check_uscc(value: str) -> str:
    """A unified social credit code (统一社会信用代码), normalised (upper case, no spaces), with
    its check character verified by ``stdnum.cn.uscc``.

    Village collective economic organisations are registered by agriculture and rural affairs
    departments, whose codes begin with "N" (N1 group, N2 village, N3 township level).
    ``stdnum`` only knows registering authorities written as digits, so those codes are checked
    here with its own check-character algorithm and the same format rules."""
    code = (value or "").replace(" ", "").replace("-", "").upper()
    invalid = DomainError(
        _("%(code)s is not a valid unified social credit code.") % {"code": value}, field="uscc"
    )
    if code.startswith("N"):
        if (
            len(code) != 18
            or code[1] not in "1239"
            or not code[2:8].isdigit()
            or not set(code[8:]) <= _ALPHABET
            or code[-1] != stdnum_uscc.calc_check_digit(code)
        ):
            raise invalid
        return code
    try:
        return str(stdnum_uscc.validate(code))
    except ValidationError as exc:
        raise invalid from exc


CENT = decimal.Decimal("0.01")
#: The largest amount one field may carry (a billion yuan): a typo guard, not a policy.
MAX_AMOUNT = decimal.Decimal("1000000000")


def check_amount(
    value: Any, field: str, *, allow_negative: bool = False, negative: str | None = None
) -> decimal.Decimal:
    """An amount of yuan, or a count such as shares or mu, with at most two decimal places
    (Decimal, never float). Negative only where ``allow_negative`` (a red-ink reversal);
    ``negative`` is the message that says what to do instead."""
    try:
        amount = decimal.Decimal(str(value if value not in (None, "") else 0))
    except decimal.InvalidOperation as exc:
        raise DomainError(Reason(gettext_noop("Enter a number.")), field=field) from exc
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise DomainError(Reason(gettext_noop("At most two decimal places.")), field=field)
    if amount < 0 and not allow_negative:
        raise DomainError(
            negative or Reason(gettext_noop("A share count or an amount is never negative.")),
            field=field,
        )
    if abs(amount) >= MAX_AMOUNT:
        raise DomainError(Reason(gettext_noop("The amount is too large.")), field=field)
    return amount.quantize(CENT)


def to_fen(amount: decimal.Decimal | int | float | str | None) -> int:
    """Yuan (two places) → integer fen, exactly; floats only from SQLite's SUM, rounded."""
    if amount is None:
        return 0
    return int((decimal.Decimal(str(amount)) * 100).to_integral_value(decimal.ROUND_HALF_EVEN))


def to_yuan(fen: int) -> decimal.Decimal:
    """Integer fen → yuan with two places."""
    return (decimal.Decimal(fen) / 100).quantize(CENT)


def check_count(value: Any, field: str) -> int:
    """A count (households, villages): a whole number, never negative."""
    try:
        count = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Enter a whole number."), field=field) from exc
    if count < 0:
        raise DomainError(_("A count is never negative."), field=field)
    return count


def check_name(value: str, field: str = "name") -> str:
    """A name of 1 to 64 characters, stripped (an organisation's, a company's)."""
    name = (value or "").strip()
    if not name or len(name) > 64:
        raise DomainError(_("A name has 1 to 64 characters."), field=field)
    return name
