from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.registry.models import (
    Education,
    Ethnicity,
    Health,
    Household,
    MonitoringStatus,
    Relation,
)

TRI_STATE = [("", _("Not checked")), ("true", _("Yes")), ("false", _("No"))]


def _tri(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


class HouseholdForm(forms.Form):
    number = forms.CharField(label=_("household number"), max_length=32)
    village = forms.CharField(
        label=_("village"), max_length=15, help_text=_("Division code of the village or community.")
    )
    group = forms.CharField(
        label=_("villager group"),
        max_length=15,
        required=False,
        help_text=_("Division code of the villager group (optional)."),
    )
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    labour_count = forms.IntegerField(label=_("labour force"), min_value=0, max_value=50, initial=0)
    registered_poor_year = forms.IntegerField(label=_("year registered poor"), required=False)
    lifted_year = forms.IntegerField(label=_("year lifted out of poverty"), required=False)
    monitoring_status = forms.ChoiceField(
        label=_("monitoring status"), choices=MonitoringStatus.choices, required=False
    )
    food_secure = forms.TypedChoiceField(
        label=_("enough food"), choices=TRI_STATE, coerce=_tri, empty_value=None, required=False
    )
    clothing_secure = forms.TypedChoiceField(
        label=_("enough clothing"), choices=TRI_STATE, coerce=_tri, empty_value=None, required=False
    )
    education_secure = forms.TypedChoiceField(
        label=_("compulsory education assured"),
        choices=TRI_STATE,
        coerce=_tri,
        empty_value=None,
        required=False,
    )
    medical_secure = forms.TypedChoiceField(
        label=_("basic medical care assured"),
        choices=TRI_STATE,
        coerce=_tri,
        empty_value=None,
        required=False,
    )
    housing_secure = forms.TypedChoiceField(
        label=_("safe housing assured"),
        choices=TRI_STATE,
        coerce=_tri,
        empty_value=None,
        required=False,
    )
    water_secure = forms.TypedChoiceField(
        label=_("safe drinking water"),
        choices=TRI_STATE,
        coerce=_tri,
        empty_value=None,
        required=False,
    )
    checklist_checked_on = forms.DateField(
        label=_("checklist last checked"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def _region(self, field: str, kinds: set[str]) -> Region | None:
        code = (self.cleaned_data.get(field) or "").strip()
        if not code:
            return None
        # Within the actor's jurisdiction only: elsewhere reads exactly like "no such code".
        region = Region.objects.visible_to(self.actor).filter(code=code, kind__in=kinds).first()
        if region is None:
            raise forms.ValidationError(_("No region in your jurisdiction has this code."))
        return region

    def clean_village(self) -> Region | None:
        return self._region("village", set(VILLAGE_LEVEL))

    def clean_group(self) -> Region | None:
        return self._region("group", {RegionKind.GROUP})


class PersonForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=32)
    id_number = forms.CharField(label=_("ID number"), max_length=40)
    ethnicity = forms.ModelChoiceField(
        label=_("ethnic group"),
        queryset=Ethnicity.objects.all(),
        to_field_name="code",
        initial="01",
    )
    relation = forms.ChoiceField(label=_("relation to the head"), choices=Relation.choices)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    education = forms.ChoiceField(
        label=_("education"), choices=[("", "—"), *Education.choices], required=False
    )
    health = forms.ChoiceField(label=_("health"), choices=Health.choices, initial="healthy")
    occupation = forms.CharField(label=_("occupation"), max_length=64, required=False)
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the number against the ID card"),
        required=False,
        help_text=_("Needed when the number's region code is from another era."),
    )


__all__ = ["Household", "HouseholdForm", "PersonForm"]
