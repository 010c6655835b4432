"""Region browser: drill-down, breadcrumbs, search, create, edit, delete, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhenxing.core.accounts.roles import can_export, has_permission
from zhenxing.core.audit.selectors import object_history
from zhenxing.core.errors import DomainError, Forbidden, http_status
from zhenxing.core.regions import selectors, services
from zhenxing.core.regions.forms import RegionCreateForm, RegionUpdateForm
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import get_for_user
from zhenxing.core.views import add_domain_error, paginate, raise_http
from zhenxing.core.web.export import Column, table_response


def _get(request: HttpRequest, code: str, action: str = "view") -> Region:
    try:
        return get_for_user(
            Region.objects.select_related("parent"), request.user, action, code=code
        )
    except DomainError as exc:
        raise_http(exc)
        raise


@login_required
def region_root(request: HttpRequest) -> HttpResponse:
    region = getattr(request.user, "region", None)
    if region is None:
        raise Http404
    return redirect("regions:region_detail", code=region.code)


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = _get(request, code)
    children = selectors.region_children(actor=request.user, region=region)
    user_code = request.user.region.code  # type: ignore[union-attr]
    # Breadcrumbs start at the user's own region: what is above it is not theirs to browse.
    crumbs = [r for r in region.ancestors() if r.code.startswith(user_code)]
    writable = has_permission(request.user, Region, "change") and region.code != user_code
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "crumbs": crumbs,
            "children": paginate(request, children, 100),
            "counts": selectors.region_counts(region=region),
            "kinds": RegionKind,
            "can_add": has_permission(request.user, Region, "add")
            and region.kind != RegionKind.GROUP,
            "can_change": writable,
            "can_export": can_export(request.user),
            "history": object_history(actor=request.user, obj=region, limit=20),
        },
    )


@login_required
def region_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    results = selectors.region_list(actor=request.user, q=q)[:50] if q else []
    template = (
        "regions/_search_results.html"
        if request.headers.get("HX-Request")
        else "regions/region_search.html"
    )
    return render(request, template, {"q": q, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def region_create(request: HttpRequest, code: str) -> HttpResponse:
    parent = _get(request, code)
    if not has_permission(request.user, Region, "add") or parent.kind == RegionKind.GROUP:
        raise_http(Forbidden())
    form = RegionCreateForm(request.POST or None, parent=parent, initial={"code": parent.code})
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_create(actor=request.user, parent=parent, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": region.name})
            return redirect("regions:region_detail", code=region.code)
    return render(
        request,
        "regions/region_form.html",
        {"form": form, "parent": parent, "title": _("New subordinate region")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def region_update(request: HttpRequest, code: str) -> HttpResponse:
    region = _get(request, code, "change")
    form = RegionUpdateForm(
        request.POST or None, initial={"code": region.code, "name": region.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_update(actor=request.user, region=region, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": region.name})
            return redirect("regions:region_detail", code=region.code)
    return render(
        request,
        "regions/region_form.html",
        {
            "form": form,
            "region": region,
            "parent": region.parent,
            "title": _("Edit %(name)s") % {"name": region.name},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def region_delete(request: HttpRequest, code: str) -> HttpResponse:
    region = _get(request, code, "delete")
    error, status = None, 200
    if request.method == "POST":
        try:
            services.region_delete(actor=request.user, region=region)
        except DomainError as exc:
            raise_http(exc)
            error, status = exc.message, http_status(exc)
        else:
            messages.success(request, _("%(name)s was deleted.") % {"name": region.name})
            return redirect("regions:region_detail", code=region.parent.code)  # type: ignore[union-attr]
    return render(
        request,
        "regions/region_confirm_delete.html",
        {"region": region, "error": error},
        status=status,
    )


@login_required
def region_export(request: HttpRequest, code: str) -> HttpResponseBase:
    """The region and everything under it, as XLSX (default) or CSV."""
    region = _get(request, code)
    if not can_export(request.user):
        raise_http(Forbidden())
    columns = [
        Column("code", _("division code"), 18),
        Column("name", _("name"), 20),
        Column("kind", _("kind"), 12),
        Column("parent_code", _("parent code"), 18),
        Column("parent_name", _("parent"), 20),
    ]
    rows = (
        {
            "code": r.code,
            "name": r.name,
            "kind": r.get_kind_display(),
            "parent_code": r.parent.code if r.parent else "",
            "parent_name": r.parent.name if r.parent else "",
        }
        for r in selectors.region_subtree(actor=request.user, region=region).iterator(
            chunk_size=2000
        )
    )
    return table_response(
        fmt=request.GET.get("format", "xlsx"),
        columns=columns,
        rows=rows,
        filename=f"{region.code}-{region.name}",
        sheet=region.name,
    )
