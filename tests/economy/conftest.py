"""Books for the test villages: a collective economic organisation in 沙坡村 and one in 龙井村
(another township), and a second cadre in 沙坡村 to approve what the first prepares."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import World, make_region, make_user
from zhenxing.core.accounts.roles import Role
from zhenxing.core.regions.models import RegionKind
from zhenxing.economy import services
from zhenxing.economy.models import CollectiveOrganization, Industry
from zhenxing.economy.services import (
    LineIn,
    company_create,
    contract_create,
    distribution_plan_propose,
    entities,
    industry_scale_set,
    organization_create,
    support_record_add,
    supported_village_designate,
    voucher_post,
    voucher_prepare,
)


@dataclass
class Books:
    world: World
    org_a: CollectiveOrganization
    org_b: CollectiveOrganization
    accountant_a: Any  # a second cadre of 沙坡村: approves what cadre_a prepares


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Services' messages in English for the assertions, whatever an earlier test activated
    (pages still answer in the language each request asks for)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def books(world: World) -> Books:
    org_a = entities.organization_create(
        actor=world.city, village=world.village_a, name="沙坡村股份经济合作社"
    )
    org_b = entities.organization_create(
        actor=world.city, village=world.village_b, name="龙井村股份经济合作社"
    )
    accountant = make_user("accountant_a", Role.VILLAGE_CADRE, world.village_a)
    return Books(world, org_a, org_b, accountant)


def post(
    books: Books,
    lines: list[tuple[str, str | int, str | int]],
    *,
    date: dt.date = dt.date(2020, 3, 15),
    organization: CollectiveOrganization | None = None,
    summary: str = "收到土地租金",
) -> Any:
    """Prepare as cadre_a (or the city for another village) and post as the accountant."""
    org = organization or books.org_a
    preparer = books.world.cadre_a if org == books.org_a else books.world.city
    approver = books.accountant_a if org == books.org_a else books.world.officer_b
    voucher = services.voucher_prepare(
        actor=preparer,
        organization=org,
        date=date,
        summary=summary,
        lines=[LineIn(a, Decimal(str(d)), Decimal(str(c))) for a, d, c in lines],
    )
    return services.voucher_post(actor=approver, voucher=voucher)


# --- one of every listed thing, for scope, API and query-count tests -------------------------

_serial = itertools.count(300)


def fill(books: Books, organization: Any, company: Any) -> None:
    """One of every listed thing for an organisation of township A's (or B's)."""
    world = books.world
    village = organization.village
    officer = world.city  # the company is the city's: only the city sees both sides
    approver = (
        world.officer_a if village.code.startswith(world.township_a.code) else world.officer_b
    )
    voucher = voucher_prepare(
        actor=world.city,
        organization=organization,
        date=dt.date(2020, 3, 15),
        summary="收到土地租金",
        lines=[LineIn("102", debit="1000"), LineIn("501", credit="1000")],
    )
    voucher_post(actor=approver, voucher=voucher)
    distribution_plan_propose(
        actor=world.city, organization=organization, year=2020, reserve="0", dividend_per_share="0"
    )
    contract_create(
        actor=officer,
        company=company,
        organization=organization,
        kind="guaranteed_purchase",
        guaranteed_price="3.20",
        signed_on=dt.date(2020, 1, 1),
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2022, 12, 31),
        amount="10000",
    )
    industry_scale_set(
        actor=officer,
        village=village,
        industry=Industry.objects.order_by("pk").first(),
        year=2020,
        area_mu="120",
        households=30,
    )
    supported = supported_village_designate(actor=officer, village=village, year=2020)
    support_record_add(
        actor=officer,
        supported=supported,
        form="funding",
        date=dt.date(2020, 5, 1),
        source="市财政",
        amount="5000",
    )


def new_organization(books: Books) -> Any:
    """Another village of township A with its organisation."""
    n = next(_serial)
    village = make_region(f"520281004{n}", f"村{n}", RegionKind.VILLAGE, books.world.township_a)
    return organization_create(actor=books.world.city, village=village, name=f"村{n}合作社")


@pytest.fixture
def company(books: Books) -> Any:
    return company_create(
        actor=books.world.city,
        region=books.world.county,
        name="盘州市刺梨产业发展有限公司",
        kind="city",
        uscc="91520281MA6DKQ1X26",
        legal_representative="王建华",
    )
