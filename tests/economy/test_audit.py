"""Every write in the economy is audited, bulk paths included (issue 12)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from tests.conftest import make_household
from tests.economy.conftest import Books, post
from zhenxing.core.audit.models import AuditAction, AuditEntry
from zhenxing.economy.models import Dividend
from zhenxing.economy.services import company_create, distribution


def test_dividends_created_when_a_plan_takes_effect_are_audited(books: Books) -> None:
    world = books.world
    for number, shares in (("SP-001", "3"), ("SP-002", "5")):
        distribution.shareholding_set(
            actor=world.cadre_a,
            organization=books.org_a,
            household=make_household(world, number),
            shares=shares,
        )
    post(books, [("102", "20000", 0), ("321", 0, "20000")], date=dt.date(2020, 12, 31))
    plan = distribution.distribution_plan_propose(
        actor=world.cadre_a,
        organization=books.org_a,
        year=2020,
        reserve="4000",
        dividend_per_share="1000",
    )
    plan = distribution.distribution_plan_approve(actor=books.accountant_a, plan=plan)
    distribution.distribution_plan_approve(actor=world.officer_a, plan=plan)
    dividends = list(Dividend.objects.order_by("pk"))
    assert len(dividends) == 2
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Dividend), action=AuditAction.CREATE
    )
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        str(d.pk) for d in dividends
    )
    assert {e.actor_id for e in entries} == {world.officer_a.pk}
    assert {e.region_code for e in entries} == {world.village_a.code}
    amounts = {e.object_id: e.changes["amount"][1] for e in entries}
    assert amounts == {str(d.pk): str(d.amount) for d in dividends}


def test_a_vouchers_creation_entry_records_its_lines(books: Books) -> None:
    voucher = post(books, [("102", "100", 0), ("501", 0, "100")])
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(type(voucher)),
        object_id=str(voucher.pk),
        action=AuditAction.CREATE,
    )
    assert entry.changes["lines"] == [None, [["102", "100.00", "0.00"], ["501", "0.00", "100.00"]]]


def test_a_companys_creation_entry_records_the_villages_it_serves(books: Books) -> None:
    world = books.world
    company = company_create(
        actor=world.officer_a,
        region=world.township_a,
        name="红果刺梨产业有限公司",
        kind="township",
        uscc="91520281MA6DKQ1X26",
        legal_representative="王建华",
        villages=[world.village_a, world.village_a2],
    )
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(type(company)), object_id=str(company.pk)
    )
    assert entry.changes["villages"] == [
        None,
        sorted([world.village_a.code, world.village_a2.code]),
    ]
    assert entry.changes["name"] == [None, "红果刺梨产业有限公司"]
