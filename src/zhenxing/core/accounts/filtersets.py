"""One FilterSet for accounts: the management page and the API list alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhenxing.core.accounts.models import User
from zhenxing.core.accounts.roles import Role
from zhenxing.core.text import MAX_QUERY_LENGTH
from zhenxing.core.web.filters import ScopedFilterSet


class AccountFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("role"))

    class Meta:
        model = User
        fields: list[str] = []

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        """Username or full name, any part."""
        if len(value) > MAX_QUERY_LENGTH:
            return queryset.none()  # longer than any name: nothing can match
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))
