from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from zhenxing.core.accounts.models import User
from zhenxing.core.accounts.roles import Role
from zhenxing.core.accounts.services import check_new_account
from zhenxing.core.audit.context import audit_context
from zhenxing.core.audit.services import audit_create
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import Region


class Command(BaseCommand):
    help = (
        "Create an account from the command line, typically the first city administrator: "
        "zhenxing create_account admin --role city_admin --region 520281. The password is "
        "read from ZHENXING_NEW_PASSWORD or asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--region", required=True, help="division code of the region")
        parser.add_argument("--full-name", default="")

    def handle(
        self, *args: Any, username: str, role: str, region: str, full_name: str, **options: Any
    ) -> None:
        bound = Region.objects.filter(code=region).first()
        if bound is None:
            raise CommandError(f"No region has the code {region}; run load_divisions first.")
        password = os.environ.get("ZHENXING_NEW_PASSWORD") or getpass.getpass("Password: ")
        user = User(username=username.strip(), full_name=full_name, role=role, region=bound)
        with audit_context(source="command"), transaction.atomic():
            try:
                check_new_account(user, password)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            user.set_password(password)
            user.save()
            audit_create(actor="create_account", obj=user)
        self.stdout.write(f"Created {user.username} ({role}) for {bound.name} ({bound.code}).")
