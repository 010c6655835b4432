"""``zhenxing party_policy``: list the party-building settings in force, or set one from a year.

The pipeline's intervals and the targets are ``PartyPolicy`` rows by the year they take effect
(DESIGN: policy values are data). A new policy is a new row, so earlier years keep reading the
values that held then; the change is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhenxing.core.audit.context import audit_context
from zhenxing.core.audit.services import audit_create, audit_update, snapshot
from zhenxing.party.models import PartyPolicy


class Command(BaseCommand):
    help = (
        "List the party-building settings (pipeline intervals, targets), or set KEY from YEAR "
        "to VALUE."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("key", nargs="?", choices=PartyPolicy.Key.values)
        parser.add_argument("year", nargs="?", type=int)
        parser.add_argument("value", nargs="?", type=int)

    def handle(
        self, *args: Any, key: str | None, year: int | None, value: int | None, **_: Any
    ) -> None:
        if key is None:
            for row in PartyPolicy.objects.order_by("key", "effective_from"):
                self.stdout.write(f"{row.key:34} from {row.effective_from}: {row.value}")
            return
        if year is None or value is None:
            raise CommandError("Give the key, the year it takes effect and the value.")
        if not 2000 <= year <= 2100 or value < 0:
            raise CommandError("The year is between 2000 and 2100 and the value not negative.")
        with audit_context(source="command"), transaction.atomic():
            existing = PartyPolicy.objects.filter(key=key, effective_from=year).first()
            if existing is None:
                created = PartyPolicy.objects.create(key=key, effective_from=year, value=value)
                audit_create(actor="party_policy", obj=created)
            else:
                before = snapshot(existing)
                existing.value = value
                existing.save(update_fields=["value"])
                audit_update(actor="party_policy", obj=existing, before=before)
        self.stdout.write(f"{key} from {year}: {value}")
