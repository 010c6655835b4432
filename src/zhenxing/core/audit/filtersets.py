"""One filter definition for the audit log, used by its page, its export and the API."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhenxing.core.audit.models import AuditAction, AuditEntry, AuditSource
from zhenxing.core.scoping import subtree_q


class AuditEntryFilterSet(forms.Form):
    actor = forms.CharField(label=_("actor"), required=False)
    action = forms.ChoiceField(
        label=_("action"), required=False, choices=[("", "—"), *AuditAction.choices]
    )
    source = forms.ChoiceField(
        label=_("channel"), required=False, choices=[("", "—"), *AuditSource.choices]
    )
    model = forms.CharField(label=_("object type"), required=False)
    object_id = forms.CharField(label=_("object id"), required=False)
    region = forms.CharField(label=_("region code"), required=False)
    request_id = forms.UUIDField(label=_("request id"), required=False)
    since = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, qs: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if not self.is_valid():
            return qs.none()
        data: dict[str, Any] = self.cleaned_data
        if data["actor"]:
            qs = qs.filter(actor_label__iexact=data["actor"].strip())
        if data["action"]:
            qs = qs.filter(action=data["action"])
        if data["source"]:
            qs = qs.filter(source=data["source"])
        if data["model"]:
            qs = qs.filter(content_type__model=data["model"].strip().lower())
        if data["object_id"]:
            qs = qs.filter(object_id=data["object_id"].strip())
        if data["region"]:
            qs = qs.filter(subtree_q(data["region"].strip(), "region_code"))
        if isinstance(data["request_id"], uuid.UUID):
            qs = qs.filter(request_id=data["request_id"])
        if data["since"]:
            qs = qs.filter(at__date__gte=data["since"])
        if data["until"]:
            qs = qs.filter(at__date__lte=data["until"])
        return qs
