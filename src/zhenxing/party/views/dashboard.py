"""Party-building pages: the helpers every party page shares (the year shown, exports, finding a
person by ID number; the region and the breadcrumb come from ``zhenxing.core.web.views``, shared
with the economy pages) and the dashboard with its drill-down.
Organisations, the pipeline and cadres have their own modules (``organization_views``,
``pipeline_views``, ``cadre_views``). Reads come from ``selectors``, writes go through the
services; every table downloads as XLSX or CSV (``?format=``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import subtree_q
from zhenxing.core.web.export import table_response
from zhenxing.core.web.views import (
    KernelMixin,
    ancestors_in_scope,
    paginate,
    region_for,
    requested_export_format,
)
from zhenxing.party import tables
from zhenxing.party.models import (
    STAGE_ORDER,
    PartyMember,
    SecretarySource,
    Stage,
)
from zhenxing.party.selectors import summary as selectors
from zhenxing.registry import selectors as registry_selectors
from zhenxing.registry.choices import Education, Sex


def year_for(request: HttpRequest, latest: int | None = None) -> int:
    """``?year=`` from 2000 to ``latest`` (default: this year), else this year."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this_year
    return year if 2000 <= year <= (latest or this_year) else this_year


def person_by_id_number(request: HttpRequest, number: str) -> Any:
    """A registered person in the reader's scope, by full ID number (through the keyed hash)."""
    return registry_selectors.person_by_id_number(actor=request.user, number=number)


# --- dashboard --------------------------------------------------------------------------------


def _rollup_row(line: selectors.PartyRollup) -> dict[str, Any]:
    return {
        "code": line.code,
        "name": line.name,
        "villages": line.villages,
        "organizations": line.organizations,
        "members": line.members,
        **{stage: line.pipeline.get(stage, 0) for stage in STAGE_ORDER},
        "one_shoulder": line.one_shoulder,
        "one_shoulder_ratio": round(line.one_shoulder_ratio, 3),
        "without_reserve": len(line.without_reserve_secretary),
        "reserves": line.reserves,
        "entrepreneurs": line.entrepreneurs,
        "cadres": line.cadres,
        "trained": line.trained,
        "training_ratio": round(line.training_ratio, 3),
    }


def _structure(region: Region) -> dict[str, dict[str, int]]:
    members = PartyMember.objects.filter(subtree_q(region.code, "organization__region__code"))
    return selectors.member_structure(members=members)


def _structure_labels() -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    labels: dict[str, dict[str, Any]] = {
        "sex": dict(Sex.choices),
        "education": {**dict(Education.choices), "": _("Not recorded")},
    }
    dimensions = {
        "sex": _("Sex"),
        "age": _("Age"),
        "education": _("Education"),
        "ethnicity": _("Ethnic group"),
    }
    return labels, dimensions


def _structure_charts(region: Region) -> dict[str, Any]:
    """The members' structure charts (sex, age, education, ethnic group) as the dashboard's
    script draws them: labels in the reader's language, counts."""
    labels, _dimensions = _structure_labels()
    return {
        dimension: {
            "labels": [str(labels.get(dimension, {}).get(k, k)) for k in counts],
            "values": list(counts.values()),
        }
        for dimension, counts in _structure(region).items()
    }


def _structure_export(fmt: str, region: Region) -> HttpResponseBase:
    labels, dimensions = _structure_labels()
    rows = (
        {
            "dimension": str(dimensions[dimension]),
            "value": str(labels.get(dimension, {}).get(k, k)),
            "n": n,
        }
        for dimension, counts in _structure(region).items()
        for k, n in counts.items()
    )
    return table_response(
        fmt=fmt,
        columns=tables.structure_columns(),
        rows=rows,
        filename=f"{region.code}-party-members-structure",
        sheet=region.name,
    )


class DashboardView(KernelMixin, View):
    """City, township or village party building: the cards, charts and a row per child region
    to drill into; ``?format=xlsx`` downloads the table (``&table=structure`` the members'
    structure behind the charts); ``?part=structure`` answers the structure charts' figures as
    JSON, which the page's script fetches after the page has come."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponseBase:
        region = region_for(request)
        if request.GET.get("part") == "structure":
            return JsonResponse(_structure_charts(region))
        fmt = requested_export_format(request)
        if fmt and request.GET.get("table") == "structure":
            return _structure_export(fmt, region)
        year = year_for(request)
        total, children = selectors.rollup(region=region, year=year)
        summary = selectors.party_summary(region=region, year=year, total=total)
        if fmt:
            return table_response(
                fmt=fmt,
                columns=tables.rollup_columns(),
                rows=[_rollup_row(line) for line in [*children, total]],
                filename=f"{region.code}-{year}-party-building",
                sheet=f"{region.name}{year}",
            )
        charts = {
            "pipeline": {
                "labels": [str(label) for _s, label in Stage.choices],
                "values": [summary["pipeline"][s] for s in STAGE_ORDER],
            },
            "one_shoulder": {
                "labels": [c.name for c in children],
                "values": [round(c.one_shoulder_ratio * 100, 1) for c in children],
                "target": summary["one_shoulder_target"] * 100,
            },
            "sources": {
                "labels": [str(label) for _v, label in SecretarySource.choices],
                "values": [summary["secretary_sources"][v] for v in SecretarySource.values],
            },
            "coverage": {
                "labels": [c.name for c in children],
                "values": [round(c.training_ratio * 100, 1) for c in children],
            },
            # The members' structure (one grouped count over every member and their person)
            # is fetched by the page's script from ``?part=structure``: a province's page is
            # not held up by it.
            "structure_url": f"?region={region.code}&part=structure",
        }
        return render(
            request,
            "party/dashboard.html",
            {
                "region": region,
                # A village's cards say yes or no where a wider region's give a ratio.
                "level": "village" if region.kind in VILLAGE_LEVEL else "region",
                "year": year,
                "years": list(range(timezone.localdate().year, 2015, -1)),
                "summary": summary,
                "total": total,
                "children": children,
                # A province's root has hundreds of townships: the table a page at a time
                # (the charts and the download keep them all).
                "children_page": paginate(request, children),
                "children_query": f"region={region.code}&year={year}",
                "stages": Stage.choices,
                "charts": charts,
                "ancestors": ancestors_in_scope(request, region),
                "worklist_size": selectors.pipeline_worklist_size(
                    actor=request.user, region=region
                ),
            },
        )
