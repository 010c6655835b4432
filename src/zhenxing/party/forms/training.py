"""The training pages' forms: fields and their cleaning; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from zhenxing.core.regions.models import Region
from zhenxing.core.web.choices import limited_choices, region_choices
from zhenxing.party.forms.common import DATE_WIDGET
from zhenxing.party.models import (
    Course,
    CourseOrder,
    DeliveryMode,
)

#: The most open orders the session form lists as boxes (a township's are a few dozen).
ORDERS_LISTED = 100


class OrderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.village.name} · {obj.course.title} · {obj.get_origin_display()}"


class CourseOrderForm(forms.Form):
    """A village orders a course (点单), or the department assigns one (配菜)."""

    village = forms.ModelChoiceField(Region.objects.none(), label=gettext_lazy("Village"))
    course = forms.ModelChoiceField(Course.objects.all(), label=gettext_lazy("Course"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        kwargs["prefix"] = "order"
        super().__init__(*args, **kwargs)
        region_choices(self.fields["village"], villages)


class SessionForm(forms.Form):
    """Schedule a session, ticking the orders it serves."""

    region = forms.ModelChoiceField(Region.objects.none(), label=gettext_lazy("Organised by"))
    course = forms.ModelChoiceField(Course.objects.all(), label=gettext_lazy("Course"))
    mode = forms.ChoiceField(
        label=gettext_lazy("Delivery"), choices=DeliveryMode.choices, initial="offline"
    )
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label=gettext_lazy("Until"),
        widget=DATE_WIDGET,
        required=False,
        help_text=gettext_lazy("Leave empty for a one-day session."),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=64)
    trainers = forms.CharField(label=gettext_lazy("Trainers"), max_length=128)
    hours = forms.DecimalField(
        label=gettext_lazy("Hours"),
        max_digits=5,
        decimal_places=1,
        min_value=0,
        required=False,
        help_text=gettext_lazy("Leave empty for the course's usual hours."),
    )
    orders = OrderChoiceField(
        CourseOrder.objects.none(),
        label=gettext_lazy("Orders it serves"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, organisers: Any, orders: Any, **kwargs: Any) -> None:
        kwargs["prefix"] = "session"
        super().__init__(*args, **kwargs)
        region_choices(self.fields["region"], organisers)
        # A session serves a few villages' orders, ticked from a township's page: the city's
        # 400 open orders as boxes were 50 KB of a phone's page and most of its rendering.
        self.orders_listed = limited_choices(self.fields["orders"], orders, limit=ORDERS_LISTED)
        # The boxes are written by the widget in one pass (``QuickCheckboxes``): looping over
        # the bound field in the template rendered each of a city's 400 boxes by template.
        listed: Any = self.fields["orders"]
        self.orders_open = self.orders_listed and listed.queryset.exists()
