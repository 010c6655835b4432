"""Writes for industries and for key supported villages (产业规模, 重点扶持村): validate → scope
check → write → audit, each in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.services import audit_create, audit_update, snapshot
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import ensure_can_add_under, get_for_user
from zhenxing.economy.models import (
    Industry,
    SupportedVillage,
    SupportRecord,
    VillageIndustry,
)
from zhenxing.economy.rules.support import check_support
from zhenxing.economy.rules.values import check_amount, check_count


def _village(actor: Any, village: Region) -> Region:
    village = get_for_user(Region.objects.all(), actor, pk=village.pk)
    if village.kind not in VILLAGE_LEVEL:
        raise DomainError(_("Choose a village."), field="village")
    return village


def industry_scale_set(
    *,
    actor: Any,
    village: Region,
    industry: Industry,
    year: int,
    area_mu: Any = 0,
    output: Any = 0,
    output_value: Any = 0,
    households: int = 0,
) -> VillageIndustry:
    """A village's scale in an industry for a year (new or corrected)."""
    with transaction.atomic():
        village = _village(actor, village)
        if not has_permission(actor, VillageIndustry, "change"):
            raise Forbidden()
        values = {
            "area_mu": check_amount(area_mu, "area_mu"),
            "output": check_amount(output, "output"),
            "output_value": check_amount(output_value, "output_value"),
            "households": check_count(households, "households"),
        }
        scale = VillageIndustry.objects.filter(
            village=village, industry=industry, year=year
        ).first()
        if scale is None:
            scale = VillageIndustry.objects.create(
                village=village, industry=industry, year=year, **values
            )
            audit_create(actor=actor, obj=scale)
            return scale
        before = snapshot(scale)
        for key, value in values.items():
            setattr(scale, key, value)
        scale.save()
        audit_update(actor=actor, obj=scale, before=before)
        return scale


def supported_village_designate(
    *, actor: Any, village: Region, year: int, reason: str = ""
) -> SupportedVillage:
    """Name a key supported village (重点扶持村) for a year."""
    with transaction.atomic():
        ensure_can_add_under(actor, SupportedVillage, village)
        village = _village(actor, village)
        if SupportedVillage.objects.filter(village=village, year=year).exists():
            raise DomainError(
                _("This village is already a key supported village in %(year)d.") % {"year": year},
                field="village",
            )
        supported = SupportedVillage.objects.create(
            village=village, year=year, reason=reason.strip()[:200]
        )
        audit_create(actor=actor, obj=supported)
        return supported


def support_record_add(
    *,
    actor: Any,
    supported: SupportedVillage,
    form: str,
    date: dt.date,
    source: str,
    amount: Any = 0,
    description: str = "",
) -> SupportRecord:
    """Record support given to a key supported village, in one of the five forms."""
    with transaction.atomic():
        supported = get_for_user(SupportedVillage.objects.all(), actor, pk=supported.pk)
        if not has_permission(actor, SupportRecord, "add"):
            raise Forbidden()
        value = check_amount(amount, "amount")
        source = check_support(form, value, source)
        record = SupportRecord.objects.create(
            supported=supported,
            form=form,
            date=date,
            amount=value,
            source=source[:64],
            description=description.strip()[:200],
        )
        audit_create(actor=actor, obj=record)
        return record
