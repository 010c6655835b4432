"""Scoped reads the party pages make around their own rows: the regions a form offers, an
object a button acts on, whether the reader may change a row. Views call these with
``actor=``; they never call ``visible_to``/``get_for_user`` themselves."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import subtree_q
from zhenxing.party.models import PartyOrganization, SocialOrganization


def regions_visible(*, actor: Any) -> QuerySet[Region]:
    """Every region ``actor`` may see."""
    return Region.objects.visible_to(actor)


def villages_under(*, actor: Any, region: Region) -> QuerySet[Region]:
    """The villages under ``region`` that ``actor`` may see, by code (for a form's list)."""
    return (
        Region.objects.visible_to(actor)
        .filter(subtree_q(region.code), kind__in=VILLAGE_LEVEL)
        .order_by("code")
    )


def organizations_visible(*, actor: Any) -> QuerySet[PartyOrganization]:
    """The party organisations ``actor`` may see."""
    return PartyOrganization.objects.visible_to(actor)


def social_organizations_visible(*, actor: Any) -> QuerySet[SocialOrganization]:
    """The social organisations ``actor`` may see."""
    return SocialOrganization.objects.visible_to(actor)


def organization_children(*, actor: Any, organization: PartyOrganization) -> QuerySet[Any]:
    """The organisations under ``organization`` that ``actor`` may see."""
    return organization.children.visible_to(actor)


def organization_parent(*, actor: Any, organization: PartyOrganization) -> Any:
    """The organisation above ``organization``, if ``actor`` may see it."""
    return organizations_visible(actor=actor).filter(children=organization).first()


def may_change(*, actor: Any, obj: Model) -> bool:
    """Whether ``actor``'s role and scope let them change ``obj``."""
    manager: Any = type(obj)._default_manager
    return bool(manager.writable_by(actor, "change").filter(pk=obj.pk).exists())
