"""Party-building fixtures on top of the shared ``world``: a joint committee over 红果街道's two
villages, a branch in each village (and in 龙井村 of the other township), three full members in
沙坡村's branch and one in 龙井村's, and residents not yet in the pipeline.

Members are created directly at their stage (as the demo and an import of an existing roll do);
the pipeline's own steps are what the tests exercise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import translation

from tests.conftest import World, client_for, make_household, make_person
from zhenxing.party.models import OrganizationKind, PartyMember, PartyOrganization, Stage
from zhenxing.party.services import organizations
from zhenxing.registry.models import Person


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def as_user():
    """Logged-in clients that read the pages in English (the language cookie a user's switch
    sets), so the tests compare the messages as written."""

    def client(user):
        c = client_for(user)
        c.cookies["django_language"] = "en"
        return c

    return client


@dataclass
class Party:
    joint: PartyOrganization
    org_a: PartyOrganization  # 沙坡村党支部
    org_a2: PartyOrganization  # 竹箐村党支部
    org_b: PartyOrganization  # 龙井村党支部 (the other township)
    full_a: list[PartyMember]  # three full members of org_a
    full_b: PartyMember
    residents_a: list[Person]  # 沙坡村 residents, none in the pipeline
    resident_b: Person


def full_member(person: Person, organization: PartyOrganization, since: dt.date) -> PartyMember:
    """A full member of long standing, as an imported roll would hold them."""
    return PartyMember.objects.create(
        person=person,
        organization=organization,
        stage=Stage.FULL,
        applied_on=since - dt.timedelta(days=1200),
        talked_on=since - dt.timedelta(days=1190),
        activist_on=since - dt.timedelta(days=1100),
        target_on=since - dt.timedelta(days=700),
        probationary_on=since - dt.timedelta(days=366),
        full_on=since,
    )


@pytest.fixture
def party(world: World) -> Party:
    make = organizations.organization_create
    joint = make(
        actor=world.city,
        name="红果联村党委",
        kind=OrganizationKind.JOINT_COMMITTEE,
        villages=[world.village_a, world.village_a2],
    )
    org_a = make(
        actor=world.city,
        name="沙坡村党支部",
        kind=OrganizationKind.VILLAGE_BRANCH,
        villages=[world.village_a],
        parent=joint,
    )
    org_a2 = make(
        actor=world.city,
        name="竹箐村党支部",
        kind=OrganizationKind.VILLAGE_BRANCH,
        villages=[world.village_a2],
        parent=joint,
    )
    org_b = make(
        actor=world.city,
        name="龙井村党支部",
        kind=OrganizationKind.VILLAGE_BRANCH,
        villages=[world.village_b],
    )
    home_a = make_household(world, "HA-1")
    home_b = make_household(world, "HB-1", village=world.village_b)
    names = ["张德明", "刘玉兰", "王小平", "李春花", "赵国强", "陈美玲", "杨光", "吴芳", "周杰"]
    people = [
        make_person(world, home_a, name, seq=i + 1, relation="head" if i == 0 else "other")
        for i, name in enumerate(names)
    ]
    resident_b = make_person(world, home_b, "龙井人", seq=41)
    elder_b = make_person(world, home_b, "龙井老党员", seq=43, relation="other")
    since = dt.date(2015, 7, 1)
    full_a = [full_member(p, org_a, since) for p in people[:3]]
    return Party(
        joint=joint,
        org_a=org_a,
        org_a2=org_a2,
        org_b=org_b,
        full_a=full_a,
        full_b=full_member(elder_b, org_b, since),
        residents_a=people[3:],
        resident_b=resident_b,
    )
