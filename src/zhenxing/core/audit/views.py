"""Browsing and exporting the audit log: auditors and city administrators, within scope."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from zhenxing.core.audit.filtersets import AuditEntryFilterSet
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.audit.permissions import AUDIT_VIEW
from zhenxing.core.audit.presenters import describe_changes
from zhenxing.core.audit.selectors import audit_entries_for
from zhenxing.core.web.export import Column
from zhenxing.core.web.pagination import UncountedPaginator
from zhenxing.core.web.views import EXPORT_PERMISSION, ExportMixin, ScopedListView


class AuditListView(ExportMixin, ScopedListView):  # type: ignore[misc]
    """The log of the reader's subtree, filtered; ``?format=xlsx|csv`` exports the filtered
    entries (which also needs the ``export`` permission)."""

    permission = AUDIT_VIEW
    filterset_class = AuditEntryFilterSet
    template_name = "audit/audit_list.html"
    context_object_name = "entries"
    # The log runs to millions of rows: pages say "page N" with previous and next, and the
    # filters narrow it, rather than counting every entry in scope on each request.
    paginator_class = UncountedPaginator

    def get_base_queryset(self) -> QuerySet[AuditEntry]:
        return audit_entries_for(actor=self.actor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("format", None)
        return context | {
            "filterset": self.filterset,
            "entries": context["page_obj"],
            "query": params.urlencode(),
            "can_export": self.can(EXPORT_PERMISSION),
        }

    def export_columns(self) -> list[Column]:
        return [
            Column("at", _("time"), 20),
            Column("actor", _("actor"), 14),
            Column("ip", _("IP address"), 16),
            Column("source", _("channel"), 10),
            Column("action", _("action"), 10),
            Column("type", _("object type"), 12),
            Column("object", _("object"), 28),
            Column("region", _("region code"), 16),
            Column("changes", _("changes"), 60),
            Column("stored", _("changes as stored"), 60),
            Column("request_id", _("request id"), 38),
        ]

    def export_rows(self, queryset: Any) -> Iterable[dict[str, Any]]:
        return (
            {
                "at": e.at.astimezone(),
                "actor": e.actor_label,
                "ip": e.ip,
                "source": e.get_source_display(),
                "action": e.get_action_display(),
                "type": e.content_type.model,
                "object": e.object_repr,
                "region": e.region_code,
                # In the reader's words, and exactly as stored (keys and raw values).
                "changes": str(describe_changes(e)),
                "stored": json.dumps(e.changes, ensure_ascii=False),
                "request_id": str(e.request_id),
            }
            for e in queryset.iterator(chunk_size=2000)
        )

    def export_filename(self) -> str:
        return "audit-log"

    def export_response(self, queryset: Any) -> HttpResponseBase:
        self.export_sheet = _("Audit log")  # type: ignore[misc]  # in the reader's language
        return super().export_response(queryset)


class AuditExportView(AuditListView):
    """The export URL of the log (``/audit/export/``): always the file."""

    def wants_export(self) -> bool:
        return True


audit_list: Any = AuditListView.as_view()
audit_export: Any = AuditExportView.as_view()
