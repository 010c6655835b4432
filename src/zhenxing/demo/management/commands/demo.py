from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhenxing.core.accounts.models import User
from zhenxing.core.audit.context import audit_context
from zhenxing.core.regions.loaders import divisions_load, upsert_regions
from zhenxing.core.regions.models import Region
from zhenxing.demo.accounts import COUNTY, TOWNSHIP, demo_accounts_upsert, demo_password
from zhenxing.demo.regions import demo_region_specs
from zhenxing.economy.demo import demo_distribution_load, demo_economy_load
from zhenxing.grid.demo import demo_grid_load
from zhenxing.party.demo import demo_party_load
from zhenxing.registry.demo import SCALES, demo_registry_load


class Command(BaseCommand):
    help = (
        "Load the demo city (盘州市): official townships, synthetic villages, households and "
        "residents, demo logins."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale",
            choices=[*SCALES, "none"],
            default="small",
            help="Households and residents to generate: small (a few per villager group, the "
            "default), full (about 300,000 households, 1.2 million persons) or none.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
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
            self.stdout.write(
                f"Demo city {county.name}: {result.created} regions created, "
                f"{result.unchanged} already there."
            )
            self._registry(scale)
            self._economy(scale)
            logins = demo_accounts_upsert(password)
            if scale != "none":
                # Shares and plans need the households and the demo logins.
                shared = demo_distribution_load()
                if shared["shareholdings"]:
                    self.stdout.write(
                        f"Shares: {shared['shareholdings']:,} member households; "
                        f"{shared['plans']} distribution plans in the demo village."
                    )
                self._party()
                self._grid()
        self.stdout.write(f"Demo logins (password for all: {password})")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<10} {login.role:<17} {login.region.name} ({login.region.code})"
            )

    def _grid(self) -> None:
        started = time.monotonic()
        city = User.objects.get(username="city")
        filled = demo_grid_load(actor=city)
        self.stdout.write(
            f"Grids: {filled['grids']:,} grids, {filled['visits']:,} visits, "
            f"{filled['contracts']:,} purchased-services contracts "
            f"({time.monotonic() - started:.0f} s)."
        )

    def _registry(self, scale: str) -> None:
        if scale == "none":
            self.stdout.write("Registry: skipped (--scale none).")
            return
        if not settings.DATA_KEY:
            # ID numbers and phones are stored encrypted: without a key there is nothing to do.
            self.stderr.write(
                "Registry: skipped, DATA_KEY is not set (set DATA_KEY or DATA_KEY_FILE)."
            )
            return
        filled = demo_registry_load(scale=scale, stdout=self.stdout)
        self.stdout.write(
            f"Registry ({scale}): {filled['households']:,} households and "
            f"{filled['persons']:,} persons created in {filled['seconds']:.1f} s "
            f"({filled['villages']} villages filled, {filled['skipped']} already had households)."
        )

    def _party(self) -> None:
        # After the registry (members and cadres are its residents) and the economy (party
        # organisations in cooperatives and companies).
        filled = demo_party_load(township_code=TOWNSHIP)
        if filled["skipped"]:
            reason = "already loaded" if filled["reason"] == "loaded" else "skipped, no residents"
            self.stdout.write(f"Party building: {reason}.")
            return
        self.stdout.write(
            f"Party building: {filled['joint_committees']} joint committees, "
            f"{filled['organizations']} organisations, {filled['members']:,} members and "
            f"{filled['pipeline']:,} in the pipeline, {filled['positions']:,} cadre posts "
            f"(一肩挑 {filled['one_shoulder_ratio']:.0%}), {filled['talent']:,} reserve talent, "
            f"{filled['sessions']} training sessions ({filled['attendance']:,} attendances) "
            f"in {filled['seconds']:.1f} s."
        )

    def _economy(self, scale: str) -> None:
        if scale == "none":
            self.stdout.write("Collective economy: skipped (--scale none).")
            return
        # The full city's books pass a million voucher lines (make bench-economy).
        filled = demo_economy_load(splits=16 if scale == "full" else 1)
        if filled["skipped"]:
            self.stdout.write("Collective economy: already loaded.")
            return
        self.stdout.write(
            f"Collective economy: {filled['organizations']} cooperatives, "
            f"{filled['companies']} companies, {filled['vouchers']:,} vouchers "
            f"({filled['lines']:,} lines) posted in {filled['seconds']:.1f} s."
        )
