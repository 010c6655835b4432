"""Loading official division codes (统计用区划代码) shipped with the project in ``data/``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_bulk, snapshot
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import Region, RegionKind

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def upsert_regions(
    *, actor: Any, specs: list[tuple[str, str, str, str | None]]
) -> LoadResult:
    """Create or update regions ``(code, name, kind, parent_code)`` in order, parents first.

    Idempotent: a second run changes nothing and writes no audit rows. Audit rows are written
    in one bulk insert. Every row is validated before any is written.
    """
    result = LoadResult()
    existing = {r.code: r for r in Region.objects.filter(code__in=[s[0] for s in specs])}
    parents = {
        r.code: r
        for r in Region.objects.filter(code__in={s[3] for s in specs if s[3]})
    }
    audit_items: list[tuple[str, Region, dict[str, Any]]] = []
    with transaction.atomic():
        for code, name, kind, parent_code in specs:
            parent = parents.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                raise DomainError(
                    _("Parent region %(code)s does not exist.") % {"code": parent_code},
                    field="parent",
                )
            region = existing.get(code)
            if region is None:
                region = Region(code=code, name=name, kind=kind, parent=parent)
                region.full_clean()
                region.save()
                audit_items.append(
                    (AuditAction.CREATE, region, {k: [None, v] for k, v in snapshot(region).items()
                                                  if v is not None})
                )
                result.created += 1
            elif (region.name, region.kind, region.parent_id) != (
                name, kind, parent.pk if parent else None
            ):
                before = snapshot(region)
                region.name, region.kind, region.parent = name, kind, parent
                region.full_clean()
                region.save()
                after = snapshot(region)
                audit_items.append(
                    (AuditAction.UPDATE, region,
                     {k: [before[k], after[k]] for k in after if before[k] != after[k]})
                )
                result.updated += 1
            else:
                result.unchanged += 1
            parents[code] = region
        audit_bulk(actor=actor, items=audit_items)
    return result


def divisions_load(*, actor: Any, county_code: str) -> LoadResult:
    """Load a county-level unit and its official townships from the shipped CSV files."""
    counties = {row["code"]: row for row in _rows("counties.csv")}
    county = counties.get(county_code)
    if county is None:
        raise DomainError(
            _("%(code)s is not a county-level division code.") % {"code": county_code},
            field="county",
        )
    townships = [row for row in _rows("townships-guizhou.csv") if row["countyCode"] == county_code]
    if not townships:
        raise DomainError(
            _("No township data is shipped for %(code)s.") % {"code": county_code},
            field="county",
        )
    specs: list[tuple[str, str, str, str | None]] = [
        (county_code, county["name"], RegionKind.COUNTY, None)
    ]
    specs += [(t["code"], t["name"], RegionKind.TOWNSHIP, county_code) for t in townships]
    return upsert_regions(actor=actor, specs=specs)
