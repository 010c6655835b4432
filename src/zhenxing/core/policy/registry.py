"""The settings every app declares in its ``policy.py``, composed through Django's app registry
(core names no app above it)."""

from __future__ import annotations

import functools
import importlib
import importlib.util
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils.functional import Promise

#: How a value is read and shown: a count or interval, money in yuan, or a percentage.
KINDS = ("int", "money", "percent")


@dataclass(frozen=True)
class Setting:
    """A yearly policy value an app reads: its key (``<app>.<name>``), label, default, kind and
    the text it comes from (cited, so an auditor can check it)."""

    key: str
    label: str | Promise
    default: Decimal | int
    kind: str = "int"
    source: str = ""
    since: int = 2000

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: kind must be one of {KINDS}")
        if "." not in self.key:
            raise ValueError(f"{self.key}: key must be '<app>.<name>'")


@functools.cache
def settings_by_key() -> dict[str, Setting]:
    """Every installed app's ``policy.SETTINGS``, by key."""
    found: dict[str, Setting] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("zhenxing."):
            continue
        name = f"{config.name}.policy"
        # The core app's ``policy`` is this package itself, not a declaration.
        if name == __package__ or importlib.util.find_spec(name) is None:
            continue
        for setting in importlib.import_module(name).SETTINGS:
            if setting.key in found:
                raise ValueError(f"policy setting {setting.key} declared twice")
            found[setting.key] = setting
    return found


def setting(key: str) -> Setting:
    try:
        return settings_by_key()[key]
    except KeyError:
        raise LookupError(f"no app declares the policy setting {key!r}") from None
