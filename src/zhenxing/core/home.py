"""The home page: what waits for the user (``core.waiting``: each app's providers), their region
and its key counts, and the chart's numbers as XLSX."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from zhenxing.core.accounts.selectors import active_account_count
from zhenxing.core.regions.models import Region
from zhenxing.core.regions.selectors import region_children, region_counts
from zhenxing.core.waiting import waiting_for
from zhenxing.core.web.export import Column
from zhenxing.core.web.views import EXPORT_PERMISSION, ExportMixin, KernelMixin


class HomeView(KernelMixin, TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region = self.actor.region
        if region is None:
            return context | {"region": None}
        context["waiting"] = waiting_for(actor=self.actor)
        children = list(region_children(actor=self.actor, region=region))
        return context | {
            "region": region,
            "counts": region_counts(region=region),
            "accounts": active_account_count(actor=self.actor),
            "children": children,
            "chart": {
                "labels": [c.name for c in children],
                "values": [c.child_count for c in children],  # type: ignore[attr-defined]
            },
            # A chart of zeros (a grid worker's village: groups with nothing below them) says
            # nothing; the list of the regions below stays.
            "chart_shown": any(c.child_count for c in children),  # type: ignore[attr-defined]
            "can_export": self.can(EXPORT_PERMISSION),
        }


class HomeChartExportView(ExportMixin, KernelMixin, View):
    """The home chart's numbers as XLSX (or CSV): every chart can be taken to Excel, by a role
    that may export (a grid worker's may not)."""

    permission = EXPORT_PERMISSION

    @property
    def region(self) -> Region:
        region: Region | None = self.actor.region
        if region is None:
            raise Http404
        return region

    def export_columns(self) -> list[Column]:
        return [
            Column("code", _("division code"), 18),
            Column("name", _("name"), 20),
            Column("children", _("subordinate regions"), 14),
        ]

    def export_rows(self, queryset: Any) -> Iterable[dict[str, Any]]:
        return ({"code": c.code, "name": c.name, "children": c.child_count} for c in queryset)

    def export_filename(self) -> str:
        return f"{self.region.code}-{self.region.name}"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.export_sheet = self.region.name  # type: ignore[misc]
        return self.export_response(region_children(actor=self.actor, region=self.region))


home: Any = HomeView.as_view()
home_chart_export: Any = HomeChartExportView.as_view()

__all__ = ["HomeChartExportView", "HomeView", "home", "home_chart_export"]
