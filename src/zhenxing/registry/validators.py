"""Checking resident ID numbers (GB 11643) and phones as cadres type them.

A bad length, character, checksum or date is an error. A region code that did not exist in the
holder's birth year is only a warning a cadre can confirm: an ID number never changes, so
people born in Panzhou before 2017 rightly carry 520202 (盘县特区) or 520222 (盘县), and the
code tables ``stdnum`` uses are not complete for every county's history.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from operator import mul
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext_noop
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from zhenxing.core.sensitive import normalise_id_number, normalise_phone
from zhenxing.io.specs import Message


class ReasonError(ValueError):
    """A value a validator refuses. ``reason`` is a ``Message`` (its untranslated text and
    parameters), so an import stores it and each reader reads it in their own language;
    ``str()`` is the reason in the language active when it is called (forms, services)."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason


class IdNumberError(ReasonError):
    """The number cannot be a resident ID number."""


class IdNumber(NamedTuple):
    # A named tuple, not a dataclass: an import builds a million of them.
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F": odd or even order code
    warnings: tuple[Message, ...] = ()


_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))


@lru_cache(maxsize=8192)
def _region_known(code: str, year: str) -> bool:
    """Whether ``stdnum``'s tables know the region code in that year (cached: a county's
    registry has a few hundred such pairs and the table lookup is slow)."""
    try:
        ric.get_birth_place(f"{code}{year}0101000")
    except InvalidComponent:
        return False
    return True


def check_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Normalise and check a resident ID number (GB 11643-1999), as ``stdnum.cn.ric`` does:
    format, birth date, check digit; an unknown region code for the birth year is a warning."""
    number = normalise_id_number(raw)
    today = today or timezone.localdate()
    if len(number) != 18:
        raise IdNumberError(
            Message(
                gettext_noop("An ID number has 18 characters; this one has %(n)d."),
                {"n": len(number)},
            )
        )
    body = number[:17]
    if not body.isdigit() or not body.isascii() or number[17] not in "0123456789X":
        raise IdNumberError(
            Message(gettext_noop("An ID number is 17 digits followed by a digit or X."))
        )
    birth = _birth_date(number[6:14])
    if birth is None:
        raise IdNumberError(
            Message(gettext_noop("The birth date in the ID number does not exist."))
        )
    check = (12 - sum(map(mul, map(int, body), _WEIGHTS)) % 11) % 11
    if number[17] != ("X" if check == 10 else str(check)):
        raise IdNumberError(
            Message(gettext_noop("The check digit is wrong: a digit was probably mistyped."))
        )
    if birth > today:
        raise IdNumberError(
            Message(gettext_noop("The birth date in the ID number is in the future."))
        )
    if birth.year < 1890:
        raise IdNumberError(
            Message(gettext_noop("The birth date in the ID number is implausibly early."))
        )
    sex = "M" if number[16] in "13579" else "F"
    if _region_known(number[:6], number[6:10]):
        return IdNumber(number, birth, sex)
    # Not an error: the region may have been renamed since the number was issued (520281 is
    # Panzhou since 2017). The message says how to confirm, in a form and in an import.
    warning = Message(
        gettext_noop(
            "The region code %(code)s was not in use in %(year)s, the holder's birth year. "
            "Check the number against the ID card, then confirm it: tick “I have checked the "
            "number against the ID card”, or write 是 in the 已核实 column of the file."
        ),
        {"code": number[:6], "year": number[6:10]},
    )
    return IdNumber(number, birth, sex, (warning,))


@lru_cache(maxsize=65536)
def _birth_date(digits: str) -> dt.date | None:
    """``YYYYMMDD`` → the date, or None if there is no such day (cached: a county's million
    residents were born on some thirty thousand days)."""
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


class PhoneError(ReasonError):
    """Not a phone number the registry accepts."""


def check_phone(raw: str) -> str:
    """A mainland mobile (11 digits starting with 1) or a landline with area code."""
    phone = normalise_phone(raw)
    if not phone:
        return ""
    if phone.startswith("1") and len(phone) == 11:
        return phone
    if phone.startswith("0") and 10 <= len(phone) <= 12:
        return phone
    raise PhoneError(
        Message(
            gettext_noop("A phone number is 11 digits for a mobile, or an area code and number.")
        )
    )
