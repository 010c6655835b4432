"""Every write in the economy is audited, bulk paths included (issue 12)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from tests.conftest import make_household
from tests.economy.conftest import Books, post
from zhenxing.core.audit.models import AuditAction, AuditEntry
from zhenxing.economy.models import Dividend
from zhenxing.economy.services import distribution


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
