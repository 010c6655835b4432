"""The party demo's builder: ``_Builder`` combines the domains' mixins and writes the drafts
in bulk, with their audit rows; ``demo_party_load`` runs it (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_rows
from zhenxing.core.regions.models import VILLAGE_LEVEL
from zhenxing.party.demo.base import (
    ACTOR,
    DEMO_TOWNSHIP,
    SEED,
    WITHOUT_RESERVE_IN_DEMO_TOWNSHIP,
)
from zhenxing.party.demo.cadres import _Cadres
from zhenxing.party.demo.members import _Members
from zhenxing.party.demo.organizations import _Organizations
from zhenxing.party.demo.training import _Training
from zhenxing.party.models import (
    MEMBER_STAGES,
    Attendance,
    CadrePosition,
    CourseOrder,
    FunctionalGroup,
    PartyMember,
    PartyOrganization,
    Post,
    ReserveTalent,
    SocialOrganization,
    TrainingSession,
)
from zhenxing.party.services import figures
from zhenxing.registry.selectors import residents_exist


class _Builder(_Organizations, _Members, _Cadres, _Training):
    """Draws the whole city's party data in memory, then writes it in bulk.

    The domains' mixins draw (and write their organisations and sessions); the base ``_State``
    holds the attributes and the residents; this class writes the people and the audit rows."""

    # -- writing -------------------------------------------------------------------------------

    def write_people(self) -> None:
        members = [m for plan in self.villages for m in plan.members] + self.extra_members
        PartyMember.objects.bulk_create(members, batch_size=2000)
        through = PartyMember.introducers.through
        through.objects.bulk_create(
            [
                through(from_partymember_id=member.pk, to_partymember_id=introducer.pk)
                for member, pair in self.introducers
                for introducer in pair
            ],
            batch_size=2000,
        )
        self.members = members
        self.positions = [p for plan in self.villages for p in plan.positions]
        CadrePosition.objects.bulk_create(self.positions, batch_size=2000)
        self.talent = [t for plan in self.villages for t in plan.talent]
        ReserveTalent.objects.bulk_create(self.talent, batch_size=2000)
        rng = random.Random(f"{self.seed}:groups")
        self.groups = FunctionalGroup.objects.bulk_create(self.functional_groups(rng))
        through_groups = FunctionalGroup.members.through
        through_groups.objects.bulk_create(
            through_groups(functionalgroup_id=group.pk, partymember_id=m.pk)
            for group, others in self.group_members
            for m in others
        )

    def audit(self) -> None:
        """One "create" row per object, in bulk (as the economy demo writes its own)."""
        org_code = {o.pk: o.region.code for o in self.organizations}
        names = {r.pk: r.name for plan in self.villages for r in plan.adults}
        codes: dict[type[models.Model], list[tuple[Any, str, str]]] = {
            SocialOrganization: [(s.pk, s.name, s.region.code) for s in self.socials],
            PartyOrganization: [(o.pk, o.name, o.region.code) for o in self.organizations],
            PartyMember: [
                (m.pk, f"{names[m.person_id]} ({m.stage})", org_code[m.organization_id])
                for m in self.members
            ],
            CadrePosition: [
                (p.pk, f"{p.village.name} {p.post} {names[p.person_id]}", p.village.code)
                for p in self.positions
            ],
            ReserveTalent: [
                (t.pk, f"{names[t.person_id]} · {t.track}", t.village.code) for t in self.talent
            ],
            FunctionalGroup: [(g.pk, g.name, org_code[g.organization_id]) for g in self.groups],
            CourseOrder: [
                (o.pk, f"{o.village.name} {o.course.title} {o.year}", o.village.code)
                for o in self.orders
            ],
            TrainingSession: [
                (s.pk, f"{s.course.title} {s.starts_on:%Y-%m-%d}", s.region.code)
                for s in self.sessions
            ],
            Attendance: [
                (
                    a.pk,
                    f"{a.session.course.title} · {names[a.position.person_id]}",
                    a.position.village.code,
                )
                for a in self.attendance_rows
            ],
        }
        for model, items in codes.items():
            audit_rows(
                actor=ACTOR,
                model=model,
                items=((AuditAction.CREATE, pk, text, code, {}) for pk, text, code in items),
            )


def demo_party_load(
    *, seed: int = SEED, today: dt.date | None = None, township_code: str = DEMO_TOWNSHIP
) -> dict[str, Any]:
    """Fill the demo city's party building from the registry demo's residents; a second run
    (or a city with party organisations already) adds nothing, nor does a city without
    residents. ``township_code`` is the demo logins' township, where the gaps are."""
    started = time.perf_counter()
    skipped = {"skipped": True, "seconds": 0.0}
    if PartyOrganization.objects.exists():
        return {**skipped, "reason": "loaded"}
    if not residents_exist(village_kinds=VILLAGE_LEVEL):
        return {**skipped, "reason": "no residents"}
    builder = _Builder(seed=seed, today=today or timezone.localdate(), township_code=township_code)
    with transaction.atomic():
        builder.load_villages()
        builder.build_organizations()
        rng = random.Random(f"{seed}:shares")
        shoulder: dict[int, float] = {}
        demo_plans = [
            p for p in builder.villages if p.township.code == township_code and p.is_village
        ]
        # Villages of the demo township without a reserve secretary: not the demo login's.
        without = {id(p) for p in demo_plans[1 : 1 + WITHOUT_RESERVE_IN_DEMO_TOWNSHIP]}
        for plan in builder.villages:
            builder.fill_members(plan)
            share = shoulder.setdefault(plan.township.pk, rng.uniform(0.3, 0.72))
            builder.fill_posts(plan, share)
            reserve = id(plan) not in without and (
                plan.township.code == township_code or plan.rng.random() > 0.04
            )
            builder.fill_reserve(plan, reserve_secretary=reserve)
        builder.build_units()
        builder.write_people()
        trained = builder.training()
        builder.audit()
        # Written in bulk, past the services: no village's summary row may survive it.
        figures.forget_all()
    one_shoulder = sum(
        1
        for plan in builder.villages
        if plan.secretary is not None and Post.DIRECTOR in plan.posts[plan.secretary.pk]
    )
    return {
        "skipped": False,
        "joint_committees": builder.joint_committees,
        "organizations": len(builder.organizations),
        "members": sum(m.stage in MEMBER_STAGES for m in builder.members),
        "pipeline": sum(m.stage not in MEMBER_STAGES for m in builder.members),
        "positions": len(builder.positions),
        "one_shoulder_ratio": one_shoulder / max(1, len(builder.villages)),
        "talent": len(builder.talent),
        "groups": len(builder.groups),
        **trained,
        "seconds": time.perf_counter() - started,
    }
