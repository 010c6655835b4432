"""Checks every party write shares: pure (no queries, no writes), each returning the refusal's
message or ``None``, so a service raises it and an importer reports it on the row, worded once."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def future_date(day: dt.date, today: dt.date) -> str | None:
    """A step, talk or record dated after today is refused."""
    if day > today:
        return _("A date in the future cannot be recorded.")
    return None


def not_registered(active: bool) -> str | None:
    """A person who left the register (moved away, died) takes no new role."""
    if not active:
        return _("This person is no longer registered here.")
    return None
