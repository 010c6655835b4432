"""Converting an organisation's books from the 2004 chart to the 2023 one (新旧制度衔接,
财会〔2023〕20号): the closing trial balance it started from, how each balance was assigned, and
the opening voucher that carries them into the new chart from the first day it governs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class BalanceSource(models.TextChoices):
    BOOKS = "books", _("The books kept here")
    FILE = "file", _("A trial balance from Excel")


class ConversionStatus(models.TextChoices):
    EFFECTIVE = "effective", _("In effect")
    UNDONE = "undone", _("Undone")


class ChartConversion(models.Model):
    """One conversion of an organisation's books to another chart (新旧制度衔接)."""

    scope_region_field = "organization__village"

    county_code = models.CharField(max_length=6, editable=False)
    organization = models.ForeignKey(
        "economy.CollectiveOrganization",
        verbose_name=_("collective economic organisation"),
        on_delete=models.PROTECT,
        related_name="conversions",
    )
    from_chart = models.CharField(_("old chart"), max_length=8)
    to_chart = models.CharField(_("new chart"), max_length=8)
    effective_on = models.DateField(_("new chart from"))
    source = models.CharField(_("balances from"), max_length=8, choices=BalanceSource.choices)
    # The old closing trial balance as it was used: [{"code", "name", "balance"}], the balance
    # signed on the debit side, in yuan strings (Decimal-exact in JSON).
    balances = models.JSONField(_("old closing balances"), default=list)
    # How each old balance was assigned: [{"old", "new", "amount"}], debit-side signed.
    allocations = models.JSONField(_("assignment"), default=list)
    voucher = models.ForeignKey(
        "economy.Voucher",
        verbose_name=_("opening voucher"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConversionStatus.choices,
        default=ConversionStatus.EFFECTIVE,
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("converted by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    converted_at = models.DateTimeField(_("converted at"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    reversal = models.ForeignKey(
        "economy.Voucher",
        verbose_name=_("reversing voucher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("organization", "from_chart", "to_chart", "effective_on", "status")

    class Meta:
        verbose_name = _("chart conversion")
        verbose_name_plural = _("chart conversions")
        ordering = ["-converted_at", "-pk"]
        constraints = [
            # At most one conversion in effect per organisation.
            models.UniqueConstraint(
                fields=["county_code", "organization"],
                condition=Q(status="effective"),
                name="conversion_in_effect",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.from_chart}→{self.to_chart} {self.effective_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.county_code = self.organization.county_code
        super().save(*args, **kwargs)
