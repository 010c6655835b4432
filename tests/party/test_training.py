"""Training: ordering (点单) and assigning (配菜) courses, scheduling and cancelling sessions,
recording attendance only for sessions that took place and cadres in the recorder's scope, the
coverage report by trainee category, and the pages (with their exports and query counts)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.conftest import client_for as _client_for
from tests.party.conftest import Party
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.regions.models import Region
from zhenxing.party.models import (
    Attendance,
    CadrePosition,
    Course,
    CourseOrder,
    TrainingSession,
)
from zhenxing.party.selectors.training import training_coverage
from zhenxing.party.services import cadres, training

SINCE = dt.date(2021, 6, 1)
YEAR = 2024  # a past year: coverage figures do not depend on the day the suite runs


@dataclass
class Cadres:
    secretary: CadrePosition  # 沙坡村 party secretary (a full member)
    director: CadrePosition  # 沙坡村 director, who is also a group leader
    leader: CadrePosition  # the same person's group-leader post
    member: CadrePosition  # 沙坡村 committee member
    director_a2: CadrePosition  # 竹箐村 director (same township, another village)
    director_b: CadrePosition  # 龙井村 director (the other township)


def client_for(user):  # type: ignore[no-untyped-def]
    """A logged-in client reading the pages in English (the language switch's cookie)."""
    client = _client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def posts(world: World, party: Party) -> Cadres:
    def appoint(village: Region, person, post: str) -> CadrePosition:  # type: ignore[no-untyped-def]
        return cadres.position_appoint(
            actor=world.city, village=village, person=person, post=post, started_on=SINCE
        )

    residents = party.residents_a
    return Cadres(
        secretary=appoint(world.village_a, party.full_a[0].person, "party_secretary"),
        director=appoint(world.village_a, residents[0], "director"),
        leader=appoint(world.village_a, residents[0], "group_leader"),
        member=appoint(world.village_a, residents[1], "committee_member"),
        director_a2=appoint(world.village_a2, residents[2], "director"),
        director_b=appoint(world.village_b, party.resident_b, "director"),
    )


def course(code: str = "C01") -> Course:
    return Course.objects.get(code=code)


def schedule(world: World, starts_on: dt.date, *, region: Region | None = None, **kw):  # type: ignore[no-untyped-def]
    fields = {
        "course": course(),
        "mode": "offline",
        "place": "红果街道党群服务中心",
        "trainers": "市委党校 王老师",
    } | kw
    return training.session_schedule(
        actor=world.officer_a, region=region or world.township_a, starts_on=starts_on, **fields
    )


def in_english(user):  # type: ignore[no-untyped-def]
    """A logged-in client that chose English with the language switch (pages ignore
    Accept-Language), so exports can be read by their English headers."""
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def today() -> dt.date:
    return timezone.localdate()


# ---- ordering and assigning --------------------------------------------------------------


def test_ordering_a_course_twice_in_a_year_is_refused(world: World) -> None:
    order = training.course_order(
        actor=world.cadre_a, village=world.village_a, course=course(), year=YEAR
    )
    assert order.origin == "ordered"
    with pytest.raises(DomainError) as exc:
        training.course_order(
            actor=world.officer_a, village=world.village_a, course=course(), year=YEAR, assign=True
        )
    assert exc.value.field == "course"
    assert CourseOrder.objects.count() == 1
    # The next year is a new list.
    training.course_order(
        actor=world.cadre_a, village=world.village_a, course=course(), year=YEAR + 1
    )


def test_assigning_needs_the_departments_permission(world: World) -> None:
    with pytest.raises(Forbidden):
        training.course_order(
            actor=world.cadre_a, village=world.village_a, course=course(), year=YEAR, assign=True
        )
    assert not CourseOrder.objects.exists()
    order = training.course_order(
        actor=world.officer_a, village=world.village_a, course=course(), year=YEAR, assign=True
    )
    assert order.origin == "assigned"


def test_ordering_for_another_village_or_a_township_is_refused(world: World) -> None:
    with pytest.raises(NotFound):
        training.course_order(
            actor=world.cadre_a, village=world.village_b, course=course(), year=YEAR
        )
    with pytest.raises(DomainError) as exc:
        training.course_order(
            actor=world.officer_a, village=world.township_a, course=course(), year=YEAR
        )
    assert exc.value.field == "village"
    assert not CourseOrder.objects.exists()


# ---- scheduling --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": dt.date(YEAR, 5, 9)}, "ends_on"),
        ({"place": "  "}, "place"),
        ({"trainers": ""}, "trainers"),
        ({"mode": "by_carrier_pigeon"}, "mode"),
    ],
)
def test_a_session_needs_dates_in_order_a_place_and_trainers(
    world: World, change: dict, field: str
) -> None:
    with pytest.raises(DomainError) as exc:
        schedule(world, dt.date(YEAR, 5, 10), **change)
    assert exc.value.field == field
    assert not TrainingSession.objects.exists()


def test_a_session_takes_the_courses_hours_and_serves_the_orders_ticked(world: World) -> None:
    order = training.course_order(
        actor=world.cadre_a, village=world.village_a, course=course(), year=YEAR
    )
    session = schedule(world, dt.date(YEAR, 5, 10), orders=[order])
    assert session.hours == course().hours and session.ends_on == session.starts_on
    order.refresh_from_db()
    assert order.session == session


def test_the_orders_a_session_serves_are_audited_in_bulk(world: World) -> None:
    first = training.course_order(
        actor=world.cadre_a, village=world.village_a, course=course(), year=YEAR
    )
    second = training.course_order(
        actor=world.officer_a, village=world.village_a2, course=course(), year=YEAR
    )
    session = schedule(world, dt.date(YEAR, 5, 10), orders=[first, second])
    kind = ContentType.objects.get_for_model(CourseOrder)
    entries = AuditEntry.objects.filter(content_type=kind, action="update")
    assert sorted(e.object_id for e in entries) == sorted([str(first.pk), str(second.pk)])
    for entry in entries:
        assert entry.actor == world.officer_a
        assert entry.changes == {"session": [None, str(session)]}
        assert entry.region_code in {world.village_a.code, world.village_a2.code}


def test_an_order_for_another_course_or_outside_the_region_is_refused(world: World) -> None:
    other_course = training.course_order(
        actor=world.officer_a, village=world.village_a, course=course("C02"), year=YEAR
    )
    in_a2 = training.course_order(
        actor=world.officer_a, village=world.village_a2, course=course(), year=YEAR
    )
    with pytest.raises(DomainError) as exc:
        schedule(world, dt.date(YEAR, 5, 10), orders=[other_course])
    assert exc.value.field == "orders"
    with pytest.raises(DomainError):
        # A session organised by 沙坡村 cannot serve 竹箐村's order.
        schedule(world, dt.date(YEAR, 5, 10), region=world.village_a, orders=[in_a2])
    assert not TrainingSession.objects.exists()
    assert not CourseOrder.objects.filter(session__isnull=False).exists()


def test_a_village_cadre_cannot_schedule_a_session(world: World) -> None:
    with pytest.raises(Forbidden):
        training.session_schedule(
            actor=world.cadre_a,
            region=world.village_a,
            course=course(),
            mode="offline",
            starts_on=dt.date(YEAR, 5, 10),
            place="村委会",
            trainers="王老师",
        )


# ---- attendance --------------------------------------------------------------------------


def test_attendance_is_refused_for_a_cancelled_session(world: World, posts: Cadres) -> None:
    session = schedule(world, today() - dt.timedelta(days=3))
    training.session_cancel(actor=world.officer_a, session=session)
    with pytest.raises(DomainError) as exc:
        training.attendance_record(
            actor=world.cadre_a, session=session, entries=[(posts.director, "completed")]
        )
    assert exc.value.code == "no_session"
    assert not Attendance.objects.exists()


def test_attendance_opens_on_the_sessions_first_day(world: World, posts: Cadres) -> None:
    tomorrow = schedule(world, today() + dt.timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        training.attendance_record(
            actor=world.cadre_a, session=tomorrow, entries=[(posts.director, "completed")]
        )
    assert exc.value.code == "no_session"
    assert not Attendance.objects.exists()
    starting_today = schedule(world, today(), ends_on=today() + dt.timedelta(days=2))
    written = training.attendance_record(
        actor=world.cadre_a, session=starting_today, entries=[(posts.director, "completed")]
    )
    assert written == 1


def test_attendance_is_refused_whole_when_one_cadre_is_outside_scope(
    world: World, posts: Cadres
) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    for stranger in (posts.director_a2, posts.director_b):  # another village; another township
        with pytest.raises(DomainError) as exc:
            training.attendance_record(
                actor=world.cadre_a,
                session=session,
                entries=[(posts.director, "completed"), (stranger, "completed")],
            )
        assert exc.value.field == "position"
    assert not Attendance.objects.exists()


def test_attendance_is_refused_whole_for_a_cadre_not_in_post(world: World, posts: Cadres) -> None:
    cadres.position_end(actor=world.city, position=posts.member, ended_on=dt.date(YEAR, 3, 1))
    session = schedule(world, dt.date(YEAR, 5, 10))
    with pytest.raises(DomainError):
        training.attendance_record(
            actor=world.cadre_a,
            session=session,
            entries=[(posts.director, "completed"), (posts.member, "completed")],
        )
    assert not Attendance.objects.exists()
    # In post on the last day of a multi-day session is enough.
    late = cadres.position_appoint(
        actor=world.city,
        village=world.village_a,
        person=posts.member.person,
        post="deputy_director",
        started_on=dt.date(YEAR, 5, 12),
    )
    long_session = schedule(world, dt.date(YEAR, 5, 10), ends_on=dt.date(YEAR, 5, 12))
    assert (
        training.attendance_record(
            actor=world.cadre_a, session=long_session, entries=[(late, "completed")]
        )
        == 1
    )


def test_recording_again_updates_the_result_and_each_change_is_audited(
    world: World, posts: Cadres
) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    entries = [(posts.director, "completed"), (posts.secretary, "completed")]
    assert training.attendance_record(actor=world.cadre_a, session=session, entries=entries) == 2
    again = [(posts.director, "excellent"), (posts.secretary, "completed")]
    assert training.attendance_record(actor=world.cadre_a, session=session, entries=again) == 1
    rows = dict(Attendance.objects.values_list("position_id", "result"))
    assert rows == {posts.director.pk: "excellent", posts.secretary.pk: "completed"}
    entries_logged = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Attendance)
    )
    assert sorted(entries_logged.values_list("action", flat=True)) == [
        "create",
        "create",
        "update",
    ]
    update = entries_logged.get(action="update")
    assert update.changes == {"result": ["completed", "excellent"]}
    assert update.region_code == world.village_a.code
    assert update.actor == world.cadre_a


def test_a_session_with_attendance_cannot_be_cancelled(world: World, posts: Cadres) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    training.attendance_record(
        actor=world.cadre_a, session=session, entries=[(posts.director, "completed")]
    )
    with pytest.raises(DomainError):
        training.session_cancel(actor=world.officer_a, session=session)
    session.refresh_from_db()
    assert not session.cancelled


def test_a_village_cadre_sees_the_townships_session_but_cannot_cancel_it(
    world: World, posts: Cadres
) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    assert TrainingSession.objects.visible_to(world.cadre_a).filter(pk=session.pk).exists()
    assert not TrainingSession.objects.visible_to(world.cadre_b).filter(pk=session.pk).exists()
    with pytest.raises(Forbidden):
        training.session_cancel(actor=world.cadre_a, session=session)
    client = client_for(world.cadre_a)
    page = client.get(reverse("party:session_detail", args=[session.pk]))
    assert page.status_code == 200
    assert reverse("party:session_cancel", args=[session.pk]) not in page.content.decode()
    assert client.post(reverse("party:session_cancel", args=[session.pk])).status_code == 403
    assert (
        client_for(world.cadre_b)
        .get(reverse("party:session_detail", args=[session.pk]))
        .status_code
        == 404
    )
    session.refresh_from_db()
    assert not session.cancelled


# ---- coverage ----------------------------------------------------------------------------


def _by_category(report: dict) -> dict[str, tuple[int, int, list[int]]]:
    return {
        row["category"].code: (row["cadres"], row["trained"], [p.pk for p in row["untrained"]])
        for row in report["by_category"]
    }


def test_coverage_counts_persons_by_category(world: World, posts: Cadres) -> None:
    report = training_coverage(region=world.township_a, year=YEAR)
    # Five posts in 红果街道 held by four persons (the director is also a group leader).
    assert (report["cadres"], report["trained"], report["ratio"]) == (4, 0, 0.0)
    session = schedule(world, dt.date(YEAR, 5, 10))
    # The director trained once (recorded under the director's post) counts in both
    # categories they hold.
    training.attendance_record(
        actor=world.cadre_a, session=session, entries=[(posts.director, "completed")]
    )
    report = training_coverage(region=world.township_a, year=YEAR)
    assert (report["cadres"], report["trained"], report["ratio"]) == (4, 1, 0.25)
    by = _by_category(report)
    assert by["two_committees"] == (
        4,
        1,
        [posts.secretary.pk, posts.member.pk, posts.director_a2.pk],
    )
    assert by["group_leaders"] == (1, 1, [])
    assert by["work_team"] == (0, 0, [])
    # The other township's director is not counted here, and counts there.
    city = training_coverage(region=world.county, year=YEAR)
    assert (city["cadres"], city["trained"]) == (5, 1)
    assert training_coverage(region=world.township_b, year=YEAR)["cadres"] == 1


def test_a_cancelled_session_or_one_of_another_year_does_not_count(
    world: World, posts: Cadres
) -> None:
    last_year = schedule(world, dt.date(YEAR - 1, 12, 30), ends_on=dt.date(YEAR, 1, 2))
    training.attendance_record(
        actor=world.cadre_a, session=last_year, entries=[(posts.director, "completed")]
    )
    assert training_coverage(region=world.township_a, year=YEAR)["trained"] == 0
    assert training_coverage(region=world.township_a, year=YEAR - 1)["trained"] == 1
    # A session whose attendance was recorded cannot be cancelled through the service; a row
    # cancelled in the database (say, by a correction) still must not count.
    this_year = schedule(world, dt.date(YEAR, 5, 10))
    training.attendance_record(
        actor=world.cadre_a, session=this_year, entries=[(posts.member, "completed")]
    )
    assert training_coverage(region=world.township_a, year=YEAR)["trained"] == 1
    TrainingSession.objects.filter(pk=this_year.pk).update(cancelled=True)
    assert training_coverage(region=world.township_a, year=YEAR)["trained"] == 0


def test_coverage_counts_the_cadres_in_post_at_the_years_end(world: World, posts: Cadres) -> None:
    cadres.position_end(actor=world.city, position=posts.member, ended_on=dt.date(YEAR - 1, 12, 31))
    assert training_coverage(region=world.township_a, year=YEAR)["cadres"] == 3
    # One who left in January is no longer a cadre to train this year.
    cadres.position_end(actor=world.city, position=posts.director_a2, ended_on=dt.date(YEAR, 1, 1))
    assert training_coverage(region=world.township_a, year=YEAR)["cadres"] == 2
    # Both were cadres at the end of the year before (the member left on its last day).
    assert training_coverage(region=world.township_a, year=YEAR - 1)["cadres"] == 4
    assert training_coverage(region=world.township_a, year=SINCE.year - 1)["cadres"] == 0
    # While the year runs, a post starting later is not counted yet.
    assert (
        training_coverage(region=world.township_a, year=SINCE.year, today=dt.date(2021, 5, 31))[
            "cadres"
        ]
        == 0
    )
    assert training_coverage(region=world.village_b, year=YEAR)["cadres"] == 1


def test_coverage_with_no_cadres_is_zero(world: World) -> None:
    report = training_coverage(region=world.township_a, year=YEAR)
    assert report["cadres"] == 0 and report["ratio"] == 0.0
    assert {row["cadres"] for row in report["by_category"]} == {0}


def test_coverage_reads_a_fixed_number_of_queries(
    world: World, posts: Cadres, django_assert_num_queries
) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    training.attendance_record(
        actor=world.cadre_a,
        session=session,
        entries=[(posts.director, "completed"), (posts.member, "failed")],
    )
    with django_assert_num_queries(3):
        report = training_coverage(region=world.county, year=YEAR)
        for row in report["by_category"]:
            for position in row["untrained"]:
                assert position.village_name and position.person_name and position.post_label


# ---- pages -------------------------------------------------------------------------------


def test_the_training_page_lists_the_menu_orders_and_sessions(world: World, posts: Cadres) -> None:
    township = schedule(world, dt.date(YEAR, 5, 10))
    theirs = training.session_schedule(
        actor=world.officer_b,
        region=world.township_b,
        course=course("C02"),
        mode="online",
        starts_on=dt.date(YEAR, 6, 1),
        place="亦资街道",
        trainers="李老师",
    )
    training.course_order(actor=world.cadre_a, village=world.village_a, course=course(), year=YEAR)
    page = client_for(world.cadre_a).get(reverse("party:training"), {"year": YEAR})
    body = page.content.decode()
    assert page.status_code == 200
    assert f'data-session="{township.pk}"' in body
    assert f'data-session="{theirs.pk}"' not in body
    assert "五步工作法" in body  # the menu
    assert 'data-origin="ordered"' in body
    assert 'value="assign"' not in body  # a village cadre orders, does not assign
    assert 'value="schedule"' not in body


def test_ordering_and_assigning_from_the_page(world: World) -> None:
    url = reverse("party:training") + f"?year={YEAR}"
    form = {"order-village": world.village_a.pk, "order-course": course().pk, "order-note": "急需"}
    cadre = client_for(world.cadre_a)
    assert cadre.post(url, {**form, "action": "order"}).status_code == 302
    order = CourseOrder.objects.get()
    assert (order.year, order.origin, order.note) == (YEAR, "ordered", "急需")
    again = cadre.post(url, {**form, "action": "order"})
    assert again.status_code == 200
    assert "already on the village" in again.content.decode()
    form["order-course"] = course("C02").pk
    assert cadre.post(url, {**form, "action": "assign"}).status_code == 403
    officer = client_for(world.officer_a)
    assert officer.post(url, {**form, "action": "assign"}).status_code == 302
    assert CourseOrder.objects.get(course__code="C02").origin == "assigned"
    # Another township's village is not a choice.
    form["order-village"] = world.village_b.pk
    assert officer.post(url, {**form, "action": "order"}).status_code == 200
    assert CourseOrder.objects.count() == 2


def test_past_the_choices_limit_the_page_asks_for_codes_and_a_townships_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a province's page the village to order for is entered by its code, and the open
    orders a session serves are ticked on a township's page, not listed by the thousand."""
    monkeypatch.setattr("zhenxing.core.web.choices.CHOICES_LIMIT", 1)
    monkeypatch.setattr("zhenxing.party.forms.training.ORDERS_LISTED", 1)
    for code in ("C01", "C02"):
        training.course_order(
            actor=world.cadre_a, village=world.village_a, course=course(code), year=YEAR
        )
    url = reverse("party:training") + f"?year={YEAR}"
    page = client_for(world.city).get(url).content.decode()
    assert '<input type="text" name="order-village"' in page
    assert "Too many open orders to list here" in page
    assert 'name="session-orders"' not in page
    # By its code, the village is ordered for; a code outside the officer's township is not.
    form = {"action": "order", "order-course": course("C03").pk, "order-note": ""}
    officer = client_for(world.officer_a)
    assert officer.post(url, {**form, "order-village": world.village_a.code}).status_code == 302
    assert CourseOrder.objects.filter(course__code="C03", village=world.village_a).exists()
    refused = officer.post(url, {**form, "order-village": world.village_b.code})
    assert "No region in your jurisdiction has this code." in refused.content.decode()
    assert CourseOrder.objects.count() == 3


def test_scheduling_from_the_page(world: World) -> None:
    order = training.course_order(
        actor=world.cadre_a, village=world.village_a, course=course(), year=YEAR
    )
    officer = client_for(world.officer_a)
    url = reverse("party:training") + f"?year={YEAR}"
    form = {
        "action": "schedule",
        "session-region": world.township_a.pk,
        "session-course": course().pk,
        "session-mode": "study_visit",
        "session-starts_on": f"{YEAR}-05-10",
        "session-ends_on": f"{YEAR}-05-09",
        "session-place": "",
        "session-trainers": "王老师",
        "session-orders": [order.pk],
    }
    refused = officer.post(url, form)
    assert refused.status_code == 200 and not TrainingSession.objects.exists()
    assert 'data-field="place"' in refused.content.decode()
    form["session-place"] = "六盘水"
    refused = officer.post(url, form)
    assert 'data-field="ends_on"' in refused.content.decode()
    form["session-ends_on"] = f"{YEAR}-05-11"
    done = officer.post(url, form)
    session = TrainingSession.objects.get()
    assert done["Location"] == reverse("party:session_detail", args=[session.pk])
    assert (session.mode, session.ends_on) == ("study_visit", dt.date(YEAR, 5, 11))
    order.refresh_from_db()
    assert order.session == session
    # Scheduling needs the permission: a village cadre's post is refused.
    form["session-region"] = world.village_a.pk
    form["session-orders"] = []
    assert client_for(world.cadre_a).post(url, form).status_code == 403
    assert TrainingSession.objects.count() == 1


def test_recording_attendance_from_the_session_page(world: World, posts: Cadres) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    cadre = client_for(world.cadre_a)
    url = reverse("party:session_detail", args=[session.pk])
    body = cadre.get(url).content.decode()
    # The sheet lists the cadre's own village's posts only.
    for mine in (posts.secretary, posts.director, posts.leader, posts.member):
        assert f'data-position="{mine.pk}"' in body
    for other in (posts.director_a2, posts.director_b):
        assert f'data-position="{other.pk}"' not in body
    form = {
        "attended": [posts.director.pk, posts.secretary.pk],
        f"result_{posts.director.pk}": "excellent",
        f"result_{posts.secretary.pk}": "completed",
        f"result_{posts.member.pk}": "failed",  # not ticked: not recorded
    }
    assert cadre.post(url, form).status_code == 302
    rows = dict(Attendance.objects.values_list("position_id", "result"))
    assert rows == {posts.director.pk: "excellent", posts.secretary.pk: "completed"}
    assert all(a.recorded_by == world.cadre_a for a in Attendance.objects.all())
    body = cadre.get(url).content.decode()
    assert f'data-attendance="{posts.director.pk}"' in body
    assert 'data-result="excellent"' in body
    # The township sees what its villages recorded; the recorded rows stay on the sheet.
    officer_body = client_for(world.officer_a).get(url).content.decode()
    assert f'data-attendance="{posts.secretary.pk}"' in officer_body
    # A row ticked by mistake is unticked: its attendance goes, and the audit log says so.
    form = {"attended": [posts.secretary.pk], f"result_{posts.secretary.pk}": "completed"}
    assert cadre.post(url, form).status_code == 302
    assert dict(Attendance.objects.values_list("position_id", "result")) == {
        posts.secretary.pk: "completed"
    }
    assert AuditEntry.objects.filter(content_type__model="attendance", action="delete").exists()
    # Nothing ticked on a sheet with nothing recorded: a message, nothing written.
    fresh = schedule(world, dt.date(YEAR, 6, 10))
    fresh_url = reverse("party:session_detail", args=[fresh.pk])
    assert "Tick the cadres" in cadre.post(fresh_url, {}).content.decode()
    assert not Attendance.objects.filter(session=fresh).exists()


def test_a_sheet_with_a_cadre_outside_scope_saves_nothing(world: World, posts: Cadres) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    url = reverse("party:session_detail", args=[session.pk])
    form = {"attended": [posts.director.pk, posts.director_a2.pk]}
    response = client_for(world.cadre_a).post(url, form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "not in post under this session" in body
    assert not Attendance.objects.exists()
    # The sheet comes back as it was ticked.
    assert f'name="attended" value="{posts.director.pk}" checked' in body
    assert f'name="attended" value="{posts.member.pk}">' in body


def test_the_session_page_says_why_there_is_no_sheet(world: World, posts: Cadres) -> None:
    upcoming = schedule(world, today() + dt.timedelta(days=1))
    cancelled = schedule(world, today() - dt.timedelta(days=1))
    officer = client_for(world.officer_a)
    assert officer.post(reverse("party:session_cancel", args=[cancelled.pk])).status_code == 302
    cancelled.refresh_from_db()
    assert cancelled.cancelled
    cadre = client_for(world.cadre_a)
    for session, state in ((upcoming, "upcoming"), (cancelled, "cancelled")):
        url = reverse("party:session_detail", args=[session.pk])
        body = cadre.get(url).content.decode()
        assert f'data-state="{state}"' in body
        assert 'name="attended"' not in body
        # A sheet posted anyway is refused by the service, with its reason.
        refused = cadre.post(url, {"attended": [posts.director.pk]})
        assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    assert not Attendance.objects.exists()
    # Only the upcoming session can still be cancelled, by the township.
    body = officer.get(reverse("party:session_detail", args=[upcoming.pk])).content.decode()
    assert reverse("party:session_cancel", args=[upcoming.pk]) in body


def test_the_coverage_page_shows_categories_children_and_the_untrained(
    world: World, posts: Cadres
) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    training.attendance_record(
        actor=world.cadre_a, session=session, entries=[(posts.director, "completed")]
    )
    city = client_for(world.city)
    body = city.get(reverse("party:training_coverage"), {"year": YEAR}).content.decode()
    assert 'data-figure="cadres">5<' in body and 'data-figure="trained">1<' in body
    assert 'data-figure="ratio">20%<' in body
    assert f"?region={world.township_a.code}&year={YEAR}" in body
    # The city's page counts the untrained per category; the names are one level down (every
    # cadre of the city on one page was 120 KB) and in the download.
    assert f'data-position="{posts.member.pk}"' not in body
    assert 'data-untrained-count="' in body
    township = city.get(
        reverse("party:training_coverage"), {"year": YEAR, "region": world.township_a.code}
    ).content.decode()
    assert f'data-region="{world.village_a.code}"' in township
    assert f'data-position="{posts.member.pk}"' in township
    assert f'data-position="{posts.director.pk}"' not in township
    assert f'data-position="{posts.director_b.pk}"' not in township


def test_the_coverage_page_is_scoped(world: World, posts: Cadres) -> None:
    officer = client_for(world.officer_a)
    url = reverse("party:training_coverage")
    assert officer.get(url, {"region": world.township_b.code}).status_code == 404
    assert officer.get(url, {"region": world.county.code}).status_code == 404
    assert officer.get(url, {"region": "999999"}).status_code == 404
    body = officer.get(url, {"year": YEAR}).content.decode()
    assert 'data-figure="cadres">4<' in body
    assert client_for(world.outsider).get(url).status_code == 404


def test_the_untrained_list_exports_as_a_real_xlsx(world: World, posts: Cadres) -> None:
    response = in_english(world.officer_a).get(
        reverse("party:training_coverage"), {"year": YEAR, "format": "xlsx"}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Trainee category", "Village", "Name", "Post")
    assert ('村"两委"成员', "沙坡村", posts.secretary.person.name, "Party secretary") in [
        r[:4] for r in rows
    ]
    assert all(r[1] != world.village_b.name for r in rows)
    csv = client_for(world.officer_a).get(
        reverse("party:training_coverage"), {"year": YEAR, "format": "csv"}
    )
    assert posts.member.person.name in b"".join(csv.streaming_content).decode("utf-8-sig")
    # A grid worker reads the report but may not download it.
    grid = client_for(world.grid_a)
    assert grid.get(reverse("party:training_coverage"), {"format": "xlsx"}).status_code == 403


def test_the_sessions_export_as_a_real_xlsx(world: World, posts: Cadres) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    training.attendance_record(
        actor=world.cadre_a,
        session=session,
        entries=[(posts.director, "completed"), (posts.member, "completed")],
    )
    response = in_english(world.officer_a).get(
        reverse("party:training"), {"year": YEAR, "format": "xlsx"}
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet["A1"].value == "From"
    assert sheet["A2"].value == f"{YEAR}-05-10"
    assert sheet["C2"].value == '产业革命"八要素"'
    assert sheet["J2"].value == 2


def test_the_session_and_coverage_pages_read_a_bounded_number_of_queries(
    world: World, posts: Cadres, party: Party, django_assert_max_num_queries
) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    # More cadres in the village: the counts below must not grow with them.
    for person in party.residents_a[3:]:
        cadres.position_appoint(
            actor=world.city,
            village=world.village_a,
            person=person,
            post="group_leader",
            started_on=SINCE,
        )
    training.attendance_record(
        actor=world.cadre_a,
        session=session,
        entries=[(p, "completed") for p in CadrePosition.objects.filter(village=world.village_a)],
    )
    cadre = client_for(world.cadre_a)
    url = reverse("party:session_detail", args=[session.pk])
    cadre.get(url)  # warm the session and content-type caches
    # Session, user, user's region, the session, the sheet, its recorded rows, the list.
    with django_assert_max_num_queries(7):
        assert cadre.get(url).status_code == 200
    city = client_for(world.city)
    coverage = reverse("party:training_coverage")
    city.get(coverage, {"year": YEAR})
    # Four for the report (posts, trained, categories, child regions), five for the page.
    with django_assert_max_num_queries(9):
        assert city.get(coverage, {"year": YEAR}).status_code == 200
    training_page = reverse("party:training")
    training.course_order(
        actor=world.cadre_a, village=world.village_a, course=course("C02"), year=YEAR
    )
    city.get(training_page, {"year": YEAR})
    # Three of them count a list against the choices limit (villages, organisers, orders):
    # a bounded LIMIT query each, so a province's lists are not rendered as options; one more
    # asks whether any order is open (the boxes or the sentence that says there are none).
    with django_assert_max_num_queries(19):
        assert city.get(training_page, {"year": YEAR}).status_code == 200


def test_removing_another_villages_attendance_is_refused_whole(world: World, posts: Cadres) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    training.attendance_record(
        actor=world.city,
        session=session,
        entries=[(posts.director_a2, "completed"), (posts.secretary, "completed")],
    )
    with pytest.raises(DomainError):
        training.attendance_record(
            actor=world.cadre_a,
            session=session,
            entries=[],
            removed=[posts.secretary, posts.director_a2],
        )
    assert Attendance.objects.count() == 2
