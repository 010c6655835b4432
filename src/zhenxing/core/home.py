"""The home page: the user's region and its key counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from zhenxing.core.accounts.models import User
from zhenxing.core.regions.selectors import region_children, region_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    region = request.user.region  # type: ignore[union-attr]
    if region is None:
        return render(request, "home.html", {"region": None})
    children = list(region_children(actor=request.user, region=region))
    return render(
        request,
        "home.html",
        {
            "region": region,
            "counts": region_counts(region=region),
            "accounts": User.objects.visible_to(request.user).filter(is_active=True).count(),
            "children": children,
            "chart": {
                "labels": [c.name for c in children],
                "values": [c.child_count for c in children],  # type: ignore[attr-defined]
            },
        },
    )


@login_required
def home_chart_export(request: HttpRequest) -> HttpResponseBase:
    """The home chart's numbers as XLSX: every chart can be taken to Excel."""
    from django.utils.translation import gettext as _

    from zhenxing.core.web.export import Column, table_response

    region = request.user.region  # type: ignore[union-attr]
    if region is None:
        raise Http404
    rows = (
        {"code": c.code, "name": c.name, "children": c.child_count}  # type: ignore[attr-defined]
        for c in region_children(actor=request.user, region=region)
    )
    columns = [
        Column("code", _("division code"), 18),
        Column("name", _("name"), 20),
        Column("children", _("subordinate regions"), 14),
    ]
    return table_response(
        fmt=request.GET.get("format", "xlsx"),
        columns=columns,
        rows=rows,
        filename=f"{region.code}-{region.name}",
        sheet=region.name,
    )
