"""Summary table the grid dashboards read (DHIS2's analytics tables): one row per village and
month, kept by the services that assign households and record visits."""

from __future__ import annotations

from django.db import models

from zhenxing.core.scoping import ScopedQuerySet


class VillageGridFigures(models.Model):
    """A village's grid figures: the standing ones (grids, workers, households in grids, never
    visited) on the row of month 0, the visits of a month on that month's row."""

    scope_region_field = "village"

    village = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=15)  # the village's code: sums by area read prefixes
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # 0: the standing figures
    grids = models.PositiveIntegerField(default=0)
    workers = models.PositiveIntegerField(default=0)
    households_in_grids = models.PositiveIntegerField(default=0)
    never_visited = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    households_visited = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "month"], name="grid_figures_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "code"], name="grid_figures_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.year}-{self.month}"
