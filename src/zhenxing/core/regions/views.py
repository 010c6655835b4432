"""Region browser: drill-down, breadcrumbs, search, create, edit, delete, export.

On the web kernel: objects are looked up inside the reader's scope by the kernel's mixins
(missing or outside scope 404, the role lacking the action 403), permissions are declared
(``permission``) or asked (``self.can``); no view here scopes or checks a role itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from zhenxing.core.audit.selectors import object_history
from zhenxing.core.errors import DomainError, http_status
from zhenxing.core.regions import selectors, services
from zhenxing.core.regions.forms import RegionCreateForm, RegionUpdateForm
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.web.export import Column
from zhenxing.core.web.views import (
    EXPORT_PERMISSION,
    ExportMixin,
    KernelMixin,
    ScopedDetailView,
    ScopedObjectMixin,
    ServiceFormView,
    ancestors_in_scope,
    paginate,
    raise_http,
)

ADD = "regions.region.add"
CHANGE = "regions.region.change"
DELETE = "regions.region.delete"


class RegionLookup(ScopedObjectMixin):
    """A region by its code in the URL, inside the reader's scope, with its parent."""

    lookup_field = "code"
    lookup_url_kwarg = "code"

    def get_base_queryset(self) -> QuerySet[Region]:
        return Region.objects.select_related("parent")


@login_required
def region_root(request: HttpRequest) -> HttpResponse:
    region = getattr(request.user, "region", None)
    if region is None:
        raise Http404
    return redirect("regions:region_detail", code=region.code)


class RegionDetailView(RegionLookup, ScopedDetailView):  # type: ignore[misc]
    template_name = "regions/region_detail.html"
    context_object_name = "region"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region: Region = self.object
        own_code = self.actor.region.code
        children = selectors.region_children(actor=self.actor, region=region)
        return context | {
            # Breadcrumbs start at the user's own region: what is above is not theirs to browse.
            "crumbs": ancestors_in_scope(self.request, region),
            "children": paginate(self.request, children, 100),
            "counts": selectors.region_counts(region=region),
            "kinds": RegionKind,
            "can_add": self.can(ADD) and region.kind != RegionKind.GROUP,
            # Nobody edits the region they are bound to: it is managed from above.
            "can_change": self.can(CHANGE) and region.code != own_code,
            "can_export": self.can(EXPORT_PERMISSION),
            "history": object_history(actor=self.actor, obj=region, limit=20),
        }


@login_required
def region_search(request: HttpRequest) -> HttpResponse:
    """Name or pinyin search within the reader's scope (an htmx partial, or a page)."""
    q = request.GET.get("q", "").strip()
    results = selectors.region_list(actor=request.user, q=q)[:50] if q else []
    template = (
        "regions/_search_results.html"
        if request.headers.get("HX-Request")
        else "regions/region_search.html"
    )
    return render(request, template, {"q": q, "results": results})


class RegionCreateView(RegionLookup, ServiceFormView):
    """A subordinate region under the one in the URL (never under a villager group)."""

    permission = ADD
    form_class = RegionCreateForm
    template_name = "regions/region_form.html"

    @property
    def parent(self) -> Region:
        parent: Region = self.get_object()
        if parent.kind == RegionKind.GROUP:
            raise PermissionDenied
        return parent

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"parent": self.parent}

    def get_initial(self) -> dict[str, Any]:
        return {"code": self.parent.code}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "parent": self.parent,
            "title": _("New subordinate region"),
        }

    def perform(self, form: forms.Form) -> Region:
        return services.region_create(actor=self.actor, parent=self.parent, **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("%(name)s was created.") % {"name": self.result.name}

    def get_success_url(self) -> str:
        return reverse("regions:region_detail", args=[self.result.code])


class RegionUpdateView(RegionLookup, ServiceFormView):
    object_action = "change"
    form_class = RegionUpdateForm
    template_name = "regions/region_form.html"

    def get_initial(self) -> dict[str, Any]:
        region = self.get_object()
        return {"code": region.code, "name": region.name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        region = self.get_object()
        return super().get_context_data(**kwargs) | {
            "region": region,
            "parent": region.parent,
            "title": _("Edit %(name)s") % {"name": region.name},
        }

    def perform(self, form: forms.Form) -> Region:
        return services.region_update(
            actor=self.actor, region=self.get_object(), **form.cleaned_data
        )

    def get_success_message(self) -> str:
        return _("%(name)s was saved.") % {"name": self.result.name}

    def get_success_url(self) -> str:
        return reverse("regions:region_detail", args=[self.result.code])


class RegionDeleteView(KernelMixin, RegionLookup, View):
    """A confirmation page; the POST deletes, or says why not (children and accounts: 400,
    records still referencing the region: 409) on the same page."""

    object_action = "delete"
    template_name = "regions/region_confirm_delete.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return render(request, self.template_name, {"region": self.get_object()})

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        region = self.get_object()
        try:
            services.region_delete(actor=self.actor, region=region)
        except DomainError as exc:
            raise_http(exc)
            return render(
                request,
                self.template_name,
                {"region": region, "error": exc.message},
                status=http_status(exc),
            )
        messages.success(request, _("%(name)s was deleted.") % {"name": region.name})
        return redirect("regions:region_detail", code=region.parent.code)


class RegionExportView(ExportMixin, KernelMixin, RegionLookup, View):
    """The region and everything under it, as XLSX (default) or CSV."""

    permission = EXPORT_PERMISSION
    http_method_names: ClassVar[list[str]] = ["get"]  # type: ignore[misc]

    def export_columns(self) -> list[Column]:
        return [
            Column("code", _("division code"), 18),
            Column("name", _("name"), 20),
            Column("kind", _("kind"), 12),
            Column("parent_code", _("parent code"), 18),
            Column("parent_name", _("parent"), 20),
        ]

    def export_rows(self, queryset: Any) -> Iterable[dict[str, Any]]:
        return (
            {
                "code": r.code,
                "name": r.name,
                "kind": r.get_kind_display(),
                "parent_code": r.parent.code if r.parent else "",
                "parent_name": r.parent.name if r.parent else "",
            }
            for r in queryset.iterator(chunk_size=2000)
        )

    def export_filename(self) -> str:
        region = self.get_object()
        return f"{region.code}-{region.name}"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        region = self.get_object()
        self.export_sheet = region.name  # type: ignore[misc]
        return self.export_response(selectors.region_subtree(actor=self.actor, region=region))


region_detail: Any = RegionDetailView.as_view()
region_create: Any = RegionCreateView.as_view()
region_update: Any = RegionUpdateView.as_view()
region_delete: Any = RegionDeleteView.as_view()
region_export: Any = RegionExportView.as_view()
