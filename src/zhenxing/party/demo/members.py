"""The party demo's members: people in every stage of the pipeline, dated by the rules the
services enforce, with two introducers from the development-target step on."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from zhenxing.party.demo.base import (
    TERM_START,
    Resident,
    _State,
    _Village,
    _weighted_sample,
    _years_after,
)
from zhenxing.party.models import PartyMember, PartyOrganization, Stage
from zhenxing.party.rules import add_months, age_on


class _Members(_State):
    """Each village's members and the pipeline, and full members for the units."""

    # -- members -------------------------------------------------------------------------------

    def chain(self, stage: str, day: dt.date, rng: random.Random) -> dict[str, dt.date]:
        """The dates of every step up to ``stage`` reached on ``day``, worked backwards at
        realistic gaps, never closer than the rules allow."""
        dates: dict[str, dt.date] = {}
        order = (Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET, Stage.PROBATIONARY, Stage.FULL)
        reached = order.index(Stage(stage))
        if reached == 4:
            dates["full_on"] = day
            probationary = add_months(day, -12) - dt.timedelta(days=rng.randint(0, 20))
            while self.rules.earliest_full(probationary) > day:
                probationary -= dt.timedelta(days=7)
            day = probationary
        if reached >= 3:
            dates["probationary_on"] = day
            day -= dt.timedelta(days=rng.randint(20, 120))
        if reached >= 2:
            dates["target_on"] = day
            activist = add_months(day, -12) - dt.timedelta(days=rng.randint(0, 180))
            while self.rules.earliest_target(activist) > day:
                activist -= dt.timedelta(days=7)
            day = activist
        if reached >= 1:
            dates["activist_on"] = day
            day -= dt.timedelta(days=rng.randint(15, 120))
        dates["talked_on"] = day
        applied = day - dt.timedelta(days=rng.randint(2, 25))
        while self.rules.talk_deadline(applied) < day:
            applied += dt.timedelta(days=1)
        dates["applied_on"] = applied
        return dates

    def member(
        self,
        plan: _Village,
        resident: Resident,
        stage: str,
        dates: dict[str, dt.date],
        organization: PartyOrganization | None = None,
        **works: Any,
    ) -> PartyMember:
        member = PartyMember(
            person_id=resident.pk,
            organization=organization or plan.org,
            stage=stage,
            **dates,
            **works,
        )
        plan.used.add(resident.pk)
        if organization is None or organization is plan.org:
            plan.members.append(member)
        else:
            self.extra_members.append(member)
        if stage in (Stage.TARGET, Stage.PROBATIONARY, Stage.FULL):
            self.introduce(plan, member)
        return member

    def introduce(self, plan: _Village, member: PartyMember) -> None:
        """Two introducers who were full members on the day the person became a development
        target; required from that step on, kept for full members where the roll knows them."""
        target_on = member.target_on
        assert target_on is not None
        able = [
            m
            for m in plan.veterans + [m for m in plan.members if m.stage == Stage.FULL]
            if m.full_on is not None and m.full_on <= target_on and m is not member
        ]
        able = list({id(m): m for m in able}.values())
        if len(able) >= 2:
            self.introducers.append((member, plan.rng.sample(able, 2)))
        elif member.stage != Stage.FULL:
            raise AssertionError(f"no introducers in {plan.region.code}")

    def full_member(
        self, plan: _Village, resident: Resident, *, veteran: bool, **kwargs: Any
    ) -> PartyMember | None:
        """``resident`` as a full member: a veteran joined before the term began (so can hold a
        party post from 2022-01-01), the others at any time up to last month."""
        rng = plan.rng
        low = _years_after(resident.birth, 22)
        high = self.today - dt.timedelta(days=30)
        if veteran:
            high = min(TERM_START - dt.timedelta(days=1), _years_after(self.today, -3))
        if low > high:
            return None
        day = _years_after(resident.birth, rng.randint(23, 52)) + dt.timedelta(
            days=rng.randint(0, 364)
        )
        day = min(max(day, low), high)
        dates = self.chain(Stage.FULL, day, rng)
        if age_on(resident.birth, dates["applied_on"]) < 18:
            return None
        member = self.member(plan, resident, Stage.FULL, dates, **kwargs)
        if veteran:
            plan.veterans.append(member)
        return member

    def fill_members(self, plan: _Village) -> None:
        """The village's full members (the secretary first) and people in each stage of the
        pipeline, with the demo township's deliberate overdue steps."""
        rng = plan.rng
        adults = plan.adults
        if len(adults) < 6:
            return
        wanted = min(40, max(4, round(plan.population * rng.uniform(0.17, 0.24))))
        # The secretary: a man or woman of 32–62 (mostly men), a member since before the term.
        able = [r for r in adults if 32 <= self.age(r) <= 62]
        weights = [3.0 if r.sex == "M" else 1.0 for r in able]
        for resident in _weighted_sample(rng, able, weights, len(able)):
            if self.full_member(plan, resident, veteran=True):
                plan.secretary = resident
                break
        veterans = max(3, round(wanted * 0.6))
        pool = [r for r in plan.free() if self.age(r) >= 24]
        weights = [2.3 if r.sex == "M" else 1.0 for r in pool]
        for resident in _weighted_sample(rng, pool, weights, len(pool)):
            if len(plan.members) >= wanted:
                break
            self.full_member(plan, resident, veteran=len(plan.veterans) < veterans)
        young = [r for r in plan.free() if 19 <= self.age(r) <= 40]
        rng.shuffle(young)
        stages = (
            [Stage.APPLICANT] * rng.choice((0, 1, 1, 2))
            + [Stage.ACTIVIST] * rng.choice((0, 1, 1, 2))
            + [Stage.TARGET] * rng.choice((0, 0, 1))
            + [Stage.PROBATIONARY] * rng.choice((0, 1, 1, 2))
        )
        overdue: list[str] = []
        if plan.township.code == self.township_code and 0 <= plan.index < 4:
            overdue = [["talk", "probation"], ["talk"], ["probation"], ["talk"]][plan.index]
        for step in overdue + stages:
            if step in (Stage.TARGET, Stage.PROBATIONARY, "probation") and len(plan.veterans) < 2:
                continue  # nobody to introduce them
            stage, dates = self.pipeline_dates(step, rng)
            old_enough = [r for r in young if age_on(r.birth, dates["applied_on"]) >= 18]
            if old_enough:
                young.remove(old_enough[0])
                self.member(plan, old_enough[0], stage, dates)

    def pipeline_dates(self, step: str, rng: random.Random) -> tuple[str, dict[str, dt.date]]:
        """The stage and dates of someone now at ``step`` of the pipeline; ``talk`` and
        ``probation`` are the deliberately overdue ones."""
        today = self.today
        if step == "talk":  # applied over a month ago, nobody has talked with them
            return Stage.APPLICANT, {"applied_on": today - dt.timedelta(days=rng.randint(40, 120))}
        if step == "probation":  # admitted more than a year ago, not yet converted
            day = add_months(today, -12) - dt.timedelta(days=rng.randint(15, 150))
            return Stage.PROBATIONARY, self.chain(Stage.PROBATIONARY, day, rng)
        if step == Stage.APPLICANT:
            if rng.random() < 0.3:  # applied lately, the talk still within its month
                return step, {"applied_on": today - dt.timedelta(days=rng.randint(0, 20))}
            return step, self.chain(step, today - dt.timedelta(days=rng.randint(5, 120)), rng)
        if step == Stage.ACTIVIST:
            return step, self.chain(step, today - dt.timedelta(days=rng.randint(20, 600)), rng)
        if step == Stage.TARGET:
            return step, self.chain(step, today - dt.timedelta(days=rng.randint(10, 200)), rng)
        # Probationary within the year: conversion not yet due.
        latest = today - dt.timedelta(days=20)
        day = today - dt.timedelta(days=rng.randint(20, 330))
        while self.rules.earliest_full(day) < today and day < latest:
            day += dt.timedelta(days=7)
        return step, self.chain(step, day, rng)
