"""Benefit linkage, industries and support (公司+合作社+农户, 产业, 重点扶持村).

Contracts tie a company to a village's cooperative (order farming, guaranteed purchase, land
lease, labour); industries are a catalogue (the leading and the distinctive ones, as data) with
each village's scale by year; key supported villages receive support in the five forms the
source article names, each record with its amount, date and source.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet
from zhenxing.economy.models.books import ZERO, CollectiveOrganization, Company


class ContractKind(models.TextChoices):
    ORDER_FARMING = "order_farming", _("Order farming")
    GUARANTEED_PURCHASE = "guaranteed_purchase", _("Guaranteed purchase price")
    LAND_LEASE = "land_lease", _("Land lease")
    LABOUR = "labour", _("Labour")


class LinkageContract(models.Model):
    """A contract between a company and a village cooperative (利益联结合同)."""

    scope_region_field = "organization__village"

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="contracts"
    )
    organization = models.ForeignKey(
        CollectiveOrganization,
        verbose_name=_("collective economic organisation"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ContractKind.choices)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    amount = models.DecimalField(_("contract amount"), max_digits=16, decimal_places=2)
    guaranteed_price = models.DecimalField(
        _("guaranteed price per unit"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    households = models.PositiveIntegerField(_("households involved"), default=0)
    terms = models.TextField(_("terms"), blank=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "company",
        "organization",
        "kind",
        "signed_on",
        "starts_on",
        "ends_on",
        "amount",
        "guaranteed_price",
        "unit",
        "households",
        "terms",
    )

    class Meta:
        verbose_name = _("benefit-linkage contract")
        verbose_name_plural = _("benefit-linkage contracts")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="contract_dates"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.organization} · {self.get_kind_display()}"


class IndustryKind(models.TextChoices):
    LEADING = "leading", _("Leading industry")
    DISTINCTIVE = "distinctive", _("Distinctive industry")


class Industry(models.Model):
    """An industry of the catalogue (产业), loaded as data."""

    catalogue = True

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=IndustryKind.choices)
    unit = models.CharField(_("output unit"), max_length=16, default="吨")

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class VillageIndustry(models.Model):
    """A village's scale in one industry in one year."""

    scope_region_field = "village"

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    area_mu = models.DecimalField(_("area (mu)"), max_digits=12, decimal_places=2, default=ZERO)
    output = models.DecimalField(_("output"), max_digits=14, decimal_places=2, default=ZERO)
    output_value = models.DecimalField(
        _("output value (yuan)"), max_digits=16, decimal_places=2, default=ZERO
    )
    households = models.PositiveIntegerField(_("households involved"), default=0)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "village",
        "industry",
        "year",
        "area_mu",
        "output",
        "output_value",
        "households",
    )

    class Meta:
        verbose_name = _("village industry")
        verbose_name_plural = _("village industries")
        ordering = ["village__code", "-year", "industry"]
        constraints = [
            models.UniqueConstraint(fields=["village", "industry", "year"], name="industry_year"),
            models.CheckConstraint(
                condition=Q(area_mu__gte=0, output__gte=0, output_value__gte=0),
                name="industry_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.industry} {self.year}"


class SupportForm(models.TextChoices):
    """The five forms of support the source article names."""

    FUNDING = "funding", _("Funding")
    ENTITY = "entity", _("Entity cultivation")
    MARKET = "market", _("Market guarantee")
    TRAINING = "training", _("Personnel training")
    TECHNICAL = "technical", _("Technical guidance")


class SupportedVillage(models.Model):
    """A key supported village (重点扶持村) for a year."""

    scope_region_field = "village"

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("village", "year", "reason")

    class Meta:
        verbose_name = _("key supported village")
        verbose_name_plural = _("key supported villages")
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="supported_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"


class SupportRecord(models.Model):
    """One act of support for a key supported village."""

    scope_region_field = "supported__village"

    supported = models.ForeignKey(
        SupportedVillage,
        verbose_name=_("key supported village"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    form = models.CharField(_("form of support"), max_length=16, choices=SupportForm.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2, default=ZERO)
    source = models.CharField(_("source"), max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("supported", "form", "date", "amount", "source", "description")

    class Meta:
        verbose_name = _("support record")
        verbose_name_plural = _("support records")
        ordering = ["-date"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="support_amount")]

    def __str__(self) -> str:
        return f"{self.supported} {self.get_form_display()} {self.date}"
