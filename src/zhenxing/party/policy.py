"""The yearly policy values party building reads (``core.policy``): the pipeline's intervals
(《中国共产党发展党员工作细则》, 2014), the term of the village committees and the local targets.

A later policy is a new ``PolicyValue`` row from its year, not a release; earlier years keep the
values that held then. Until issue 12 they were the ``PartyPolicy`` table (migration 0003 moved
its rows). Read them here: ``policy_int`` (once per key and year inside ``policies_cached()``),
``earliest_step`` and ``talk_deadline``.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from zhenxing.core.policy import selectors as policy_selectors
from zhenxing.core.policy.registry import Setting
from zhenxing.party.models import Stage
from zhenxing.party.rules import add_months

_RULES = "《中国共产党发展党员工作细则》"

TALK_WITHIN_MONTHS = "party.talk_within_months"
ACTIVIST_MIN_MONTHS = "party.activist_min_months"
PROBATION_MONTHS = "party.probation_months"
TERM_YEARS = "party.term_years"
ONE_SHOULDER_TARGET = "party.one_shoulder_target_percent"
ENTREPRENEURS_PER_VILLAGE = "party.entrepreneurs_per_village"
TRAINING_COVERAGE_TARGET = "party.training_coverage_target_percent"

SETTINGS = [
    Setting(
        key=TALK_WITHIN_MONTHS,
        label=_("Talk with an applicant within (months)"),
        default=1,
        source=f"{_RULES}第七条（收到入党申请书后一个月内派人谈话）",
        since=2014,
    ),
    Setting(
        key=ACTIVIST_MIN_MONTHS,
        label=_("Activist before development target, at least (months)"),
        default=12,
        source=f"{_RULES}第十一条（经过一年以上培养教育和考察）",
        since=2014,
    ),
    Setting(
        key=PROBATION_MONTHS,
        label=_("Probation (months)"),
        default=12,
        source=f"{_RULES}第二十六条；《中国共产党章程》第七条（预备期为一年）",
        since=2014,
    ),
    Setting(
        key=TERM_YEARS,
        label=_("Term of the village two committees (years)"),
        default=5,
        source="《中华人民共和国村民委员会组织法》（2018年修正）第十一条（每届任期五年）",
        since=2018,
    ),
    Setting(
        key=ONE_SHOULDER_TARGET,
        label=_("Villages whose secretary is also director, target (%)"),
        default=90,
        kind="percent",
        source="本地目标（2021年村“两委”换届“一肩挑”比例）",
        since=2021,
    ),
    Setting(
        key=ENTREPRENEURS_PER_VILLAGE,
        label=_("Rich-leading entrepreneurs cultivated per village, goal"),
        default=3,
        source="本地目标（每村培养致富带头人）",
        since=2019,
    ),
    Setting(
        key=TRAINING_COVERAGE_TARGET,
        label=_("Cadres trained each year, target (%)"),
        default=100,
        kind="percent",
        source="本地目标（村干部年度培训全覆盖）",
        since=2019,
    ),
]

#: The setting in force in a year (the latest row that took effect by then, else the declared
#: default), read once per key and year inside ``policies_cached()``.
policy_int = policy_selectors.policy_int
policies_cached = policy_selectors.policies_cached


def earliest_step(stage: str, *, previous: dt.date) -> dt.date:
    """The first day a step into ``stage`` may be taken, given the date of the stage before it:
    a development target after a year as activist, a full member after a year's probation."""
    if stage == Stage.TARGET:
        return add_months(previous, policy_int(ACTIVIST_MIN_MONTHS, previous.year))
    if stage == Stage.FULL:
        return add_months(previous, policy_int(PROBATION_MONTHS, previous.year))
    return previous


def talk_deadline(applied_on: dt.date) -> dt.date:
    """The last day for the talk with an applicant (within a month of the application)."""
    return add_months(applied_on, policy_int(TALK_WITHIN_MONTHS, applied_on.year))
