"""``zhenxing economy_check``: prove the summary tables equal the ledger (exit 1 if not)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenxing.economy.models import AccountBalance, VoucherLine, YearFigures
from zhenxing.economy.services.summaries import ledger_mismatches, rebuild


class Command(BaseCommand):
    help = (
        "Recompute every account's monthly turnover and every organisation's yearly figures "
        "from the posted voucher lines and compare them with the summary tables the "
        "dashboards read. --repair rebuilds the tables from the ledger (after a formula "
        "changes)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--repair", action="store_true", help="rebuild the summary tables")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.db import transaction

        started = time.perf_counter()
        if options["repair"]:
            with transaction.atomic():
                rebuild()
        problems = ledger_mismatches()
        seconds = time.perf_counter() - started
        lines = VoucherLine.objects.count()
        if problems:
            for problem in problems[:50]:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} summary rows differ from the ledger ({lines:,} lines checked)."
            )
        self.stdout.write(
            f"OK: {AccountBalance.objects.count():,} monthly turnovers and "
            f"{YearFigures.objects.count():,} yearly figures equal the ledger "
            f"({lines:,} voucher lines, {seconds:.1f} s)."
        )
