"""The yearly policy values the collective economy reads (``core.policy``): the targets every
village, strong villages and rich villages are measured against on the dashboards.

Defaults are the targets for the end of 2020 set by the city's plan for strengthening the
village collective economy (the source article of the demo: every village ¥200,000 accumulated
and ¥50,000 operating income; strong villages ¥500,000, rich villages ¥1,000,000; 100 strong
and 20 rich villages wanted). A later year's targets are a new ``PolicyValue`` row, not a
release. A village is hollow (空壳村) under a threshold of its own, the national definition,
which the city's target minimum need not follow. Until issue 12 they were the
``EconomyTarget`` table (migration 0008 moved its rows).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from zhenxing.core.policy.registry import Setting

_HOLLOW_SOURCE = "全国通行的空壳村口径：村集体经济组织无经营收入或年经营收入低于5万元"
_SOURCE = "《关于发展壮大村级集体经济的实施意见》2020年目标（每村积累20万元、经营性收入5万元）"

SETTINGS = [
    Setting(
        key="economy.min_accumulation",
        label=_("accumulation every village reaches"),
        default=Decimal("200000"),
        kind="money",
        source=_SOURCE,
        since=2020,
    ),
    Setting(
        key="economy.min_operating_income",
        label=_("operating income every village reaches"),
        default=Decimal("50000"),
        kind="money",
        source=_SOURCE,
        since=2020,
    ),
    Setting(
        key="economy.hollow_operating_income",
        label=_("operating income under which a village is hollow"),
        default=Decimal("50000"),
        kind="money",
        source=_HOLLOW_SOURCE,
        since=2020,
    ),
    Setting(
        key="economy.strong_accumulation",
        label=_("accumulation of a strong village"),
        default=Decimal("500000"),
        kind="money",
        source=_SOURCE,
        since=2020,
    ),
    Setting(
        key="economy.rich_accumulation",
        label=_("accumulation of a rich village"),
        default=Decimal("1000000"),
        kind="money",
        source=_SOURCE,
        since=2020,
    ),
    Setting(
        key="economy.strong_villages",
        label=_("strong villages wanted"),
        default=100,
        kind="int",
        source=_SOURCE,
        since=2020,
    ),
    Setting(
        key="economy.rich_villages",
        label=_("rich villages wanted"),
        default=20,
        kind="int",
        source=_SOURCE,
        since=2020,
    ),
]

#: The policy keys by the names the targets use (``rules.figures.Targets``).
TARGET_KEYS = {s.key.removeprefix("economy."): s.key for s in SETTINGS}
