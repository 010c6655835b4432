"""The party demo's organisations: joint committees over neighbouring villages, each village's
own organisation, organisations in cooperatives, companies and social organisations and the
刺梨 industry chain (with the units left without one), and the 1+N functional groups."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zhenxing.core.regions.models import Region
from zhenxing.economy import selectors as economy_selectors
from zhenxing.party.demo.base import (
    CROSSING,
    GROUPS,
    JOINT_COMMITTEES,
    _sample,
    _State,
    _Village,
)
from zhenxing.party.models import (
    MEMBER_STAGES,
    FunctionalGroup,
    OrganizationKind,
    PartyOrganization,
    SocialOrganization,
    Stage,
)

if TYPE_CHECKING:  # annotations only: party reads the economy through its selectors
    from zhenxing.economy.models import Company


class _Organizations(_State):
    """Organisations and units, and the members working at units (drawn through ``members``)."""

    # -- organisations -------------------------------------------------------------------------

    def committee_groups(self) -> list[list[_Village]]:
        """The villages of each joint committee: neighbouring villages (by code) of a township;
        the smallest townships paired, a border committee across two big neighbours, the
        biggest townships split, until there are ``JOINT_COMMITTEES``."""
        by_township: dict[str, list[_Village]] = defaultdict(list)
        for plan in self.villages:
            if plan.is_village:
                by_township[plan.township.code].append(plan)
        groups: list[list[_Village]] = [by_township[code] for code in sorted(by_township)]
        single = [True] * len(groups)  # a group still of one township
        protected = self.township_code
        crossing = 0
        # Pair neighbouring small townships (街道 with a handful of villages each).
        i = 0
        while i + 1 < len(groups) and crossing < CROSSING:
            a, b = groups[i], groups[i + 1]
            small = len(a) <= 8 and len(b) <= 8
            if small and protected not in (a[0].township.code, b[0].township.code):
                groups[i : i + 2] = [a + b]
                single[i : i + 2] = [False]
                crossing += 1
            i += 1
        # Border committees: the last third of a big township with the first third of the next.
        while crossing < CROSSING:
            pairs = [
                (len(groups[j]) + len(groups[j + 1]), j)
                for j in range(len(groups) - 1)
                if single[j]
                and single[j + 1]
                and len(groups[j]) >= 12
                and len(groups[j + 1]) >= 12
                and protected not in (groups[j][0].township.code, groups[j + 1][0].township.code)
            ]
            if not pairs:
                break
            _size, j = max(pairs)
            a, b = groups[j], groups[j + 1]
            cut_a, cut_b = len(a) - len(a) // 3, len(b) // 3
            groups[j : j + 2] = [a[:cut_a], a[cut_a:] + b[:cut_b], b[cut_b:]]
            single[j : j + 2] = [False, False, False]  # neither half is split again
            crossing += 1
        while len(groups) < JOINT_COMMITTEES:
            candidates = [(len(g), -j) for j, g in enumerate(groups) if single[j] and len(g) >= 4]
            if not candidates:
                break
            j = -max(candidates)[1]  # the biggest, the first of equals
            g = groups[j]
            half = len(g) // 2
            groups[j : j + 1] = [g[:half], g[half:]]
            single[j : j + 1] = [False, False]
        while len(groups) > JOINT_COMMITTEES:  # another city: merge the smallest neighbours
            _size, j = min((len(groups[j]) + len(groups[j + 1]), j) for j in range(len(groups) - 1))
            groups[j : j + 2] = [groups[j] + groups[j + 1]]
        return [g for g in groups if len(g) >= 2]

    def build_organizations(self) -> None:
        """Joint committees and each village's own organisation under its committee; a
        community's organisation stands on its own (under the 街道's working committee, which
        the platform does not hold)."""
        rng = random.Random(f"{self.seed}:organisations")
        groups = self.committee_groups()
        joint: list[tuple[PartyOrganization, list[_Village]]] = []
        for group in groups:
            central = max(group, key=lambda v: (v.population, v.region.code))
            townships = {v.township.code for v in group}
            region = group[0].township if len(townships) == 1 else group[0].township.parent
            joint.append(
                (
                    PartyOrganization(
                        name=f"{central.region.name}联村党委",
                        kind=OrganizationKind.JOINT_COMMITTEE,
                        region=region,
                        founded_on=dt.date(2019, rng.randint(3, 9), rng.randint(1, 28)),
                    ),
                    group,
                )
            )
        PartyOrganization.objects.bulk_create([org for org, _g in joint])
        sizes = sorted((v.population for v in self.villages), reverse=True)
        committee_at = sizes[max(0, len(sizes) * 3 // 100 - 1)] if sizes else 0
        general_at = sizes[max(0, len(sizes) * 15 // 100 - 1)] if sizes else 0
        own: list[PartyOrganization] = []
        parent = {id(plan): org for org, group in joint for plan in group}
        for plan in self.villages:
            size = plan.population
            kind, suffix = (
                (OrganizationKind.VILLAGE_COMMITTEE, "党委")
                if size >= committee_at
                else (OrganizationKind.VILLAGE_GENERAL_BRANCH, "党总支")
                if size >= general_at
                else (OrganizationKind.VILLAGE_BRANCH, "党支部")
            )
            plan.org = PartyOrganization(
                name=f"{plan.region.name}{suffix}",
                kind=kind,
                parent=parent.get(id(plan)),
                region=plan.region,
                founded_on=dt.date(rng.randint(1952, 2008), rng.randint(1, 12), 1),
            )
            own.append(plan.org)
        PartyOrganization.objects.bulk_create(own)
        through = PartyOrganization.villages.through
        through.objects.bulk_create(
            [
                through(partyorganization_id=org.pk, region_id=plan.region.pk)
                for org, group in joint
                for plan in group
            ]
            + [through(partyorganization_id=o.pk, region_id=o.region.pk) for o in own]
        )
        self.organizations += [org for org, _g in joint] + own
        self.joint_committees = len(joint)

    # -- units: cooperatives, companies, social organisations ----------------------------------

    def unit_members(
        self,
        plans: Sequence[_Village],
        count: int,
        organization: PartyOrganization | None,
        rng: random.Random,
        **works: Any,
    ) -> int:
        """``count`` extra full members working at a unit, from the residents of ``plans`` not
        yet in the pipeline: in the unit's organisation, or their village's where it has none."""
        made = 0
        for plan in plans:
            for resident in plan.free():
                if made >= count:
                    return made
                if not 23 <= self.age(resident) <= 58 or plan.org is None or len(plan.veterans) < 2:
                    continue
                if self.full_member(
                    plan, resident, veteran=False, organization=organization, **works
                ):
                    made += 1
        return made

    def build_units(self) -> None:
        """Party organisations in cooperatives, companies, social organisations and the 刺梨
        industry chain, and the units left with three or more members and none (应建尽建)."""
        rng = random.Random(f"{self.seed}:units")
        coops = {c.village_id: c for c in economy_selectors.all_organizations()}
        with_members = [p for p in self.villages if p.org is not None and len(p.veterans) >= 2]
        with_coop = [p for p in with_members if p.region.pk in coops]
        township_plans = [p for p in with_coop if p.township.code == self.township_code]
        # Cooperatives: three members working there and no organisation in one village of the
        # demo township (not the demo login's own) and two elsewhere.
        gap_coops = township_plans[1:2] + _sample(
            rng, [p for p in with_coop if p.township.code != self.township_code], 2
        )
        ranked = sorted(
            (p for p in with_coop if p not in gap_coops),
            key=lambda p: (-len(p.members), p.region.code),
        )
        units: list[PartyOrganization] = []
        plan_of: dict[int, _Village] = {}
        for plan in ranked[:40]:
            coop = coops[plan.region.pk]
            units.append(
                PartyOrganization(
                    name=f"{coop.name}党支部"[:64],
                    kind=OrganizationKind.COOPERATIVE,
                    parent=plan.org,
                    region=plan.region,
                    cooperative=coop,
                    founded_on=dt.date(rng.randint(2018, 2021), rng.randint(1, 12), 1),
                )
            )
            plan_of[id(units[-1])] = plan
        chain = None
        industry = economy_selectors.industry_by_name("刺梨")
        county = self.villages[0].township.parent if self.villages else None
        if industry is not None and county is not None:
            chain = PartyOrganization(
                name=f"{industry.name}产业链党委",
                kind=OrganizationKind.INDUSTRY_CHAIN,
                region=county,
                industry=industry,
                founded_on=dt.date(2020, 6, 30),
            )
            PartyOrganization.objects.bulk_create([chain])
            self.organizations.append(chain)
        companies = list(economy_selectors.all_companies())
        chain_companies = [
            c for c in companies if industry is not None and industry.name in c.industries
        ]
        others = [c for c in companies if c not in chain_companies]
        in_township = [c for c in others if c.region.code == self.township_code]
        gap_companies = in_township[:1] + _sample(
            rng, [c for c in others if c not in in_township], 2
        )
        with_org = chain_companies + _sample(rng, [c for c in others if c not in gap_companies], 6)
        company_units: list[tuple[PartyOrganization, Company]] = []
        for company in with_org:
            org = PartyOrganization(
                name=f"{company.name}党支部"[:64],
                kind=OrganizationKind.COMPANY,
                parent=chain if company in chain_companies else None,
                region=company.region,
                company=company,
                founded_on=dt.date(rng.randint(2017, 2021), rng.randint(1, 12), 1),
            )
            units.append(org)
            company_units.append((org, company))
        socials = self.social_organizations(rng)
        social_units: list[tuple[PartyOrganization, SocialOrganization]] = []
        for social, has_org in socials:
            if has_org:
                org = PartyOrganization(
                    name=f"{social.name}党支部"[:64],
                    kind=OrganizationKind.SOCIAL,
                    region=social.region,
                    social_organization=social,
                    founded_on=dt.date(rng.randint(2019, 2022), rng.randint(1, 12), 1),
                )
                units.append(org)
                social_units.append((org, social))
        PartyOrganization.objects.bulk_create(units)
        self.organizations += units
        # Members: each organisation in a unit has three to five; each gap unit three or four
        # members who belong to their village's branch.
        for org in units:
            if org.kind == OrganizationKind.COOPERATIVE:
                plan = plan_of[id(org)]
                self.unit_members(
                    [plan], rng.randint(3, 4), org, rng, works_at_cooperative=org.cooperative
                )
        for plan in gap_coops:
            self.unit_members([plan], 3, None, rng, works_at_cooperative=coops[plan.region.pk])
        # Other villages: a member or two work at the cooperative, below the threshold.
        served = {id(p) for p in ranked[:40]} | {id(p) for p in gap_coops}
        for plan in with_members:
            if id(plan) in served or plan.region.pk not in coops or rng.random() < 0.5:
                continue
            full = [
                m for m in plan.members if m.stage == Stage.FULL and not m.works_at_cooperative_id
            ]
            for m in _sample(rng, full, rng.randint(1, 2)):
                m.works_at_cooperative = coops[plan.region.pk]
        for org, company in company_units:
            plans = self.plans_for(company.villages.all(), company.region, rng)
            self.unit_members(plans, rng.randint(3, 5), org, rng, works_at_company=company)
        for company in gap_companies:
            plans = self.plans_for(company.villages.all(), company.region, rng)
            self.unit_members(plans, rng.randint(3, 4), None, rng, works_at_company=company)
        for company in _sample(
            rng, [c for c in others if c not in gap_companies and c not in with_org], 6
        ):
            plans = self.plans_for(company.villages.all(), company.region, rng)
            self.unit_members(plans, rng.randint(1, 2), None, rng, works_at_company=company)
        for org, social in social_units:
            plans = self.plans_for([], social.region, rng)
            self.unit_members(plans, rng.randint(3, 4), org, rng, works_at_social=social)
        for social, has_org in socials:
            if not has_org:
                plans = self.plans_for([], social.region, rng)
                wanted = 3 if social.kind in ("老年协会", "行业协会") else 1
                self.unit_members(plans, wanted, None, rng, works_at_social=social)

    def plans_for(
        self, villages: Iterable[Region], region: Region, rng: random.Random
    ) -> list[_Village]:
        """The village drafts to draw a unit's members from: the villages it serves, else those
        under its region, in a shuffled order."""
        plans = [self.by_region[v.pk] for v in villages if v.pk in self.by_region]
        if not plans:
            plans = [p for p in self.villages if p.region.code.startswith(region.code)]
        plans = list(plans)
        rng.shuffle(plans)
        return plans

    def social_organizations(self, rng: random.Random) -> list[tuple[SocialOrganization, bool]]:
        """A few social organisations: some with a party organisation, the demo township's
        elders' association and a city association with members but none."""
        if not self.villages:
            return []
        county = self.villages[0].township.parent
        if county is None:
            return []
        townships = sorted({p.township.code: p.township for p in self.villages}.items())
        demo = self.demo_village
        others = [t for code, t in townships if code != self.township_code]
        picked = _sample(rng, others, 3)
        if len(picked) < 3:
            return []
        village = rng.choice([p for p in self.villages if p.township is picked[0]])
        specs: list[tuple[Region, str, str, bool]] = [
            (county, "盘州市刺梨产业协会", "行业协会", True),
            (county, "盘州市个体劳动者协会", "行业协会", False),
            (picked[0], f"{picked[0].name}乡贤理事会", "乡贤理事会", True),
            (village.region, f"{village.region.name}红白理事会", "红白理事会", False),
            (picked[1], f"{picked[1].name}农村电商协会", "行业协会", True),
            (picked[2], f"{picked[2].name}志愿者协会", "志愿服务组织", False),
        ]
        if demo is not None:
            specs += [
                (demo.township, f"{demo.township.name}老年人协会", "老年协会", False),
                (demo.region, f"{demo.region.name}志愿服务队", "志愿服务组织", False),
            ]
        socials = SocialOrganization.objects.bulk_create(
            SocialOrganization(region=region, name=name, kind=kind)
            for region, name, kind, _o in specs
        )
        self.socials = socials
        return [(s, spec[3]) for s, spec in zip(socials, specs, strict=True)]

    # -- 1+N groups ----------------------------------------------------------------------------

    def functional_groups(self, rng: random.Random) -> list[FunctionalGroup]:
        groups: list[FunctionalGroup] = []
        for plan in self.villages:
            members = [
                m for m in plan.members if m.stage in MEMBER_STAGES and m.organization is plan.org
            ]
            if len(members) < 5 or (rng.random() > 0.4 and plan is not self.demo_village):
                continue
            function = rng.choice(list(GROUPS))
            specialty, name, achievement = rng.choice(GROUPS[function])
            leader = rng.choice([m for m in members if m in plan.veterans] or members)
            others = _sample(rng, [m for m in members if m is not leader], rng.randint(2, 4))
            group = FunctionalGroup(
                organization=plan.org,
                name=name,
                function=function,
                specialty=specialty,
                leader=leader,
                achievements=achievement.format(
                    n=rng.randint(12, 80), m=rng.randint(100, 900), k=rng.randint(4, 30)
                ),
            )
            groups.append(group)
            self.group_members.append((group, others))
        return groups
