"""Government-purchased services (政府向村(居)购买服务): contracts, their money allocated to
grids and workers, and the spending recorded against each allocation."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet

ZERO = Decimal("0.00")


class ServiceContract(models.Model):
    """A contract by which the city or a township buys services from a village or community.

    Scoped by the village that provides the services: the buyer above it sees it through its
    subtree, the village sees its own.
    """

    scope_region_field = "village"

    number = models.CharField(_("contract number"), max_length=32, unique=True)
    buyer = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provider (village or community)"),
    )
    county_code = models.CharField(max_length=6, editable=False)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # The services bought, one per line (网格巡查, 入户走访, 代办服务, …).
    services = models.TextField(_("services bought"))
    buyer_signatory = models.CharField(_("signed for the buyer by"), max_length=64)
    village_signatory = models.CharField(_("signed for the village by"), max_length=64)
    signed_on = models.DateField(_("signed on"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "number",
        "buyer",
        "village",
        "amount",
        "starts_on",
        "ends_on",
        "services",
        "buyer_signatory",
        "village_signatory",
        "signed_on",
    )

    class Meta:
        verbose_name = _("purchased-services contract")
        verbose_name_plural = _("purchased-services contracts")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="grid_contract_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="grid_contract_period",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: object, **kwargs: object) -> None:
        self.county_code = self.village.code[:6]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def service_list(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]


class ContractAllocation(models.Model):
    """Part of a contract's money allocated to a grid (and its worker) for a period."""

    scope_region_field = "contract__village"

    contract = models.ForeignKey(
        ServiceContract,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("contract"),
    )
    grid = models.ForeignKey(
        "grid.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grid worker"),
    )
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    # The assessment this allocation was computed from (None: allocated by hand).
    basis = models.ForeignKey(
        "grid.AssessmentPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("assessment it follows"),
    )
    # Scored below the floor: the township reviews this allocation before it is paid.
    needs_review = models.BooleanField(_("township to review"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("contract", "grid", "worker", "starts_on", "ends_on", "amount", "note")

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["contract", "starts_on", "grid"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="grid_allocation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.grid} · {self.amount}"


class ContractSpending(models.Model):
    """Money paid out of an allocation (wages, subsidies, materials)."""

    scope_region_field = "allocation__contract__village"

    allocation = models.ForeignKey(
        ContractAllocation,
        on_delete=models.PROTECT,
        related_name="spendings",
        verbose_name=_("allocation"),
    )
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    payee = models.CharField(_("payee"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("allocation", "spent_on", "amount", "payee", "purpose")

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spendings")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grid_spending_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.payee} {self.amount}"
