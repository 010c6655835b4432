"""Loading official division codes (统计用区划代码) shipped with the project in ``data/``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_bulk, diff, snapshot
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import Region, RegionKind, region_code_errors
from zhenxing.core.text import search_text

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def upsert_regions(*, actor: Any, specs: list[tuple[str, str, str, str | None]]) -> LoadResult:
    """Create or update regions ``(code, name, kind, parent_code)``, parents before children.

    Every row is validated before any is written; rows are written one tree level at a time
    with bulk inserts, and their audit rows in one bulk insert, all in one transaction.
    Idempotent: a second run changes nothing and writes no audit rows.
    """
    result = LoadResult()
    codes = [s[0] for s in specs]
    known = {
        r.code: r
        for r in Region.objects.filter(
            code__in=set(codes) | {s[3] for s in specs if s[3]}
        ).select_related("parent")
    }
    spec_by_code = {s[0]: s for s in specs}
    errors: list[str] = []
    for code, _name, kind, parent_code in specs:
        parent_spec = spec_by_code.get(parent_code or "")
        parent = known.get(parent_code or "") or (
            Region(code=parent_spec[0], kind=parent_spec[2]) if parent_spec else None
        )
        if parent_code and parent is None:
            errors.append(_("Parent region %(code)s does not exist.") % {"code": parent_code})
            continue
        for messages in region_code_errors(kind=kind, code=code, parent=parent).values():
            errors.extend(f"{code}: {m}" for m in messages)
    if errors:
        raise DomainError(errors[0], field="code", errors={"code": errors})

    audit_items: list[tuple[str, Region, dict[str, Any]]] = []
    with transaction.atomic():
        for length in sorted({len(c) for c in codes}):
            new: list[Region] = []
            for code, name, kind, parent_code in (s for s in specs if len(s[0]) == length):
                parent = known[parent_code] if parent_code else None
                region = known.get(code)
                if region is None:
                    region = Region(
                        code=code,
                        name=name,
                        kind=kind,
                        parent=parent,
                        search_text=search_text(name),
                    )
                    new.append(region)
                elif (region.name, region.kind, region.parent_id) != (
                    name,
                    kind,
                    parent.pk if parent else None,
                ):
                    before = snapshot(region)
                    region.name, region.kind, region.parent = name, kind, parent
                    region.save()
                    after = snapshot(region)
                    audit_items.append((AuditAction.UPDATE, region, diff(before, after)))
                    result.updated += 1
                else:
                    result.unchanged += 1
            for region in Region.objects.bulk_create(new, batch_size=1000):
                known[region.code] = region
                audit_items.append(
                    (
                        AuditAction.CREATE,
                        region,
                        {k: [None, v] for k, v in snapshot(region).items() if v is not None},
                    )
                )
            result.created += len(new)
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
