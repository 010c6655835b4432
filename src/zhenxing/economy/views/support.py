"""Pages for industries (each village's scale), key supported villages with their support,
company–cooperative contracts and companies. Each lists what the reader's scope holds, takes
new records through a service, and (industries) downloads as XLSX."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import Region
from zhenxing.core.web.export import Column
from zhenxing.core.web.params import year_param
from zhenxing.core.web.views import (
    ExportMixin,
    FormPostMixin,
    KernelMixin,
    RegionMixin,
    ScopedListView,
    add_domain_error,
    paginate,
)
from zhenxing.economy import tables
from zhenxing.economy.filtersets import (
    CompanyFilterSet,
    LinkageContractFilterSet,
    VillageIndustryFilterSet,
)
from zhenxing.economy.forms.support import (
    CompanyForm,
    ContractForm,
    DesignateForm,
    IndustryScaleForm,
    SupportRecordForm,
)
from zhenxing.economy.models import (
    Company,
    LinkageContract,
    SupportForm,
    VillageIndustry,
)
from zhenxing.economy.selectors import entities as entity_selectors
from zhenxing.economy.selectors import support as selectors
from zhenxing.economy.services import entities as entity_services
from zhenxing.economy.services import support as services


def _village(actor: Any, form: forms.Form, field: str = "village") -> Region:
    """The village a form names by code, in the reader's scope (else the field's error)."""
    village = entity_selectors.region_in_scope(actor=actor, code=form.cleaned_data[field])
    if village is None:
        raise DomainError(_("No village in your jurisdiction has this code."), field=field)
    return village


class RegionYearMixin(RegionMixin):
    """The region in scope and the year: ``?year=`` (bad: 400), else ``default_year``."""

    default_years_back = 0

    @cached_property
    def year(self) -> int:
        default = timezone.localdate().year - self.default_years_back
        return year_param(self.request, default=default)

    def back_url(self) -> str:
        return f"{self.request.path}?region={self.region.code}&year={self.year}"


class IndustryListView(FormPostMixin, ExportMixin, RegionYearMixin, ScopedListView):  # type: ignore[misc]
    """Each industry's scale under the region in a year (XLSX with ``?format=``), the villages'
    records page by page, and the form that records one village's scale."""

    model = VillageIndustry
    filterset_class = VillageIndustryFilterSet
    template_name = "economy/industries.html"
    form_class = IndustryScaleForm
    paginate_by = None  # type: ignore[assignment]  # ``page`` below keeps the nearest page
    default_years_back = 1

    def get_base_queryset(self) -> Any:
        return selectors.village_industries(region=self.region, year=self.year)

    def back_url(self) -> str:
        return RegionYearMixin.back_url(self)

    @cached_property
    def summary(self) -> list[dict[str, Any]]:
        return selectors.industry_summary(region=self.region, year=self.year)

    def export_columns(self) -> list[Column]:
        return tables.industry_columns()

    def export_rows(self, queryset: Any) -> Any:
        return tables.industry_rows(self.summary)

    def export_filename(self) -> str:
        return f"{self.region.code}-{self.year}-industries"

    @property
    def export_sheet(self) -> str:  # type: ignore[override]
        return f"{self.region.name}{self.year}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            year=self.year,
            summary=self.summary,
            page=paginate(self.request, self.object_list),
            form=self.get_form(),
            can_change=self.can("economy.villageindustry.change"),
            **kwargs,
        )

    def accept(self, form: Any) -> None:
        village = _village(self.actor, form)
        data = {k: v for k, v in form.cleaned_data.items() if k != "village"}
        services.industry_scale_set(actor=self.actor, village=village, year=self.year, **data)


class SupportedVillageListView(KernelMixin, RegionYearMixin, TemplateView):
    """The key supported villages of a year with the support they had; forms designate one and
    record support."""

    template_name = "economy/supported_villages.html"
    designate: forms.Form | None = None
    record: forms.Form | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            year=self.year,
            rows=selectors.support_summary(actor=self.actor, region=self.region, year=self.year),
            forms=SupportForm.choices,
            designate=self.designate or DesignateForm(),
            record=self.record or SupportRecordForm(initial={"date": timezone.localdate()}),
            can_designate=self.can("economy.supportedvillage.add"),
            can_record=self.can("economy.supportrecord.add"),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "designate" in request.POST:
            form: forms.Form = DesignateForm(request.POST)
            self.designate = form
        else:
            form = SupportRecordForm(request.POST, initial={"date": timezone.localdate()})
            self.record = form
        if form.is_valid():
            try:
                if isinstance(form, DesignateForm):
                    services.supported_village_designate(
                        actor=self.actor,
                        village=_village(self.actor, form),
                        year=self.year,
                        reason=form.cleaned_data["reason"],
                    )
                else:
                    self._record(form)
            except DomainError as exc:
                add_domain_error(form, exc)
            if not form.errors:
                messages.success(request, _("Saved."))
                return redirect(self.back_url())
        return self.get(request, *args, **kwargs)

    def _record(self, form: forms.Form) -> None:
        supported = selectors.supported_village(actor=self.actor, pk=form.cleaned_data["supported"])
        if supported is None:
            raise DomainError(_("Not found."))
        data = {k: v for k, v in form.cleaned_data.items() if k != "supported"}
        services.support_record_add(actor=self.actor, supported=supported, **data)


class ContractListView(FormPostMixin, ExportMixin, ScopedListView):  # type: ignore[misc]
    """The contracts in the reader's scope (XLSX with ``?format=``); the form records one."""

    def export_columns(self) -> list[Column]:
        return tables.contract_columns()

    def export_rows(self, queryset: Any) -> Any:
        return tables.contract_rows(queryset)

    def export_filename(self) -> str:
        return "contracts"

    model = LinkageContract
    filterset_class = LinkageContractFilterSet
    template_name = "economy/contracts.html"
    form_class = ContractForm
    paginate_by = None  # type: ignore[assignment]

    def get_base_queryset(self) -> Any:
        return entity_selectors.contract_list(actor=self.actor)

    def get_form(self) -> forms.Form:
        form = super().get_form()
        form.fields["company"].queryset = entity_selectors.company_list(actor=self.actor)  # type: ignore[attr-defined]
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            page=paginate(self.request, self.object_list),
            form=self.get_form(),
            can_add=self.can("economy.linkagecontract.add"),
            **kwargs,
        )

    def accept(self, form: Any) -> None:
        village = _village(self.actor, form)
        organization = entity_selectors.organization_of_village(actor=self.actor, village=village)
        if organization is None:
            raise DomainError(
                _("This village has no collective economic organisation."), field="village"
            )
        data = {k: v for k, v in form.cleaned_data.items() if k != "village"}
        data["unit"] = data["unit"] or ""
        data["terms"] = data["terms"] or ""
        entity_services.contract_create(actor=self.actor, organization=organization, **data)


class CompanyListView(FormPostMixin, ExportMixin, ScopedListView):  # type: ignore[misc]
    """The companies in the reader's scope (XLSX with ``?format=``); the form registers one
    (credit code checked)."""

    def export_columns(self) -> list[Column]:
        return tables.company_columns()

    def export_rows(self, queryset: Any) -> Any:
        return tables.company_rows(queryset)

    def export_filename(self) -> str:
        return "companies"

    model = Company
    filterset_class = CompanyFilterSet
    template_name = "economy/companies.html"
    form_class = CompanyForm
    paginate_by = None  # type: ignore[assignment]

    def get_base_queryset(self) -> Any:
        return entity_selectors.company_list(actor=self.actor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            page=paginate(self.request, self.object_list),
            form=self.get_form(),
            can_add=self.can("economy.company.add"),
            **kwargs,
        )

    def accept(self, form: Any) -> None:
        data = dict(form.cleaned_data)
        region = entity_selectors.region_in_scope(actor=self.actor, code=data.pop("region"))
        codes = data.pop("villages").split()
        villages = entity_selectors.regions_in_scope(actor=self.actor, codes=codes)
        if region is None:
            raise DomainError(_("No region in your jurisdiction has this code."), field="region")
        if len(villages) != len(set(codes)):
            raise DomainError(_("No village in your jurisdiction has this code."), field="villages")
        entity_services.company_create(actor=self.actor, region=region, villages=villages, **data)
