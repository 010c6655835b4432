"""Choice fields that stay usable from a city to a province.

A form on a township's page picks a village from a short list. The same form on the city's
page lists 505 villages and communities, and on a province's 15,000: a select that size is
megabytes of HTML and no use on a phone. Past ``CHOICES_LIMIT`` the field becomes a text box
for the region's division code, checked against the same scoped queryset, so scope holds
exactly as with the list; the help text says so and points to the township's page, where
the list is short.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

#: The most options a select shows: a city's villages and communities (505 in the demo city)
#: still fit, a province's 15,000 do not.
CHOICES_LIMIT = 1000


#: What a field that lists nothing says (``limited_choices`` past its limit).
TOO_MANY_TO_LIST = gettext_lazy(
    "Too many to list here: open a township's page to choose from its list."
)


def at_most(queryset: Any, limit: int | None = None) -> bool:
    """Whether ``queryset`` holds at most ``limit`` rows (``CHOICES_LIMIT``), counted no
    further than one past it."""
    limit = CHOICES_LIMIT if limit is None else limit
    return bool(queryset.order_by()[: limit + 1].count() <= limit)


def region_choices(field: Any, queryset: Any, *, limit: int | None = None) -> None:
    """Give the region field ``field`` the choices ``queryset`` (regions in the reader's
    scope): a select while there are at most ``limit`` (``CHOICES_LIMIT``), else a box for
    the division code."""
    field.queryset = queryset
    if at_most(queryset, limit):
        return
    field.to_field_name = "code"
    field.widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6,15}"}
    )
    field.help_text = gettext_lazy(
        "Too many to list here: enter the division code, or open a township's page to pick "
        "from its list."
    )
    field.error_messages = {
        **field.error_messages,
        "invalid_choice": gettext_lazy("No region in your jurisdiction has this code."),
    }


def limited_choices(field: Any, queryset: Any, *, limit: int | None = None) -> bool:
    """Give ``field`` the choices ``queryset`` if there are at most ``limit``; else none, a
    help text that says to open a township's page, where the list is short, and False."""
    if at_most(queryset, limit):
        field.queryset = queryset
        return True
    field.queryset = queryset.none()
    field.help_text = TOO_MANY_TO_LIST
    return False
