"""The demo city's collective economy reproduces the article's figures from real vouchers."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.test import Client

from tests.conftest import valid_id
from zhenxing.economy.demo import demo_economy_load
from zhenxing.economy.models import (
    ChartConversion,
    CollectiveOrganization,
    Company,
    Voucher,
    VoucherLine,
)
from zhenxing.economy.selectors.distribution import available_for_distribution
from zhenxing.economy.services.summaries import ledger_mismatches, to_fen
from zhenxing.registry.models import Ethnicity


@pytest.fixture
def demo_city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings) -> Client:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZHENXING_DEMO_PASSWORD", "demo-password-for-tests")
    settings.VAR_DIR = tmp_path
    call_command("demo", "--scale", "none", stdout=io.StringIO())
    demo_economy_load()
    client = Client()
    client.post("/login/", {"username": "city", "password": "demo-password-for-tests"})
    return client


@pytest.mark.django_db
def test_the_city_dashboard_shows_the_articles_figures(demo_city: Client) -> None:
    summary = demo_city.get("/api/v1/economy/summary").json()
    assert summary["year"] == 2020  # the last closed year
    assert summary["cooperatives"] == 451 and summary["villages"] == 451
    assert summary["companies"] == 53
    total = Decimal(summary["total_accumulation"])
    average = Decimal(summary["average_accumulation"])
    assert abs(total - 140_000_000) <= Decimal("0.01") * 140_000_000
    assert abs(average - 313_000) <= Decimal("0.01") * 313_000
    tiers = summary["tiers"]
    assert sum(tiers.values()) == 451
    assert tiers["hollow"] > 0 and tiers["rich"] >= 20 and tiers["strong"] > 0
    page = demo_city.get("/economy/").content.decode()
    assert 'data-figure="cooperatives">451<' in page
    assert 'data-figure="companies">53<' in page
    # One unit for the row of money figures: 万元, named in each label.
    assert 'data-unit="万元"' in page and "集体经济积累总额（万元）" in page
    assert re.search(r'data-figure="total_accumulation"[^>]*>1[34],\d{3}\.\d\d<', page)
    assert 'data-figure="average_accumulation"' in page and ">31.13<" in page  # per village


@pytest.mark.django_db
def test_the_figures_come_from_balanced_vouchers_over_five_years(demo_city: Client) -> None:
    years = set(Voucher.objects.values_list("year", flat=True))
    assert years == {2016, 2017, 2018, 2019, 2020}
    # Compared in fen: SQLite adds decimals as floats.
    sums = VoucherLine.objects.values_list("voucher").annotate(d=Sum("debit"), c=Sum("credit"))
    assert all(to_fen(d) == to_fen(c) for _v, d, c in sums)
    assert len(sums) == Voucher.objects.count()
    assert ledger_mismatches() == []
    per_village = CollectiveOrganization.objects.annotate(n=Count("vouchers"))
    assert per_village.filter(n=0).count() == 0
    assert Company.objects.filter(villages__isnull=False).distinct().count() == 53
    # 2016–2020 books follow the chart of their time (村集体经济组织会计制度, 2004), every line
    # on one of its accounts, and each year closes with a carry-forward into 本年收益 (321).
    assert set(CollectiveOrganization.objects.values_list("chart", flat=True)) == {"2004"}
    assert set(VoucherLine.objects.values_list("account__chart", flat=True)) == {"2004"}
    used = set(VoucherLine.objects.values_list("account__code", flat=True))
    assert used == {"102", "301", "321", "501", "502", "511", "522", "541", "561"}
    carried = Voucher.objects.filter(kind="carry_forward")
    assert carried.count() == 5 * 451
    assert set(carried.values_list("month", flat=True)) == {12}
    assert not Voucher.objects.filter(kind="ordinary", lines__account__code="321").exists()
    # Loading again adds nothing.
    assert demo_economy_load()["skipped"] is True


@pytest.mark.django_db
def test_the_township_officer_approves_the_demo_villages_plan(demo_city: Client) -> None:
    from zhenxing.core.accounts.models import User
    from zhenxing.economy.demo import demo_distribution_load
    from zhenxing.economy.models import DistributionPlan, Dividend
    from zhenxing.registry import services as registry

    cadre = User.objects.get(username="village")
    for number in ("D-001", "D-002"):
        household = registry.household_create(actor=cadre, village=cadre.region, number=number)
        registry.person_register(
            actor=cadre,
            household=household,
            name="王" + number[-1],
            id_number=valid_id(seq=int(number[-1]) * 2 + 1),
            ethnicity=Ethnicity.objects.get(code="01"),
            relation="head",
        )
    organization = CollectiveOrganization.objects.get(village=cadre.region)
    available = available_for_distribution(organization)
    loaded = demo_distribution_load()
    assert loaded["plans"] == 2
    # The township officer converted the village's books to the 2023 chart on 2024-01-01 from
    # their own balances first: the plans' vouchers post today under the new chart.
    organization.refresh_from_db()
    assert organization.chart == "2023"
    conversion = ChartConversion.objects.get(organization=organization)
    assert conversion.status == "effective"
    assert str(conversion.effective_on) == "2024-01-01"
    assert conversion.converted_by.username == "township"
    effective = DistributionPlan.objects.get(status="effective")
    assert effective.voucher is not None
    assert set(effective.voucher.lines.values_list("account__chart", flat=True)) == {"2023"}
    other = CollectiveOrganization.objects.exclude(pk=organization.pk)
    assert set(other.values_list("chart", flat=True)) == {"2004"}
    assert not ChartConversion.objects.exclude(organization=organization).exists()
    # The conversion moved the undistributed result to the new 本年收益, it did not change it.
    opening = conversion.voucher
    assert opening.kind == "opening"
    assert str(opening.date) == "2024-01-01"
    new_result = opening.lines.get(account__chart="2023", account__code="321")
    old_result = opening.lines.get(account__chart="2004", account__code="321")
    assert available > 0
    assert new_result.credit == old_result.debit == available
    waiting = DistributionPlan.objects.get(status="village_approved")
    township = Client()
    township.post("/login/", {"username": "township", "password": "demo-password-for-tests"})
    worklist = township.get("/economy/plans/", {"status": "village_approved"}).content.decode()
    assert f"/economy/plans/{waiting.pk}/" in worklist
    township.post(f"/economy/plans/{waiting.pk}/approve/")
    waiting.refresh_from_db()
    assert waiting.status == "effective"
    assert Dividend.objects.filter(plan=waiting).count() == 2
    assert ledger_mismatches() == []
