"""The party demo's training: the current year's orders (点单) and assignments (配菜), city
and township sessions in every delivery mode, and the cadres' attendance."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from zhenxing.party.demo.base import CITY_FOR_ALL, CITY_SESSIONS, _pick, _sample, _State, _Village
from zhenxing.party.models import (
    Attendance,
    AttendanceResult,
    CadrePosition,
    Course,
    CourseOrder,
    DeliveryMode,
    OrderOrigin,
    Post,
    TrainingSession,
)


class _Training(_State):
    """The current year's training."""

    # -- training ------------------------------------------------------------------------------

    def training(self) -> dict[str, int]:
        """The current year's orders, sessions and attendance; see the package docstring."""
        rng = random.Random(f"{self.seed}:training:{self.today.year}")
        courses = {c.code: c for c in Course.objects.order_by("code")}
        if not courses:
            return {"sessions": 0, "attendance": 0, "orders": 0}
        year = self.today.year
        first = dt.date(year, 1, 1)
        elapsed = max(0, (self.today - first).days - 5)

        def past(share: float) -> dt.date:
            return first + dt.timedelta(days=int(share * elapsed))

        codes = sorted(courses)
        popular = [(c, 4 if c in ("C01", "C05", "C06") else 2) for c in codes]
        orders: list[CourseOrder] = []
        for plan in self.villages:
            chosen: set[str] = set()
            for _n in range(plan.rng.choice((1, 1, 2))):
                chosen.add(_pick(rng, popular))
            for code in sorted(chosen):
                orders.append(
                    CourseOrder(
                        village=plan.region,
                        course=courses[code],
                        year=year,
                        origin=OrderOrigin.ORDERED,
                        note="村两委班子点单",
                    )
                )
            if rng.random() < 0.6:
                rest = [c for c in codes if c not in chosen]
                if rest:
                    orders.append(
                        CourseOrder(
                            village=plan.region,
                            course=courses[rng.choice(rest)],
                            year=year,
                            origin=OrderOrigin.ASSIGNED,
                            note="市委组织部配菜",
                        )
                    )
        sessions: list[TrainingSession] = []
        county = self.villages[0].township.parent
        for code, mode, share, days, place, trainers in CITY_SESSIONS:
            if code not in courses:
                continue
            start = past(share)
            sessions.append(
                TrainingSession(
                    region=county,
                    course=courses[code],
                    mode=mode,
                    starts_on=start,
                    ends_on=min(start + dt.timedelta(days=days - 1), self.today),
                    place=place,
                    trainers=trainers,
                    hours=Decimal(days * 6),
                )
            )
        by_township: dict[int, list[_Village]] = defaultdict(list)
        for plan in self.villages:
            by_township[plan.township.pk].append(plan)
        township_sessions: dict[int, list[TrainingSession]] = defaultdict(list)
        recent: TrainingSession | None = None
        for township_id, plans in sorted(by_township.items()):
            township = plans[0].township
            wanted: dict[str, int] = defaultdict(int)
            village_ids = {p.region.pk for p in plans}
            for order in orders:
                if order.village.pk in village_ids:
                    wanted[order.course.code] += 1
            ranked = sorted(wanted, key=lambda c: (-wanted[c], c))
            for code in ranked[: rng.choice((1, 2, 2))]:
                course = courses[code]
                # Townships teach in a room or take their cadres out; online is the city's.
                local_mode = (
                    DeliveryMode.OFFLINE if course.mode == DeliveryMode.ONLINE else course.mode
                )
                session = TrainingSession(
                    region=township,
                    course=course,
                    mode=local_mode,
                    starts_on=past(rng.uniform(0.1, 0.92)),
                    place=f"{township.name}党群服务中心"
                    if local_mode != DeliveryMode.STUDY_VISIT
                    else "盘州市普古乡娘娘山示范基地",
                    trainers=f"{township.name}党建办；驻村第一书记"
                    if local_mode != DeliveryMode.EXPERT_IN
                    else "市农业农村局 高级农艺师",
                    hours=course.hours,
                )
                session.ends_on = session.starts_on
                township_sessions[township_id].append(session)
            if township.code == self.township_code and "C03" in courses:
                # Took place a few days ago: the village cadres have not recorded it yet.
                start = max(first, self.today - dt.timedelta(days=3))
                recent = TrainingSession(
                    region=township,
                    course=courses["C03"],
                    mode=DeliveryMode.OFFLINE,
                    starts_on=start,
                    ends_on=start,
                    place=f"{township.name}党群服务中心",
                    trainers=f"{township.name}党工委 组织委员",
                    hours=courses["C03"].hours,
                )
        future = TrainingSession(
            region=county,
            course=courses.get("C03") or courses[codes[0]],
            mode=DeliveryMode.EXPERT_IN,
            starts_on=self.today + dt.timedelta(days=21),
            ends_on=self.today + dt.timedelta(days=22),
            place="盘州市委党校",
            trainers="省委党校 专家",
            hours=Decimal(12),
        )
        everything = sessions + [s for ss in township_sessions.values() for s in ss]
        TrainingSession.objects.bulk_create(everything + [s for s in (recent, future) if s])
        # Orders served by the township's session of the course, else the city's.
        city_by_course = {s.course.code: s for s in sessions}
        for order in orders:
            township_id = self.by_region[order.village.pk].township.pk
            local = [
                s for s in township_sessions[township_id] if s.course.code == order.course.code
            ]
            if local:
                order.session = local[0]
            elif order.origin == OrderOrigin.ASSIGNED and order.course.code in city_by_course:
                order.session = city_by_course[order.course.code]
        CourseOrder.objects.bulk_create(orders)
        attendance = self.attendance(rng, sessions, township_sessions)
        created = everything + [s for s in (recent, future) if s]
        self.sessions, self.orders, self.attendance_rows = created, orders, attendance
        return {"sessions": len(created), "attendance": len(attendance), "orders": len(orders)}

    def attendance(
        self,
        rng: random.Random,
        city: list[TrainingSession],
        township: dict[int, list[TrainingSession]],
    ) -> list[Attendance]:
        """Most cadres trained at least once (the share varies by township, 75–95 %): the
        secretary, director and first secretary at all of the city's sessions, the others at its
        first classroom course and its online one."""
        rows: list[Attendance] = []
        share: dict[int, float] = {}
        results = (
            (AttendanceResult.COMPLETED, 80),
            (AttendanceResult.EXCELLENT, 15),
            (AttendanceResult.FAILED, 5),
        )
        for plan in self.villages:
            rate = share.setdefault(plan.township.pk, rng.uniform(0.75, 0.95))
            held: dict[int, list[CadrePosition]] = defaultdict(list)
            for position in plan.positions:
                held[position.person_id].append(position)
            local = [s for s in township[plan.township.pk] if s.starts_on <= self.today]
            for _person, positions in held.items():
                if rng.random() > rate:
                    continue
                heads = any(
                    p.post in (Post.PARTY_SECRETARY, Post.DIRECTOR, Post.FIRST_SECRETARY)
                    for p in positions
                )
                offered = local + [s for s in city if heads or s.course.code in CITY_FOR_ALL]
                if not offered:
                    continue
                attended = _sample(rng, offered, rng.choice((1, 1, 2, 3)))
                # One row, under the person's first post: trained once counts for every post.
                rows.extend(
                    Attendance(session=session, position=positions[0], result=_pick(rng, results))
                    for session in attended
                )
        Attendance.objects.bulk_create(rows, batch_size=2000)
        return rows
