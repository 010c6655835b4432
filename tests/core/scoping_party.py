"""Scoping-matrix cases for the party-building overview, organisations, pipeline, cadres and
talent pages and the summary API; registered by importing this module from
``tests/core/test_scoping_matrix.py``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.conftest import World, make_household, make_person
from tests.core.test_scoping_matrix import api_route, text, web
from zhenxing.party.models import PartyMember, PartyOrganization, Stage
from zhenxing.party.services import cadres, organizations


def _branches(w: World) -> tuple[PartyOrganization, PartyOrganization, PartyMember, PartyMember]:
    """A branch and an applicant in 沙坡村 (township A) and in 龙井村 (township B)."""
    org_a = organizations.organization_create(
        actor=w.city, name="沙坡村党支部", kind="village_branch", villages=[w.village_a]
    )
    org_b = organizations.organization_create(
        actor=w.city, name="龙井村党支部", kind="village_branch", villages=[w.village_b]
    )
    person_a = make_person(w, make_household(w, "PA-1"), "沙坡申请人", seq=21)
    person_b = make_person(w, make_household(w, "PB-1", w.village_b), "龙井申请人", seq=23)
    applied = dt.date(2024, 1, 2)
    member_a = PartyMember.objects.create(
        person=person_a, organization=org_a, stage=Stage.APPLICANT, applied_on=applied
    )
    member_b = PartyMember.objects.create(
        person=person_b, organization=org_b, stage=Stage.APPLICANT, applied_on=applied
    )
    return org_a, org_b, member_a, member_b


@web("party:dashboard")
def _party_dashboard(w: World, as_user) -> None:
    _branches(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("party:dashboard")))
    assert w.village_a.name in body and w.village_b.name not in body
    assert c.get(reverse("party:dashboard"), {"region": w.township_b.code}).status_code == 404
    assert c.get(reverse("party:dashboard"), {"region": w.county.code}).status_code == 404
    sheet = text(c.get(reverse("party:dashboard"), {"format": "xlsx"}))
    assert w.village_a.name in sheet and w.village_b.name not in sheet


@web("party:organizations")
def _party_organizations(w: World, as_user) -> None:
    _branches(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("party:organizations")))
    assert "沙坡村党支部" in body and "龙井村党支部" not in body
    assert c.get(reverse("party:organizations"), {"region": w.township_b.code}).status_code == 404
    sheet = text(c.get(reverse("party:organizations"), {"format": "xlsx"}))
    assert "沙坡村党支部" in sheet and "龙井村党支部" not in sheet


@web("party:organization_detail")
def _party_organization(w: World, as_user) -> None:
    org_a, org_b, *_ = _branches(w)
    c = as_user(w.officer_a)
    assert "沙坡申请人" in text(c.get(reverse("party:organization_detail", args=[org_a.pk])))
    assert c.get(reverse("party:organization_detail", args=[org_b.pk])).status_code == 404
    assert (
        c.get(reverse("party:organization_detail", args=[org_b.pk]), {"format": "xlsx"}).status_code
        == 404
    )
    form = {"id_number": "x", "applied_on": "2024-01-01"}
    assert c.post(reverse("party:organization_detail", args=[org_b.pk]), form).status_code == 404


@web("party:worklist")
def _party_worklist(w: World, as_user) -> None:
    _branches(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("party:worklist")))
    assert "沙坡申请人" in body and "龙井申请人" not in body
    assert c.get(reverse("party:worklist"), {"region": w.township_b.code}).status_code == 404


@web("party:member_detail")
def _party_member(w: World, as_user) -> None:
    _org_a, _org_b, member_a, member_b = _branches(w)
    c = as_user(w.officer_a)
    assert "沙坡申请人" in text(c.get(reverse("party:member_detail", args=[member_a.pk])))
    assert c.get(reverse("party:member_detail", args=[member_b.pk])).status_code == 404
    talk = {"talk": "1", "talked_on": "2024-01-10"}
    assert c.post(reverse("party:member_detail", args=[member_b.pk]), talk).status_code == 404
    member_b.refresh_from_db()
    assert member_b.talked_on is None


@web("party:readiness")
def _party_readiness(w: World, as_user) -> None:
    _org_a, _org_b, _member_a, member_b = _branches(w)
    cadres.position_appoint(
        actor=w.city,
        village=w.village_b,
        person=member_b.person,
        post="director",
        started_on=dt.date(2022, 1, 1),
    )
    c = as_user(w.officer_a)
    body = text(c.get(reverse("party:readiness")))
    assert w.village_a.name in body and w.village_b.name not in body and "龙井申请人" not in body
    assert c.get(reverse("party:readiness"), {"region": w.township_b.code}).status_code == 404
    sheet = text(c.get(reverse("party:readiness"), {"format": "xlsx"}))
    assert w.village_a.name in sheet and w.village_b.name not in sheet


@web("party:talent")
def _party_talent(w: World, as_user) -> None:
    _org_a, _org_b, member_a, member_b = _branches(w)
    for village, member in ((w.village_a, member_a), (w.village_b, member_b)):
        cadres.talent_add(
            actor=w.city,
            village=village,
            person=member.person,
            source="entrepreneur",
            track="youth_to_member",
            since=dt.date(2024, 3, 1),
        )
    c = as_user(w.officer_a)
    body = text(c.get(reverse("party:talent")))
    assert "沙坡申请人" in body and "龙井申请人" not in body
    assert c.get(reverse("party:talent"), {"region": w.township_b.code}).status_code == 404
    sheet = text(c.get(reverse("party:talent"), {"format": "xlsx"}))
    assert "沙坡申请人" in sheet and "龙井申请人" not in sheet


@api_route("GET /api/v1/party/summary")
def _api_party_summary(w: World, as_user) -> None:
    _branches(w)
    c = as_user(w.officer_a)
    own = c.get("/api/v1/party/summary").json()
    assert own["pipeline"]["applicant"] == 1 and own["organizations"] == 1
    assert c.get("/api/v1/party/summary", {"region": w.township_b.code}).status_code == 404
    assert c.get("/api/v1/party/summary", {"region": w.village_b.code}).status_code == 404
