"""A township officer opens party building and finds what the change of term and the pipeline
ask of them: the 一肩挑 ratio, the villages with no reserve candidate for secretary, the
training coverage, and the worklist with its overdue steps, in a real browser, offline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import make_household, make_person
from tests.party.conftest import full_member
from zhenxing.party.models import Course, OrganizationKind, PartyMember, Stage
from zhenxing.party.services import cadres, organizations, training

pytestmark = pytest.mark.browser


def test_township_officer_sees_ratio_reserves_coverage_and_overdue_steps(
    transactional_db, world, open_session, artifacts_dir
):
    today = timezone.localdate()
    joint = organizations.organization_create(
        actor=world.city,
        name="红果联村党委",
        kind=OrganizationKind.JOINT_COMMITTEE,
        villages=[world.village_a, world.village_a2],
    )
    branch = organizations.organization_create(
        actor=world.city,
        name="沙坡村党支部",
        kind=OrganizationKind.VILLAGE_BRANCH,
        villages=[world.village_a],
        parent=joint,
    )
    home = make_household(world, "HA-1")
    secretary, member, applicant = (
        make_person(world, home, name, seq=i + 1, relation="head" if i == 0 else "other")
        for i, name in enumerate(["张德明", "刘玉兰", "王小平"])
    )
    full_member(secretary, branch, dt.date(2015, 7, 1))
    full_member(member, branch, dt.date(2016, 7, 1))
    # 沙坡村's secretary is also its director (一肩挑); 竹箐村 has no cadres at all.
    posts = [
        cadres.position_appoint(
            actor=world.city,
            village=world.village_a,
            person=secretary,
            post=post,
            started_on=dt.date(2022, 1, 1),
        )
        for post in ("party_secretary", "director")
    ]
    cadres.talent_add(
        actor=world.city,
        village=world.village_a,
        person=member,
        source="returning_graduate",
        track="member_to_cadre",
        reserve_for="party_secretary",
        since=dt.date(2024, 5, 1),
    )
    # An application two months old with no talk: overdue.
    PartyMember.objects.create(
        person=applicant,
        organization=branch,
        stage=Stage.APPLICANT,
        applied_on=today - dt.timedelta(days=62),
    )
    session = training.session_schedule(
        actor=world.officer_a,
        region=world.township_a,
        course=Course.objects.get(code="C02"),
        mode="offline",
        starts_on=today,
        place="红果街道党群服务中心",
        trainers="王老师",
    )
    training.attendance_record(
        actor=world.officer_a, session=session, entries=[(posts[0], "completed")]
    )

    desk = open_session(viewport={"width": 1280, "height": 900})
    page = desk.page
    desk.login("officer_a")
    desk.goto("/party/")
    figure = lambda name: page.inner_text(f"[data-figure='{name}']").strip()  # noqa: E731
    assert figure("one_shoulder_ratio") == "50%"  # one of the township's two villages
    assert figure("villages_without_reserve_secretary") == "1"
    assert figure("training_coverage") == "100%"  # its one cadre was trained this year
    assert world.village_a2.name in page.inner_text("#no-reserve")
    assert page.locator("#chart-pipeline svg").count() == 1  # ECharts drew, from vendored files
    # The members' structure arrives after the page, from ?part=structure.
    page.wait_for_selector("#chart-age svg", timeout=10_000)
    assert page.locator("#chart-sex svg").count() == 1
    page.screenshot(path=str(artifacts_dir / "party-township-dashboard.png"), full_page=True)
    with page.expect_navigation():
        page.click("nav.subnav a[href^='/party/pipeline/']")
    overdue = page.locator("#worklist tr.overdue")
    assert overdue.count() == 1
    assert "王小平" in overdue.inner_text()
    desk.assert_offline_and_healthy()
