"""Books for the test villages: a collective economic organisation in 沙坡村 and one in 龙井村
(another township), and a second cadre in 沙坡村 to approve what the first prepares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import World, make_user
from zhenxing.core.accounts.roles import Role
from zhenxing.economy import services
from zhenxing.economy.models import CollectiveOrganization
from zhenxing.economy.services import LineIn, entities


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
