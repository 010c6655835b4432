"""One table for every app's yearly policy values, so a new policy is a row, not a release."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyValue(models.Model):
    """A setting's value from a year on; earlier years keep the values that held then."""

    catalogue = True

    key = models.CharField(_("setting"), max_length=64)
    effective_from = models.PositiveSmallIntegerField(_("effective from (year)"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=200, blank=True)

    AUDITED_FIELDS = ("key", "effective_from", "value", "note")

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        ordering = ["key", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="policy_key_year"),
        ]

    def __str__(self) -> str:
        return f"{self.key} from {self.effective_from}: {self.value}"
