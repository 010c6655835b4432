"""What an audit entry's ``changes`` say, in the reader's words.

Entries store field keys and plain values (``{"labour_count": [2, 3], "sex": [None, "M"]}``)
because they must stay exact and outlive every wording; this module turns them into labels at
render time, from the model of the entry's content type, in the language active while the page
renders: a field's verbose name, a choice's label, a boolean as yes or no, a foreign key as the
label stored with it. Every page that shows entries (the log, each object's history) and the
log's export read entries through ``describe_changes``, so the wording lives in one place.

A key that is no field of the model (``lines`` on a voucher, ``introducers``) keeps its key; a
key such as ``id_number`` names the stored form of a field it stands for (``id_number_masked``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhenxing.core.audit.models import AuditAction, AuditEntry

#: Shown for a value that was not set (before a creation, after a deletion).
EMPTY = "∅"

#: The suffixes of the stored forms a field's key may stand for (``id_number`` → the masked
#: ``id_number_masked``, whose verbose name is "ID number").
_STORED_FORMS = ("_masked", "_encrypted", "_hash")

#: Entries that name what was read or exported rather than what changed.
_REVEALS: dict[str, str] = {
    AuditAction.VIEW_SENSITIVE: "view",
    AuditAction.EXPORT_SENSITIVE: "export",
}


@dataclass(frozen=True)
class Change:
    """One line of an entry: a field's label and its value before and after, as shown.
    ``before`` is None for a value that is not a before → after pair (a token's user)."""

    key: str
    label: str
    before: str | None
    after: str


@dataclass(frozen=True)
class Described:
    """An entry in words: a sentence (for a reveal), or its changed fields, or neither."""

    sentence: str = ""
    changes: tuple[Change, ...] = ()

    def __str__(self) -> str:
        if self.sentence:
            return self.sentence
        return "; ".join(
            f"{c.label}: {c.after}" if c.before is None else f"{c.label}: {c.before} → {c.after}"
            for c in self.changes
        )

    def __bool__(self) -> bool:
        return bool(self.sentence or self.changes)


def describe_changes(entry: AuditEntry) -> Described:
    """``entry.changes`` in the active language (see the module docstring)."""
    changes = entry.changes or {}
    if not changes or entry.action == AuditAction.BULK_CREATE:
        return Described()  # a bulk entry's ids: its object text says how many
    model = _model_of(entry)
    reveal = _REVEALS.get(entry.action)
    if reveal and isinstance(changes.get("fields"), list):
        names = join_words([field_label(model, str(key)) for key in changes["fields"]])
        if reveal == "view":
            return Described(sentence=_("viewed the %(fields)s") % {"fields": names})
        return Described(sentence=_("exported the %(fields)s") % {"fields": names})
    lines = []
    for key, value in changes.items():
        field = _field(model, key)
        label = field_label(model, key)
        if isinstance(value, list) and len(value) == 2:
            before = value_label(field, value[0])
            lines.append(Change(key, label, before, value_label(field, value[1])))
        else:
            lines.append(Change(key, label, None, value_label(field, value)))
    return Described(changes=tuple(lines))


def join_words(words: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the active language (``a、b和c`` in Chinese)."""
    items = [w for w in words if w]
    if len(items) < 2:
        return "".join(items)
    head = separator().join(items[:-1])
    return pgettext("list", "%(items)s and %(last)s") % {"items": head, "last": items[-1]}


def separator() -> str:
    """Between the items of a list: ", " in English, "、" in Chinese."""
    return pgettext("list", ", ")


def field_label(model: type[models.Model] | None, key: str) -> str:
    """A field's verbose name in the active language, or its key if the model has none."""
    field = _field(model, key)
    name = getattr(field, "verbose_name", None)
    return str(name) if name else key


def value_label(field: Any, value: Any) -> str:
    """A stored value as shown: a choice's label, yes or no, a list joined, else its text."""
    if value is None or (value == "" and not getattr(field, "choices", None)):
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return separator().join(_list_item(field, v) for v in value) or EMPTY
    choices = getattr(field, "flatchoices", None)
    if choices:
        for choice, label in choices:
            if str(choice) == str(value):
                return str(label)
    return str(value)


def _list_item(field: Any, value: Any) -> str:
    if isinstance(value, list):  # a voucher's lines: [account, debit, credit]
        return " ".join(str(v) for v in value)
    return value_label(field, value)


def _model_of(entry: AuditEntry) -> type[models.Model] | None:
    # The content type is selected with the entry (``audit_entries_for``): no query here.
    return entry.content_type.model_class() if entry.content_type_id else None


def _field(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    for name in (key, *(key + suffix for suffix in _STORED_FORMS)):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None
