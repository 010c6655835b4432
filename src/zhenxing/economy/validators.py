"""Checks for the collective economy's identifiers."""

from __future__ import annotations

from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from zhenxing.core.errors import DomainError

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
