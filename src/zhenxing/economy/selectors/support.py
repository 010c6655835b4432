"""Reads of industries, key supported villages and their support, contracts and companies,
scoped to the reader."""

from __future__ import annotations

import decimal
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Sum

from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import subtree_q
from zhenxing.economy.models import (
    Industry,
    SupportedVillage,
    SupportForm,
    SupportRecord,
    VillageIndustry,
)

ZERO = decimal.Decimal("0.00")


def industry_summary(*, region: Region, year: int) -> list[dict[str, Any]]:
    """Per industry of the catalogue: villages, area, output, output value and households
    involved under ``region`` in ``year`` (one query)."""
    sums: dict[int, dict[str, Any]] = {
        row["industry"]: dict(row)
        for row in VillageIndustry.objects.filter(
            subtree_q(region.code, "village__code"), year=year
        )
        .values("industry")
        .annotate(
            villages=Count("village", distinct=True),
            area=Sum("area_mu"),
            output=Sum("output"),
            value=Sum("output_value"),
            households=Sum("households"),
        )
        .order_by()
    }
    empty: dict[str, Any] = {}
    return [
        {
            "industry": industry,
            "villages": sums.get(industry.pk, empty).get("villages", 0),
            "area": sums.get(industry.pk, empty).get("area") or ZERO,
            "output": sums.get(industry.pk, empty).get("output") or ZERO,
            "value": sums.get(industry.pk, empty).get("value") or ZERO,
            "households": sums.get(industry.pk, empty).get("households") or 0,
        }
        for industry in Industry.objects.all()
    ]


def support_summary(*, actor: Any, year: int, region: Region | None = None) -> list[dict[str, Any]]:
    """Each key supported village of ``year`` in the reader's scope (and under ``region``),
    with the support it had, added up by form (two queries)."""
    chosen = SupportedVillage.objects.visible_to(actor).filter(year=year)
    if region is not None:
        chosen = chosen.filter(subtree_q(region.code, "village__code"))
    villages = list(chosen.select_related("village__parent").order_by("village__code"))
    totals: dict[int, dict[str, decimal.Decimal]] = defaultdict(dict)
    counts: Counter[int] = Counter()
    for supported, form, amount in SupportRecord.objects.filter(supported__in=villages).values_list(
        "supported", "form", "amount"
    ):
        totals[supported][form] = totals[supported].get(form, ZERO) + amount
        counts[supported] += 1
    return [
        {
            "supported": s,
            "records": counts[s.pk],
            "by_form": {f: totals[s.pk].get(f, ZERO) for f in SupportForm.values},
            "total": sum(totals[s.pk].values(), ZERO),
        }
        for s in villages
    ]


def village_industries(*, region: Region, year: int) -> Any:
    """Each village's record per industry under ``region`` in ``year`` (the kernel narrows it
    to the reader's scope)."""
    return (
        VillageIndustry.objects.filter(subtree_q(region.code, "village__code"), year=year)
        .select_related("village", "industry")
        .order_by("village__code", "industry")
    )


def supported_village(*, actor: Any, pk: int) -> SupportedVillage | None:
    """A key supported village in the reader's scope."""
    return SupportedVillage.objects.visible_to(actor).filter(pk=pk).first()


def supported_village_list(*, actor: Any) -> Any:
    """The key supported villages in the reader's scope, latest year first."""
    return (
        SupportedVillage.objects.visible_to(actor)
        .select_related("village__parent")
        .order_by("-year", "village__code", "pk")
    )


def support_record_list(*, actor: Any) -> Any:
    """The support records in the reader's scope, with their village."""
    return (
        SupportRecord.objects.visible_to(actor)
        .select_related("supported__village")
        .order_by("-date", "-pk")
    )
