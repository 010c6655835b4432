"""The yearly policy values grid management reads (``core.policy``): the assessment's weights,
the allocation rule and the phone's limits.

Guizhou's and Panzhou's own assessment schemes are not published in a form we could cite
clause by clause; the defaults follow the criteria the city's brief names (visits made,
household coverage, errands completed and on time, villagers' ratings, inspection scores,
complaints, DOMAIN §6) and the shape of the 《贵州省城乡社区网格化服务管理办法》-style schemes
counties publish (a base payment plus a performance share). A city changes them as rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhenxing.core.policy.registry import Setting

_BRIEF = (
    "Zhenxing DOMAIN.md §6 (网格考核：走访、办件、满意度); local scheme to be entered by the city"
)

WEIGHT_PREFIX = "grid.weight_"
BASE_SHARE = "grid.allocation_base_percent"
REVIEW_FLOOR = "grid.review_floor_score"
VISITS_PER_HOUSEHOLD = "grid.visits_per_household_per_month"
OFFLINE_MAX_DAYS = "grid.offline_max_days"
PHOTO_MAX_KB = "grid.photo_max_kb"

_WEIGHTS = {
    "visits": (_("Weight of visits made (%)"), 30),
    "coverage": (_("Weight of household coverage (%)"), 25),
    "errands": (_("Weight of errands completed on time (%)"), 15),
    "ratings": (_("Weight of villagers' ratings (%)"), 10),
    "inspection": (_("Weight of inspection scores (%)"), 10),
    "complaints": (_("Weight of complaints (%)"), 10),
}

SETTINGS = [
    *[
        Setting(
            key=f"{WEIGHT_PREFIX}{criterion}",
            label=label,
            default=default,
            kind="percent",
            source=_BRIEF,
            since=2020,
        )
        for criterion, (label, default) in _WEIGHTS.items()
    ],
    Setting(
        key=BASE_SHARE,
        label=_("Allocation: base share paid equally to every worker (%)"),
        default=60,
        kind="percent",
        source="基础报酬 + 绩效报酬 (a base plus a share by score), as county schemes pay",
        since=2020,
    ),
    Setting(
        key=REVIEW_FLOOR,
        label=_("Allocation: a total below this score is reviewed by the township"),
        default=60,
        source="考核不合格（60分以下）由乡镇复核, as county schemes grade",
        since=2020,
    ),
    Setting(
        key=VISITS_PER_HOUSEHOLD,
        label=_("Visits expected per household per month"),
        default=1,
        source="网格员每月对网格内农户走访一遍, as county schemes require",
        since=2020,
    ),
    Setting(
        key=OFFLINE_MAX_DAYS,
        label=_("A visit recorded offline is accepted for (days)"),
        default=30,
        source="Zhenxing: a queued visit older than this is stale and refused",
        since=2020,
    ),
    Setting(
        key=PHOTO_MAX_KB,
        label=_("Largest visit photo (KB)"),
        default=4096,
        source="Zhenxing: phones shrink photos to about 200 KB before queueing them",
        since=2020,
    ),
]

CRITERION_WEIGHT_KEYS = {criterion: f"{WEIGHT_PREFIX}{criterion}" for criterion in _WEIGHTS}
