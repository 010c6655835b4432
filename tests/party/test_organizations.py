"""Party organisations: joint-village committees and where they are attached (which decides who
sees them), one organisation per village, branches under the committee that covers them,
organisations in cooperatives, companies and social organisations, and 1+N functional groups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.conftest import World, make_region
from tests.party.conftest import Party
from zhenxing.core.audit.models import AuditAction, AuditEntry
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.economy.models import CollectiveOrganization, Company, Industry
from zhenxing.economy.services import entities
from zhenxing.party.models import (
    FunctionalGroup,
    GroupFunction,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
    SocialOrganization,
    Stage,
)
from zhenxing.party.services import organizations

D = dt.date
Kind = OrganizationKind


def state() -> tuple[Any, ...]:
    return (
        PartyOrganization.objects.count(),
        FunctionalGroup.objects.count(),
        SocialOrganization.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(
    step: Callable[[], object], *, code: str | None = None, field: str | None = None
) -> DomainError:
    """Run ``step``, expect a ``DomainError`` and nothing written."""
    before = state()
    with pytest.raises(DomainError) as exc:
        step()
    assert state() == before
    if code is not None:
        assert exc.value.code == code
    if field is not None:
        assert exc.value.field == field
    return exc.value


def create(actor: Any, name: str, kind: str, **kw: Any) -> PartyOrganization:
    return organizations.organization_create(actor=actor, name=name, kind=kind, **kw)


def valid_uscc(body: str = "91520281MA6DKQ1X2") -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


def company_in(world: World, region: Region, body: str = "91520281MA6DKQ1X2") -> Company:
    return entities.company_create(
        actor=world.city,
        region=region,
        name=f"{region.name}刺梨公司",
        kind="township",
        uscc=valid_uscc(body),
        legal_representative="王建华",
    )


def cooperative_in(world: World, village: Region) -> CollectiveOrganization:
    return entities.organization_create(
        actor=world.city, village=village, name=f"{village.name}股份经济合作社"
    )


def social_in(world: World, region: Region) -> SocialOrganization:
    return organizations.social_organization_create(
        actor=world.city, region=region, name=f"{region.name}老年协会", kind="association"
    )


# --- joint-village committees -----------------------------------------------------------------


def test_a_joint_committee_over_one_village_is_refused(world: World) -> None:
    for villages in ([world.village_a], [world.village_a, world.village_a], []):
        refused(
            lambda v=villages: create(world.city, "联村党委", Kind.JOINT_COMMITTEE, villages=v),
            field="villages",
        )


def test_a_joint_committee_within_one_township_is_attached_to_it(world: World) -> None:
    joint = create(
        world.officer_a,
        "红果联村党委",
        Kind.JOINT_COMMITTEE,
        villages=[world.village_a, world.village_a2],
    )
    joint.refresh_from_db()
    assert joint.region == world.township_a
    assert set(joint.villages.all()) == {world.village_a, world.village_a2}
    assert PartyOrganization.objects.visible_to(world.officer_a).filter(pk=joint.pk).exists()
    assert not PartyOrganization.objects.visible_to(world.officer_b).filter(pk=joint.pk).exists()
    # A village cadre answers for one village, not the committee over several.
    assert not PartyOrganization.objects.visible_to(world.cadre_a).filter(pk=joint.pk).exists()
    [entry] = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PartyOrganization), object_id=str(joint.pk)
    )
    assert entry.action == AuditAction.CREATE and entry.region_code == world.township_a.code


def test_a_joint_committee_across_townships_is_attached_to_the_county(world: World) -> None:
    joint = create(
        world.city,
        "跨乡联村党委",
        Kind.JOINT_COMMITTEE,
        villages=[world.village_a, world.village_b],
    )
    assert joint.region == world.county
    assert PartyOrganization.objects.visible_to(world.city).filter(pk=joint.pk).exists()
    for officer in (world.officer_a, world.officer_b):
        assert not PartyOrganization.objects.visible_to(officer).filter(pk=joint.pk).exists()


def test_a_township_officer_cannot_span_a_village_of_another_township(world: World) -> None:
    err = refused(
        lambda: create(
            world.officer_a,
            "跨乡联村党委",
            Kind.JOINT_COMMITTEE,
            villages=[world.village_a, world.village_b],
        )
    )
    assert isinstance(err, NotFound)


def test_a_joint_committee_covers_villages_only(world: World) -> None:
    refused(
        lambda: create(
            world.city,
            "联村党委",
            Kind.JOINT_COMMITTEE,
            villages=[world.village_a, world.township_b],
        ),
        field="villages",
    )


# --- a village's own organisation -------------------------------------------------------------


def test_a_village_branch_is_attached_to_its_village(world: World) -> None:
    branch = create(
        world.officer_a, "沙坡村党支部", Kind.VILLAGE_BRANCH, villages=[world.village_a]
    )
    assert branch.region == world.village_a
    assert list(branch.villages.all()) == [world.village_a]
    assert PartyOrganization.objects.visible_to(world.cadre_a).filter(pk=branch.pk).exists()


def test_a_village_branch_covers_exactly_one_village(world: World) -> None:
    for villages in ([], [world.village_a, world.village_a2]):
        refused(
            lambda v=villages: create(world.city, "党支部", Kind.VILLAGE_BRANCH, villages=v),
            field="villages",
        )


@pytest.mark.parametrize(
    "kind", [Kind.VILLAGE_BRANCH, Kind.VILLAGE_GENERAL_BRANCH, Kind.VILLAGE_COMMITTEE]
)
def test_a_second_organisation_of_the_same_village_is_refused(
    world: World, party: Party, kind: str
) -> None:
    refused(
        lambda: create(world.officer_a, "沙坡村党总支", kind, villages=[world.village_a]),
        field="villages",
    )


def test_a_branch_under_a_joint_committee_that_does_not_cover_its_village_is_refused(
    world: World, party: Party
) -> None:
    village_a3 = make_region("520281004203", "新村", RegionKind.VILLAGE, world.township_a)
    refused(
        lambda: create(
            world.officer_a,
            "新村党支部",
            Kind.VILLAGE_BRANCH,
            villages=[village_a3],
            parent=party.joint,
        ),
        field="parent",
    )
    branch = create(world.officer_a, "新村党支部", Kind.VILLAGE_BRANCH, villages=[village_a3])
    assert branch.parent is None


def test_a_branch_under_the_joint_committee_over_its_village_is_accepted(world: World) -> None:
    joint = create(
        world.officer_a,
        "红果联村党委",
        Kind.JOINT_COMMITTEE,
        villages=[world.village_a, world.village_a2],
    )
    branch = create(
        world.officer_a,
        "竹箐村党支部",
        Kind.VILLAGE_BRANCH,
        villages=[world.village_a2],
        parent=joint,
    )
    assert branch.parent == joint
    assert list(joint.children.all()) == [branch]


def test_a_parent_outside_scope_is_not_found(world: World, party: Party) -> None:
    village_a3 = make_region("520281004203", "新村", RegionKind.VILLAGE, world.township_a)
    err = refused(
        lambda: create(
            world.officer_a,
            "新村党支部",
            Kind.VILLAGE_BRANCH,
            villages=[village_a3],
            parent=party.org_b,
        )
    )
    assert isinstance(err, NotFound)


def test_a_name_and_a_known_kind_are_required(world: World) -> None:
    refused(
        lambda: create(world.city, "  ", Kind.VILLAGE_BRANCH, villages=[world.village_a]),
        field="name",
    )
    refused(
        lambda: create(world.city, "沙坡村党支部", "cell", villages=[world.village_a]),
        field="kind",
    )


# --- organisations in cooperatives, companies and social organisations ------------------------


def test_an_organisation_in_a_cooperative_is_attached_to_its_village(world: World) -> None:
    refused(lambda: create(world.officer_a, "合作社党支部", Kind.COOPERATIVE), field="cooperative")
    cooperative = cooperative_in(world, world.village_a2)
    org = create(world.officer_a, "合作社党支部", Kind.COOPERATIVE, cooperative=cooperative)
    assert (org.region, org.cooperative) == (world.village_a2, cooperative)


def test_an_organisation_in_a_company_is_attached_where_the_company_is(world: World) -> None:
    refused(lambda: create(world.officer_a, "公司党支部", Kind.COMPANY), field="company")
    company = company_in(world, world.township_a)
    org = create(world.officer_a, "公司党支部", Kind.COMPANY, company=company)
    assert (org.region, org.company) == (world.township_a, company)
    assert not PartyOrganization.objects.visible_to(world.cadre_a).filter(pk=org.pk).exists()


def test_an_organisation_in_a_social_organisation_is_attached_where_it_is(world: World) -> None:
    refused(lambda: create(world.officer_a, "协会党支部", Kind.SOCIAL), field="social_organization")
    social = social_in(world, world.village_a)
    org = create(world.officer_a, "协会党支部", Kind.SOCIAL, social_organization=social)
    assert (org.region, org.social_organization) == (world.village_a, social)
    assert PartyOrganization.objects.visible_to(world.cadre_a).filter(pk=org.pk).exists()


def test_an_industry_chain_organisation_needs_the_industry_and_a_region(world: World) -> None:
    industry = Industry.objects.first()
    assert industry is not None
    refused(
        lambda: create(
            world.officer_a, "刺梨产业链党委", Kind.INDUSTRY_CHAIN, region=world.township_a
        ),
        field="industry",
    )
    refused(
        lambda: create(world.officer_a, "刺梨产业链党委", Kind.INDUSTRY_CHAIN, industry=industry),
        field="region",
    )
    org = create(
        world.officer_a,
        "刺梨产业链党委",
        Kind.INDUSTRY_CHAIN,
        industry=industry,
        region=world.township_a,
    )
    assert (org.region, org.industry) == (world.township_a, industry)
    err = refused(
        lambda: create(
            world.officer_a,
            "产业链党委",
            Kind.INDUSTRY_CHAIN,
            industry=industry,
            region=world.township_b,
        )
    )
    assert isinstance(err, NotFound)


def test_a_township_officer_cannot_set_one_up_in_another_township(world: World) -> None:
    company = company_in(world, world.township_b)
    cooperative = cooperative_in(world, world.village_b)
    social = social_in(world, world.village_b)
    for kind, link in [
        (Kind.COMPANY, {"company": company}),
        (Kind.COOPERATIVE, {"cooperative": cooperative}),
        (Kind.SOCIAL, {"social_organization": social}),
        (Kind.VILLAGE_BRANCH, {"villages": [world.village_b]}),
    ]:
        err = refused(lambda k=kind, kw=link: create(world.officer_a, "党支部", k, **kw))
        assert isinstance(err, NotFound), kind


def test_a_village_cadre_cannot_set_up_any_organisation(world: World) -> None:
    cooperative = cooperative_in(world, world.village_a)
    social = social_in(world, world.village_a)
    for kind, link in [
        (Kind.VILLAGE_BRANCH, {"villages": [world.village_a]}),
        (Kind.COOPERATIVE, {"cooperative": cooperative}),
        (Kind.SOCIAL, {"social_organization": social}),
        (Kind.JOINT_COMMITTEE, {"villages": [world.village_a, world.village_a2]}),
    ]:
        err = refused(lambda k=kind, kw=link: create(world.cadre_a, "党支部", k, **kw))
        assert isinstance(err, Forbidden), kind


def test_a_social_organisation_is_registered_in_scope_by_an_officer(world: World) -> None:
    social = organizations.social_organization_create(
        actor=world.officer_a, region=world.village_a, name=" 沙坡村志愿服务队 ", kind="volunteers"
    )
    assert (social.region, social.name) == (world.village_a, "沙坡村志愿服务队")
    refused(
        lambda: organizations.social_organization_create(
            actor=world.officer_a, region=world.village_a, name="  "
        ),
        field="name",
    )
    assert isinstance(
        refused(
            lambda: organizations.social_organization_create(
                actor=world.officer_a, region=world.village_b, name="龙井村协会"
            )
        ),
        NotFound,
    )
    assert isinstance(
        refused(
            lambda: organizations.social_organization_create(
                actor=world.cadre_a, region=world.village_a, name="沙坡村协会"
            )
        ),
        Forbidden,
    )


# --- 1+N functional groups --------------------------------------------------------------------


def at_stage(party: Party, index: int, stage: str, organization: PartyOrganization) -> PartyMember:
    dates = {
        "applied_on": D(2019, 1, 5),
        "talked_on": D(2019, 1, 20),
        "activist_on": D(2019, 3, 1),
        "target_on": D(2020, 3, 1),
        "probationary_on": D(2020, 9, 1),
    }
    keep = {
        Stage.APPLICANT: 1,
        Stage.ACTIVIST: 3,
        Stage.TARGET: 4,
        Stage.PROBATIONARY: 5,
    }[Stage(stage)]
    return PartyMember.objects.create(
        person=party.residents_a[index],
        organization=organization,
        stage=stage,
        **dict(list(dates.items())[:keep]),
    )


def group(
    actor: Any, party: Party, leader: PartyMember, members: list[PartyMember], **kw: Any
) -> FunctionalGroup:
    args: dict[str, Any] = {
        "organization": party.org_a,
        "name": "产业发展功能型党小组",
        "function": GroupFunction.INDUSTRY,
        "specialty": "刺梨种植",
    } | kw
    return organizations.functional_group_create(
        actor=actor, leader=leader, members=members, **args
    )


def test_a_functional_group_has_a_leader_and_members_of_the_organisation(
    world: World, party: Party
) -> None:
    leader, *others = party.full_a
    newcomer = at_stage(party, 0, Stage.PROBATIONARY, party.org_a)
    made = group(world.cadre_a, party, leader, [*others, newcomer, leader], achievements=" 带动 ")
    made.refresh_from_db()
    assert made.leader == leader
    assert set(made.members.all()) == {*others, newcomer}
    assert (made.function, made.specialty, made.achievements) == ("industry", "刺梨种植", "带动")
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(FunctionalGroup),
        object_id=str(made.pk),
        action=AuditAction.CREATE,
    ).exists()


def test_a_group_of_the_leader_alone_is_refused(world: World, party: Party) -> None:
    leader = party.full_a[0]
    for members in ([], [leader]):
        refused(lambda m=members: group(world.cadre_a, party, leader, m), field="members")


def test_a_group_member_from_another_organisation_is_refused(world: World, party: Party) -> None:
    other_branch = at_stage(party, 0, Stage.PROBATIONARY, party.org_a2)
    refused(
        lambda: group(world.officer_a, party, party.full_a[0], [party.full_a[1], other_branch]),
        field="members",
    )


@pytest.mark.parametrize("stage", [Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET])
def test_someone_not_yet_a_member_cannot_be_in_a_group(
    world: World, party: Party, stage: str
) -> None:
    candidate = at_stage(party, 0, stage, party.org_a)
    refused(
        lambda: group(world.cadre_a, party, party.full_a[0], [party.full_a[1], candidate]),
        field="members",
    )
    refused(
        lambda: group(world.cadre_a, party, candidate, [party.full_a[1]]),
        field="members",
    )


def test_a_leader_from_another_organisation_is_refused(world: World, party: Party) -> None:
    outsider = at_stage(party, 0, Stage.PROBATIONARY, party.org_a2)
    refused(
        lambda: group(world.officer_a, party, outsider, party.full_a[:2]),
        field="members",
    )


def test_a_group_needs_a_shared_specialty_a_known_function_and_a_name(
    world: World, party: Party
) -> None:
    leader, *others = party.full_a
    refused(lambda: group(world.cadre_a, party, leader, others, specialty="  "), field="specialty")
    refused(lambda: group(world.cadre_a, party, leader, others, function="x"), field="function")
    refused(lambda: group(world.cadre_a, party, leader, others, name=" "), field="name")


def test_a_group_in_an_organisation_outside_scope_is_not_found(world: World, party: Party) -> None:
    err = refused(lambda: group(world.cadre_b, party, party.full_a[0], party.full_a[1:]))
    assert isinstance(err, NotFound)


def test_a_grid_worker_cannot_set_up_a_group(world: World, party: Party) -> None:
    err = refused(lambda: group(world.grid_a, party, party.full_a[0], party.full_a[1:]))
    assert isinstance(err, Forbidden)


def test_a_village_belongs_to_one_joint_committee(world: World, party: Party) -> None:
    with pytest.raises(DomainError) as exc:
        organizations.organization_create(
            actor=world.city,
            name="又一个联村党委",
            kind=OrganizationKind.JOINT_COMMITTEE,
            villages=[world.village_a2, world.village_b],
        )
    assert exc.value.field == "villages"
    assert world.village_a2.name in str(exc.value.message)
    assert not PartyOrganization.objects.filter(name="又一个联村党委").exists()
