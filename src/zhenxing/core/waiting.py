"""What waits for a user, for the home page, without core importing the apps above it.

Core sits below every app, so the home page may not ask the economy for drafts or the party
for overdue steps; instead each app registers a provider in its ``AppConfig.ready()``::

    from zhenxing.core.waiting import register_waiting

    register_waiting("vouchers", vouchers_waiting, position=10)

``vouchers_waiting(*, actor)`` lives in the app's selectors (the rule of what waits is the
app's) and returns the :class:`WaitingItem` rows to show, none when nothing waits or the role
has nothing to do with it. Providers read counts through indexes or small tables: the home
page is the page everyone opens first, at the scale of a city of 1.2 million persons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WaitingItem:
    """One line of the home page's list: what waits, how many, and where to deal with it."""

    key: str  # a stable name (the page's ``data-waiting`` attribute; tests find it by it)
    label: str  # already in the reader's language
    count: int
    url: str
    alert: bool = False  # something went wrong (a failed import): shown as an error


Provider = Callable[..., Iterable[WaitingItem]]


@dataclass(frozen=True)
class _Registered:
    position: int
    provider: Provider


_PROVIDERS: dict[str, _Registered] = {}


def register_waiting(name: str, provider: Provider, *, position: int = 100) -> None:
    """Ask ``provider(actor=)`` for the home page's waiting items; lower ``position`` first.
    Registering a name again replaces it (Django may call ``ready()`` more than once)."""
    _PROVIDERS[name] = _Registered(position, provider)


def waiting_for(*, actor: Any) -> list[WaitingItem]:
    """Every registered provider's items for ``actor``, in the providers' order."""
    if getattr(actor, "region", None) is None:
        return []  # an account bound to no region sees nothing anywhere
    items: list[WaitingItem] = []
    for _name, registered in sorted(_PROVIDERS.items(), key=lambda kv: kv[1].position):
        items.extend(registered.provider(actor=actor))
    return items


__all__ = ["Provider", "WaitingItem", "register_waiting", "waiting_for"]
