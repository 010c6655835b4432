"""Party organisations (党组织): their own tree, attached to regions for scoping.

The organisation tree is not the region tree: a joint-village party committee (联村党委) spans
several villages, possibly in two townships, and has the villages' branches under it. Each
organisation is attached to the smallest region that holds everything it covers (``region``),
which is what scoping reads; the villages it covers are listed in ``villages``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class OrganizationKind(models.TextChoices):
    JOINT_COMMITTEE = "joint_committee", _("Joint-village party committee")
    VILLAGE_COMMITTEE = "village_committee", _("Village party committee")
    VILLAGE_GENERAL_BRANCH = "village_general_branch", _("Village party general branch")
    VILLAGE_BRANCH = "village_branch", _("Village party branch")
    INDUSTRY_CHAIN = "industry_chain", _("Industry-chain party organisation")
    COOPERATIVE = "cooperative", _("Party organisation in a cooperative")
    COMPANY = "company", _("Party organisation in a company")
    SOCIAL = "social", _("Party organisation in a social organisation")


#: The kinds that are a village's own party organisation (one per village).
VILLAGE_KINDS = (
    OrganizationKind.VILLAGE_COMMITTEE,
    OrganizationKind.VILLAGE_GENERAL_BRANCH,
    OrganizationKind.VILLAGE_BRANCH,
)


class SocialOrganization(models.Model):
    """A social organisation (社会组织: association, volunteer team, elders' council …)."""

    scope_region_field = "region"

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class PartyOrganization(models.Model):
    """A party organisation: committee, general branch, branch, or one set up in an industry
    chain, cooperative, company or social organisation ("应建尽建")."""

    scope_region_field = "region"

    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("attached to"),
        on_delete=models.PROTECT,
        related_name="party_organizations",
    )
    villages = models.ManyToManyField(
        "regions.Region", verbose_name=_("villages covered"), related_name="+", blank=True
    )
    cooperative = models.ForeignKey(
        "economy.CollectiveOrganization",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
    )
    company = models.ForeignKey(
        "economy.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
    )
    social_organization = models.ForeignKey(
        SocialOrganization,
        verbose_name=_("social organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
    )
    industry = models.ForeignKey(
        "economy.Industry",
        verbose_name=_("industry chain"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("name", "kind", "parent", "region", "cooperative", "company", "founded_on")

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["region__code", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class GroupFunction(models.TextChoices):
    INDUSTRY = "industry", _("Industry development")
    POLICY = "policy", _("Policy publicity")
    GOVERNANCE = "governance", _("Village governance")
    SERVICE = "service", _("Services to the masses")
    OTHER = "other", _("Other")


class FunctionalGroup(models.Model):
    """A functional party group on the "1+N" model: one member leads N who share a specialty."""

    scope_region_field = "organization__region"

    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organisation"),
        on_delete=models.CASCADE,
        related_name="functional_groups",
    )
    name = models.CharField(_("name"), max_length=64)
    function = models.CharField(_("function"), max_length=16, choices=GroupFunction.choices)
    specialty = models.CharField(_("shared specialty"), max_length=64)
    leader = models.ForeignKey(
        "party.PartyMember", verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        "party.PartyMember", verbose_name=_("members"), related_name="functional_groups"
    )
    achievements = models.TextField(_("what the group did"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("functional party group")
        verbose_name_plural = _("functional party groups")
        ordering = ["organization", "name"]

    def __str__(self) -> str:
        return self.name
