"""The audit log: append-only, written explicitly by services (never by signals)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    PASSWORD = "password", _("Password set")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")


class AuditSource(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    COMMAND = "command", _("Command")
    IMPORT = "import", _("Import")
    SYSTEM = "system", _("System")


class ImmutableAuditError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditEntryQuerySet(ScopedQuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditError("audit entries cannot be updated")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise ImmutableAuditError("audit entries cannot be deleted")

    def visible_to(self, user: Any) -> AuditEntryQuerySet:  # type: ignore[override]
        # Entries are scoped by the region code stored on them (the object's region at the time).
        from zhenxing.core.scoping import _active_user, subtree_q

        active = _active_user(user)
        if active is None:
            return self.none()  # type: ignore[return-value]
        return self.filter(subtree_q(active.region.code, "region_code"))  # type: ignore[return-value]


class AuditEntry(models.Model):
    """Who did what to which object, when, from where, with each field's before and after."""

    scope_region_field = "region_code"  # a copied code, not a foreign key: see visible_to

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    request_id = models.UUIDField(_("request id"), db_index=True)
    # No database constraint and no cascade: audit rows outlive whatever they mention, and
    # deleting a user must never rewrite history (accounts are deactivated, not deleted).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    source = models.CharField(_("channel"), max_length=16, choices=AuditSource.choices)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    region_code = models.CharField(_("region code"), max_length=15, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableAuditError("audit entries cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise ImmutableAuditError("audit entries cannot be deleted")
