"""Grids (网格) inside a village or community, their workers and their households."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class VillageArea(models.Model):
    """A village's or community's boundary (GeoJSON polygon, WGS 84), optional: a grid drawn
    outside it is refused."""

    scope_region_field = "village"

    village = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("village")
    )
    boundary = models.JSONField(_("boundary"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("village", "boundary")

    class Meta:
        verbose_name = _("village area")
        verbose_name_plural = _("village areas")

    def __str__(self) -> str:
        return str(self.village)


class Grid(models.Model):
    """A grid of a village or community: a name, a boundary, households and workers."""

    scope_region_field = "village"

    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    county_code = models.CharField(max_length=6, editable=False)
    name = models.CharField(_("name"), max_length=64)
    # A GeoJSON Polygon geometry ({"type": "Polygon", "coordinates": [[[lng, lat], …]]}).
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("village", "name", "boundary", "note")

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["village", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="grid_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.county_code = self.village.code[:6]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class GridWorkerPost(models.Model):
    """A grid worker's post on a grid (an account may work several grids of its village)."""

    scope_region_field = "grid__village"

    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="posts", verbose_name=_("grid")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grid_posts",
        verbose_name=_("grid worker"),
    )
    since = models.DateField(_("since"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("grid", "worker", "since")

    class Meta:
        verbose_name = _("grid worker's post")
        verbose_name_plural = _("grid workers' posts")
        ordering = ["grid", "worker"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "worker"], name="grid_post_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.grid}"


class GridHousehold(models.Model):
    """A household's grid. One row per household at most (the primary key is the household),
    so "a household in two grids" cannot be stored, on either database."""

    scope_region_field = "grid__village"

    household = models.OneToOneField(
        "registry.Household",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("household"),
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="households", verbose_name=_("grid")
    )
    # The household's latest visit, kept by the visit service: the phone's "not visited this
    # period" list and the dashboards' "never visited" read it instead of the visits.
    last_visited_on = models.DateField(_("last visited"), null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("household", "grid")

    class Meta:
        verbose_name = _("household's grid")
        verbose_name_plural = _("households' grids")
        indexes = [models.Index(fields=["grid", "last_visited_on"], name="grid_hh_visited")]

    def __str__(self) -> str:
        return f"{self.household_id} @ {self.grid_id}"
