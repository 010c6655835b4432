from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenxing.core.audit.context import audit_context
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.loaders import divisions_load


class Command(BaseCommand):
    help = "Load a county-level city and its official townships (e.g. --county 520281, 盘州市)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", required=True, help="6-digit county-level division code")

    def handle(self, *args: Any, county: str, **options: Any) -> None:
        with audit_context(source="command"):
            try:
                result = divisions_load(actor="load_divisions", county_code=county)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"{county}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
