"""Assessment of grid workers and grids (网格考核): periods, the criteria entered by the
township, and the scores computed from the records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")


class Criterion(models.TextChoices):
    """The criteria a worker is scored on; each scores 0–100. Their weights are yearly policy
    values (``grid.weight_<criterion>``); whether each is computed or entered is in
    ``rules.assessment.COMPUTED``."""

    VISITS = "visits", _("Visits made")
    COVERAGE = "coverage", _("Household coverage")
    ERRANDS = "errands", _("Errands completed on time")
    RATINGS = "ratings", _("Villagers' ratings")
    INSPECTION = "inspection", _("Inspection score")
    COMPLAINTS = "complaints", _("Complaints (100 = none)")


class AssessmentPeriod(models.Model):
    """A township's assessment of its grid workers for a month or a quarter. Open, its scores
    are recomputed on demand; confirmed by the township, they are locked."""

    scope_region_field = "township"
    # The villages' cadres and workers read their own scores (read-only).
    scope_includes_ancestors = True

    township = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("township")
    )
    kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("month or quarter"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    computed_at = models.DateTimeField(_("scores computed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("township", "kind", "year", "number", "status", "confirmed_by")

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["-starts_on", "township"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "kind", "year", "number"], name="grid_period_unique"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year} Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def locked(self) -> bool:
        return self.status == PeriodStatus.CONFIRMED


class CriterionEntry(models.Model):
    """A criterion's score the township entered for a worker (where no record computes it),
    with who entered it and why."""

    scope_region_field = "village"

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="entries")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(_("criterion"), max_length=16, choices=Criterion.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("period", "worker", "criterion", "score", "reason")

    class Meta:
        verbose_name = _("entered criterion")
        verbose_name_plural = _("entered criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "worker", "criterion"], name="grid_entry_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.worker_id} {self.criterion} {self.score}"


class WorkerScore(models.Model):
    """A worker's scores for a period: each criterion's (0–100) and the weighted total, with
    the figures they were computed from and the worker's rank in village and township."""

    scope_region_field = "village"

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="worker_scores"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grid worker"),
    )
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    households = models.PositiveIntegerField(_("households in the worker's grids"))
    visits = models.PositiveIntegerField(_("visits"))
    households_visited = models.PositiveIntegerField(_("households visited"))
    # {criterion: score or null (not entered yet)}
    scores = models.JSONField(_("scores"), default=dict)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1)
    rank_in_village = models.PositiveIntegerField(_("rank in village"))
    rank_in_township = models.PositiveIntegerField(_("rank in township"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker's score")
        verbose_name_plural = _("workers' scores")
        ordering = ["period", "rank_in_township"]
        constraints = [
            models.UniqueConstraint(fields=["period", "worker"], name="grid_worker_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.worker_id} {self.total}"


class GridScore(models.Model):
    """A grid's score for a period: the visits to its households and the mean of its workers'
    totals."""

    scope_region_field = "grid__village"

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="grid_scores"
    )
    grid = models.ForeignKey("grid.Grid", on_delete=models.PROTECT, related_name="+")
    households = models.PositiveIntegerField(_("households"))
    visits = models.PositiveIntegerField(_("visits"))
    households_visited = models.PositiveIntegerField(_("households visited"))
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1, null=True)
    rank_in_township = models.PositiveIntegerField(_("rank in township"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid's score")
        verbose_name_plural = _("grids' scores")
        ordering = ["period", "rank_in_township"]
        constraints = [
            models.UniqueConstraint(fields=["period", "grid"], name="grid_grid_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.grid_id} {self.total}"
