"""Recording a door-to-door visit, as the phone sends it (possibly long after it was made,
from its offline queue).

The phone makes each visit's ``client_id`` when the worker saves it, so sending it again — a
retry after a lost answer, the queue flushed twice — finds the visit already saved and answers
with it: never a second visit. What the visit changes on the household goes through the
registry's ``household_check_record`` with the household version the phone had read, so a
household someone else changed meanwhile is a conflict the worker sees, never an overwrite.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.services import audit_create
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.policy.selectors import policy_int
from zhenxing.grid import policy
from zhenxing.grid.models import GridHousehold, Visit, VisitPhoto
from zhenxing.grid.rules.visits import (
    MAX_NOTES,
    MAX_PHOTOS,
    check_photo,
    check_visited_at,
    parse_coordinate,
)
from zhenxing.grid.services.figures import figures_count_visit
from zhenxing.registry import services as registry_services

CHECKLIST = registry_services.CHECKLIST


@dataclass(frozen=True)
class VisitResult:
    visit: Visit
    created: bool  # False: this client id was already saved (a retry)


def _checked_values(values: dict[str, Any]) -> dict[str, bool | None]:
    unknown = set(values) - set(CHECKLIST)
    if unknown:
        raise DomainError(
            _("Not a checklist item: %(items)s") % {"items": ", ".join(sorted(unknown))},
            field="values",
        )
    clean: dict[str, bool | None] = {}
    for key, value in values.items():
        if value not in (True, False, None):
            raise DomainError(_("A checklist item is yes, no or unknown."), field=key)
        clean[key] = value
    return clean


def visit_record(
    *,
    actor: Any,
    client_id: uuid.UUID,
    household_id: int,
    visited_at: dt.datetime,
    household_version: int,
    checked: Sequence[str] = (),
    values: dict[str, Any] | None = None,
    notes: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photos: Sequence[UploadedFile] = (),
) -> VisitResult:
    """Save a visit a grid worker made to a household of one of their grids.

    ``checked``: the checklist items looked at; ``values``: the items whose value the worker
    changed (True, False, or None for "unknown"). Refusals (nothing written): not the
    worker's household, a time in the future or past the offline limit, more than three
    photos or one that is not an image or too large, a client id another account used
    (replayed), and — code ``stale`` — a household changed since the phone read it.
    """
    if not has_permission(actor, Visit, "add"):
        raise Forbidden()
    existing = Visit.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _same_visit(actor, existing, household_id)
    now = timezone.now()
    year = timezone.localdate().year
    check_visited_at(visited_at, now, policy_int(policy.OFFLINE_MAX_DAYS, year))
    if len(notes) > MAX_NOTES:
        raise DomainError(
            _("Notes are at most %(n)d characters.") % {"n": MAX_NOTES}, field="notes"
        )
    checked = list(dict.fromkeys(checked))
    if set(checked) - set(CHECKLIST):
        raise DomainError(_("Not a checklist item."), field="checked")
    clean_values = _checked_values(values or {})
    lat = parse_coordinate(latitude, limit=90, field="latitude")
    lng = parse_coordinate(longitude, limit=180, field="longitude")
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("At most %(n)d photos per visit.") % {"n": MAX_PHOTOS}, field="photos")
    max_kb = policy_int(policy.PHOTO_MAX_KB, year)
    kinds = []
    for photo in photos:
        head = photo.read(16)
        photo.seek(0)
        kinds.append(check_photo(photo.name or "photo", head, photo.size or 0, max_kb))
    try:
        with transaction.atomic():
            return _write(
                actor,
                client_id=client_id,
                household_id=household_id,
                visited_at=visited_at,
                household_version=household_version,
                checked=checked,
                values=clean_values,
                notes=notes.strip(),
                position=(lat, lng),
                photos=list(zip(photos, kinds, strict=True)),
            )
    except IntegrityError:
        # The same client id saved by a concurrent retry between our check and our insert.
        existing = Visit.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _same_visit(actor, existing, household_id)


def _same_visit(actor: Any, existing: Visit, household_id: int) -> VisitResult:
    if existing.worker_id != getattr(actor, "pk", None) or existing.household_id != household_id:
        raise DomainError(
            _("This submission was already used for another visit: it is refused as a replay."),
            code="replayed",
            field="client_id",
        )
    return VisitResult(existing, False)


def _write(
    actor: Any,
    *,
    client_id: uuid.UUID,
    household_id: int,
    visited_at: dt.datetime,
    household_version: int,
    checked: list[str],
    values: dict[str, bool | None],
    notes: str,
    position: tuple[Any, Any],
    photos: list[tuple[UploadedFile, str]],
) -> VisitResult:
    membership = (
        GridHousehold.objects.select_for_update()
        .select_related("grid__village")
        .filter(household_id=household_id, grid__posts__worker=actor)
        .first()
    )
    if membership is None:
        raise DomainError(
            _("This household is not in your grids: the visit cannot be saved."),
            field="household",
        )
    grid = membership.grid
    lat, lng = position
    day = timezone.localtime(visited_at).date()
    changes: dict[str, list[Any]] = {}
    if values or lat is not None:
        before = registry_services.household_check_values(household_id=household_id)
        update = dict(values)
        if lat is not None and lng is not None and before.get("latitude") is None:
            # The first visit with a position places the house on the map.
            update |= {"latitude": lat, "longitude": lng}
        household = registry_services.household_check_record(
            actor=actor,
            household_id=household_id,
            values=update,
            checked_on=day,
            seen_version=household_version,
        )
        changes = {
            key: [before.get(key), getattr(household, key)]
            for key in values
            if before.get(key) != getattr(household, key)
        }
    elif checked:
        registry_services.household_check_record(
            actor=actor, household_id=household_id, values={}, checked_on=day, seen_version=None
        )
    visit = Visit.objects.create(
        client_id=client_id,
        household_id=household_id,
        grid=grid,
        village=grid.village,
        county_code=grid.village.code[:6],
        worker=actor,
        visited_at=visited_at,
        checked=checked,
        changes={k: [_plain(a), _plain(b)] for k, (a, b) in changes.items()},
        notes=notes,
        latitude=lat,
        longitude=lng,
        household_version=household_version,
    )
    for photo, kind in photos:
        VisitPhoto.objects.create(visit=visit, file=photo, content_type=kind, size=photo.size or 0)
    previous = membership.last_visited_on
    first_in_month = (
        not Visit.objects.filter(
            household_id=household_id,
            visited_at__gte=_month_start(day),
            visited_at__lt=_month_end(day),
        )
        .exclude(pk=visit.pk)
        .exists()
    )
    if previous is None or day > previous:
        GridHousehold.objects.filter(pk=membership.pk).update(last_visited_on=day)
    figures_count_visit(
        village_id=grid.village_id,
        code=grid.village.code,
        on=day,
        first_ever=previous is None,
        first_in_month=first_in_month,
    )
    audit_create(actor=actor, obj=visit)
    return VisitResult(visit, True)


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool) else str(value)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _month_start(day: dt.date) -> dt.datetime:
    return _aware(day.replace(day=1))


def _month_end(day: dt.date) -> dt.datetime:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return _aware(following)
