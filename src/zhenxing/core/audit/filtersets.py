"""One FilterSet for the audit log, used by its page, its export and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhenxing.core.audit.models import AuditAction, AuditEntry, AuditSource
from zhenxing.core.scoping import subtree_q
from zhenxing.core.web.filters import ScopedFilterSet

_DATE = forms.DateInput(attrs={"type": "date"})


class AuditEntryFilterSet(ScopedFilterSet):
    actor = django_filters.CharFilter(method="by_actor", label=_("actor"), max_length=150)
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("action"))
    source = django_filters.ChoiceFilter(choices=AuditSource.choices, label=_("channel"))
    model = django_filters.CharFilter(method="by_model", label=_("object type"), max_length=100)
    object_id = django_filters.CharFilter(
        method="by_object_id", label=_("object id"), max_length=64
    )
    region = django_filters.CharFilter(method="by_region", label=_("region code"), max_length=15)
    request_id = django_filters.UUIDFilter(label=_("request id"))
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("from"), widget=_DATE
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("to"), widget=_DATE
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def by_actor(self, qs: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return qs.filter(actor_label__iexact=value.strip())

    def by_model(self, qs: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return qs.filter(content_type__model=value.strip().lower())

    def by_object_id(self, qs: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return qs.filter(object_id=value.strip())

    def by_region(self, qs: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return qs.filter(subtree_q(value.strip(), "region_code"))
