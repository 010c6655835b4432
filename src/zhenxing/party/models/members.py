"""Party members and the membership pipeline (发展党员).

A ``PartyMember`` row exists from the day a person applies: its ``stage`` says where they are
(applicant → activist → development target → probationary → full member) and the dates record
each step. The minimum intervals are yearly policy values (``party.policy``), not code; a step
taken before its interval needs a ``PipelineException`` recorded by an approver, with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    TARGET = "target", _("Development target")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


#: The pipeline's order; a step goes to the next stage only.
STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)
#: The date field recording the day a person reached each stage.
STAGE_DATE: dict[str, str] = {
    Stage.APPLICANT: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.TARGET: "target_on",
    Stage.PROBATIONARY: "probationary_on",
    Stage.FULL: "full_on",
}
#: Members in the strict sense (党员): probationary and full members.
MEMBER_STAGES = (Stage.PROBATIONARY, Stage.FULL)


class PartyMember(models.Model):
    """A person in the membership pipeline or a member (党员), linked to the registry."""

    scope_region_field = "organization__region"

    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="party_member",
    )
    organization = models.ForeignKey(
        "party.PartyOrganization",
        verbose_name=_("party organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    applied_on = models.DateField(_("applied on"))
    talked_on = models.DateField(_("talked with on"), null=True, blank=True)
    activist_on = models.DateField(_("activist since"), null=True, blank=True)
    target_on = models.DateField(_("development target since"), null=True, blank=True)
    probationary_on = models.DateField(_("admitted on"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    introducers = models.ManyToManyField(
        "self",
        verbose_name=_("introducers"),
        symmetrical=False,
        related_name="introduced",
        blank=True,
    )
    # Where a member works, for the "应建尽建" coverage of cooperatives, companies and social
    # organisations with three or more members.
    works_at_cooperative = models.ForeignKey(
        "economy.CollectiveOrganization",
        verbose_name=_("works at cooperative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    works_at_company = models.ForeignKey(
        "economy.Company",
        verbose_name=_("works at company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    works_at_social = models.ForeignKey(
        "party.SocialOrganization",
        verbose_name=_("works at social organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "person",
        "organization",
        "stage",
        "applied_on",
        "talked_on",
        "activist_on",
        "target_on",
        "probationary_on",
        "full_on",
    )

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["organization", "person__name"]
        indexes = [models.Index(fields=["organization", "stage"], name="party_member_stage")]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.get_stage_display()})"


class PipelineException(models.Model):
    """An approver's exception: a step allowed before its minimum interval, with the reason."""

    scope_region_field = "member__organization__region"

    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    stage = models.CharField(_("step"), max_length=16, choices=Stage.choices)
    reason = models.CharField(_("reason"), max_length=200)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pipeline exception")
        verbose_name_plural = _("pipeline exceptions")
        ordering = ["-approved_at"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_stage_display()}: {self.reason}"
