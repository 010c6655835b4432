"""A village's party-building dashboard says yes or no where a township's gives a ratio: whether
its secretary is also its director, and whether it has a reserve candidate for secretary."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.conftest import client_for, make_household, make_person
from tests.party.conftest import full_member
from zhenxing.party.models import OrganizationKind, PartyMember, PipelineException, Stage
from zhenxing.party.selectors import summary
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


def test_the_dashboard_counts_the_worklist_by_its_own_rules(world, party) -> None:
    applicant, activist, probationer = party.residents_a[:3]
    PartyMember.objects.create(
        person=applicant,
        organization=party.org_a,
        stage=Stage.APPLICANT,
        applied_on=dt.date(2024, 1, 31),
    )
    for person, stage, changes in (
        (activist, Stage.ACTIVIST, {"activist_on": dt.date(2023, 3, 1)}),
        (probationer, Stage.PROBATIONARY, {"probationary_on": dt.date(2023, 5, 10)}),
    ):
        member = full_member(person, party.org_a, dt.date(2020, 1, 1))
        member.stage, member.full_on = stage, None
        for field, value in changes.items():
            setattr(member, field, value)
        member.save()
    PipelineException.objects.create(
        member=party.full_a[0], stage=Stage.FULL, reason="抗洪表现突出", approved_by=world.city
    )
    # Before, on and after each deadline: the activist ready from 2024-03-01, the conversion
    # due from 2024-04-10 and overdue from 2024-05-11.
    for day in ("2024-02-29", "2024-03-01", "2024-04-09", "2024-04-10", "2024-05-11"):
        today = dt.date.fromisoformat(day)
        for actor, region in ((world.officer_a, world.township_a), (world.city, world.county)):
            items = summary.pipeline_worklist(actor=actor, region=region, today=today)
            size = summary.pipeline_worklist_size(actor=actor, region=region, today=today)
            assert size == len(items), (day, [i.kind for i in items])
    assert summary.pipeline_worklist_size(actor=world.officer_b, region=world.township_b) == 0
    page = client_for(world.officer_a).get(reverse("party:dashboard")).content.decode()
    n = summary.pipeline_worklist_size(actor=world.officer_a, region=world.township_a)
    assert n == 4 and f"待办事项{n}项" in page
