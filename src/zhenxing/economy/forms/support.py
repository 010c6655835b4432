"""Forms for industries, key supported villages and their support, companies and contracts.
Villages are entered by division code; the view looks them up in the reader's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from zhenxing.economy.models import (
    Company,
    CompanyKind,
    ContractKind,
    Industry,
    SupportForm,
)


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
