"""The audit log: append-only, written explicitly by services (never by signals)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import COUNTY_CODE_LENGTH, ScopedQuerySet


def county_code_of(region_code: str) -> str:
    """The county an entry's region lies in (its code's first six digits)."""
    return (region_code or "")[:COUNTY_CODE_LENGTH]


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    # One entry for many objects an import created: ``changes`` is ``{"ids": [...]}``.
    BULK_CREATE = "bulk_create", _("Created in bulk")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    PASSWORD = "password", _("Password set")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    VIEW_SENSITIVE = "view_sensitive", _("Viewed personal data")
    EXPORT_SENSITIVE = "export_sensitive", _("Exported personal data")
    TOKEN_ISSUE = "token_issue", _("API token issued")
    TOKEN_REVOKE = "token_revoke", _("API token revoked")


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

    def delete(self) -> NoReturn:
        raise ImmutableAuditError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """Who did what to which object, when, from where, with each field's before and after."""

    # A copied code, not a foreign key: the entry keeps the region the object had at the time.
    scope_code_field = "region_code"
    scope_county_field = "county_code"

    at = models.DateTimeField(_("time"), auto_now_add=True)  # indexed with the county: Meta
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
        ContentType,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,  # "audit_object" (content type, object id) serves these lookups
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    region_code = models.CharField(_("region code"), max_length=15)
    # The distribution key (docs/scaling.md): the county part of ``region_code``, so that the log
    # can be sharded by county on Citus with each entry next to the rows it describes. Entries
    # of no region (a command's) have an empty code and land on one shard.
    county_code = models.CharField(_("county code"), max_length=6)
    changes = models.JSONField(_("changes"), default=dict)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        # Every index slows the bulk writes of imports; these are the lookups that need one.
        # Region codes are compared by range (scoping), so a plain index, not db_index (which
        # adds a LIKE-pattern index on PostgreSQL).
        indexes = [
            # An object's history, newest first: the object's columns lead, so that the
            # county's page index below never looks better to a planner for one object.
            models.Index(fields=["content_type", "object_id", "at", "id"], name="audit_object_at"),
            models.Index(fields=["region_code"], name="audit_region"),
            # The log's page, newest first, inside a county (scoping adds the county).
            models.Index(fields=["county_code", "at", "id"], name="audit_county_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableAuditError("audit entries cannot be updated")
        self.county_code = county_code_of(self.region_code)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditError("audit entries cannot be deleted")
