"""The collective economy's dashboards (city, township, village, with drill-down), the numbers
behind each chart as XLSX, and the summary report in the government layout."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from zhenxing.core.regions.models import VILLAGE_LEVEL, RegionKind
from zhenxing.core.web.params import choice_param, year_param
from zhenxing.core.web.views import EXPORT_FORMATS, EXPORT_PERMISSION, KernelMixin, RegionMixin
from zhenxing.economy import tables
from zhenxing.economy.models import Tier
from zhenxing.economy.selectors import figures as selectors


class EconomyYearMixin(RegionMixin):
    """The region (in the reader's scope) and the year a page shows: ``?year=`` (a bad value
    is a 400 naming it), else the latest year the region's books have closed."""

    @cached_property
    def year(self) -> int:
        return year_param(self.request, default=selectors.default_year(region=self.region))


def _charts(
    figures: list[selectors.VillageFigures], summary: dict[str, Any], history: list[dict[str, Any]]
) -> dict[str, Any]:
    tiers = [str(label) for _v, label in Tier.choices]
    buckets = selectors.accumulation_distribution(figures)
    ranked = sorted(figures, key=lambda f: f.accumulation, reverse=True)
    return {
        "tiers": {"labels": tiers, "values": list(summary["tiers"].values())},
        "distribution": {"labels": [b[0] for b in buckets], "values": [b[1] for b in buckets]},
        "progress": {
            "names": [_("Accumulation"), _("Operating income")],
            "labels": [h["year"] for h in history],
            "accumulation": [float(h["accumulation"]) for h in history],
            "operating_income": [float(h["operating_income"]) for h in history],
        },
        "top": {
            "labels": [f.name for f in ranked[:10]],
            "values": [float(f.accumulation) for f in ranked[:10]],
        },
        "bottom": {
            "labels": [f.name for f in ranked[-10:]],
            "values": [float(f.accumulation) for f in ranked[-10:]],
        },
    }


class DashboardView(KernelMixin, EconomyYearMixin, TemplateView):
    """City, township or village dashboard of the collective economy, for one year's end."""

    template_name = "economy/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        region, year = self.region, self.year
        figures = selectors.village_figures(region=region, year=year)
        summary = selectors.economy_summary(region=region, year=year, figures=figures)
        history = selectors.progress(region=region, through=year)
        village_level = region.kind in VILLAGE_LEVEL
        ranked = sorted(figures, key=lambda f: f.accumulation, reverse=True)
        return super().get_context_data(
            year=year,
            years=list(range(timezone.localdate().year, 2015, -1)),
            summary=summary,
            children=selectors.rollup(region=region, figures=figures),
            villages=ranked if region.kind == RegionKind.TOWNSHIP else [],
            organization=selectors.organization_of(region) if village_level else None,
            charts=_charts(figures, summary, history),
            tier_labels=dict(Tier.choices),
            awaiting=selectors.plans_awaiting(actor=self.actor, village_level=village_level),
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
