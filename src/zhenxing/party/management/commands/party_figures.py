"""``zhenxing party_figures --forget [--region CODE]``: drop party building's summary rows.

The services keep ``VillagePartyFigures`` on every write they make; a correction made in the
database directly (a script, a restored table) is not one of them. Dropping the rows makes the
next read of each dashboard work them out again from the posts, attendance and reserve pool.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import subtree_q
from zhenxing.party.services import figures


class Command(BaseCommand):
    help = (
        "Drop party building's summary rows (all, or --region CODE's villages); the next read "
        "works them out again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--forget", action="store_true", help="Drop the rows.")
        parser.add_argument("--region", help="Only the villages under this division code.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["forget"]:
            raise CommandError("Say --forget to drop the summary rows.")
        code = options["region"]
        if code is None:
            figures.forget_all()
            self.stdout.write("party figures: every row dropped")
            return
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"No region has the code {code}.")
        villages = list(
            Region.objects.filter(subtree_q(region.code), kind__in=VILLAGE_LEVEL).values_list(
                "pk", flat=True
            )
        )
        figures.forget_villages(villages)
        self.stdout.write(f"party figures: rows of {len(villages)} villages under {code} dropped")
