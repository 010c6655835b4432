"""Village cadres (村"两委" and the further village posts) and reserve talent ("双培养").

A ``CadrePosition`` is one person holding one post in one village for a term; the history is
kept (a post that ends gets ``ended_on``, never deleted). Which posts one person may hold at
once is a rule in ``party.cadres``; which training category a post belongs to is the
``TraineeCategory`` catalogue.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class Body(models.TextChoices):
    PARTY = "party", _("Village party organisation")
    VILLAGERS = "villagers", _("Villagers' committee")
    SUPERVISION = "supervision", _("Village affairs supervision committee")
    WORK_TEAM = "work_team", _("Resident work team")
    OTHER = "other", _("Other village posts")


class Post(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", _("Party secretary")
    PARTY_DEPUTY = "party_deputy", _("Deputy party secretary")
    PARTY_MEMBER = "party_member", _("Party committee member")
    DIRECTOR = "director", _("Villagers' committee director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    COMMITTEE_MEMBER = "committee_member", _("Villagers' committee member")
    SUPERVISION_CHAIR = "supervision_chair", _("Supervision committee chair")
    FIRST_SECRETARY = "first_secretary", _("Resident first secretary")
    WORK_TEAM_MEMBER = "work_team_member", _("Work team member")
    GROUP_LEADER = "group_leader", _("Villager group leader")
    PARTY_GROUP_LEADER = "party_group_leader", _("Party group leader")
    INDUSTRY_INSTRUCTOR = "industry_instructor", _("Industry development instructor")


POST_BODY: dict[str, str] = {
    Post.PARTY_SECRETARY: Body.PARTY,
    Post.PARTY_DEPUTY: Body.PARTY,
    Post.PARTY_MEMBER: Body.PARTY,
    Post.DIRECTOR: Body.VILLAGERS,
    Post.DEPUTY_DIRECTOR: Body.VILLAGERS,
    Post.COMMITTEE_MEMBER: Body.VILLAGERS,
    Post.SUPERVISION_CHAIR: Body.SUPERVISION,
    Post.FIRST_SECRETARY: Body.WORK_TEAM,
    Post.WORK_TEAM_MEMBER: Body.WORK_TEAM,
    Post.GROUP_LEADER: Body.OTHER,
    Post.PARTY_GROUP_LEADER: Body.OTHER,
    Post.INDUSTRY_INSTRUCTOR: Body.OTHER,
}
#: The posts of the village "two committees" (村"两委").
TWO_COMMITTEE_POSTS = tuple(p for p, b in POST_BODY.items() if b in (Body.PARTY, Body.VILLAGERS))
#: Posts one village has exactly one holder of at a time.
SINGLE_SEAT_POSTS = (
    Post.PARTY_SECRETARY,
    Post.DIRECTOR,
    Post.SUPERVISION_CHAIR,
    Post.FIRST_SECRETARY,
)


class SecretarySource(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("Rich-leading entrepreneur")
    RETURNING_GRADUATE = "returning_graduate", _("Returning graduate")
    DEMOBILISED_SOLDIER = "demobilised_soldier", _("Demobilised soldier")
    RETURNING_MIGRANT = "returning_migrant", _("Returning migrant worker")
    COLLEGE_OFFICIAL = "college_official", _("College-graduate village official")
    VILLAGE_DOCTOR = "village_doctor", _("Village doctor")
    VILLAGE_TEACHER = "village_teacher", _("Village teacher")
    LONG_SERVING_CADRE = "long_serving_cadre", _("Long-serving village cadre")
    OTHER = "other", _("Other")


class TraineeCategory(models.Model):
    """A category of trainee among the "两委一队三个人", with the posts it covers (data)."""

    catalogue = True

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=32)
    posts = models.JSONField(_("posts"), default=list)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("trainee category")
        verbose_name_plural = _("trainee categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class CadrePosition(models.Model):
    """A person holding a post in a village for a term (任职)."""

    scope_region_field = "village"

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="cadre_positions",
    )
    post = models.CharField(_("post"), max_length=24, choices=Post.choices)
    started_on = models.DateField(_("started on"))
    term_ends_on = models.DateField(_("term ends on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    source = models.CharField(
        _("came from"), max_length=24, choices=SecretarySource.choices, blank=True
    )

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "village",
        "person",
        "post",
        "started_on",
        "term_ends_on",
        "ended_on",
        "source",
    )

    class Meta:
        verbose_name = _("village cadre post")
        verbose_name_plural = _("village cadre posts")
        ordering = ["village__code", "post", "started_on"]
        indexes = [models.Index(fields=["village", "post"], name="cadre_village_post")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="cadre_position_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.get_post_display()} {self.person.name}"


class TalentTrack(models.TextChoices):
    YOUTH_TO_MEMBER = "youth_to_member", _("Outstanding young person → party member")
    MEMBER_TO_CADRE = "member_to_cadre", _("Outstanding member → village cadre")


class TalentProgress(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    CULTIVATING = "cultivating", _("Being cultivated")
    ACHIEVED = "achieved", _("Achieved")


class ReserveTalent(models.Model):
    """A person in a village's reserve pool ("双培养"), on one track, with a mentor."""

    scope_region_field = "village"

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="reserve_entries",
    )
    source = models.CharField(_("pool"), max_length=24, choices=SecretarySource.choices)
    track = models.CharField(_("track"), max_length=24, choices=TalentTrack.choices)
    progress = models.CharField(
        _("progress"),
        max_length=16,
        choices=TalentProgress.choices,
        default=TalentProgress.IDENTIFIED,
    )
    reserve_for = models.CharField(
        _("reserve for post"), max_length=24, choices=Post.choices, blank=True
    )
    mentor = models.ForeignKey(
        "registry.Person",
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentees",
    )
    since = models.DateField(_("in the pool since"))

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("village", "person", "source", "track", "progress", "reserve_for", "mentor")

    class Meta:
        verbose_name = _("reserve talent")
        verbose_name_plural = _("reserve talent")
        ordering = ["village__code", "track", "since"]
        constraints = [
            models.UniqueConstraint(fields=["person", "track"], name="reserve_person_track")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_track_display()}"
