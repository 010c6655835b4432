"""Door-to-door visits (入户走访) by grid workers, with their photos."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class Visit(models.Model):
    """One visit to a household: what was checked, what changed, notes, photos, where.

    ``client_id`` is made by the phone when the visit is recorded (possibly offline): a retry
    of the same submission finds it and answers with the visit already saved, never a second.
    """

    scope_region_field = "village"

    client_id = models.UUIDField(_("client id"), unique=True, editable=False)
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("household"),
    )
    grid = models.ForeignKey(
        "grid.Grid", on_delete=models.PROTECT, related_name="visits", verbose_name=_("grid")
    )
    # Copied from the grid: counts by village and township read one indexed column.
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    county_code = models.CharField(max_length=6, editable=False)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grid worker"),
    )
    visited_at = models.DateTimeField(_("visited at"))
    # The checklist items the worker checked, and the values they changed ({field: [old, new]}).
    checked = models.JSONField(_("checked"), default=list)
    changes = models.JSONField(_("changes"), default=dict)
    notes = models.TextField(_("notes"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # The household's version the phone had read when the visit was recorded.
    household_version = models.PositiveIntegerField(_("household version seen"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("household", "grid", "worker", "visited_at", "checked", "changes", "notes")

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        indexes = [
            models.Index(fields=["village", "visited_at"], name="visit_village_time"),
            models.Index(fields=["household", "visited_at"], name="visit_household_time"),
            models.Index(fields=["worker", "visited_at"], name="visit_worker_time"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_at:%Y-%m-%d}"


class VisitPhoto(models.Model):
    """A photo taken at a visit. Files live under MEDIA_ROOT and are served only through a
    scoped view, never as public media."""

    scope_region_field = "visit__village"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="visits/%Y/%m/")
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField(_("size"))

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("visit", "content_type", "size")

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return self.file.name or ""
