"""Forms of grid management's pages (each posts to one service)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenxing.grid.models import Criterion, PeriodKind
from zhenxing.grid.rules.assessment import COMPUTED


class GridForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    boundary = forms.CharField(
        label=_("Boundary (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "id": "boundary"}),
        help_text=_("Draw it on the map, or paste a GeoJSON polygon."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class VillageAreaForm(forms.Form):
    area = forms.CharField(
        label=_("The village's area (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 3, "id": "area"}),
    )


class HouseholdListForm(forms.Form):
    numbers = forms.CharField(
        label=_("Household numbers, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PostForm(forms.Form):
    worker = forms.ChoiceField(label=_("Grid worker"))
    since = forms.DateField(
        label=_("Since"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, workers: Sequence[Any] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["worker"].choices = [  # type: ignore[attr-defined]
            (w.pk, f"{w.get_full_name()} ({w.username})") for w in workers
        ]


def _date() -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=32)
    village = forms.CharField(label=_("Village or community code"), max_length=12)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    services = forms.CharField(
        label=_("Services bought, one per line"), widget=forms.Textarea(attrs={"rows": 3})
    )
    buyer_signatory = forms.CharField(label=_("Signed for the buyer by"), max_length=64)
    village_signatory = forms.CharField(label=_("Signed for the village by"), max_length=64)
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AllocationForm(forms.Form):
    grid = forms.ChoiceField(label=_("Grid"))
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    starts_on = forms.DateField(
        label=_("Period starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Period ends"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: object, grids: Sequence[Any] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["grid"].choices = [(g.pk, str(g)) for g in grids]  # type: ignore[attr-defined]


class SpendingForm(forms.Form):
    allocation = forms.ChoiceField(label=_("Allocation"))
    spent_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    payee = forms.CharField(label=_("Payee"), max_length=64)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)

    def __init__(self, *args: object, allocations: Sequence[Any] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["allocation"].choices = [  # type: ignore[attr-defined]
            (a.pk, str(a)) for a in allocations
        ]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    number = forms.IntegerField(label=_("Month or quarter"), min_value=1, max_value=12)


class EntryForm(forms.Form):
    worker = forms.IntegerField(widget=forms.HiddenInput)
    criterion = forms.ChoiceField(
        label=_("Criterion"),
        choices=[(c, label) for c, label in Criterion.choices if c not in COMPUTED],
    )
    score = forms.DecimalField(label=_("Score (0–100)"), max_digits=5, decimal_places=1)
    reason = forms.CharField(label=_("Reason"), max_length=200)


def today() -> dt.date:
    return timezone.localdate()
