"""``{% describe_changes entry as described %}``: an audit entry's changes in the reader's
language, for the log and every object's history (``zhenxing.core.audit.presenters``)."""

from __future__ import annotations

from django import template

from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.audit.presenters import Described, describe_changes

register = template.Library()


@register.simple_tag(name="describe_changes")
def describe_changes_tag(entry: AuditEntry) -> Described:
    return describe_changes(entry)
