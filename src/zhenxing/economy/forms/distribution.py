"""Forms for members' shares and income-distribution plans."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from zhenxing.economy.models import ShareBasis


class PlanForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    reserve = forms.DecimalField(
        label=gettext_lazy("Reserved for the collective (yuan)"), decimal_places=2, max_digits=16
    )
    collective_shares = forms.DecimalField(
        label=gettext_lazy("Collective shares"), decimal_places=2, max_digits=12, initial=0
    )
    dividend_per_share = forms.DecimalField(
        label=gettext_lazy("Dividend per share (yuan)"), decimal_places=2, max_digits=12
    )


class ShareholdingForm(forms.Form):
    household = forms.CharField(label=gettext_lazy("Household number"), max_length=32)
    shares = forms.DecimalField(
        label=gettext_lazy("Member shares"), decimal_places=2, max_digits=12
    )
    basis = forms.ChoiceField(label=gettext_lazy("Allotted"), choices=ShareBasis.choices)
