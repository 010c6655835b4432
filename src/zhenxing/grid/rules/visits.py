"""Checks on a visit as the phone sent it, pure (no queries)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError

MAX_PHOTOS = 3
MAX_NOTES = 2000
#: The image types a phone's camera or gallery gives, by their first bytes.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"RIFF", "image/webp"),  # RIFF....WEBP, checked below
)


def image_type(head: bytes) -> str | None:
    """The image type a file's first bytes say, or None if they are not JPEG, PNG or WebP
    (the name and the browser's content type are not trusted)."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            if kind == "image/webp" and head[8:12] != b"WEBP":
                return None
            return kind
    return None


def check_photo(name: str, head: bytes, size: int, max_kb: int) -> str:
    kind = image_type(head)
    if kind is None:
        raise DomainError(
            _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name}, field="photos"
        )
    if size > max_kb * 1024:
        raise DomainError(
            _("%(name)s is larger than %(kb)s KB.") % {"name": name, "kb": max_kb},
            field="photos",
        )
    return kind


def check_visited_at(visited_at: dt.datetime, now: dt.datetime, max_days: int) -> None:
    """A visit is not in the future (a few minutes of clock drift allowed) and not older than
    the offline limit: an item that sat in a phone's queue for months is stale."""
    if visited_at > now + dt.timedelta(minutes=10):
        raise DomainError(_("The visit's time is in the future."), field="visited_at")
    if visited_at < now - dt.timedelta(days=max_days):
        raise DomainError(
            _("The visit was recorded more than %(days)d days ago: too late to send.")
            % {"days": max_days},
            field="visited_at",
        )


def parse_coordinate(value: object, *, limit: int, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("Not a coordinate."), field=field) from None
    if not number.is_finite() or abs(number) > limit:
        raise DomainError(_("Not a coordinate."), field=field)
    return number.quantize(Decimal("0.000001"))
