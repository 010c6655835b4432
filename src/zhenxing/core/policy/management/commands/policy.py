"""``zhenxing policy``: every app's yearly policy values — list them with their sources, or
set one from a year (audited).

    zhenxing policy                                   every setting, its values by year, source
    zhenxing policy economy.min_accumulation 2027 250000

A new value is a new row from the year it takes effect, so earlier years keep reading the
values that held then (DESIGN: policy values are data, never code).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenxing.core.audit.context import audit_context
from zhenxing.core.errors import DomainError
from zhenxing.core.policy.registry import settings_by_key
from zhenxing.core.policy.selectors import policy_history
from zhenxing.core.policy.services import policy_set


class Command(BaseCommand):
    help = "List every app's yearly policy values, or set KEY from YEAR to VALUE (audited)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("key", nargs="?", help="a setting's key, e.g. party.term_years")
        parser.add_argument("year", nargs="?", type=int)
        parser.add_argument("value", nargs="?")

    def handle(
        self, *args: Any, key: str | None, year: int | None, value: str | None, **_: Any
    ) -> None:
        declared = settings_by_key()
        if key is None:
            stored: dict[str, list[tuple[int, Any]]] = {}
            for row in policy_history():
                stored.setdefault(row.key, []).append((row.effective_from, row.value.normalize()))
            for name, setting in sorted(declared.items()):
                self.stdout.write(f"{name}  ({setting.kind}; {setting.source or '-'})")
                self.stdout.write(f"    from {setting.since}: {setting.default} (default)")
                for since, amount in stored.get(name, ()):
                    self.stdout.write(f"    from {since}: {amount}")
            return
        if key not in declared:
            raise CommandError(f"No app declares {key!r}; `zhenxing policy` lists them.")
        if year is None or value is None:
            raise CommandError("Give the key, the year it takes effect and the value.")
        with audit_context(source="command"):
            try:
                row = policy_set(actor="policy", key=key, effective_from=year, value=value)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"{key} from {year}: {row.value.normalize()}")
