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
from zhenxing.registry.validators import IdNumberError, PhoneError, check_id_number, check_phone

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

    # The service checks both again (it is the rule); checking here too puts every mistake in
    # the form on the page at once. The region-code warning is the service's: it needs the
    # confirmation.
    def clean_id_number(self) -> str:
        value: str = self.cleaned_data.get("id_number") or ""
        if value:
            try:
                check_id_number(value)
            except IdNumberError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value

    def clean_phone(self) -> str:
        value: str = self.cleaned_data.get("phone") or ""
        try:
            check_phone(value)
        except PhoneError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value


class HouseholdEditForm(HouseholdForm):
    """A household's correction: its number and village stay (they identify it, in files and
    in other apps); the rest is as on registration."""

    number = None  # type: ignore[assignment]
    village = None  # type: ignore[assignment]

    @staticmethod
    def initial_for(household: Household) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(household, name)
            for name in ("address", "labour_count", "registered_poor_year", "lifted_year")
        }
        initial |= {
            "group": household.group.code if household.group else "",
            "monitoring_status": household.monitoring_status,
            "checklist_checked_on": household.checklist_checked_on,
        }
        for name in Household.CHECKLIST:
            initial[name] = {True: "true", False: "false"}.get(getattr(household, name), "")
        return initial


KEEP_BLANK = _("Leave blank to keep the current one (%(masked)s); type a new one to change it.")


class PersonEditForm(PersonForm):
    """A person's correction. The ID number and phone are never filled in (that would show
    them in clear): blank keeps them, a new value replaces them. A role that may not see them
    in clear is not offered them at all."""

    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    remove_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)

    field_order = ["name", "id_number", "confirm_warnings", "phone", "remove_phone"]

    def __init__(self, *args: Any, person: Any, can_unmask: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_unmask:
            for name in ("id_number", "confirm_warnings", "phone", "remove_phone"):
                del self.fields[name]
            return
        self.fields["id_number"].help_text = KEEP_BLANK % {"masked": person.id_number_masked}
        if person.phone_masked:
            self.fields["phone"].help_text = KEEP_BLANK % {"masked": person.phone_masked}
        else:
            del self.fields["remove_phone"]

    #: The plain fields, filled in from the record (the sensitive ones never are).
    PLAIN = ("name", "ethnicity", "relation", "education", "health", "occupation")

    @classmethod
    def initial_for(cls, person: Any) -> dict[str, Any]:
        return {name: getattr(person, name) for name in cls.PLAIN}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove_phone") and data.get("phone"):
            self.add_error("phone", _("Type a new phone number or remove it, not both."))
        return data

    @property
    def sensitive_changes(self) -> dict[str, str | None]:
        """``id_number`` and ``phone`` for ``person_update``: None for "unchanged", a removed
        phone is ""."""
        data = self.cleaned_data
        if "phone" not in self.fields:
            return {"id_number": None, "phone": None}
        phone = "" if data.get("remove_phone") else (data.get("phone") or None)
        return {"id_number": data.get("id_number") or None, "phone": phone}


__all__ = ["Household", "HouseholdEditForm", "HouseholdForm", "PersonEditForm", "PersonForm"]
