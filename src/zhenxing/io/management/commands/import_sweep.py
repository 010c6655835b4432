"""Fail imports left waiting or running too long and delete their stored uploads.

A worker that was killed mid-import leaves its run "running" and the uploaded file (which holds
ID numbers) on disk; run this from cron (hourly) and before starting workers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from zhenxing.io.jobs import import_runs_sweep


class Command(BaseCommand):
    help = "Fail stale imports (no worker finished them) and delete their stored files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=12,
            help="Runs waiting or running longer than this are stale (default 12).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = import_runs_sweep(older_than=dt.timedelta(hours=options["older_than_hours"]))
        if options["verbosity"]:
            self.stdout.write(f"{count} stale import(s) failed and their files deleted.")
