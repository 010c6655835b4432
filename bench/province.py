"""The province-scale set for ``make bench-pages``: the dashboards timed over 15,000 villages.

Guizhou has about 15,000 administrative villages. Zhenxing's jurisdiction tree is rooted at a
county-level city (DESIGN: one deployment per city), so this set puts a province's number of
villages under one synthetic root, ``520000`` (贵州省, 规模基准): 750 townships of 20
villages, three villager groups each. What the dashboards read is built by the demo's own
loaders, through the services, with their audit rows:

- the regions by ``upsert_regions``;
- residents by the registry demo at its small scale (1–2 households per villager group, about
  68,000 households and 270,000 persons), so party members and cadres are real residents;
- party building by the party demo (organisations, members through the pipeline, the two
  committees, reserve talent, training) over every village;
- the collective economy's summary table (``YearFigures``, one row per organisation and year,
  2016–2025) written in bulk: the city's demo posts vouchers to build it (a million lines for
  451 villages), which at 15,000 villages would take longer than the whole benchmark. The
  dashboards read only this table, so their work is the same as over posted books.

Logins: ``province`` (city administrator at the root), ``ptownship`` (township officer of the
first township) and ``pauditor`` (auditor at the root).
"""

from __future__ import annotations

import random
import time
from typing import Any

ROOT = "520000"
TOWNSHIPS = 750
VILLAGES_PER_TOWNSHIP = 20
GROUPS_PER_VILLAGE = 3
YEARS = range(2016, 2026)
SEED = 52


def region_specs() -> list[tuple[str, str, str, str | None]]:
    """The synthetic province: ``(code, name, kind, parent_code)``, parents first, named from
    the city demo's syllables of Guizhou place names."""
    from zhenxing.demo.regions import _FIRST, _LAST, _NUMERALS

    rng = random.Random(SEED)
    specs: list[tuple[str, str, str, str | None]] = [(ROOT, "贵州省（规模基准）", "county", None)]
    for t in range(1, TOWNSHIPS + 1):
        township = f"{ROOT}{t:03d}"
        specs.append((township, f"{rng.choice(_FIRST)}{rng.choice(_LAST)}{t}镇", "township", ROOT))
        for v in range(VILLAGES_PER_TOWNSHIP):
            village = f"{township}{200 + v}"
            name = f"{rng.choice(_FIRST)}{rng.choice(_FIRST)}{rng.choice(_LAST)}村"
            specs.append((village, name, "village", township))
            for g in range(GROUPS_PER_VILLAGE):
                specs.append((f"{village}{g + 1:03d}", f"{_NUMERALS[g]}组", "group", village))
    return specs


def build(stdout: Any = None) -> dict[str, Any]:
    """Build the set in the configured database (empty, migrated)."""
    from django.db import transaction

    from zhenxing.core.accounts.models import User
    from zhenxing.core.accounts.roles import Role
    from zhenxing.core.audit.context import audit_context
    from zhenxing.core.regions.loaders import upsert_regions
    from zhenxing.core.regions.models import Region, RegionKind
    from zhenxing.demo.accounts import demo_password
    from zhenxing.economy.models import CollectiveOrganization, YearFigures
    from zhenxing.party.demo import demo_party_load
    from zhenxing.registry.demo import demo_registry_load

    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = round(time.perf_counter() - started - sum(timings.values()), 1)
        if stdout is not None:
            stdout.write(f"province set: {name} done, {timings[name]} s\n")

    with audit_context(source="command"):
        upsert_regions(actor="bench", specs=region_specs())
        lap("regions")
        demo_registry_load(scale="small", county_code=ROOT, stdout=stdout)
        lap("registry")
        rng = random.Random(SEED)
        with transaction.atomic():
            villages = list(
                Region.objects.filter(kind=RegionKind.VILLAGE, code__startswith=ROOT).order_by(
                    "code"
                )
            )
            organizations = CollectiveOrganization.objects.bulk_create(
                (
                    CollectiveOrganization(
                        village=v,
                        county_code=ROOT,
                        name=f"{v.name}股份经济合作社",
                        uscc=f"N2520000MA{i:08d}",
                        legal_representative=v.name[:1] + "书记",
                        established_on="2015-06-01",
                    )
                    for i, v in enumerate(villages)
                ),
                batch_size=2000,
            )
            figures = []
            for org in organizations:
                # A spread from hollow villages to strong and rich ones, growing over the years.
                level = rng.lognormvariate(11.0, 1.0)  # yuan a year
                for year in YEARS:
                    growth = 1 + 0.08 * (year - YEARS[0])
                    figures.append(
                        YearFigures(
                            organization=org,
                            year=year,
                            accumulation_change_fen=int(level * growth * rng.uniform(0.3, 1.2))
                            * 100,
                            operating_income_fen=int(level * growth * rng.uniform(0.5, 1.5)) * 100,
                        )
                    )
            YearFigures.objects.bulk_create(figures, batch_size=5000)
        lap("economy")
        first_township = f"{ROOT}001"
        demo_party_load(township_code=first_township)
        lap("party")
        password = demo_password()
        root = Region.objects.get(code=ROOT)
        township = Region.objects.get(code=first_township)
        for username, role, region in (
            ("province", Role.CITY_ADMIN, root),
            ("ptownship", Role.TOWNSHIP_OFFICER, township),
            ("pauditor", Role.AUDITOR, root),
        ):
            user = User(username=username, full_name=username, role=role, region=region)
            user.set_password(password)
            user.save()
    return {"seconds": round(time.perf_counter() - started), **timings}
