from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Disabled: every account is bound to a region and a role; use create_account."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--username")
        parser.add_argument("--email")

    def handle(self, *args: Any, **options: Any) -> None:
        # Django's own command would make an account with no region, no role, no audit row
        # and no password rules: a superuser outside the jurisdiction tree.
        raise CommandError(
            "Zhenxing has no superusers. Create the first city administrator with:\n"
            "  zhenxing create_account admin --role city_admin --region 520281"
        )
