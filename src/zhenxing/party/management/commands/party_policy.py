"""``zhenxing party_policy``: list the party-building settings in force, or set one from a year.

The pipeline's intervals and the targets are yearly policy values (``party.policy`` declares
them, ``core.policy`` stores them; DESIGN: policy values are data). A new policy is a new row
from the year it takes effect, so earlier years keep reading the values that held then; the
change is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenxing.core.audit.context import audit_context
from zhenxing.core.errors import DomainError
from zhenxing.core.policy.selectors import policy_history
from zhenxing.core.policy.services import policy_set
from zhenxing.party.policy import SETTINGS

PREFIX = "party."
#: The settings by the short name the command takes (``talk_within_months``).
NAMES = {s.key.removeprefix(PREFIX): s for s in SETTINGS}


class Command(BaseCommand):
    help = (
        "List the party-building settings (pipeline intervals, targets), or set KEY from YEAR "
        "to VALUE."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("key", nargs="?", choices=sorted(NAMES))
        parser.add_argument("year", nargs="?", type=int)
        parser.add_argument("value", nargs="?", type=int)

    def handle(
        self, *args: Any, key: str | None, year: int | None, value: int | None, **_: Any
    ) -> None:
        if key is None:
            stored: dict[str, list[tuple[int, int]]] = {}
            for row in policy_history():
                if row.key.startswith(PREFIX):
                    stored.setdefault(row.key, []).append((row.effective_from, int(row.value)))
            for name, setting in sorted(NAMES.items()):
                rows = stored.get(setting.key)
                if not rows:
                    self.stdout.write(
                        f"{name:34} from {setting.since}: {int(setting.default)} (default)"
                    )
                for since, amount in rows or ():
                    self.stdout.write(f"{name:34} from {since}: {amount}")
            return
        if year is None or value is None:
            raise CommandError("Give the key, the year it takes effect and the value.")
        if not 2000 <= year <= 2100 or value < 0:
            raise CommandError("The year is between 2000 and 2100 and the value not negative.")
        with audit_context(source="command"):
            try:
                policy_set(
                    actor="party_policy", key=NAMES[key].key, effective_from=year, value=value
                )
            except DomainError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"{key} from {year}: {value}")
