"""Writes for party organisations, social organisations and 1+N functional groups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.services import audit_create
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import ancestor_codes, ensure_can_add_under, get_for_user
from zhenxing.economy import selectors as economy_selectors
from zhenxing.party.models import (
    MEMBER_STAGES,
    VILLAGE_KINDS,
    FunctionalGroup,
    GroupFunction,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
    SocialOrganization,
)
from zhenxing.party.services import figures

if TYPE_CHECKING:  # annotations only: party reads the economy through its selectors
    from zhenxing.economy.models import CollectiveOrganization, Company, Industry


def smallest_common_region(villages: Sequence[Region]) -> Region:
    """The lowest region whose subtree holds every one of ``villages``."""
    chains = [[*ancestor_codes(v.code), v.code] for v in villages]
    common = set(chains[0]).intersection(*chains[1:])
    return Region.objects.filter(code__in=common).order_by("-code").first() or villages[0]


def organization_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    villages: Sequence[Region] = (),
    region: Region | None = None,
    parent: PartyOrganization | None = None,
    cooperative: CollectiveOrganization | None = None,
    company: Company | None = None,
    social_organization: SocialOrganization | None = None,
    industry: Industry | None = None,
    founded_on: dt.date | None = None,
) -> PartyOrganization:
    """Set up a party organisation. A joint-village committee covers two or more villages (of
    one township or several) and is attached to the smallest region holding them; a village's
    own committee, general branch or branch covers that one village, one per village; one in a
    cooperative, company or social organisation names it and is attached where it is."""
    with transaction.atomic():
        if not has_permission(actor, PartyOrganization, "add"):
            raise Forbidden()
        name = name.strip()
        if not name:
            raise DomainError(_("Give the organisation's name."), field="name")
        if kind not in OrganizationKind.values:
            raise DomainError(_("Choose the kind of organisation."), field="kind")
        villages = list({v.pk: v for v in villages}.values())
        for village in villages:
            ensure_can_add_under(actor, PartyOrganization, village)
            if village.kind not in VILLAGE_LEVEL:
                raise DomainError(_("Choose villages."), field="villages")
        if kind == OrganizationKind.JOINT_COMMITTEE:
            if len(villages) < 2:
                raise DomainError(
                    _("A joint-village committee spans two or more villages."), field="villages"
                )
            # A village answers to one joint committee: two would split its branch's line.
            taken = (
                PartyOrganization.objects.filter(
                    kind=OrganizationKind.JOINT_COMMITTEE, villages__in=villages
                )
                .values_list("villages__name", "name", "pk")
                .filter(villages__in=villages)
                .first()
            )
            if taken is not None:
                # A committee attached above the actor (crossing townships) is not named.
                seen = PartyOrganization.objects.visible_to(actor).filter(pk=taken[2]).exists()
                raise DomainError(
                    _("%(village)s already belongs to %(committee)s.")
                    % {
                        "village": taken[0],
                        "committee": taken[1] if seen else _("another joint committee"),
                    },
                    field="villages",
                )
            region = smallest_common_region(villages)
        elif kind in VILLAGE_KINDS:
            if len(villages) != 1:
                raise DomainError(_("Choose the village."), field="villages")
            region = villages[0]
            if PartyOrganization.objects.filter(region=region, kind__in=VILLAGE_KINDS).exists():
                raise DomainError(
                    _("This village already has its party organisation."), field="villages"
                )
        elif kind == OrganizationKind.COOPERATIVE:
            if cooperative is None:
                raise DomainError(_("Choose the cooperative."), field="cooperative")
            cooperative = economy_selectors.organization_get(actor=actor, pk=cooperative.pk)
            region = cooperative.village
        elif kind == OrganizationKind.COMPANY:
            if company is None:
                raise DomainError(_("Choose the company."), field="company")
            company = economy_selectors.company_get(actor=actor, pk=company.pk)
            region = company.region
        elif kind == OrganizationKind.SOCIAL:
            if social_organization is None:
                raise DomainError(_("Choose the social organisation."), field="social_organization")
            social_organization = get_for_user(
                SocialOrganization.objects.all(), actor, pk=social_organization.pk
            )
            region = social_organization.region
        else:  # industry chain
            if industry is None:
                raise DomainError(_("Choose the industry."), field="industry")
            if region is None:
                raise DomainError(_("Choose where it is attached."), field="region")
        assert region is not None
        ensure_can_add_under(actor, PartyOrganization, region)
        if parent is not None:
            parent = get_for_user(PartyOrganization.objects.all(), actor, pk=parent.pk)
            if (
                parent.kind == OrganizationKind.JOINT_COMMITTEE
                and kind in VILLAGE_KINDS
                and not parent.villages.filter(pk=region.pk).exists()
            ):
                raise DomainError(
                    _("The joint committee does not cover this village."), field="parent"
                )
        organization = PartyOrganization.objects.create(
            name=name[:64],
            kind=kind,
            parent=parent,
            region=region,
            cooperative=cooperative,
            company=company,
            social_organization=social_organization,
            industry=industry,
            founded_on=founded_on,
        )
        if kind in VILLAGE_KINDS or kind == OrganizationKind.JOINT_COMMITTEE:
            organization.villages.set(villages)
        audit_create(actor=actor, obj=organization)
        if kind in VILLAGE_KINDS:
            figures.forget_villages([region.pk])  # the village now has its organisation
        return organization


def social_organization_create(
    *, actor: Any, region: Region, name: str, kind: str = ""
) -> SocialOrganization:
    """Register a social organisation, for the coverage of "应建尽建"."""
    with transaction.atomic():
        if not has_permission(actor, SocialOrganization, "add"):
            raise Forbidden()
        ensure_can_add_under(actor, SocialOrganization, region)
        if not name.strip():
            raise DomainError(_("Give the organisation's name."), field="name")
        social = SocialOrganization.objects.create(
            region=region, name=name.strip()[:64], kind=kind.strip()[:32]
        )
        audit_create(actor=actor, obj=social)
        return social


def functional_group_create(
    *,
    actor: Any,
    organization: PartyOrganization,
    name: str,
    function: str,
    specialty: str,
    leader: PartyMember,
    members: Sequence[PartyMember],
    achievements: str = "",
) -> FunctionalGroup:
    """A "1+N" functional group: one member leads N of the organisation's members."""
    with transaction.atomic():
        organization = get_for_user(PartyOrganization.objects.all(), actor, pk=organization.pk)
        if not has_permission(actor, FunctionalGroup, "add"):
            raise Forbidden()
        if not name.strip():
            raise DomainError(_("Give the group's name."), field="name")
        if function not in GroupFunction.values:
            raise DomainError(_("Choose the group's function."), field="function")
        if not specialty.strip():
            raise DomainError(_("Say what specialty the members share."), field="specialty")
        others = {m.pk for m in members} - {leader.pk}
        if not others:
            raise DomainError(
                _("A 1+N group has a leader and at least one other member."), field="members"
            )
        everyone = PartyMember.objects.filter(pk__in=others | {leader.pk})
        if (
            everyone.filter(organization=organization, stage__in=MEMBER_STAGES).count()
            != len(others) + 1
        ):
            raise DomainError(
                _("Every member of the group is a party member of this organisation."),
                field="members",
            )
        group = FunctionalGroup.objects.create(
            organization=organization,
            name=name.strip()[:64],
            function=function,
            specialty=specialty.strip()[:64],
            leader=leader,
            achievements=achievements.strip(),
        )
        group.members.set(others)
        audit_create(actor=actor, obj=group)
        return group
