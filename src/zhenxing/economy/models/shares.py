"""Members' shares in their village's collective and the yearly income-distribution plans."""

from __future__ import annotations

import decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet
from zhenxing.economy.models.books import ZERO, CollectiveOrganization, Voucher


class ShareBasis(models.TextChoices):
    """How a household's member shares were allotted (股权量化方式)."""

    PER_PERSON = "per_person", _("Per person")
    PER_HOUSEHOLD = "per_household", _("Per household")


class Shareholding(models.Model):
    """A household's membership of its village's collective economic organisation, with its
    member shares (成员股)."""

    scope_region_field = "organization__village"

    organization = models.ForeignKey(
        CollectiveOrganization,
        verbose_name=_("collective economic organisation"),
        on_delete=models.PROTECT,
        related_name="shareholdings",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="shareholdings",
    )
    shares = models.DecimalField(_("member shares"), max_digits=12, decimal_places=2)
    basis = models.CharField(_("allotted"), max_length=16, choices=ShareBasis.choices)
    joined_on = models.DateField(_("member since"))

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("organization", "household", "shares", "basis", "joined_on")

    class Meta:
        verbose_name = _("shareholding")
        verbose_name_plural = _("shareholdings")
        ordering = ["organization", "household__number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "household"], name="one_holding"),
            models.CheckConstraint(condition=Q(shares__gte=0), name="shares_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.shares}"


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the village")
    VILLAGE_APPROVED = "village_approved", _("Approved by the village, awaiting the township")
    EFFECTIVE = "effective", _("Approved by the township, in effect")
    REJECTED = "rejected", _("Rejected")


class DistributionPlan(models.Model):
    """A year's income-distribution plan (收益分配方案): what the collective reserves and what it
    pays per share. It takes effect when the village and then the township approve it; then
    each household's dividend is fixed and the distribution is posted to the books."""

    scope_region_field = "organization__village"

    organization = models.ForeignKey(
        CollectiveOrganization,
        verbose_name=_("collective economic organisation"),
        on_delete=models.PROTECT,
        related_name="distribution_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    available = models.DecimalField(
        _("available for distribution"), max_digits=16, decimal_places=2
    )
    reserve = models.DecimalField(_("reserved for the collective"), max_digits=16, decimal_places=2)
    collective_shares = models.DecimalField(
        _("collective shares"), max_digits=12, decimal_places=2, default=ZERO
    )
    member_shares = models.DecimalField(_("member shares"), max_digits=12, decimal_places=2)
    dividend_per_share = models.DecimalField(
        _("dividend per share"), max_digits=12, decimal_places=2
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    village_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    township_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    voucher = models.OneToOneField(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="distribution"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "organization",
        "year",
        "available",
        "reserve",
        "collective_shares",
        "member_shares",
        "dividend_per_share",
        "status",
        "rejection_reason",
    )

    class Meta:
        verbose_name = _("income-distribution plan")
        verbose_name_plural = _("income-distribution plans")
        ordering = ["organization", "-year"]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    @property
    def dividends(self) -> decimal.Decimal:
        return (self.collective_shares + self.member_shares) * self.dividend_per_share

    @property
    def member_dividends(self) -> decimal.Decimal:
        return self.member_shares * self.dividend_per_share


class Dividend(models.Model):
    """One household's dividend under an effective plan (分红)."""

    scope_region_field = "plan__organization__village"

    plan = models.ForeignKey(DistributionPlan, on_delete=models.PROTECT, related_name="payouts")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="dividends"
    )
    shares = models.DecimalField(_("member shares"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("dividend"), max_digits=16, decimal_places=2)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dividend")
        verbose_name_plural = _("dividends")
        ordering = ["plan", "household__number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "household"], name="one_dividend_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.amount}"
