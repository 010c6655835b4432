"""The party demo's village cadres and reserve talent: the two committees for the term that
began on 2022-01-01 (一肩挑 in about half the villages), and reserve talent on both tracks."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from zhenxing.party.demo.base import (
    EDUCATED_SOURCES,
    ENTREPRENEUR_COUNTS,
    POOL_SOURCES,
    SECRETARY_SOURCES,
    TERM_START,
    Resident,
    S,
    _educated,
    _men_first,
    _pick,
    _sample,
    _State,
    _Village,
    _weighted_sample,
)
from zhenxing.party.models import (
    MEMBER_STAGES,
    CadrePosition,
    Post,
    ReserveTalent,
    Stage,
    TalentProgress,
    TalentTrack,
)
from zhenxing.party.rules import age_on, posts_incompatible


class _Cadres(_State):
    """The two committees' posts and each village's reserve talent."""

    # -- the two committees --------------------------------------------------------------------

    def can_hold(self, plan: _Village, resident: Resident, post: str) -> bool:
        if age_on(resident.birth, TERM_START) < 21:
            return False
        return not any(posts_incompatible(held, post) for held in plan.posts[resident.pk])

    def appoint(self, plan: _Village, resident: Resident, post: str, source: str = "") -> None:
        if not self.can_hold(plan, resident, post):
            raise AssertionError(f"{resident.name} cannot hold {post} in {plan.region.code}")
        plan.posts[resident.pk].append(post)
        plan.positions.append(
            CadrePosition(
                village=plan.region,
                person_id=resident.pk,
                post=post,
                started_on=TERM_START,
                term_ends_on=self.term_ends_on,
                source=source,
            )
        )

    def choose(
        self,
        plan: _Village,
        candidates: Iterable[Resident],
        post: str,
        *,
        ages: tuple[int, int] = (25, 65),
        weight: Any = None,
    ) -> Resident | None:
        able = [
            r
            for r in candidates
            if ages[0] <= self.age(r) <= ages[1] and self.can_hold(plan, r, post)
        ]
        if not able:
            return None
        weights = [weight(r) if weight else 1.0 for r in able]
        return _weighted_sample(plan.rng, able, weights, 1)[0]

    def source_for(self, rng: random.Random, resident: Resident, table: Any) -> str:
        educated = resident.education in ("college", "senior")
        pairs = [
            (s, w)
            for s, w in table
            if (educated or s not in EDUCATED_SOURCES)
            and (s != S.DEMOBILISED_SOLDIER or resident.sex == "M")
            and (s != S.COLLEGE_OFFICIAL or resident.education == "college")
        ]
        return str(_pick(rng, pairs))

    def fill_posts(self, plan: _Village, one_shoulder_share: float) -> None:
        """Secretary, director (the same person in about half the villages), deputies and
        members, the supervision chair, sometimes a first secretary and work team, a leader for
        each villager group; never two posts one person may not hold together."""
        rng = plan.rng
        secretary = plan.secretary
        if secretary is None:
            return
        source = self.source_for(rng, secretary, SECRETARY_SOURCES)
        self.appoint(plan, secretary, Post.PARTY_SECRETARY, source)
        everyone = plan.adults
        veterans = [plan.resident[m.person_id] for m in plan.veterans]
        if rng.random() < one_shoulder_share:
            self.appoint(plan, secretary, Post.DIRECTOR, source)
        else:
            member_ids = {m.person_id for m in plan.veterans}
            director = self.choose(
                plan,
                [r for r in everyone if r is not secretary],
                Post.DIRECTOR,
                ages=(30, 62),
                weight=lambda r: _men_first(r) * (2.0 if r.pk in member_ids else 1.0),
            )
            if director is not None:
                self.appoint(
                    plan, director, Post.DIRECTOR, self.source_for(rng, director, SECRETARY_SOURCES)
                )
        if len(plan.veterans) >= 4 and rng.random() < 0.7:
            deputy = self.choose(plan, veterans, Post.PARTY_DEPUTY)
            if deputy is not None:
                self.appoint(plan, deputy, Post.PARTY_DEPUTY)
        for _n in range(1 if len(plan.veterans) < 5 else 2):
            member = self.choose(plan, veterans, Post.PARTY_MEMBER)
            if member is not None:
                self.appoint(plan, member, Post.PARTY_MEMBER)
        if len(everyone) >= 20:
            # Often a party committee member sits on the villagers' committee too (交叉任职).
            crossing = [r for r in veterans if plan.posts[r.pk]]
            pool = crossing if crossing and rng.random() < 0.5 else everyone
            deputy = self.choose(plan, pool, Post.DEPUTY_DIRECTOR) or self.choose(
                plan, everyone, Post.DEPUTY_DIRECTOR
            )
            if deputy is not None:
                self.appoint(plan, deputy, Post.DEPUTY_DIRECTOR)
        for n in range(2 if len(everyone) >= 18 else 1):
            # The first is the women's member (妇女委员) where a woman can take it.
            women = [r for r in everyone if r.sex == "F"]
            pick = (self.choose(plan, women, Post.COMMITTEE_MEMBER) if n == 0 else None) or (
                self.choose(plan, everyone, Post.COMMITTEE_MEMBER)
            )
            if pick is not None:
                self.appoint(plan, pick, Post.COMMITTEE_MEMBER)
        members = {m.person_id for m in plan.members if m.stage in MEMBER_STAGES}
        chair = self.choose(
            plan,
            everyone,
            Post.SUPERVISION_CHAIR,
            ages=(30, 66),
            weight=lambda r: 3.0 if r.pk in members else 1.0,
        )
        if chair is not None:
            self.appoint(plan, chair, Post.SUPERVISION_CHAIR)
        if rng.random() < 0.35 or plan is self.demo_village:
            # The work team is sent from outside the village's bodies: nobody holding a post.
            first = self.choose(
                plan,
                [r for r in everyone if not plan.posts[r.pk]],
                Post.FIRST_SECRETARY,
                ages=(26, 52),
                weight=_educated,
            )
            if first is not None:
                self.appoint(plan, first, Post.FIRST_SECRETARY)
                for _n in range(rng.choice((1, 1, 2))):
                    team = self.choose(
                        plan,
                        [r for r in everyone if not plan.posts[r.pk]],
                        Post.WORK_TEAM_MEMBER,
                        ages=(24, 55),
                    )
                    if team is not None:
                        self.appoint(plan, team, Post.WORK_TEAM_MEMBER)
        outside = {Post.SUPERVISION_CHAIR, Post.FIRST_SECRETARY, Post.WORK_TEAM_MEMBER}
        for group_id in sorted({r.group_id for r in everyone if r.group_id is not None}):
            leader = self.choose(
                plan,
                [
                    r
                    for r in everyone
                    if r.group_id == group_id and not outside & set(plan.posts[r.pk])
                ],
                Post.GROUP_LEADER,
                ages=(28, 68),
                weight=_men_first,
            )
            if leader is not None:
                self.appoint(plan, leader, Post.GROUP_LEADER)
        # A party post from the term's first day: only members who were full by then (a
        # probationary member cannot be elected).
        full = [plan.resident[m.person_id] for m in plan.veterans]
        if len(full) >= 5:
            leader = self.choose(
                plan, [r for r in full if r is not secretary], Post.PARTY_GROUP_LEADER
            )
            if leader is not None:
                self.appoint(plan, leader, Post.PARTY_GROUP_LEADER)
        if rng.random() < 0.2:
            instructor = self.choose(plan, everyone, Post.INDUSTRY_INSTRUCTOR, ages=(25, 58))
            if instructor is not None:
                self.appoint(plan, instructor, Post.INDUSTRY_INSTRUCTOR)

    # -- reserve talent ------------------------------------------------------------------------

    def fill_reserve(self, plan: _Village, *, reserve_secretary: bool) -> None:
        """A reserve for secretary (unless told not to), another on the track to cadre, young
        people on the track to membership, and 致富带头人 around the goal of three."""
        rng = plan.rng
        secretary = plan.secretary
        if secretary is None:
            return
        members = {m.person_id: m for m in plan.members if m.stage in MEMBER_STAGES}
        mentors = [plan.resident[m.person_id] for m in plan.veterans]
        on_track: set[tuple[int, str]] = set()

        def since() -> dt.date:
            start = dt.date(2021, 3, 1)
            return start + dt.timedelta(days=rng.randint(0, max(0, (self.today - start).days - 30)))

        def add(resident: Resident, source: str, reserve_for: str = "") -> None:
            track = (
                TalentTrack.MEMBER_TO_CADRE
                if resident.pk in members
                else TalentTrack.YOUTH_TO_MEMBER
            )
            if (resident.pk, track) in on_track:
                return
            on_track.add((resident.pk, track))
            if track == TalentTrack.YOUTH_TO_MEMBER:
                plan.youth.add(resident.pk)  # not to be made a member by a unit below
            in_pipeline = resident.pk in plan.used and resident.pk not in members
            mentor = secretary if resident is not secretary else None
            if track == TalentTrack.YOUTH_TO_MEMBER:
                mentor = rng.choice(mentors) if mentors else mentor
            plan.talent.append(
                ReserveTalent(
                    village=plan.region,
                    person_id=resident.pk,
                    source=source,
                    track=track,
                    progress=TalentProgress.CULTIVATING
                    if in_pipeline or rng.random() < 0.5
                    else TalentProgress.IDENTIFIED,
                    reserve_for=reserve_for,
                    mentor_id=mentor.pk if mentor else None,
                    since=since(),
                )
            )

        candidates = [plan.resident[pk] for pk in members if pk != secretary.pk]
        if reserve_secretary:
            younger = [r for r in candidates if 25 <= self.age(r) <= 50]
            if younger or candidates:
                pick = _weighted_sample(
                    rng,
                    younger or candidates,
                    [2.0 if r.sex == "M" else 1.0 for r in younger or candidates],
                    1,
                )[0]
                add(pick, self.source_for(rng, pick, POOL_SOURCES), Post.PARTY_SECRETARY)
        if candidates and rng.random() < 0.5:
            pick = rng.choice(candidates)
            post = rng.choice((Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.COMMITTEE_MEMBER, ""))
            add(pick, self.source_for(rng, pick, POOL_SOURCES), post)
        youth = [r for r in plan.adults if r.pk not in members and 18 <= self.age(r) <= 35]
        for pick in _sample(rng, youth, rng.choice((1, 1, 2))):
            add(pick, self.source_for(rng, pick, POOL_SOURCES))
        goal = rng.choice(ENTREPRENEUR_COUNTS)
        have = sum(t.source == S.ENTREPRENEUR for t in plan.talent)
        able = [
            r
            for r in plan.adults
            if 24 <= self.age(r) <= (55 if r.pk in members else 45) and r is not secretary
        ]
        rng.shuffle(able)
        for pick in able:
            if have >= goal:
                break
            before = len(plan.talent)
            add(pick, S.ENTREPRENEUR)
            have += len(plan.talent) - before
        # Probationary members who came through the track to membership: achieved.
        for m in plan.members:
            if m.stage == Stage.PROBATIONARY and rng.random() < 0.4:
                resident = plan.resident[m.person_id]
                if (resident.pk, TalentTrack.YOUTH_TO_MEMBER) in on_track:
                    continue
                on_track.add((resident.pk, TalentTrack.YOUTH_TO_MEMBER))
                plan.talent.append(
                    ReserveTalent(
                        village=plan.region,
                        person_id=resident.pk,
                        source=self.source_for(rng, resident, POOL_SOURCES),
                        track=TalentTrack.YOUTH_TO_MEMBER,
                        progress=TalentProgress.ACHIEVED,
                        mentor_id=secretary.pk,
                        since=m.applied_on - dt.timedelta(days=rng.randint(30, 180)),
                    )
                )
