"""``/api/v1/audit``: the audit log, for auditors and city administrators, within scope."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zhenxing.core.api import Pagination, api_list, api_require, api_user, filter_params
from zhenxing.core.audit.filtersets import AuditEntryFilterSet
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.audit.permissions import AUDIT_VIEW
from zhenxing.core.audit.selectors import audit_entries_for

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    request_id: uuid.UUID
    actor: str
    ip: str | None
    source: str
    action: str
    object_type: str
    object_id: str
    object: str
    region_code: str
    changes: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> str:
        return obj.actor_label

    @staticmethod
    def resolve_object_type(obj: AuditEntry) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_object(obj: AuditEntry) -> str:
        return obj.object_repr


AuditParams = filter_params(AuditEntryFilterSet)


@router.get("/", response=list[AuditEntryOut], url_name="api_audit_list")
@paginate(Pagination)
def list_audit(request: HttpRequest, filters: Query[AuditParams]) -> Any:  # type: ignore[valid-type]
    """The audit log of the caller's subtree, newest first, filtered like its page."""
    api_require(request, AUDIT_VIEW)
    return api_list(request, AuditEntryFilterSet, audit_entries_for(actor=api_user(request)))
