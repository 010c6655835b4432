"""One FilterSet for the jurisdiction tree: the API list, the search page and the export."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.text import MAX_QUERY_LENGTH, normalise_query
from zhenxing.core.web.filters import ScopedFilterSet


class RegionFilterSet(ScopedFilterSet):
    parent = django_filters.CharFilter(field_name="parent__code", label=_("parent code"))
    kind = django_filters.ChoiceFilter(choices=RegionKind.choices, label=_("kind"))
    q = django_filters.CharFilter(method="search", label=_("search"))

    class Meta:
        model = Region
        fields: list[str] = []

    def search(self, queryset: QuerySet[Region], name: str, value: str) -> QuerySet[Region]:
        """Name, pinyin initials or full pinyin, in either script."""
        if len(value) > MAX_QUERY_LENGTH:
            return queryset.none()  # longer than any name and its pinyin: nothing can match
        return queryset.filter(search_text__contains=normalise_query(value))
