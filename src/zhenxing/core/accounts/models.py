"""Accounts: each bound to one region and one role; API tokens; failed-login records."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenxing.core.accounts.roles import Role
from zhenxing.core.scoping import ScopedQuerySet


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A civil servant, cadre, grid worker or auditor, bound to the region they answer for."""

    scope_region_field = "region"
    # Accounts at a manager's own level (peers, and the manager) are managed from above.
    scope_excludes_own_region = True

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    full_name = models.CharField(_("full name"), max_length=64, blank=True)

    objects: ClassVar[ScopedUserManager] = ScopedUserManager()

    AUDITED_FIELDS = ("username", "full_name", "role", "region", "is_active")

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def token_days() -> int:
    """How many days an API token lives (``API_TOKEN_DAYS``)."""
    return int(getattr(settings, "API_TOKEN_DAYS", 90))


class ApiToken(models.Model):
    """A bearer token for API clients. Only a hash is stored; the token is shown once."""

    scope_exempt_reason = (
        "read by the bearer-token authenticator, and listed only to its own holder"
    )

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} token {self.created_at:%Y-%m-%d}"

    @property
    def expires_at(self) -> dt.datetime:
        """After this, the token answers 401 (``API_TOKEN_DAYS`` after it was issued)."""
        return self.created_at + dt.timedelta(days=token_days())

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def mint(cls, user: User) -> tuple[ApiToken, str]:
        """A new token for ``user``: the row, and the key (shown once, only its hash stored).
        Not audited: ``accounts.services.token_issue`` is the audited way."""
        key = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=cls.hash_key(key)), key

    @classmethod
    def issue(cls, user: User) -> str:
        return cls.mint(user)[1]


class LoginFailure(models.Model):
    """One failed login, kept to throttle guessing per username and per address."""

    scope_exempt_reason = "read only by the login throttle, never listed"

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M}"
