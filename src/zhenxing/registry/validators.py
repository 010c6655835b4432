"""Checking resident ID numbers (GB 11643) and phones as cadres type them.

A bad length, character, checksum or date is an error. A region code that did not exist in the
holder's birth year is only a warning a cadre can confirm: an ID number never changes, so
people born in Panzhou before 2017 rightly carry 520202 (盘县特区) or 520222 (盘县), and the
code tables ``stdnum`` uses are not complete for every county's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

from zhenxing.core.sensitive import normalise_id_number, normalise_phone


class IdNumberError(ValueError):
    """The number cannot be a resident ID number; ``str()`` is the translated reason."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F": odd or even order code
    warnings: list[str] = field(default_factory=list)


def check_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    number = normalise_id_number(raw)
    today = today or timezone.localdate()
    if len(number) != 18:
        raise IdNumberError(
            _("An ID number has 18 characters; this one has %(n)d.") % {"n": len(number)}
        )
    try:
        ric.validate(number)
    except InvalidLength as exc:  # pragma: no cover - length checked above
        raise IdNumberError(_("An ID number has 18 characters.")) from exc
    except InvalidFormat as exc:
        raise IdNumberError(_("An ID number is 17 digits followed by a digit or X.")) from exc
    except InvalidChecksum as exc:
        raise IdNumberError(_("The check digit is wrong: a digit was probably mistyped.")) from exc
    except InvalidComponent:
        # Either the birth date is impossible or the region code is unknown for the birth
        # year; tell the two apart, since only the second is a warning.
        try:
            ric.get_birth_date(number)
        except InvalidComponent as exc:
            raise IdNumberError(_("The birth date in the ID number does not exist.")) from exc
        warnings = [
            _("The region code %(code)s was not in use in %(year)s; confirm the number.")
            % {"code": number[:6], "year": number[6:10]}
        ]
    else:
        warnings = []
    birth = ric.get_birth_date(number)
    if birth > today:
        raise IdNumberError(_("The birth date in the ID number is in the future."))
    if birth.year < 1890:
        raise IdNumberError(_("The birth date in the ID number is implausibly early."))
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumber(number=number, birth_date=birth, sex=sex, warnings=warnings)


class PhoneError(ValueError):
    pass


def check_phone(raw: str) -> str:
    """A mainland mobile (11 digits starting with 1) or a landline with area code."""
    phone = normalise_phone(raw)
    if not phone:
        return ""
    if phone.startswith("1") and len(phone) == 11:
        return phone
    if phone.startswith("0") and 10 <= len(phone) <= 12:
        return phone
    raise PhoneError(_("A phone number is 11 digits for a mobile, or an area code and number."))
