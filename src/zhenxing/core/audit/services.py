"""Writing the audit log. Services call these inside their own transaction, so the audit row
commits or rolls back with the change it describes."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from zhenxing.core.audit.context import AuditContext, current
from zhenxing.core.audit.models import AuditAction, AuditEntry, county_code_of
from zhenxing.core.bulk import BulkInsert

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Sequence[str] | None = None) -> Snapshot:
    """The audited fields' current values, JSON-ready (foreign keys by their label)."""
    names = fields or getattr(obj, "AUDITED_FIELDS", None)
    if not names:
        names = [f.name for f in obj._meta.concrete_fields if f.name != "id"]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields that changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def region_code_of(obj: models.Model) -> str:
    """The code of the region an object belongs to, stored on the entry for scoping."""
    path = getattr(obj, "scope_region_field", None)
    if path == "":
        return str(getattr(obj, "code", ""))
    if path:
        target: Any = obj
        for part in path.split("__"):
            target = getattr(target, part, None)
            if target is None:
                return ""
        return target.code if hasattr(target, "code") else str(target)
    return ""


def _actor(actor: Any) -> tuple[Any, str]:
    """The acting user (or None for a command or loader) and the label stored with the entry."""
    actor_obj = actor if getattr(actor, "pk", None) else None
    label = actor_obj.get_username() if actor_obj else (str(actor) if actor else "system")
    return actor_obj, label


def _entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any],
    region_code: str | None,
    ctx: AuditContext | None = None,
) -> AuditEntry:
    ctx = ctx or current()
    actor_obj, label = _actor(actor)
    code = region_code if region_code is not None else region_code_of(obj)
    return AuditEntry(
        request_id=ctx.request_id,
        actor=actor_obj,
        actor_label=label,
        ip=ctx.ip,
        source=ctx.source,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        region_code=code,
        county_code=county_code_of(code),
        changes=changes,
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    region_code: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` is a user, or a label such as ``"load_divisions"``."""
    entry = _entry(
        actor=actor, action=action, obj=obj, changes=changes or {}, region_code=region_code
    )
    entry.save()
    return entry


def audit_create(*, actor: Any, obj: models.Model) -> AuditEntry:
    after = snapshot(obj)
    changes = {k: [None, v] for k, v in after.items() if v not in (None, "")}
    return audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=changes)


def audit_update(*, actor: Any, obj: models.Model, before: Snapshot) -> AuditEntry | None:
    """Record an update if anything audited changed; nothing changed, nothing recorded."""
    changes = diff(before, snapshot(obj, list(before)))
    if not changes:
        return None
    return audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)


def audit_delete(*, actor: Any, obj: models.Model, before: Snapshot) -> AuditEntry:
    changes = {k: [v, None] for k, v in before.items() if v not in (None, "")}
    return audit_record(actor=actor, action=AuditAction.DELETE, obj=obj, changes=changes)


def audit_bulk(
    *, actor: Any, items: Iterable[tuple[str, models.Model, dict[str, Any]]]
) -> list[AuditEntry]:
    """Many entries in one INSERT, for imports and loaders: ``(action, obj, changes)``."""
    # One context for the whole batch: outside a request, current() would mint an id per call.
    ctx = current()
    entries = [
        _entry(actor=actor, action=action, obj=obj, changes=changes, region_code=None, ctx=ctx)
        for action, obj, changes in items
    ]
    return AuditEntry.objects.bulk_create(entries, batch_size=500)


#: The columns of an entry written as a plain row (``audit_rows``, ``audit_created_in_bulk``).
_ROW_COLUMNS = (
    "request_id",
    "actor",
    "actor_label",
    "ip",
    "source",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "region_code",
    "county_code",
    "changes",
)


def audit_rows(
    *,
    actor: Any,
    model: type[models.Model],
    items: Iterable[tuple[str, Any, str, str, dict[str, Any]]],
) -> int:
    """Many entries for one model as plain rows, for imports of millions of rows:
    ``(action, object id, object repr, region code, changes)``. One context (request id,
    address, channel) for all of them; written by ``COPY``/``executemany``, not per row."""
    # Built before writing: on PostgreSQL the connection is busy while COPY runs, so an item
    # that lazily loads a related object (a query) would wait for the COPY forever.
    items = list(items)
    if not items:
        return 0  # most of an import's batches change nothing registered: no empty COPY
    ctx = current()
    actor_obj, label = _actor(actor)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    insert = BulkInsert(AuditEntry, _ROW_COLUMNS)
    head = (ctx.request_id, actor_obj.pk if actor_obj else None, label, ctx.ip, ctx.source)
    return insert.write(
        (*head, action, content_type, str(pk), text[:255], region, county_code_of(region), changes)
        for action, pk, text, region, changes in items
    )


#: At most this many ids in one bulk-creation entry (a JSON list of a few tens of kilobytes).
BULK_IDS_PER_ENTRY = 5000


def audit_created_in_bulk(
    *, actor: Any, model: type[models.Model], at: dt.datetime, created: dict[str, list[int]]
) -> int:
    """Objects an import created, as one entry per region (of at most ``BULK_IDS_PER_ENTRY``)
    listing their ids, instead of one entry per object: ``created`` maps a region code to the
    ids created there. Returns how many entries were written.

    Why not an entry per object: for the million persons of a county that doubles what the
    import writes (an audit row costs about what the person's row costs), and the entry would
    repeat the row it describes. What an auditor needs is kept: who created the objects, when,
    through which request, and in which region; every later change records the value it
    replaced, so the values an import set can always be recovered. ``at`` must be the objects'
    ``created_at``: ``object_history`` finds an object's bulk entry through it.
    """
    ctx = current()
    actor_obj, label = _actor(actor)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    name = str(model._meta.verbose_name)
    items = []
    for region, ids in created.items():
        for start in range(0, len(ids), BULK_IDS_PER_ENTRY):
            part = ids[start : start + BULK_IDS_PER_ENTRY]
            # The object id holds the range of ids listed, so that an object's history reads
            # only the entries whose range holds it (``object_history``).
            items.append(
                (f"{min(part)}-{max(part)}", f"{name} × {len(part)}", region, {"ids": part})
            )
    insert = BulkInsert(AuditEntry, ["at", *_ROW_COLUMNS])
    head = (at, ctx.request_id, actor_obj.pk if actor_obj else None, label, ctx.ip, ctx.source)
    return insert.write(
        (
            *head,
            AuditAction.BULK_CREATE,
            content_type,
            span,
            text,
            region,
            county_code_of(region),
            changes,
        )
        for span, text, region, changes in items
    )
