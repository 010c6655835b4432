"""Village cadres' posts (村"两委" and the further village posts) and the reserve pool ("双培养"):
terms from the policy, which posts combine (一肩挑 yes, two seats in one body no), single seats,
who may hold a party post, scope and role; the reserve tracks' rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.conftest import World
from tests.party.conftest import Party
from zhenxing.core.audit.models import AuditAction, AuditEntry
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.policy.services import policy_set
from zhenxing.core.regions.models import Region
from zhenxing.party import policy as party_policy
from zhenxing.party.models import (
    CadrePosition,
    PartyMember,
    Post,
    ReserveTalent,
    SecretarySource,
    Stage,
    TalentProgress,
    TalentTrack,
)
from zhenxing.party.services import cadres
from zhenxing.registry import services as registry
from zhenxing.registry.models import Person, PersonStatus

D = dt.date


def state() -> tuple[Any, ...]:
    return (
        sorted(CadrePosition.objects.values_list("pk", "ended_on")),
        sorted(ReserveTalent.objects.values_list("pk", "progress")),
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


def appoint(
    actor: Any,
    person: Person,
    post: str,
    started_on: dt.date | None = None,
    village: Region | None = None,
    **kw: Any,
) -> CadrePosition:
    return cadres.position_appoint(
        actor=actor,
        village=village or actor.region,
        person=person,
        post=post,
        started_on=started_on or D(2021, 3, 1),
        **kw,
    )


def probationary(person: Person, party: Party) -> PartyMember:
    return PartyMember.objects.create(
        person=person,
        organization=party.org_a,
        stage=Stage.PROBATIONARY,
        applied_on=D(2019, 1, 5),
        talked_on=D(2019, 1, 20),
        activist_on=D(2019, 3, 1),
        target_on=D(2020, 3, 1),
        probationary_on=D(2020, 9, 1),
    )


def audit_of(obj: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).order_by("id")
    )


# --- appointing -------------------------------------------------------------------------------


def test_a_term_lasts_five_years_by_default_from_the_policy(world: World, party: Party) -> None:
    secretary = party.full_a[0].person
    position = appoint(world.cadre_a, secretary, Post.PARTY_SECRETARY, D(2021, 3, 1))
    position.refresh_from_db()
    assert (position.started_on, position.term_ends_on, position.ended_on) == (
        D(2021, 3, 1),
        D(2026, 3, 1),
        None,
    )
    [entry] = audit_of(position)
    assert entry.action == AuditAction.CREATE and entry.actor == world.cadre_a
    assert entry.changes["post"] == [None, "party_secretary"]
    assert entry.region_code == world.village_a.code


def test_a_new_term_length_in_the_policy_applies_to_terms_starting_from_then(
    world: World, party: Party
) -> None:
    policy_set(actor="test", key=party_policy.TERM_YEARS, effective_from=2024, value=3)
    old = appoint(world.cadre_a, party.full_a[0].person, Post.PARTY_SECRETARY, D(2023, 12, 31))
    new = appoint(world.cadre_a, party.residents_a[0], Post.COMMITTEE_MEMBER, D(2024, 1, 1))
    assert old.term_ends_on == D(2028, 12, 31)
    assert new.term_ends_on == D(2027, 1, 1)


def test_a_term_given_explicitly_is_kept_and_must_end_after_it_starts(
    world: World, party: Party
) -> None:
    person = party.residents_a[0]
    refused(
        lambda: appoint(
            world.cadre_a, person, Post.DIRECTOR, D(2021, 3, 1), term_ends_on=D(2021, 3, 1)
        ),
        field="term_ends_on",
    )
    position = appoint(
        world.cadre_a, person, Post.DIRECTOR, D(2023, 6, 1), term_ends_on=D(2026, 3, 1)
    )
    assert position.term_ends_on == D(2026, 3, 1)


def test_secretary_and_director_may_be_one_person(world: World, party: Party) -> None:
    person = party.full_a[0].person
    appoint(world.cadre_a, person, Post.PARTY_SECRETARY)
    appoint(world.cadre_a, person, Post.DIRECTOR)
    assert sorted(CadrePosition.objects.filter(person=person).values_list("post", flat=True)) == [
        "director",
        "party_secretary",
    ]


def test_a_party_post_and_a_villagers_committee_post_may_be_combined(
    world: World, party: Party
) -> None:
    person = party.full_a[1].person
    appoint(world.cadre_a, person, Post.PARTY_MEMBER)
    appoint(world.cadre_a, person, Post.DEPUTY_DIRECTOR)
    appoint(world.cadre_a, person, Post.GROUP_LEADER)
    assert CadrePosition.objects.filter(person=person).count() == 3


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Post.PARTY_SECRETARY, Post.PARTY_DEPUTY),
        (Post.PARTY_DEPUTY, Post.PARTY_MEMBER),
        (Post.DIRECTOR, Post.COMMITTEE_MEMBER),
        (Post.COMMITTEE_MEMBER, Post.DEPUTY_DIRECTOR),
        (Post.FIRST_SECRETARY, Post.WORK_TEAM_MEMBER),
        (Post.GROUP_LEADER, Post.GROUP_LEADER),
    ],
)
def test_two_posts_in_the_same_body_are_refused(
    world: World, party: Party, first: str, second: str
) -> None:
    person = party.full_a[0].person
    appoint(world.cadre_a, person, first)
    err = refused(
        lambda: appoint(world.cadre_a, person, second, D(2022, 1, 1)),
        code="incompatible",
        field="post",
    )
    assert person.name in str(err.message)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Post.SUPERVISION_CHAIR, Post.PARTY_SECRETARY),
        (Post.PARTY_SECRETARY, Post.SUPERVISION_CHAIR),
        (Post.SUPERVISION_CHAIR, Post.COMMITTEE_MEMBER),
        (Post.DIRECTOR, Post.SUPERVISION_CHAIR),
        (Post.PARTY_MEMBER, Post.SUPERVISION_CHAIR),
    ],
)
def test_the_supervision_chair_holds_no_two_committee_post(
    world: World, party: Party, first: str, second: str
) -> None:
    person = party.full_a[0].person
    appoint(world.cadre_a, person, first)
    refused(lambda: appoint(world.cadre_a, person, second), code="incompatible")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Post.FIRST_SECRETARY, Post.PARTY_SECRETARY),
        (Post.PARTY_DEPUTY, Post.FIRST_SECRETARY),
        (Post.WORK_TEAM_MEMBER, Post.DIRECTOR),
        (Post.COMMITTEE_MEMBER, Post.WORK_TEAM_MEMBER),
    ],
)
def test_a_work_team_post_and_a_two_committee_post_are_refused(
    world: World, party: Party, first: str, second: str
) -> None:
    person = party.full_a[0].person
    appoint(world.cadre_a, person, first)
    refused(lambda: appoint(world.cadre_a, person, second), code="incompatible")


def test_the_same_body_in_another_village_is_still_refused(world: World, party: Party) -> None:
    person = party.full_a[0].person
    appoint(world.officer_a, person, Post.DIRECTOR, village=world.village_a)
    refused(
        lambda: appoint(world.officer_a, person, Post.DIRECTOR, village=world.village_a2),
        code="incompatible",
    )


def test_a_post_ended_before_no_longer_blocks_an_incompatible_one(
    world: World, party: Party
) -> None:
    person = party.full_a[0].person
    chair = appoint(world.cadre_a, person, Post.SUPERVISION_CHAIR, D(2018, 3, 1))
    cadres.position_end(actor=world.cadre_a, position=chair, ended_on=D(2021, 2, 28))
    appoint(world.cadre_a, person, Post.PARTY_SECRETARY, D(2021, 3, 1))
    assert CadrePosition.objects.filter(person=person).count() == 2


def test_a_second_concurrent_holder_of_a_single_seat_post_is_refused(
    world: World, party: Party
) -> None:
    appoint(world.cadre_a, party.full_a[0].person, Post.PARTY_SECRETARY, D(2021, 3, 1))
    err = refused(
        lambda: appoint(world.cadre_a, party.full_a[1].person, Post.PARTY_SECRETARY, D(2023, 5, 1)),
        field="post",
    )
    assert party.full_a[0].person.name in str(err.message)


@pytest.mark.parametrize(
    "post", [Post.PARTY_SECRETARY, Post.DIRECTOR, Post.SUPERVISION_CHAIR, Post.FIRST_SECRETARY]
)
def test_a_single_seat_post_may_be_filled_the_day_after_the_holder_left(
    world: World, party: Party, post: str
) -> None:
    first = appoint(world.cadre_a, party.full_a[0].person, post, D(2021, 3, 1))
    cadres.position_end(actor=world.cadre_a, position=first, ended_on=D(2023, 4, 30))
    second = appoint(world.cadre_a, party.full_a[1].person, post, D(2023, 5, 1))
    assert second.pk and second.person == party.full_a[1].person


def test_the_same_single_seat_post_in_another_village_is_not_taken(
    world: World, party: Party
) -> None:
    appoint(world.officer_a, party.full_a[0].person, Post.PARTY_SECRETARY, village=world.village_a)
    appoint(world.officer_a, party.full_a[1].person, Post.PARTY_SECRETARY, village=world.village_a2)
    assert CadrePosition.objects.filter(post=Post.PARTY_SECRETARY).count() == 2


def test_committee_members_are_several(world: World, party: Party) -> None:
    for person in party.residents_a[:3]:
        appoint(world.cadre_a, person, Post.COMMITTEE_MEMBER)
    assert CadrePosition.objects.filter(post=Post.COMMITTEE_MEMBER).count() == 3


@pytest.mark.parametrize(
    "post", [Post.PARTY_SECRETARY, Post.PARTY_DEPUTY, Post.PARTY_MEMBER, Post.PARTY_GROUP_LEADER]
)
def test_a_non_member_cannot_hold_a_party_post(world: World, party: Party, post: str) -> None:
    refused(lambda: appoint(world.cadre_a, party.residents_a[0], post), field="person")


def test_someone_still_in_the_pipeline_cannot_be_party_secretary(
    world: World, party: Party
) -> None:
    person = party.residents_a[0]
    PartyMember.objects.create(
        person=person,
        organization=party.org_a,
        stage=Stage.TARGET,
        applied_on=D(2019, 1, 5),
        talked_on=D(2019, 1, 20),
        activist_on=D(2019, 3, 1),
        target_on=D(2020, 3, 1),
    )
    refused(lambda: appoint(world.cadre_a, person, Post.PARTY_SECRETARY), field="person")


def test_a_probationary_member_cannot_be_party_secretary(world: World, party: Party) -> None:
    """Probationary members have no right to be elected (预备党员无被选举权)."""
    person = party.residents_a[0]
    probationary(person, party)
    err = refused(lambda: appoint(world.cadre_a, person, Post.PARTY_SECRETARY), field="person")
    assert "full party member" in str(err.message)


def test_a_non_member_may_be_director(world: World, party: Party) -> None:
    position = appoint(world.cadre_a, party.residents_a[0], Post.DIRECTOR)
    assert position.post == Post.DIRECTOR


@pytest.mark.parametrize("status", [PersonStatus.DECEASED, PersonStatus.MIGRATED])
def test_a_person_who_died_or_moved_away_cannot_be_appointed(
    world: World, party: Party, status: str
) -> None:
    person = party.full_a[0].person
    registry.person_record_exit(actor=world.city, person=person, status=status, on=D(2024, 1, 1))
    refused(lambda: appoint(world.cadre_a, person, Post.COMMITTEE_MEMBER), field="person")


def test_an_unknown_post_or_source_is_refused(world: World, party: Party) -> None:
    person = party.residents_a[0]
    refused(lambda: appoint(world.cadre_a, person, "emperor"), field="post")
    refused(lambda: appoint(world.cadre_a, person, Post.DIRECTOR, source="lottery"), field="source")


def test_where_a_secretary_came_from_is_kept(world: World, party: Party) -> None:
    position = appoint(
        world.cadre_a,
        party.full_a[0].person,
        Post.PARTY_SECRETARY,
        source=SecretarySource.DEMOBILISED_SOLDIER,
    )
    position.refresh_from_db()
    assert position.source == SecretarySource.DEMOBILISED_SOLDIER


def test_appointing_in_a_village_outside_scope_is_not_found(world: World, party: Party) -> None:
    for actor, village in [(world.officer_a, world.village_b), (world.cadre_a, world.village_a2)]:
        err = refused(
            lambda a=actor, v=village: appoint(a, party.residents_a[0], Post.DIRECTOR, village=v)
        )
        assert isinstance(err, NotFound)


def test_appointing_a_person_outside_scope_is_not_found(world: World, party: Party) -> None:
    err = refused(
        lambda: appoint(world.officer_a, party.resident_b, Post.DIRECTOR, village=world.village_a)
    )
    assert isinstance(err, NotFound)


def test_a_grid_worker_cannot_appoint(world: World, party: Party) -> None:
    err = refused(lambda: appoint(world.grid_a, party.residents_a[0], Post.COMMITTEE_MEMBER))
    assert isinstance(err, Forbidden)


def test_a_post_is_held_in_a_village_not_a_township(world: World, party: Party) -> None:
    refused(
        lambda: appoint(
            world.officer_a, party.residents_a[0], Post.DIRECTOR, village=world.township_a
        ),
        field="village",
    )


# --- ending a post ----------------------------------------------------------------------------


def test_ending_a_post_keeps_it_as_history_and_is_audited(world: World, party: Party) -> None:
    position = appoint(world.cadre_a, party.residents_a[0], Post.DIRECTOR, D(2021, 3, 1))
    cadres.position_end(actor=world.cadre_a, position=position, ended_on=D(2021, 3, 1))
    position.refresh_from_db()
    assert position.ended_on == D(2021, 3, 1)
    assert audit_of(position)[-1].changes == {"ended_on": [None, "2021-03-01"]}


def test_an_ended_post_cannot_end_again(world: World, party: Party) -> None:
    position = appoint(world.cadre_a, party.residents_a[0], Post.DIRECTOR, D(2021, 3, 1))
    cadres.position_end(actor=world.cadre_a, position=position, ended_on=D(2023, 3, 1))
    refused(
        lambda: cadres.position_end(actor=world.cadre_a, position=position, ended_on=D(2024, 3, 1)),
        field="ended_on",
    )
    position.refresh_from_db()
    assert position.ended_on == D(2023, 3, 1)


def test_a_post_cannot_end_before_it_started(world: World, party: Party) -> None:
    position = appoint(world.cadre_a, party.residents_a[0], Post.DIRECTOR, D(2021, 3, 1))
    refused(
        lambda: cadres.position_end(
            actor=world.cadre_a, position=position, ended_on=D(2021, 2, 28)
        ),
        field="ended_on",
    )


def test_ending_a_post_outside_scope_is_not_found(world: World, party: Party) -> None:
    position = appoint(world.officer_b, party.resident_b, Post.DIRECTOR, village=world.village_b)
    err = refused(
        lambda: cadres.position_end(
            actor=world.officer_a, position=position, ended_on=D(2024, 1, 1)
        )
    )
    assert isinstance(err, NotFound)


def test_a_grid_worker_cannot_end_a_post(world: World, party: Party) -> None:
    position = appoint(world.cadre_a, party.residents_a[0], Post.DIRECTOR)
    err = refused(
        lambda: cadres.position_end(actor=world.grid_a, position=position, ended_on=D(2024, 1, 1))
    )
    assert isinstance(err, Forbidden)


def test_held_on_counts_the_first_and_last_day(world: World, party: Party) -> None:
    position = appoint(world.cadre_a, party.residents_a[0], Post.DIRECTOR, D(2021, 3, 1))
    cadres.position_end(actor=world.cadre_a, position=position, ended_on=D(2023, 4, 30))
    held = {
        day: CadrePosition.objects.filter(cadres.held_on(day)).exists()
        for day in (D(2021, 2, 28), D(2021, 3, 1), D(2023, 4, 30), D(2023, 5, 1))
    }
    assert held == {
        D(2021, 2, 28): False,
        D(2021, 3, 1): True,
        D(2023, 4, 30): True,
        D(2023, 5, 1): False,
    }


# --- the reserve pool ("双培养") ---------------------------------------------------------------


def add_talent(actor: Any, person: Person, track: str, **kw: Any) -> ReserveTalent:
    args: dict[str, Any] = {
        "village": actor.region,
        "source": SecretarySource.RETURNING_GRADUATE,
        "since": D(2024, 3, 1),
    } | kw
    return cadres.talent_add(actor=actor, person=person, track=track, **args)


def test_a_young_person_joins_the_youth_track(world: World, party: Party) -> None:
    entry = add_talent(
        world.cadre_a,
        party.residents_a[0],
        TalentTrack.YOUTH_TO_MEMBER,
        mentor=party.full_a[0].person,
    )
    entry.refresh_from_db()
    assert (entry.track, entry.progress, entry.mentor, entry.village) == (
        TalentTrack.YOUTH_TO_MEMBER,
        TalentProgress.IDENTIFIED,
        party.full_a[0].person,
        world.village_a,
    )
    assert [e.action for e in audit_of(entry)] == [AuditAction.CREATE]


@pytest.mark.parametrize("stage", [Stage.PROBATIONARY, Stage.FULL])
def test_the_youth_track_refuses_a_party_member(world: World, party: Party, stage: str) -> None:
    member = party.full_a[0] if stage == Stage.FULL else probationary(party.residents_a[0], party)
    refused(
        lambda: add_talent(world.cadre_a, member.person, TalentTrack.YOUTH_TO_MEMBER),
        field="track",
    )


@pytest.mark.parametrize("status", [PersonStatus.DECEASED, PersonStatus.MIGRATED])
def test_a_person_who_died_or_moved_away_cannot_join_the_pool(
    world: World, party: Party, status: str
) -> None:
    person = party.residents_a[0]
    registry.person_record_exit(actor=world.city, person=person, status=status, on=D(2024, 1, 1))
    refused(lambda: add_talent(world.cadre_a, person, TalentTrack.YOUTH_TO_MEMBER), field="person")


def test_the_cadre_track_refuses_a_non_member(world: World, party: Party) -> None:
    refused(
        lambda: add_talent(world.cadre_a, party.residents_a[0], TalentTrack.MEMBER_TO_CADRE),
        field="track",
    )


def test_the_cadre_track_takes_a_member_reserved_for_a_post(world: World, party: Party) -> None:
    entry = add_talent(
        world.cadre_a,
        party.full_a[0].person,
        TalentTrack.MEMBER_TO_CADRE,
        reserve_for=Post.PARTY_SECRETARY,
        source=SecretarySource.ENTREPRENEUR,
    )
    assert (entry.reserve_for, entry.source) == (Post.PARTY_SECRETARY, SecretarySource.ENTREPRENEUR)


def test_the_youth_track_reserves_no_post(world: World, party: Party) -> None:
    refused(
        lambda: add_talent(
            world.cadre_a,
            party.residents_a[0],
            TalentTrack.YOUTH_TO_MEMBER,
            reserve_for=Post.COMMITTEE_MEMBER,
        ),
        field="reserve_for",
    )


@pytest.mark.parametrize("post", [Post.FIRST_SECRETARY, Post.WORK_TEAM_MEMBER])
def test_a_work_team_post_cannot_be_reserved_for(world: World, party: Party, post: str) -> None:
    refused(
        lambda: add_talent(
            world.cadre_a, party.full_a[0].person, TalentTrack.MEMBER_TO_CADRE, reserve_for=post
        ),
        field="reserve_for",
    )


def test_the_same_person_twice_on_one_track_is_refused(world: World, party: Party) -> None:
    person = party.full_a[0].person
    add_talent(world.cadre_a, person, TalentTrack.MEMBER_TO_CADRE)
    refused(
        lambda: add_talent(
            world.cadre_a, person, TalentTrack.MEMBER_TO_CADRE, source=SecretarySource.OTHER
        ),
        field="person",
    )


def test_a_person_cannot_mentor_themselves(world: World, party: Party) -> None:
    person = party.residents_a[0]
    refused(
        lambda: add_talent(world.cadre_a, person, TalentTrack.YOUTH_TO_MEMBER, mentor=person),
        field="mentor",
    )


def test_an_unknown_pool_track_or_post_is_refused(world: World, party: Party) -> None:
    person = party.full_a[0].person
    refused(
        lambda: add_talent(world.cadre_a, person, TalentTrack.MEMBER_TO_CADRE, source="x"),
        field="source",
    )
    refused(lambda: add_talent(world.cadre_a, person, "sideways"), field="track")
    refused(
        lambda: add_talent(world.cadre_a, person, TalentTrack.MEMBER_TO_CADRE, reserve_for="king"),
        field="reserve_for",
    )


def test_adding_talent_outside_scope_is_not_found(world: World, party: Party) -> None:
    err = refused(
        lambda: add_talent(
            world.officer_a,
            party.residents_a[0],
            TalentTrack.YOUTH_TO_MEMBER,
            village=world.village_b,
        )
    )
    assert isinstance(err, NotFound)
    err = refused(
        lambda: add_talent(
            world.officer_a,
            party.resident_b,
            TalentTrack.YOUTH_TO_MEMBER,
            village=world.village_a,
        )
    )
    assert isinstance(err, NotFound)


def test_a_grid_worker_cannot_add_talent(world: World, party: Party) -> None:
    err = refused(
        lambda: add_talent(world.grid_a, party.residents_a[0], TalentTrack.YOUTH_TO_MEMBER)
    )
    assert isinstance(err, Forbidden)


def test_progress_on_a_track_is_recorded_and_audited(world: World, party: Party) -> None:
    entry = add_talent(world.cadre_a, party.residents_a[0], TalentTrack.YOUTH_TO_MEMBER)
    cadres.talent_progress(actor=world.cadre_a, entry=entry, progress=TalentProgress.CULTIVATING)
    entry.refresh_from_db()
    assert entry.progress == TalentProgress.CULTIVATING
    last = audit_of(entry)[-1]
    assert last.action == AuditAction.UPDATE and last.actor == world.cadre_a
    assert last.changes == {"progress": ["identified", "cultivating"]}


def test_unknown_progress_is_refused(world: World, party: Party) -> None:
    entry = add_talent(world.cadre_a, party.residents_a[0], TalentTrack.YOUTH_TO_MEMBER)
    refused(
        lambda: cadres.talent_progress(actor=world.cadre_a, entry=entry, progress="done"),
        field="progress",
    )


def test_progress_outside_scope_is_not_found(world: World, party: Party) -> None:
    entry = add_talent(world.cadre_a, party.residents_a[0], TalentTrack.YOUTH_TO_MEMBER)
    err = refused(
        lambda: cadres.talent_progress(
            actor=world.cadre_b, entry=entry, progress=TalentProgress.ACHIEVED
        )
    )
    assert isinstance(err, NotFound)
    assert isinstance(
        refused(
            lambda: cadres.talent_progress(
                actor=world.grid_a, entry=entry, progress=TalentProgress.ACHIEVED
            )
        ),
        Forbidden,
    )


def test_mentor_from_another_township_is_not_found(world: World, party: Party) -> None:
    with pytest.raises(NotFound):
        cadres.talent_add(
            actor=world.officer_a,
            village=world.village_a,
            person=party.residents_a[0],
            source="entrepreneur",
            track="youth_to_member",
            since=dt.date(2024, 3, 1),
            mentor=party.resident_b,
        )
    assert not ReserveTalent.objects.exists()


def test_pool_entry_dated_in_the_future_is_refused(world: World, party: Party) -> None:
    with pytest.raises(DomainError) as exc:
        cadres.talent_add(
            actor=world.city,
            village=world.village_a,
            person=party.residents_a[0],
            source="entrepreneur",
            track="youth_to_member",
            since=timezone.localdate() + dt.timedelta(days=1),
        )
    assert exc.value.field == "since"


def test_a_back_dated_predecessor_cannot_overlap_the_current_secretary(
    world: World, party: Party
) -> None:
    """Entering history: the secretary in post since 2021 is open-ended, so a predecessor from
    2016 who was never ended would hold the seat at the same time."""
    appoint(world.cadre_a, party.full_a[0].person, Post.PARTY_SECRETARY, D(2021, 3, 1))
    refused(
        lambda: appoint(world.cadre_a, party.full_a[1].person, Post.PARTY_SECRETARY, D(2016, 3, 1)),
        field="post",
    )


def test_a_post_starting_later_is_checked_too(world: World, party: Party) -> None:
    """A director from next month, then a supervision chair from today: one person, both."""
    person = party.residents_a[0]
    appoint(world.cadre_a, person, Post.DIRECTOR, timezone.localdate() + dt.timedelta(days=30))
    refused(
        lambda: appoint(world.cadre_a, person, Post.SUPERVISION_CHAIR, timezone.localdate()),
        code="incompatible",
    )


def test_a_seat_on_two_villages_committees_is_refused(world: World, party: Party) -> None:
    secretary = party.full_a[0].person
    appoint(world.officer_a, secretary, Post.PARTY_SECRETARY, village=world.village_a)
    refused(
        lambda: appoint(world.officer_a, secretary, Post.DIRECTOR, village=world.village_a2),
        code="incompatible",
    )
    # Group leader or instructor elsewhere is not a committee seat.
    appoint(world.officer_a, secretary, Post.INDUSTRY_INSTRUCTOR, village=world.village_a2)


def test_a_handover_on_the_day_the_post_ended_says_when_to_start(
    world: World, party: Party
) -> None:
    first = appoint(world.cadre_a, party.full_a[0].person, Post.PARTY_SECRETARY, D(2021, 3, 1))
    cadres.position_end(actor=world.cadre_a, position=first, ended_on=D(2023, 4, 30))
    err = refused(
        lambda: appoint(
            world.cadre_a, party.full_a[1].person, Post.PARTY_SECRETARY, D(2023, 4, 30)
        ),
        field="started_on",
    )
    assert "2023-04-30" in str(err.message)
