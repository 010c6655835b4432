"""The party API's lists (issue 12, item 4): organisations, members, the pipeline worklist,
cadre posts, reserve talent, training sessions and attendance. Each is scoped (the other
township's officer sees none of them), filtered by the page's FilterSet (a bad value is a 400
naming the parameter), paginated, and costs the same queries however many rows it lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import World
from tests.party.conftest import Party
from zhenxing.party.models import Course
from zhenxing.party.services import cadres, training

SINCE = dt.date(2021, 6, 1)

LISTS = [
    "/api/v1/party/organizations/",
    "/api/v1/party/members/",
    "/api/v1/party/worklist/",
    "/api/v1/party/positions/",
    "/api/v1/party/talent/",
    "/api/v1/party/sessions/",
    "/api/v1/party/attendance/",
]


def _township_a(world: World, party: Party, extra: int = 0) -> None:
    """Posts, reserve talent, a session held in 红果街道 and its attendance (``extra`` more
    cadres and applicants, for the query counts); one applicant whose talk is overdue."""
    from zhenxing.party.services import pipeline

    residents = party.residents_a
    posts = [
        cadres.position_appoint(
            actor=world.city,
            village=world.village_a,
            person=party.full_a[0].person,
            post="party_secretary",
            started_on=SINCE,
        ),
        cadres.position_appoint(
            actor=world.city,
            village=world.village_a,
            person=residents[0],
            post="director",
            started_on=SINCE,
        ),
    ]
    for person in residents[1 : 1 + extra]:
        posts.append(
            cadres.position_appoint(
                actor=world.city,
                village=world.village_a,
                person=person,
                post="group_leader",
                started_on=SINCE,
            )
        )
    cadres.talent_add(
        actor=world.city,
        village=world.village_a,
        person=residents[-1],
        source="returning_migrant",
        track="youth_to_member",
        since=SINCE,
    )
    for person in residents[-1 - extra : -1] if extra else residents[-2:-1]:
        pipeline.member_apply(
            actor=world.city,
            person=person,
            organization=party.org_a,
            applied_on=dt.date(2024, 1, 5),
        )
    session = training.session_schedule(
        actor=world.officer_a,
        region=world.township_a,
        course=Course.objects.get(code="C01"),
        mode="offline",
        starts_on=dt.date(2024, 5, 10),
        place="红果街道党群服务中心",
        trainers="市委党校 王老师",
    )
    training.attendance_record(
        actor=world.officer_a, session=session, entries=[(p, "completed") for p in posts]
    )


@pytest.mark.parametrize("url", LISTS)
def test_a_list_shows_the_callers_township_and_not_the_other(
    world: World, party: Party, as_user, url: str
) -> None:
    _township_a(world, party)
    mine = as_user(world.officer_a).get(url)
    assert mine.status_code == 200, mine.content
    body = mine.json()
    assert body["count"] >= 1 and body["items"]
    # The other township's officer sees none of 红果街道's rows.
    theirs = as_user(world.officer_b).get(url).json()
    names = {str(item.get("name", "")) for item in body["items"]}
    assert not names & {str(item.get("name", "")) for item in theirs["items"]} - {""}
    if url.endswith(("positions/", "talent/", "sessions/", "attendance/", "worklist/")):
        assert theirs["count"] == 0


def test_the_lists_answer_what_the_rows_hold(world: World, party: Party, as_user) -> None:
    _township_a(world, party)
    c = as_user(world.officer_a)
    positions = c.get("/api/v1/party/positions/", {"post": "director"}).json()["items"]
    assert [(p["village"], p["post"], p["ended_on"]) for p in positions] == [
        (world.village_a.code, "director", None)
    ]
    members = c.get("/api/v1/party/members/", {"stage": "full"}).json()
    assert members["count"] == 3 and {m["organization"] for m in members["items"]} == {
        party.org_a.pk
    }
    work = c.get("/api/v1/party/worklist/", {"kind": "talk_overdue"}).json()["items"]
    assert [w["kind"] for w in work] == ["talk_overdue"]
    sessions = c.get("/api/v1/party/sessions/", {"year": 2024}).json()["items"]
    assert [s["course"] for s in sessions] == ["C01"]
    assert c.get("/api/v1/party/sessions/", {"year": 2023}).json()["count"] == 0
    attended = c.get("/api/v1/party/attendance/", {"session": sessions[0]["id"]}).json()
    assert attended["count"] == 2
    orgs = c.get("/api/v1/party/organizations/", {"region": world.village_a2.code}).json()
    assert [o["name"] for o in orgs["items"]] == [party.org_a2.name]


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        ("/api/v1/party/organizations/", {"kind": "bogus"}, "kind"),
        ("/api/v1/party/organizations/", {"region": "not-a-code"}, "region"),
        ("/api/v1/party/members/", {"organization": "10" * 12}, "organization"),
        ("/api/v1/party/members/", {"stage": "bogus"}, "stage"),
        ("/api/v1/party/worklist/", {"kind": "bogus"}, "kind"),
        ("/api/v1/party/positions/", {"post": "emperor"}, "post"),
        ("/api/v1/party/talent/", {"track": "bogus"}, "track"),
        ("/api/v1/party/sessions/", {"year": "1066"}, "year"),
        ("/api/v1/party/attendance/", {"result": "bogus"}, "result"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(
    world: World, party: Party, as_user, url: str, params: dict, name: str
) -> None:
    response = as_user(world.officer_a).get(url, params)
    assert response.status_code == 400, response.content
    assert name in response.content.decode()


def test_the_worklist_of_a_region_outside_scope_is_not_found(
    world: World, party: Party, as_user
) -> None:
    c = as_user(world.officer_a)
    assert c.get("/api/v1/party/worklist/", {"region": world.township_b.code}).status_code == 404
    assert c.get("/api/v1/party/worklist/", {"region": world.county.code}).status_code == 404


def test_a_list_is_paginated_within_bounds(world: World, party: Party, as_user) -> None:
    c = as_user(world.officer_a)
    page = c.get("/api/v1/party/members/", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert c.get("/api/v1/party/members/", {"offset": str(10**20)}).status_code == 400


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", LISTS)
def test_a_longer_list_costs_no_more_queries(world: World, party: Party, as_user, url) -> None:
    _township_a(world, party)
    c = as_user(world.officer_a)
    small = _queries(c, url)
    _more(world, party)
    assert _queries(c, url) <= small


def _more(world: World, party: Party) -> None:
    """More of every row: another post, applicants, a second session with its attendance."""
    from zhenxing.party.services import pipeline

    extra = [
        cadres.position_appoint(
            actor=world.city,
            village=world.village_a,
            person=person,
            post="group_leader",
            started_on=SINCE,
        )
        for person in party.residents_a[1:3]
    ]
    for person in party.residents_a[2:4]:
        pipeline.member_apply(
            actor=world.city,
            person=person,
            organization=party.org_a2,
            applied_on=dt.date(2024, 2, 5),
        )
        cadres.talent_add(
            actor=world.city,
            village=world.village_a2,
            person=person,
            source="returning_migrant",
            track="youth_to_member",
            since=SINCE,
        )
    session = training.session_schedule(
        actor=world.officer_a,
        region=world.township_a,
        course=Course.objects.get(code="C02"),
        mode="offline",
        starts_on=dt.date(2024, 6, 10),
        place="红果街道党群服务中心",
        trainers="市委党校 李老师",
    )
    training.attendance_record(
        actor=world.officer_a, session=session, entries=[(p, "completed") for p in extra]
    )
