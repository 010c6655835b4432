"""One FilterSet per listed model of the registry: the page, the API's query parameters and the
export read the same filters, so a filter never exists in only one of them (NetBox #22578). A
bad value is a 400 naming its parameter (``core.web.filters``), never a 500 or ignored."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhenxing.core.text import MAX_QUERY_LENGTH
from zhenxing.core.web.filters import RegionCodeFilter, ScopedFilterSet
from zhenxing.registry import selectors
from zhenxing.registry.choices import MonitoringStatus
from zhenxing.registry.models import Household, Person

#: ``?gap=``: a checklist item known to fail, or any of them.
GAPS = [
    ("any", _("any gap")),
    ("food", _("food")),
    ("clothing", _("clothing")),
    ("education", _("education")),
    ("medical", _("medical care")),
    ("housing", _("housing")),
    ("water", _("drinking water")),
]
#: ``?poverty=``: households ever registered poor, or lifted out of poverty.
POVERTY = [
    ("registered", _("Registered poor")),
    ("lifted", _("Lifted out of poverty")),
]


class HouseholdFilterSet(ScopedFilterSet):
    """Households: by region, search, monitoring status, poverty and checklist gap."""

    village = RegionCodeFilter("village__code")
    q = django_filters.CharFilter(method="filter_q", max_length=MAX_QUERY_LENGTH, label=_("Search"))
    monitoring_status = django_filters.ChoiceFilter(
        choices=[(v, label) for v, label in MonitoringStatus.choices if v],
        label=_("monitoring status"),
    )
    poverty = django_filters.ChoiceFilter(
        choices=POVERTY, method="filter_poverty", label=_("poverty")
    )
    gap = django_filters.ChoiceFilter(choices=GAPS, method="filter_gap", label=_("Checklist gap"))
    #: Set by the search: more persons matched than a search reads (the page says so).
    search_truncated = False

    class Meta:
        model = Household
        fields: list[str] = []

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value.strip():
            return qs
        found = selectors.household_search(qs, value, actor=self.actor)
        self.search_truncated = found.truncated
        return found.households

    def filter_poverty(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "registered":
            return qs.filter(registered_poor_year__isnull=False)
        if value == "lifted":
            return qs.filter(lifted_year__isnull=False)
        return qs

    def filter_gap(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "any":
            any_gap = Q()
            for field in Household.CHECKLIST:
                any_gap |= Q(**{field: False})
            return qs.filter(any_gap)
        if value:
            return qs.filter(**{f"{value}_secure": False})
        return qs


class PersonFilterSet(ScopedFilterSet):
    """Persons: by region, household number and search (name, initials, ID number, phone)."""

    village = RegionCodeFilter("household__village__code")
    household = django_filters.CharFilter(
        field_name="household__number", max_length=32, label=_("household number")
    )
    q = django_filters.CharFilter(method="filter_q", max_length=MAX_QUERY_LENGTH, label=_("Search"))

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(selectors.person_search_q(value)) if value.strip() else qs
