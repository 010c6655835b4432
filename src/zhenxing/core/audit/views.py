"""Browsing and exporting the audit log: auditors and city administrators, within scope."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import can_view_audit_log
from zhenxing.core.audit.filtersets import AuditEntryFilterSet
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.audit.selectors import audit_entries_for
from zhenxing.core.errors import Forbidden
from zhenxing.core.views import paginate, raise_http
from zhenxing.core.web.export import Column, table_response


def _entries(request: HttpRequest):
    if not can_view_audit_log(request.user):
        raise_http(Forbidden())
    filterset = AuditEntryFilterSet(request.GET or None)
    qs: QuerySet[AuditEntry] = audit_entries_for(actor=request.user)
    if request.GET:
        qs = filterset.filter(qs)
    return filterset, qs


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    filterset, qs = _entries(request)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "audit/audit_list.html",
        {"filterset": filterset, "entries": paginate(request, qs), "query": params.urlencode()},
    )


@login_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    _filterset, qs = _entries(request)
    columns = [
        Column("at", _("time"), 20),
        Column("actor", _("actor"), 14),
        Column("ip", _("IP address"), 16),
        Column("source", _("channel"), 10),
        Column("action", _("action"), 10),
        Column("type", _("object type"), 12),
        Column("object", _("object"), 28),
        Column("region", _("region code"), 16),
        Column("changes", _("changes"), 60),
        Column("request_id", _("request id"), 38),
    ]
    rows = (
        {
            "at": e.at.astimezone(),
            "actor": e.actor_label,
            "ip": e.ip,
            "source": e.get_source_display(),
            "action": e.get_action_display(),
            "type": e.content_type.model,
            "object": e.object_repr,
            "region": e.region_code,
            "changes": json.dumps(e.changes, ensure_ascii=False),
            "request_id": str(e.request_id),
        }
        for e in qs.iterator(chunk_size=2000)
    )
    return table_response(
        fmt=request.GET.get("format", "xlsx"),
        columns=columns,
        rows=rows,
        filename="audit-log",
        sheet=_("Audit log"),
    )
