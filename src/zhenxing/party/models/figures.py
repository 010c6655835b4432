"""Party building's summary table: each village's figures for a year, so that the dashboards
and the coverage report above the village add up rows instead of reading every post,
attendance and reserve candidate of a city (or a province) on each request."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class VillagePartyFigures(models.Model):
    """One village's party-building figures for one year (村党建年度汇总), as of 31 December,
    or of the day they were worked out while the year runs.

    Kept by ``party.services.figures``: every write that changes what a row counts (a post,
    attendance, a cancelled session, a reserve candidate, an organisation, an import, the demo)
    forgets the rows of the villages it touches, in its own transaction, and the next read
    works out the missing rows of the villages it reads in a fixed number of queries. A row of
    the running year also lapses by itself on ``stale_on``, the first day after ``as_of`` on
    which one of the village's posts starts or ends (a post appointed from next month)."""

    scope_region_field = "village"

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("village"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    stale_on = models.DateField(_("stale on"), null=True, blank=True)
    has_organization = models.BooleanField(_("has a party organisation"), default=False)
    has_secretary = models.BooleanField(_("has a party secretary"), default=False)
    one_shoulder = models.BooleanField(_("secretary is also director"), default=False)
    secretary_source = models.CharField(_("secretary's background"), max_length=20, blank=True)
    reserve_secretaries = models.PositiveIntegerField(_("reserve secretaries"), default=0)
    reserves = models.PositiveIntegerField(_("reserve talent"), default=0)
    entrepreneurs = models.PositiveIntegerField(_("entrepreneurs"), default=0)
    # Persons in post on ``as_of`` (one who holds two posts counts once), and those of them
    # trained at a session of the year; ``by_category``: {trainee category: [cadres, trained]}.
    cadres = models.PositiveIntegerField(_("cadres"), default=0)
    trained = models.PositiveIntegerField(_("cadres trained"), default=0)
    by_category = models.JSONField(_("by trainee category"), default=dict)
    # The two committees (election readiness): posts held, the first term end among them, and
    # each person in them once as [birth date's ordinal, woman, college] (ages are worked out
    # on the day read; the registry says when a person's record changes).
    committee_posts = models.PositiveIntegerField(_("two-committee posts"), default=0)
    committee_term_ends_on = models.DateField(_("first term end"), null=True, blank=True)
    committee = models.JSONField(_("two-committee members"), default=list)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("village party-building figures")
        verbose_name_plural = _("village party-building figures")
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="party_figures_year")
        ]
        indexes = [models.Index(fields=["year", "village"], name="party_figures_by_year")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"
