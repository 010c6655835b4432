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
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

#: The most options a select shows: a city's villages and communities (505 in the demo city)
#: still fit, a province's 15,000 do not.
CHOICES_LIMIT = 1000


#: What a field that lists nothing says (``limited_choices`` past its limit).
TOO_MANY_TO_LIST = gettext_lazy(
    "Too many to list here: open a township's page to choose from its list."
)


class _InPython:
    """Options written out in Python, the markup Django's widget templates give: Django
    renders each option through its own template, and a city's 500 villages or 400 open
    orders took most of a third of a second to render."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        return self._markup(widget)

    def _markup(self, widget: dict[str, Any]) -> SafeString:
        raise NotImplementedError


class QuickSelect(_InPython, forms.Select):
    """``forms.Select``, rendered in Python."""

    def _markup(self, widget: dict[str, Any]) -> SafeString:
        def option(o: dict[str, Any]) -> SafeString:
            return format_html(
                '<option value="{}"{}>{}</option>', o["value"], flatatt(o["attrs"]), o["label"]
            )

        parts = []
        for group, options, _index in widget["optgroups"]:
            inner = mark_safe("".join(option(o) for o in options))  # noqa: S308 (escaped above)
            if group:
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, inner))
            else:
                parts.append(inner)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 (escaped above)
        )


class QuickCheckboxes(_InPython, forms.CheckboxSelectMultiple):
    """``forms.CheckboxSelectMultiple``, rendered in Python."""

    def _markup(self, widget: dict[str, Any]) -> SafeString:
        boxes = format_html_join(
            "",
            '<div><label{}><input type="checkbox" name="{}" value="{}"{}> {}</label></div>',
            (
                (
                    flatatt({"for": o["attrs"]["id"]}) if o["attrs"].get("id") else "",
                    o["name"],
                    o["value"],
                    flatatt(o["attrs"]),
                    o["label"],
                )
                for _group, options, _index in widget["optgroups"]
                for o in options
            ),
        )
        wrapper = {k: widget["attrs"][k] for k in ("id", "class") if widget["attrs"].get(k)}
        return format_html("<div{}>{}</div>", flatatt(wrapper), boxes)


def _quick(field: Any) -> None:
    """Render ``field``'s list in Python. The widget is the form's own copy (a form copies
    its fields' widgets), so it changes class in place and keeps its choices and attributes."""
    quick = {forms.Select: QuickSelect, forms.CheckboxSelectMultiple: QuickCheckboxes}
    if (cls := quick.get(type(field.widget))) is not None:
        field.widget.__class__ = cls


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
        _quick(field)
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
        _quick(field)
        return True
    field.queryset = queryset.none()
    field.help_text = TOO_MANY_TO_LIST
    return False
