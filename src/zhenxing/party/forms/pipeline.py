"""The pipeline pages' forms: fields and their cleaning; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from zhenxing.party.forms.common import DATE_WIDGET
from zhenxing.party.models import (
    PartyMember,
    PartyOrganization,
    Stage,
)


class StepForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("Step to"), choices=Stage.choices)
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    introducers = forms.ModelMultipleChoiceField(
        PartyMember.objects.none(),
        label=gettext_lazy("Introducers (two full members)"),
        required=False,
    )
    exception_reason = forms.CharField(
        label=gettext_lazy("Exception to the interval: reason (approvers only)"),
        max_length=200,
        required=False,
    )


class TransferForm(forms.Form):
    organization = forms.ModelChoiceField(
        PartyOrganization.objects.none(), label=gettext_lazy("Transfer to")
    )


class TalkForm(forms.Form):
    talked_on = forms.DateField(label=gettext_lazy("Talked with on"), widget=DATE_WIDGET)
