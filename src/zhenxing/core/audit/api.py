"""``/api/v1/audit``: the audit log, for auditors and city administrators, within scope."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zhenxing.core.accounts.roles import can_view_audit_log
from zhenxing.core.audit.filtersets import AuditEntryFilterSet
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.audit.selectors import audit_entries_for
from zhenxing.core.errors import DomainError, Forbidden

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


class AuditFilters(Schema):
    actor: str | None = None
    action: str | None = None
    source: str | None = None
    model: str | None = None
    object_id: str | None = None
    region: str | None = None
    request_id: str | None = None
    since: str | None = None
    until: str | None = None


@router.get("/", response=list[AuditEntryOut], url_name="api_audit_list")
@paginate(LimitOffsetPagination)
def list_audit(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    if not can_view_audit_log(request.user):
        raise Forbidden()
    filterset = AuditEntryFilterSet({k: v for k, v in filters.dict().items() if v})
    if not filterset.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in filterset.errors.items()}
        first_field, messages = next(iter(errors.items()))
        raise DomainError(messages[0], field=first_field, errors=errors)
    return filterset.filter(audit_entries_for(actor=request.user))
