"""Training's checks, pure: each returns the refusal's message or ``None``;
``party.services.training`` and ``party.importers.attendance`` both call them."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def attendance_refusal(*, cancelled: bool, starts_on: dt.date, today: dt.date) -> str | None:
    """Attendance is recorded only for a session that took place."""
    if cancelled:
        return _("This session was cancelled: no attendance can be recorded.")
    if starts_on > today:
        return _("This session has not taken place yet (it starts on %(date)s).") % {
            "date": starts_on.isoformat()
        }
    return None
