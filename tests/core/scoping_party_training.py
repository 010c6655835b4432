"""Scoping-matrix cases for party-building routes; registered by importing this module from
``tests/core/test_scoping_matrix.py`` (see its ``web`` and ``api_route`` decorators).

Training: a township officer of 红果街道 sees their township's sessions, orders and cadres, and
answers 404 for 亦资街道's; a session organised by the city is open to both (read-only)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.conftest import World, make_household, make_person
from tests.core.test_scoping_matrix import api_route, text, web  # noqa: F401

YEAR = 2024


def _directors(w: World) -> tuple:  # type: ignore[type-arg]
    """A villagers' committee director in 沙坡村 and one in 龙井村."""
    from zhenxing.party.services.cadres import position_appoint

    ours = make_person(w, make_household(w, "TA-1"), "沙坡主任", seq=61)
    theirs = make_person(w, make_household(w, "TB-1", village=w.village_b), "龙井主任", seq=63)
    return tuple(
        position_appoint(
            actor=w.city,
            village=village,
            person=person,
            post="director",
            started_on=dt.date(2021, 6, 1),
        )
        for village, person in ((w.village_a, ours), (w.village_b, theirs))
    )


def _sessions(w: World) -> tuple:  # type: ignore[type-arg]
    """A session of each township, both in the past."""
    from zhenxing.party.models import Course
    from zhenxing.party.services.training import session_schedule

    course = Course.objects.get(code="C01")
    return tuple(
        session_schedule(
            actor=officer,
            region=township,
            course=course,
            mode="offline",
            starts_on=dt.date(YEAR, 5, 10),
            place=f"{township.name}党群服务中心",
            trainers="王老师",
        )
        for officer, township in ((w.officer_a, w.township_a), (w.officer_b, w.township_b))
    )


@web("party:training")
def _party_training(w: World, as_user) -> None:
    from zhenxing.party.services.training import course_order

    ours, theirs = _sessions(w)
    course_order(actor=w.cadre_b, village=w.village_b, course=ours.course, year=YEAR, note="乙村")
    c = as_user(w.officer_a)
    body = text(c.get(reverse("party:training"), {"year": YEAR}))
    assert f'data-session="{ours.pk}"' in body and f'data-session="{theirs.pk}"' not in body
    assert "乙村" not in body
    export = text(c.get(reverse("party:training"), {"year": YEAR, "format": "xlsx"}))
    assert ours.place in export and theirs.place not in export
    assert c.get(reverse("party:training"), {"region": w.township_b.code}).status_code == 404
    # Ordering for the other township's village is not possible from here.
    form = {"action": "order", "order-village": w.village_b.pk, "order-course": ours.course.pk}
    c.post(reverse("party:training") + f"?year={YEAR}", form)
    from zhenxing.party.models import CourseOrder

    assert CourseOrder.objects.count() == 1


@web("party:session_detail")
def _party_session_detail(w: World, as_user) -> None:
    from zhenxing.party.models import Attendance

    ours, theirs = _sessions(w)
    mine, other = _directors(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("party:session_detail", args=[ours.pk])))
    assert f'data-position="{mine.pk}"' in body and f'data-position="{other.pk}"' not in body
    assert c.get(reverse("party:session_detail", args=[theirs.pk])).status_code == 404
    assert (
        c.post(reverse("party:session_detail", args=[theirs.pk]), {"attended": [other.pk]})
    ).status_code == 404
    assert c.post(
        reverse("party:session_detail", args=[ours.pk]), {"attended": [mine.pk]}
    ).status_code == (302)
    assert list(Attendance.objects.values_list("position_id", flat=True)) == [mine.pk]


@web("party:session_cancel")
def _party_session_cancel(w: World, as_user) -> None:
    from zhenxing.party.models import TrainingSession

    ours, theirs = _sessions(w)
    c = as_user(w.officer_a)
    assert c.post(reverse("party:session_cancel", args=[ours.pk])).status_code == 302
    assert c.post(reverse("party:session_cancel", args=[theirs.pk])).status_code == 404
    cancelled = TrainingSession.objects.filter(cancelled=True)
    assert list(cancelled.values_list("pk", flat=True)) == [ours.pk]


@web("party:training_coverage")
def _party_training_coverage(w: World, as_user) -> None:
    _directors(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("party:training_coverage"), {"year": YEAR}))
    assert "沙坡主任" in body and "龙井主任" not in body
    export = text(c.get(reverse("party:training_coverage"), {"year": YEAR, "format": "xlsx"}))
    assert "沙坡主任" in export and "龙井主任" not in export
    url = reverse("party:training_coverage")
    assert c.get(url, {"region": w.township_b.code}).status_code == 404
    assert c.get(url, {"region": w.village_b.code}).status_code == 404
    assert c.get(url, {"region": w.county.code}).status_code == 404
