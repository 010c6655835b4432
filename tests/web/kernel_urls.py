"""A URLconf for the kernel's own tests: small views built only from core.web's classes, over
the regions tree (a scoped model every install has), beside the project's URLs."""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.generic import View

from zhenxing.core.errors import Conflict, DomainError
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.web.export import Column
from zhenxing.core.web.filters import ScopedFilterSet, YearFilter
from zhenxing.core.web.views import (
    ExportMixin,
    KernelMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceActionView,
)
from zhenxing.urls import urlpatterns as project_urlpatterns


class RegionFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=RegionKind.choices)
    since = YearFilter(method="filter_since")

    class Meta:
        model = Region
        fields = ["kind"]

    def filter_since(self, queryset: Any, name: str, value: int) -> Any:
        return queryset


class JsonListMixin:
    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> JsonResponse:
        errors = context["filter"].errors if context.get("filter") is not None else {}
        codes = sorted(r.code for r in context["object_list"])
        return JsonResponse({"codes": codes, "errors": errors}, status=kwargs.get("status", 200))


class RegionList(ExportMixin, JsonListMixin, ScopedListView):
    model = Region
    filterset_class = RegionFilterSet
    paginate_by = None  # type: ignore[assignment]

    def export_columns(self) -> list[Column]:
        return [Column("code", "code"), Column("name", "name")]

    def export_rows(self, queryset: Any) -> Any:
        return ({"code": r.code, "name": r.name} for r in queryset)

    def export_filename(self) -> str:
        return "regions"


class RegionDetail(ScopedDetailView):
    model = Region
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> JsonResponse:
        return JsonResponse({"code": context["object"].code})


class RegionRename(ServiceActionView):
    model = Region
    lookup_field = "code"
    lookup_url_kwarg = "code"
    success_message = "renamed"

    def perform(self, obj: Region) -> None:
        if self.request.POST.get("name") == "":
            raise DomainError("A name is needed.", field="name")
        obj.name = self.request.POST["name"]
        obj.save(update_fields=["name"])

    def get_success_url(self) -> str:
        return "/"


class NeedsRegionWrite(KernelMixin, View):
    permission = "regions.region.add"

    def get(self, request: HttpRequest) -> JsonResponse:
        return JsonResponse({"ok": True})


class Conflicting(KernelMixin, View):
    def get(self, request: HttpRequest) -> JsonResponse:
        raise Conflict("This region is still referenced.")


urlpatterns = [
    path("kernel/regions/", RegionList.as_view()),
    path("kernel/regions/<str:code>/", RegionDetail.as_view()),
    path("kernel/regions/<str:code>/rename/", RegionRename.as_view()),
    path("kernel/needs-write/", NeedsRegionWrite.as_view()),
    path("kernel/conflict/", Conflicting.as_view()),
    path("", include(project_urlpatterns)),
]
