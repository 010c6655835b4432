from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhenxing.core.audit.context import audit_context
from zhenxing.core.regions.loaders import divisions_load, upsert_regions
from zhenxing.core.regions.models import Region
from zhenxing.demo.accounts import COUNTY, demo_accounts_upsert, demo_password
from zhenxing.demo.regions import demo_region_specs


class Command(BaseCommand):
    help = "Load the demo city (盘州市): official townships, synthetic villages, demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context(source="command"):
            divisions_load(actor="demo", county_code=COUNTY)
            county = Region.objects.get(code=COUNTY)
            result = upsert_regions(actor="demo", specs=demo_region_specs(county))
            password = demo_password()
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(
                    "ZHENXING_DEMO_PASSWORD is too weak: " + " ".join(exc.messages)
                ) from exc
            logins = demo_accounts_upsert(password)
        self.stdout.write(
            f"Demo city {county.name}: {result.created} regions created, "
            f"{result.unchanged} already there."
        )
        self.stdout.write(f"Demo logins (password for all: {password})")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<9} {login.role:<17} {login.region.name} ({login.region.code})"
            )
