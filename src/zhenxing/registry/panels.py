"""What apps above the registry add to a person's or a household's page, without the registry
importing them.

The registry sits below economy and party, so it may not read their models; instead an app
registers a panel in its ``AppConfig.ready()``::

    from zhenxing.registry.panels import register_person_panel

    register_person_panel("party/_person_panel.html", person_panel_context)

``person_panel_context(*, actor, person)`` returns the template's context (read through the
app's own scoped selectors), or None to show nothing; the template reads it as ``panel``. The
person page includes each panel's template inside its facts list (``<dl>``), in the order the
apps registered them. ``register_household_panel(template, context)`` does the same for the
household page (``context(*, actor, household)``), below its members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonPanel:
    template: str
    context: Callable[..., dict[str, Any] | None]


_PERSON_PANELS: dict[str, PersonPanel] = {}


def register_person_panel(template: str, context: Callable[..., dict[str, Any] | None]) -> None:
    """Show ``template`` on every person's page, with ``context(actor=, person=)``."""
    _PERSON_PANELS[template] = PersonPanel(template, context)


def person_panels(*, actor: Any, person: Any) -> list[tuple[str, dict[str, Any]]]:
    """``(template, context)`` of each registered panel that has something to show."""
    shown = []
    for panel in _PERSON_PANELS.values():
        context = panel.context(actor=actor, person=person)
        if context is not None:
            shown.append((panel.template, context))
    return shown


_HOUSEHOLD_PANELS: dict[str, PersonPanel] = {}


def register_household_panel(template: str, context: Callable[..., dict[str, Any] | None]) -> None:
    """Show ``template`` on every household's page, with ``context(actor=, household=)``."""
    _HOUSEHOLD_PANELS[template] = PersonPanel(template, context)


def household_panels(*, actor: Any, household: Any) -> list[tuple[str, dict[str, Any]]]:
    """``(template, context)`` of each registered household panel with something to show."""
    shown = []
    for panel in _HOUSEHOLD_PANELS.values():
        context = panel.context(actor=actor, household=household)
        if context is not None:
            shown.append((panel.template, context))
    return shown
