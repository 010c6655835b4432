from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenxing.core.accounts.models import User
from zhenxing.core.accounts.services import password_set_by_operator
from zhenxing.core.audit.context import audit_context
from zhenxing.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Set an account's password (an operator's recovery path), under the same rules as the "
        "pages, and audited. Reads ZHENXING_NEW_PASSWORD or asks twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        account = User.objects.filter(username=username).first()
        if account is None:
            raise CommandError(f"No account is called {username!r}.")
        password = os.environ.get("ZHENXING_NEW_PASSWORD")
        if not password:
            password = getpass.getpass("New password: ")
            if password != getpass.getpass("Again: "):
                raise CommandError("The two passwords differ.")
        with audit_context(source="command"):
            try:
                password_set_by_operator(label="changepassword", account=account, password=password)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"Password of {username} changed; its API tokens were revoked.")
