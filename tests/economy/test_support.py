"""Contracts, industries and key supported villages: the rules, the pages, the exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.economy.conftest import Books
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.economy.models import Industry, LinkageContract, SupportRecord
from zhenxing.economy.selectors import support as support_selectors
from zhenxing.economy.services import entities, support

CODE = "91520281MA6DKQ1X26"  # a valid unified social credit code


@pytest.fixture
def company(books: Books):  # type: ignore[no-untyped-def]
    return entities.company_create(
        actor=books.world.officer_a,
        region=books.world.township_a,
        name="红果刺梨产业有限公司",
        kind="township",
        uscc=CODE,
        legal_representative="王建华",
        villages=[books.world.village_a],
    )


def test_a_contract_links_a_company_and_a_cooperative(books: Books, company) -> None:  # type: ignore[no-untyped-def]
    common = {
        "actor": books.world.officer_a,
        "company": company,
        "organization": books.org_a,
        "signed_on": dt.date(2020, 2, 1),
        "starts_on": dt.date(2020, 3, 1),
        "amount": "200000",
    }
    with pytest.raises(DomainError, match="ends after it starts"):
        entities.contract_create(kind="order_farming", ends_on=dt.date(2020, 2, 1), **common)
    with pytest.raises(DomainError, match="states its price"):
        entities.contract_create(kind="guaranteed_purchase", ends_on=dt.date(2022, 2, 28), **common)
    contract = entities.contract_create(
        kind="guaranteed_purchase",
        ends_on=dt.date(2022, 2, 28),
        guaranteed_price="3.20",
        unit="公斤",
        households=86,
        **common,
    )
    assert contract.guaranteed_price == Decimal("3.20")
    with pytest.raises(NotFound):
        entities.contract_create(
            **(common | {"actor": books.world.officer_b}),
            kind="labour",
            ends_on=dt.date(2021, 1, 1),
        )
    with pytest.raises(Forbidden):
        entities.contract_create(
            **(common | {"actor": books.world.auditor_a}),
            kind="labour",
            ends_on=dt.date(2021, 1, 1),
        )
    assert LinkageContract.objects.count() == 1


def test_industry_scale_adds_up_by_industry_and_exports(books: Books) -> None:
    cili = Industry.objects.get(name="刺梨")
    for village, area in ((books.world.village_a, "120.5"), (books.world.village_a2, "80")):
        support.industry_scale_set(
            actor=books.world.officer_a,
            village=village,
            industry=cili,
            year=2020,
            area_mu=area,
            output="50",
            output_value="100000",
            households=30,
        )
    with pytest.raises(DomainError, match="never negative"):
        support.industry_scale_set(
            actor=books.world.officer_a,
            village=books.world.village_a,
            industry=cili,
            year=2020,
            area_mu="-1",
        )
    summary = {
        r["industry"].name: r
        for r in support_selectors.industry_summary(region=books.world.township_a, year=2020)
    }
    assert summary["刺梨"]["villages"] == 2 and summary["刺梨"]["area"] == Decimal("200.50")
    assert summary["核桃"]["villages"] == 0
    response = client_for(books.world.officer_a).get(
        reverse("economy:industries"), {"year": 2020, "format": "xlsx"}
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    cili_row = next(r for r in rows if r[0] == "刺梨")
    assert cili_row[2] == 2 and Decimal(str(cili_row[3])) == Decimal("200.5")


def test_key_supported_villages_get_support_in_five_forms(books: Books) -> None:
    supported = support.supported_village_designate(
        actor=books.world.officer_a, village=books.world.village_a, year=2020, reason="集体经济薄弱"
    )
    with pytest.raises(DomainError, match="already a key supported village"):
        support.supported_village_designate(
            actor=books.world.officer_a, village=books.world.village_a, year=2020
        )

    def record(form: str, actor=books.world.officer_a, **details):  # type: ignore[no-untyped-def]
        details.setdefault("source", "市财政衔接资金")
        return support.support_record_add(
            actor=actor, supported=supported, form=form, date=dt.date(2020, 4, 1), **details
        )

    with pytest.raises(DomainError, match="states its amount"):
        record("funding")
    record("funding", amount="300000")
    record("technical", source="市农业农村局", description="刺梨修剪技术指导")
    with pytest.raises(Forbidden):
        record("training", actor=books.world.cadre_a, source="x")
    [row] = support_selectors.support_summary(actor=books.world.city, year=2020)
    assert row["total"] == Decimal("300000.00") and row["records"] == 2
    assert row["by_form"]["technical"] == 0 and row["by_form"]["funding"] == Decimal("300000.00")
    assert support_selectors.support_summary(actor=books.world.officer_b, year=2020) == []
    page = client_for(books.world.officer_a).get(
        reverse("economy:supported_villages"), {"year": 2020}
    )
    assert f'data-total="{books.world.village_a.code}">300,000.00<' in page.content.decode()
    assert SupportRecord.objects.count() == 2
