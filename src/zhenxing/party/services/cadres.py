"""Writes for village cadres' posts and the reserve pool: appoint, end a post, add to the pool,
record progress. Validate → scope and role → write → audit, in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.services import audit_create, audit_update, snapshot
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import ensure_can_add_under, get_for_user
from zhenxing.party import policy as party_policy
from zhenxing.party.models import (
    MEMBER_STAGES,
    POST_BODY,
    SINGLE_SEAT_POSTS,
    Body,
    CadrePosition,
    PartyMember,
    Post,
    ReserveTalent,
    SecretarySource,
    Stage,
    TalentProgress,
    TalentTrack,
)
from zhenxing.party.rules import add_months, holdings_incompatible
from zhenxing.party.rules import cadres as rules
from zhenxing.party.rules import common as common_rules
from zhenxing.party.rules.cadres import PARTY_POSTS
from zhenxing.party.services import figures
from zhenxing.registry.selectors import person_in_scope, person_is_registered

__all__ = ["PARTY_POSTS", "held_on", "position_appoint", "position_end", "talent_add"]


def _person(actor: Any, pk: int, *, for_update: bool = False) -> Any:
    """The registry person in ``actor``'s scope; outside it, not found."""
    person = person_in_scope(actor=actor, pk=pk, for_update=for_update)
    if person is None:
        raise NotFound()
    return person


def _village(actor: Any, village: Region, model: type) -> Region:
    ensure_can_add_under(actor, model, village)
    if village.kind not in VILLAGE_LEVEL:
        raise DomainError(_("Choose a village."), field="village")
    return village


def held_on(day: dt.date) -> Q:
    """Posts held on ``day``."""
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def position_appoint(
    *,
    actor: Any,
    village: Region,
    person: Any,
    post: str,
    started_on: dt.date,
    term_ends_on: dt.date | None = None,
    source: str = "",
) -> CadrePosition:
    """Appoint ``person`` to ``post`` in ``village`` from ``started_on`` for a term (five years
    unless said otherwise). Refused: a post the village already has a holder of, a post the
    person cannot hold together with one they hold, a party post for someone not a member."""
    with transaction.atomic():
        village = _village(actor, village, CadrePosition)
        if post not in Post.values:
            raise DomainError(_("Choose a post."), field="post")
        if source and source not in SecretarySource.values:
            raise DomainError(_("Choose where the cadre came from."), field="source")
        # Through the actor's scope, as every read: someone the actor cannot see is not found.
        person = _person(actor, person.pk, for_update=True)
        refusal = common_rules.not_registered(person_is_registered(person))
        if refusal:
            raise DomainError(refusal, field="person")
        if started_on > timezone.localdate() + dt.timedelta(days=366):
            raise DomainError(_("Give the date the term starts."), field="started_on")
        if term_ends_on is None:
            years = party_policy.policy_int(party_policy.TERM_YEARS, started_on.year)
            term_ends_on = add_months(started_on, 12 * years)
        refusal = rules.term_refusal(started_on, term_ends_on)
        if refusal:
            raise DomainError(refusal, field="term_ends_on")
        # Probationary members have no right to be elected (预备党员无被选举权).
        refusal = rules.party_post_refusal(
            post,
            post in PARTY_POSTS
            and PartyMember.objects.filter(person=person, stage=Stage.FULL).exists(),
        )
        if refusal:
            raise DomainError(refusal, field="person")
        # The new post runs on from its first day, so every post not ended before that day
        # overlaps it, including one entered later in time (a predecessor's, a future one).
        overlapping = CadrePosition.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
        )
        for held in overlapping.filter(person=person).select_related("village"):
            if holdings_incompatible(held.post, held.village_id, post, village.pk):
                raise DomainError(
                    rules.combined_refusal(
                        person.name,
                        held.get_post_display(),
                        # Another township's village is not named to this actor.
                        held.village.name
                        if Region.objects.visible_to(actor).filter(pk=held.village_id).exists()
                        else _("another village"),
                    ),
                    code="incompatible",
                    field="post",
                )
        if post in SINGLE_SEAT_POSTS:
            holder = (
                overlapping.filter(village=village, post=post)
                .select_related("person")
                .order_by("started_on")
                .first()
            )
            if holder is not None and holder.ended_on is not None:
                raise DomainError(
                    _("%(name)s holds this post until %(date)s: start the next term the day after.")
                    % {"name": holder.person.name, "date": holder.ended_on.isoformat()},
                    field="started_on",
                )
            if holder is not None:
                raise DomainError(rules.seat_taken_refusal(holder.person.name), field="post")
        position = CadrePosition.objects.create(
            village=village,
            person=person,
            post=post,
            started_on=started_on,
            term_ends_on=term_ends_on,
            source=source,
        )
        audit_create(actor=actor, obj=position)
        figures.forget_villages([village.pk])
        return position


def position_end(*, actor: Any, position: CadrePosition, ended_on: dt.date) -> CadrePosition:
    """End a post (term over, resigned, removed): kept as history, never deleted."""
    with transaction.atomic():
        position = get_for_user(
            CadrePosition.objects.select_for_update(), actor, "change", pk=position.pk
        )
        if position.ended_on is not None:
            raise DomainError(_("This post has already ended."), field="ended_on")
        refusal = rules.end_refusal(position.started_on, ended_on)
        if refusal:
            raise DomainError(refusal, field="ended_on")
        before = snapshot(position)
        position.ended_on = ended_on
        position.save(update_fields=["ended_on"])
        audit_update(actor=actor, obj=position, before=before)
        figures.forget_villages([position.village_id])
        return position


def talent_add(
    *,
    actor: Any,
    village: Region,
    person: Any,
    source: str,
    track: str,
    since: dt.date,
    reserve_for: str = "",
    mentor: Any | None = None,
) -> ReserveTalent:
    """Put a person in the village's reserve pool on one of the two tracks ("双培养")."""
    with transaction.atomic():
        village = _village(actor, village, ReserveTalent)
        person = _person(actor, person.pk)
        refusal = common_rules.not_registered(person_is_registered(person))
        if refusal:
            raise DomainError(refusal, field="person")
        if source not in SecretarySource.values:
            raise DomainError(_("Choose the pool."), field="source")
        if track not in TalentTrack.values:
            raise DomainError(_("Choose the track."), field="track")
        if reserve_for and reserve_for not in Post.values:
            raise DomainError(_("Choose a post."), field="reserve_for")
        if reserve_for and track != TalentTrack.MEMBER_TO_CADRE:
            raise DomainError(
                _("Only the track to village cadre reserves a person for a post."),
                field="reserve_for",
            )
        is_member = PartyMember.objects.filter(person=person, stage__in=MEMBER_STAGES).exists()
        if track == TalentTrack.YOUTH_TO_MEMBER and is_member:
            raise DomainError(_("This person is already a party member."), field="track")
        if track == TalentTrack.MEMBER_TO_CADRE and not is_member:
            raise DomainError(_("The track to village cadre is for party members."), field="track")
        if reserve_for and POST_BODY[reserve_for] == Body.WORK_TEAM:
            raise DomainError(
                _("The work team is not chosen from the village."), field="reserve_for"
            )
        if mentor is not None:
            mentor = _person(actor, mentor.pk)
            if mentor.pk == person.pk:
                raise DomainError(_("A person cannot mentor themselves."), field="mentor")
        refusal = common_rules.future_date(since, timezone.localdate())
        if refusal:
            raise DomainError(refusal, field="since")
        if ReserveTalent.objects.filter(person=person, track=track).exists():
            raise DomainError(_("This person is already on this track."), field="person")
        entry = ReserveTalent.objects.create(
            village=village,
            person=person,
            source=source,
            track=track,
            since=since,
            reserve_for=reserve_for,
            mentor=mentor,
        )
        audit_create(actor=actor, obj=entry)
        figures.forget_villages([village.pk])
        return entry


def talent_progress(*, actor: Any, entry: ReserveTalent, progress: str) -> ReserveTalent:
    """Record how far a person on a track has come."""
    with transaction.atomic():
        entry = get_for_user(
            ReserveTalent.objects.select_for_update(), actor, "change", pk=entry.pk
        )
        if progress not in TalentProgress.values:
            raise DomainError(_("Choose the progress."), field="progress")
        if not has_permission(actor, ReserveTalent, "change"):
            raise Forbidden()
        before = snapshot(entry)
        entry.progress = progress
        entry.save(update_fields=["progress"])
        audit_update(actor=actor, obj=entry, before=before)
        figures.forget_villages([entry.village_id])
        return entry
