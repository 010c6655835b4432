"""The collective economy's dashboards (city, township, village, with drill-down), the numbers
behind each chart as XLSX, and the summary report in the government layout."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.web.params import choice_param, year_param
from zhenxing.core.web.views import EXPORT_FORMATS, EXPORT_PERMISSION, KernelMixin, RegionMixin
from zhenxing.economy import tables
from zhenxing.economy.models import Tier
from zhenxing.economy.selectors import figures as selectors
from zhenxing.economy.selectors.figures import ZERO


class EconomyYearMixin(RegionMixin):
    """The region (in the reader's scope) and the year a page shows: ``?year=`` (a bad value
    is a 400 naming it), else the latest year the region has books for (a year still open is
    where the work is; the demo's books run to this year while its last closed year is 2020)."""

    @cached_property
    def year(self) -> int:
        return year_param(
            self.request, default=selectors.latest_year_with_books(region=self.region)
        )


def level_of(region: Region) -> str:
    """Which measures a dashboard shows: a village's own standing, a township's villages and
    its share of the city's goals, or the city's goals."""
    if region.kind in VILLAGE_LEVEL:
        return "village"
    return "township" if region.kind == RegionKind.TOWNSHIP else "city"


#: The units a row of money figures is shown in, largest first: (yuan per unit, label).
UNITS = (
    (Decimal(100_000_000), gettext_lazy("¥100 million")),
    (Decimal(10_000), gettext_lazy("¥10,000")),
    (Decimal(1), gettext_lazy("yuan")),
)


def money_row(amounts: dict[str, Decimal]) -> tuple[str, dict[str, str]]:
    """One unit for a row of money figures and each figure in it: ¥7,062.72 beside figures in
    万元 read as a different kind of number. The unit is the largest that the smallest
    non-zero figure reaches (so none reads as 0.00), with two decimals."""
    nonzero = [abs(a) for a in amounts.values() if a]
    smallest = min(nonzero, default=Decimal(0))
    size, label = next(((n, u) for n, u in UNITS if smallest >= n), UNITS[-1])
    return str(label), {k: f"{a / size:,.2f}" for k, a in amounts.items()}


#: What each of a village's checks (``selectors.village_standing``) measures.
CHECK_LABELS = {
    "accumulation": gettext_lazy("Accumulation at year end"),
    "operating_income": gettext_lazy("Operating income"),
    "strong": Tier.STRONG.label,
    "rich": Tier.RICH.label,
}


def _ranked(rows: list[selectors.VillageFigures]) -> dict[str, Any]:
    return {"labels": [f.name for f in rows], "values": [float(f.accumulation) for f in rows]}


def _charts(
    figures: list[selectors.VillageFigures], summary: dict[str, Any], history: list[dict[str, Any]]
) -> dict[str, Any]:
    tiers = [str(label) for _v, label in Tier.choices]
    buckets = selectors.accumulation_distribution(figures)
    top, bottom = selectors.ranked_ends(figures)
    return {
        "tiers": {"labels": tiers, "values": list(summary["tiers"].values())},
        "distribution": {"labels": [b[0] for b in buckets], "values": [b[1] for b in buckets]},
        "progress": {
            "names": [_("Accumulation"), _("Operating income")],
            "labels": [h["year"] for h in history],
            "accumulation": [float(h["accumulation"]) for h in history],
            "operating_income": [float(h["operating_income"]) for h in history],
        },
        "top": _ranked(top),
        "bottom": _ranked(bottom),
    }


class DashboardView(KernelMixin, EconomyYearMixin, TemplateView):
    """City, township or village dashboard of the collective economy, for one year's end; each
    level measured by what applies to it (``level_of``)."""

    template_name = "economy/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        region, year = self.region, self.year
        target = selectors.target_for(year)
        figures = selectors.village_figures(region=region, year=year, target=target)
        summary = selectors.economy_summary(region=region, year=year, figures=figures)
        history = selectors.progress(region=region, through=year)
        level = level_of(region)
        own = figures[0] if level == "village" and figures else None
        if level == "village":
            money = {
                "accumulation": own.accumulation if own else ZERO,
                "operating_income": own.operating_income if own else ZERO,
            }
        else:
            money = {
                key: summary[key]
                for key in ("total_accumulation", "average_accumulation", "total_operating_income")
            }
        unit, shown = money_row(money)
        return super().get_context_data(
            year=year,
            years=list(range(max(year, timezone.localdate().year), 2015, -1)),
            level=level,
            summary=summary,
            unit=unit,
            money=shown,
            target=target,
            # Thresholds in whole yuan with separators, whatever the locale's grouping.
            limits={
                key: f"{getattr(target, key):,.0f}"
                for key in (
                    "min_accumulation",
                    "min_operating_income",
                    "strong_accumulation",
                    "rich_accumulation",
                )
            },
            own=own,
            own_tier=Tier(own.tier).label if own else "",
            standing=[
                (check, CHECK_LABELS[check.key])
                for check in (selectors.village_standing(own, target) if own else [])
            ],
            shares=(
                selectors.township_shares(
                    region=region,
                    villages=summary["villages"],
                    counts=summary["targets"],
                    target=target,
                )
                if level == "township"
                else []
            ),
            children=selectors.rollup(region=region, figures=figures),
            organization=selectors.organization_of(region) if level == "village" else None,
            charts=_charts(figures, summary, history),
            tier_labels=dict(Tier.choices),
            awaiting=selectors.plans_awaiting(actor=self.actor, village_level=level == "village"),
            # The summary report is a download: offered only to roles that may export.
            can_export=self.can(EXPORT_PERMISSION),
            **kwargs,
        )


class DashboardExportView(KernelMixin, EconomyYearMixin, View):
    """One table of the dashboard as XLSX (or CSV): the numbers behind each chart."""

    permission = EXPORT_PERMISSION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        table = choice_param(request, "table", tables.DASHBOARD_TABLES, "villages")
        fmt = choice_param(request, "format", EXPORT_FORMATS, EXPORT_FORMATS[0])
        return tables.dashboard_table(region=self.region, year=self.year, table=table, fmt=fmt)


class SummaryReportView(KernelMixin, EconomyYearMixin, View):
    """The per-village summary by township with subtotals, in the usual government layout."""

    permission = EXPORT_PERMISSION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return tables.summary_workbook(region=self.region, year=self.year)
