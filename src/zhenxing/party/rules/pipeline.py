"""The membership pipeline's checks (《中国共产党发展党员工作细则》), pure: each returns the
refusal's message or ``None``; ``party.services.pipeline`` and ``party.importers.members`` both
call them, so a refusal is worded once."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from zhenxing.party.models import Stage
from zhenxing.party.rules import age_on

#: Minimum age to apply (the Party Constitution: 年满十八岁; 细则第六条).
MIN_AGE = 18


def applicant_too_young(birth: dt.date, applied_on: dt.date) -> str | None:
    if age_on(birth, applied_on) < MIN_AGE:
        return _("An applicant must be at least %(age)d years old.") % {"age": MIN_AGE}
    return None


def introducer_refusal(
    *, is_self: bool, name: str, stage: str, full_on: dt.date | None, on: dt.date | None
) -> str | None:
    """An introducer (入党介绍人, 细则第十四条) is a full member by the step's date, and not the
    person introduced. ``on`` None: the date is not known, only the stage is checked."""
    if is_self:
        return _("A person cannot introduce themselves.")
    if stage != Stage.FULL:
        return _("%(name)s is not a full member and cannot introduce anyone.") % {"name": name}
    if on is not None and (full_on is None or full_on > on):
        return _("%(name)s was not yet a full member on %(date)s.") % {
            "name": name,
            "date": on.isoformat(),
        }
    return None
