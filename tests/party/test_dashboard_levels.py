"""A village's party-building dashboard says yes or no where a township's gives a ratio: whether
its secretary is also its director, and whether it has a reserve candidate for secretary."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.conftest import client_for, make_household, make_person
from tests.party.conftest import full_member
from zhenxing.party.models import OrganizationKind
from zhenxing.party.services import cadres, organizations


def test_a_village_says_yes_or_no_and_a_township_gives_the_ratio(world) -> None:
    branch = organizations.organization_create(
        actor=world.city,
        name="沙坡村党支部",
        kind=OrganizationKind.VILLAGE_BRANCH,
        villages=[world.village_a],
    )
    home = make_household(world, "HA-1")
    secretary = make_person(world, home, "张德明", seq=1, relation="head")
    full_member(secretary, branch, dt.date(2015, 7, 1))
    for post in ("party_secretary", "director"):
        cadres.position_appoint(
            actor=world.city,
            village=world.village_a,
            person=secretary,
            post=post,
            started_on=dt.date(2022, 1, 1),
        )
    client = client_for(world.city)
    village = client.get(reverse("party:dashboard"), {"region": world.village_a.code})
    body = village.content.decode()
    assert 'data-figure="one_shoulder">是<' in body
    assert 'data-figure="has_reserve_secretary">否<' in body
    assert 'data-figure="one_shoulder_ratio"' not in body
    township = client.get(reverse("party:dashboard"), {"region": world.township_a.code})
    body = township.content.decode()
    assert 'data-figure="one_shoulder_ratio">50%<' in body  # one of its two villages
    assert 'data-figure="villages_without_reserve_secretary">2<' in body
