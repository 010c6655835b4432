"""The cadres pages' forms: fields and their cleaning; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from zhenxing.core.regions.models import Region
from zhenxing.party.forms.common import DATE_WIDGET
from zhenxing.party.models import (
    Post,
    SecretarySource,
    TalentTrack,
)


class VillageField(forms.ModelChoiceField):
    """A village of the page's region, chosen from a list (the view sets the list): a cadre on a
    phone picks it rather than typing a 12-digit code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Region.objects.none(), label=gettext_lazy("Village"), **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class AppointForm(forms.Form):
    village = VillageField()
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24)
    post = forms.ChoiceField(label=gettext_lazy("Post"), choices=Post.choices)
    started_on = forms.DateField(label=gettext_lazy("Started on"), widget=DATE_WIDGET)
    source = forms.ChoiceField(
        label=gettext_lazy("Came from"),
        choices=[("", "—"), *SecretarySource.choices],
        required=False,
    )


class TalentForm(forms.Form):
    village = VillageField()
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24)
    source = forms.ChoiceField(label=gettext_lazy("Pool"), choices=SecretarySource.choices)
    track = forms.ChoiceField(label=gettext_lazy("Track"), choices=TalentTrack.choices)
    reserve_for = forms.ChoiceField(
        label=gettext_lazy("Reserve for post"), choices=[("", "—"), *Post.choices], required=False
    )
    mentor_id_number = forms.CharField(
        label=gettext_lazy("Mentor's ID number"), max_length=24, required=False
    )
    since = forms.DateField(label=gettext_lazy("In the pool since"), widget=DATE_WIDGET)
