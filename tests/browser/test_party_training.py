"""A village cadre records a township training session's attendance from a phone: opens the
session, ticks two of the village's cadres, sets a result, saves, and sees them recorded. The
page fits a 375 px screen with nothing sideways and no request beyond the server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import make_household, make_person
from tests.party.conftest import full_member
from zhenxing.party.models import Attendance, Course, OrganizationKind
from zhenxing.party.services import cadres, organizations, training

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 375, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def test_a_village_cadre_records_attendance_from_a_phone(
    transactional_db, world, open_session, artifacts_dir
):
    since = dt.date(2021, 6, 1)
    branch = organizations.organization_create(
        actor=world.city,
        name="沙坡村党支部",
        kind=OrganizationKind.VILLAGE_BRANCH,
        villages=[world.village_a],
    )
    home = make_household(world, "HA-1")
    names = ["张德明", "刘玉兰", "王小平"]
    people = [
        make_person(world, home, name, seq=i + 1, relation="head" if i == 0 else "other")
        for i, name in enumerate(names)
    ]
    full_member(people[0], branch, dt.date(2015, 7, 1))
    posts = [
        cadres.position_appoint(
            actor=world.city, village=world.village_a, person=person, post=post, started_on=since
        )
        for person, post in zip(
            people, ("party_secretary", "director", "committee_member"), strict=True
        )
    ]
    secretary, director, member = posts
    # The township's session, held a week ago; 竹箐村's director is under it too but is not
    # this cadre's to record.
    other = make_person(world, home, "竹箐主任", seq=9, relation="other")
    cadres.position_appoint(
        actor=world.city, village=world.village_a2, person=other, post="director", started_on=since
    )
    session = training.session_schedule(
        actor=world.officer_a,
        region=world.township_a,
        course=Course.objects.get(code="C01"),
        mode="offline",
        starts_on=timezone.localdate() - dt.timedelta(days=7),
        place="红果街道党群服务中心",
        trainers="市委党校 王老师",
    )

    phone = open_session(**PHONE)
    page = phone.page
    phone.login("cadre_a")
    phone.goto(f"/party/training/?region={world.village_a.code}")
    with page.expect_navigation():
        page.click(f"main tr[data-session='{session.pk}'] a")
    assert page.locator(".att-row").count() == 3  # 沙坡村's three cadres, not 竹箐村's
    page.locator(f".att-row[data-position='{secretary.pk}'] label").tap()
    page.locator(f".att-row[data-position='{director.pk}'] label").tap()
    page.select_option(f"select[name=result_{director.pk}]", "excellent")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts_dir / "party-training-sheet.png"), full_page=True)
    with page.expect_navigation():
        page.locator("button.att-save").tap()

    recorded = page.locator("#recorded li[data-attendance]")
    assert recorded.count() == 2
    assert page.get_attribute(f"[data-attendance='{director.pk}'] .result", "data-result") == (
        "excellent"
    )
    assert "张德明" in page.inner_text("#recorded") and "王小平" not in page.inner_text("#recorded")
    rows = dict(Attendance.objects.values_list("position_id", "result"))
    assert rows == {secretary.pk: "completed", director.pk: "excellent"}
    assert {a.recorded_by_id for a in Attendance.objects.all()} == {world.cadre_a.pk}
    # Nothing fits sideways on the phone, before or after saving.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Big enough to tap: every row of the sheet is at least 44 px high.
    heights = page.eval_on_selector_all(
        ".att-row label", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    page.screenshot(path=str(artifacts_dir / "party-training-phone.png"), full_page=True)
    phone.assert_offline_and_healthy()
    # The village cadre sees the township's session but may not cancel it.
    assert page.locator("form.cancel-session").count() == 0
    assert member.pk not in rows
