"""A record of every import: who, what file, its outcome, and its errors for the report.

Kept for the user (the result page and the error report stay available after the upload),
scoped like everything else by the importer's region.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected: errors found")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportRun(models.Model):
    scope_region_field = "region"

    kind = models.CharField(_("kind"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    # The importer's county (the distribution key); blank for an importer above the counties.
    county_code = models.CharField(max_length=6, editable=False, default="")
    filename = models.CharField(_("file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    # The choices made on the upload page for the whole file (``ImportSpec.options``).
    options = models.JSONField(default=dict, blank=True)
    # [[row, column, value, reason], ...] in the importer's language, capped (see MAX_ERRORS).
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    # A file waiting for the worker (deleted once imported), and the language its report is in.
    stored_file = models.CharField(max_length=500, blank=True, default="")
    language = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    MAX_ERRORS = 100_000

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            code = self.region.code
            self.county_code = code[:6] if len(code) >= 6 else ""
        super().save(*args, **kwargs)

    @property
    def finished(self) -> bool:
        return self.status not in (ImportStatus.PENDING, ImportStatus.RUNNING)
