"""Pages for industries (each village's scale), key supported villages with their support, and
company–cooperative contracts. Each lists what the reader's scope holds, takes new records
through a service, and downloads as XLSX."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import subtree_q
from zhenxing.core.views import add_domain_error, paginate, region_for
from zhenxing.core.web.export import Column, table_response
from zhenxing.economy import entities, selectors, support
from zhenxing.economy.models import (
    CollectiveOrganization,
    Company,
    CompanyKind,
    ContractKind,
    Industry,
    LinkageContract,
    SupportedVillage,
    SupportForm,
    SupportRecord,
    VillageIndustry,
)
from zhenxing.economy.views import year_for


class VillageChoiceField(forms.CharField):
    """A village by its division code, looked up in the reader's scope by the view."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=gettext_lazy("Village code"), max_length=12, **kwargs)


class IndustryScaleForm(forms.Form):
    village = VillageChoiceField()
    industry = forms.ModelChoiceField(Industry.objects.all(), label=gettext_lazy("Industry"))
    area_mu = forms.DecimalField(
        label=gettext_lazy("Area (mu)"), initial=0, max_digits=16, decimal_places=2, min_value=0
    )
    output = forms.DecimalField(
        label=gettext_lazy("Output"), initial=0, max_digits=16, decimal_places=2, min_value=0
    )
    output_value = forms.DecimalField(
        label=gettext_lazy("Output value (yuan)"),
        initial=0,
        max_digits=16,
        decimal_places=2,
        min_value=0,
    )
    households = forms.IntegerField(
        label=gettext_lazy("Households involved"), min_value=0, initial=0
    )


class DesignateForm(forms.Form):
    village = VillageChoiceField()
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


class SupportRecordForm(forms.Form):
    supported = forms.IntegerField(widget=forms.HiddenInput)
    form = forms.ChoiceField(label=gettext_lazy("Form of support"), choices=SupportForm.choices)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (yuan)"), initial=0, max_digits=16, decimal_places=2, min_value=0
    )
    source = forms.CharField(label=gettext_lazy("Source"), max_length=64)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)


class ContractForm(forms.Form):
    company = forms.ModelChoiceField(Company.objects.none(), label=gettext_lazy("Company"))
    village = VillageChoiceField()
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ContractKind.choices)
    signed_on = forms.DateField(
        label=gettext_lazy("Signed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Contract amount (yuan)"), max_digits=16, decimal_places=2, min_value=0
    )
    guaranteed_price = forms.DecimalField(
        label=gettext_lazy("Guaranteed price per unit"),
        required=False,
        max_digits=16,
        decimal_places=2,
        min_value=0,
    )
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=16, required=False)
    households = forms.IntegerField(
        label=gettext_lazy("Households involved"), min_value=0, initial=0
    )
    terms = forms.CharField(label=gettext_lazy("Terms"), widget=forms.Textarea, required=False)


def _village_in_scope(request: HttpRequest, form: forms.Form) -> Region | None:
    code = form.cleaned_data["village"].strip()
    village = Region.objects.visible_to(request.user).filter(code=code).first()
    if village is None:
        form.add_error("village", _("No village in your jurisdiction has this code."))
    return village


@login_required
@require_http_methods(["GET", "POST"])
def industries(request: HttpRequest) -> HttpResponseBase:
    region = region_for(request)
    year = year_for(request, region) if request.GET.get("year") else timezone.localdate().year - 1
    form = IndustryScaleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        village = _village_in_scope(request, form)
        if village is not None:
            data = {k: v for k, v in form.cleaned_data.items() if k != "village"}
            try:
                support.industry_scale_set(actor=request.user, village=village, year=year, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?region={region.code}&year={year}")
    summary = selectors.industry_summary(region=region, year=year)
    if request.GET.get("format") in ("xlsx", "csv"):
        columns = [
            Column("industry", _("Industry"), 14),
            Column("kind", _("Kind"), 12),
            Column("villages", _("Villages"), 10),
            Column("area", _("Area (mu)"), 12),
            Column("output", _("Output"), 12),
            Column("value", _("Output value (yuan)"), 16),
            Column("households", _("Households involved"), 12),
        ]
        rows = (
            {**r, "industry": r["industry"].name, "kind": r["industry"].get_kind_display()}
            for r in summary
        )
        return table_response(
            fmt=request.GET["format"],
            columns=columns,
            rows=rows,
            filename=f"{region.code}-{year}-industries",
            sheet=f"{region.name}{year}",
        )
    scales = (
        VillageIndustry.objects.visible_to(request.user)
        .filter(subtree_q(region.code, "village__code"), year=year)
        .select_related("village", "industry")
    )
    return render(
        request,
        "economy/industries.html",
        {
            "region": region,
            "year": year,
            "summary": summary,
            "page": paginate(request, scales),
            "form": form,
            "can_change": has_permission(request.user, VillageIndustry, "change"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def supported_villages(request: HttpRequest) -> HttpResponse:
    region = region_for(request)
    year = year_for(request, region) if request.GET.get("year") else timezone.localdate().year
    designate = DesignateForm(request.POST if "designate" in request.POST else None)
    record = SupportRecordForm(
        request.POST if "record" in request.POST else None,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST":
        try:
            if designate.is_valid():
                village = _village_in_scope(request, designate)
                if village is not None:
                    support.supported_village_designate(
                        actor=request.user,
                        village=village,
                        year=year,
                        reason=designate.cleaned_data["reason"],
                    )
                    messages.success(request, _("Saved."))
                    return redirect(f"{request.path}?region={region.code}&year={year}")
            elif record.is_valid():
                supported = (
                    SupportedVillage.objects.visible_to(request.user)
                    .filter(pk=record.cleaned_data["supported"])
                    .first()
                )
                if supported is None:
                    record.add_error(None, _("Not found."))
                else:
                    data = {k: v for k, v in record.cleaned_data.items() if k != "supported"}
                    support.support_record_add(actor=request.user, supported=supported, **data)
                    messages.success(request, _("Saved."))
                    return redirect(f"{request.path}?region={region.code}&year={year}")
        except DomainError as exc:
            add_domain_error(designate if designate.is_bound else record, exc)
    rows = selectors.support_summary(actor=request.user, region=region, year=year)
    return render(
        request,
        "economy/supported_villages.html",
        {
            "region": region,
            "year": year,
            "rows": rows,
            "forms": SupportForm.choices,
            "designate": designate,
            "record": record,
            "can_designate": has_permission(request.user, SupportedVillage, "add"),
            "can_record": has_permission(request.user, SupportRecord, "add"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contracts(request: HttpRequest) -> HttpResponse:
    form = ContractForm(request.POST or None)
    form.fields["company"].queryset = Company.objects.visible_to(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        village = _village_in_scope(request, form)
        organization = (
            CollectiveOrganization.objects.visible_to(request.user).filter(village=village).first()
            if village
            else None
        )
        if village is not None and organization is None:
            form.add_error("village", _("This village has no collective economic organisation."))
        elif organization is not None:
            data = {k: v for k, v in form.cleaned_data.items() if k != "village"}
            data["unit"] = data["unit"] or ""
            data["terms"] = data["terms"] or ""
            try:
                entities.contract_create(actor=request.user, organization=organization, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("economy:contracts")
    listed = LinkageContract.objects.visible_to(request.user).select_related(
        "company", "organization__village"
    )
    return render(
        request,
        "economy/contracts.html",
        {
            "page": paginate(request, listed),
            "form": form,
            "can_add": has_permission(request.user, LinkageContract, "add"),
        },
    )


class CompanyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=64)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CompanyKind.choices)
    uscc = forms.CharField(label=gettext_lazy("Unified social credit code"), max_length=24)
    legal_representative = forms.CharField(
        label=gettext_lazy("Legal representative"), max_length=32
    )
    registered_capital = forms.DecimalField(
        label=gettext_lazy("Registered capital (yuan)"),
        max_digits=16,
        decimal_places=2,
        min_value=0,
        initial=0,
    )
    industries = forms.CharField(label=gettext_lazy("Industries"), max_length=128, required=False)
    region = forms.CharField(
        label=gettext_lazy("Registered in (division code)"),
        max_length=12,
        help_text=gettext_lazy("The city's or a township's code."),
    )
    villages = forms.CharField(
        label=gettext_lazy("Villages served (codes, separated by spaces)"), required=False
    )


@login_required
@require_http_methods(["GET", "POST"])
def companies(request: HttpRequest) -> HttpResponse:
    """The companies in the reader's scope; the form registers one (credit code checked)."""
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        visible = Region.objects.visible_to(request.user)
        region = visible.filter(code=data.pop("region").strip()).first()
        codes = data.pop("villages").split()
        villages = list(visible.filter(code__in=codes))
        if region is None:
            form.add_error("region", _("No region in your jurisdiction has this code."))
        elif len(villages) != len(set(codes)):
            form.add_error("villages", _("No village in your jurisdiction has this code."))
        else:
            try:
                entities.company_create(
                    actor=request.user, region=region, villages=villages, **data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("economy:companies")
    listed = (
        Company.objects.visible_to(request.user)
        .select_related("region")
        .prefetch_related("villages")
        .order_by("region__code", "name")
    )
    return render(
        request,
        "economy/companies.html",
        {
            "page": paginate(request, listed),
            "form": form,
            "can_add": has_permission(request.user, Company, "add"),
        },
    )
