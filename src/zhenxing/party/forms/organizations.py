"""The organizations pages' forms: fields and their cleaning; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from zhenxing.economy import selectors as economy_selectors
from zhenxing.party.forms.common import DATE_WIDGET
from zhenxing.party.models import (
    GroupFunction,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
    SocialOrganization,
)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=64)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=OrganizationKind.choices)
    villages = forms.CharField(
        label=gettext_lazy("Villages (codes, separated by spaces)"),
        required=False,
        help_text=gettext_lazy(
            "Two or more for a joint-village committee; one for a village's own organisation "
            "or a cooperative's."
        ),
    )
    parent = forms.ModelChoiceField(
        PartyOrganization.objects.none(), label=gettext_lazy("Parent organisation"), required=False
    )
    company = forms.ModelChoiceField(
        economy_selectors.company_none(), label=gettext_lazy("Company"), required=False
    )
    social_organization = forms.ModelChoiceField(
        SocialOrganization.objects.none(),
        label=gettext_lazy("Social organisation"),
        required=False,
    )
    industry = forms.ModelChoiceField(
        economy_selectors.industry_list(), label=gettext_lazy("Industry chain"), required=False
    )
    founded_on = forms.DateField(
        label=gettext_lazy("Founded on"), widget=DATE_WIDGET, required=False
    )


class SocialOrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=64)
    kind = forms.CharField(
        label=gettext_lazy("Kind"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("Such as an association, a volunteer team or an elders' council."),
    )
    region = forms.CharField(label=gettext_lazy("Division code where it is based"), max_length=12)


class ApplyForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24)
    applied_on = forms.DateField(label=gettext_lazy("Applied on"), widget=DATE_WIDGET)


class FunctionalGroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=64)
    function = forms.ChoiceField(label=gettext_lazy("Function"), choices=GroupFunction.choices)
    specialty = forms.CharField(label=gettext_lazy("Shared specialty"), max_length=64)
    leader = forms.ModelChoiceField(PartyMember.objects.none(), label=gettext_lazy("Leader"))
    members = forms.ModelMultipleChoiceField(
        PartyMember.objects.none(), label=gettext_lazy("Members")
    )
    achievements = forms.CharField(
        label=gettext_lazy("What the group did"), widget=forms.Textarea, required=False
    )
