"""The membership pipeline's rules (入党申请 → 积极分子 → 发展对象 → 预备党员 → 正式党员): who may
apply, the order of the steps, the minimum intervals at their boundaries (from ``party.policy``),
approvers' exceptions, introducers, and that a refused step writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.conftest import World, make_household, make_person, valid_id
from tests.party.conftest import Party
from zhenxing.core.audit.models import AuditAction, AuditEntry
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.policy.services import policy_set
from zhenxing.party import policy as party_policy
from zhenxing.party.models import (
    STAGE_DATE,
    PartyMember,
    PartyOrganization,
    PipelineException,
    Stage,
)
from zhenxing.party.services import pipeline
from zhenxing.registry import services as registry
from zhenxing.registry.models import Person, PersonStatus

D = dt.date

#: Dates for the steps before the one a test is about, in order and well apart.
EARLIER = {
    "applied_on": D(2021, 1, 4),
    "talked_on": D(2021, 1, 20),
    "activist_on": D(2021, 3, 1),
    "target_on": D(2022, 3, 1),
    "probationary_on": D(2022, 6, 1),
    "full_on": D(2023, 6, 1),
}
ORDER = [Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET, Stage.PROBATIONARY, Stage.FULL]


def member_at(
    person: Person, organization: PartyOrganization, stage: str, **dates: dt.date | None
) -> PartyMember:
    """A pipeline row at ``stage``, as an imported roll would hold it: every earlier step dated
    (``EARLIER`` unless given), no later one."""
    reached = ORDER[: ORDER.index(Stage(stage)) + 1]
    fields: dict[str, Any] = {STAGE_DATE[s]: EARLIER[STAGE_DATE[s]] for s in reached}
    fields["talked_on"] = EARLIER["talked_on"]
    fields |= dates
    return PartyMember.objects.create(
        person=person, organization=organization, stage=stage, **fields
    )


def born(world: World, birth: str, seq: int) -> Person:
    home = make_household(world, f"HY-{seq}")
    return make_person(
        world,
        home,
        f"青年{seq}",
        seq=seq,
        id_number=valid_id(birth=birth, seq=seq),
        confirm_warnings=True,
    )


def state(member: PartyMember | None = None) -> tuple[Any, ...]:
    """Everything a pipeline step could write."""
    row = PartyMember.objects.filter(pk=member.pk).values().first() if member else None
    introducers = (
        sorted(PartyMember.objects.get(pk=member.pk).introducers.values_list("pk", flat=True))
        if member
        else []
    )
    return (
        row,
        introducers,
        PartyMember.objects.count(),
        PipelineException.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(
    step: Callable[[], object],
    member: PartyMember | None = None,
    *,
    code: str | None = None,
    field: str | None = None,
) -> DomainError:
    """Run ``step``, expect a ``DomainError`` (with ``code`` and ``field`` when given) and
    nothing written: the member row, their introducers, exceptions and the audit log as before."""
    before = state(member)
    with pytest.raises(DomainError) as exc:
        step()
    assert state(member) == before
    if code is not None:
        assert exc.value.code == code
    if field is not None:
        assert exc.value.field == field
    return exc.value


def advance(actor: Any, member: PartyMember, stage: str, on: dt.date, **kw: Any) -> PartyMember:
    return pipeline.member_advance(actor=actor, member=member, stage=stage, on=on, **kw)


def last_audit(member: PartyMember) -> AuditEntry:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PartyMember), object_id=str(member.pk)
    ).order_by("-id")[0]


# --- applying ---------------------------------------------------------------------------------


def test_an_applicant_on_their_eighteenth_birthday_is_accepted(world: World, party: Party) -> None:
    person = born(world, "20060510", seq=101)
    member = pipeline.member_apply(
        actor=world.officer_a, person=person, organization=party.org_a, applied_on=D(2024, 5, 10)
    )
    member.refresh_from_db()
    assert (member.stage, member.applied_on, member.organization) == (
        Stage.APPLICANT,
        D(2024, 5, 10),
        party.org_a,
    )
    entry = last_audit(member)
    assert entry.action == AuditAction.CREATE and entry.actor == world.officer_a
    assert entry.changes["stage"] == [None, "applicant"]


def test_an_applicant_one_day_short_of_eighteen_is_refused(world: World, party: Party) -> None:
    person = born(world, "20060510", seq=101)
    refused(
        lambda: pipeline.member_apply(
            actor=world.officer_a,
            person=person,
            organization=party.org_a,
            applied_on=D(2024, 5, 9),
        ),
        field="applied_on",
    )
    assert not PartyMember.objects.filter(person=person).exists()


def test_an_application_dated_in_the_future_is_refused(world: World, party: Party) -> None:
    refused(
        lambda: pipeline.member_apply(
            actor=world.cadre_a,
            person=party.residents_a[0],
            organization=party.org_a,
            applied_on=timezone.localdate() + dt.timedelta(days=1),
        ),
        field="applied_on",
    )


def test_an_application_dated_today_is_accepted(world: World, party: Party) -> None:
    member = pipeline.member_apply(
        actor=world.cadre_a,
        person=party.residents_a[0],
        organization=party.org_a,
        applied_on=timezone.localdate(),
    )
    assert member.stage == Stage.APPLICANT


@pytest.mark.parametrize("stage", [Stage.APPLICANT, Stage.TARGET, Stage.FULL])
def test_a_person_already_in_the_pipeline_cannot_apply_again(
    world: World, party: Party, stage: str
) -> None:
    person = party.residents_a[0]
    existing = member_at(person, party.org_a, stage)
    refused(
        lambda: pipeline.member_apply(
            actor=world.officer_a,
            person=person,
            organization=party.org_a2,
            applied_on=D(2024, 1, 2),
        ),
        existing,
        field="person",
    )


@pytest.mark.parametrize("status", [PersonStatus.DECEASED, PersonStatus.MIGRATED])
def test_a_person_who_died_or_moved_away_cannot_apply(
    world: World, party: Party, status: str
) -> None:
    person = party.residents_a[0]
    registry.person_record_exit(actor=world.city, person=person, status=status, on=D(2024, 1, 1))
    refused(
        lambda: pipeline.member_apply(
            actor=world.officer_a, person=person, organization=party.org_a, applied_on=D(2023, 6, 1)
        ),
        field="person",
    )
    assert not PartyMember.objects.filter(person=person).exists()


def test_applying_for_a_person_outside_scope_is_not_found(world: World, party: Party) -> None:
    err = refused(
        lambda: pipeline.member_apply(
            actor=world.officer_a,
            person=party.resident_b,
            organization=party.org_a,
            applied_on=D(2024, 1, 2),
        )
    )
    assert isinstance(err, NotFound)


def test_applying_to_an_organisation_outside_scope_is_not_found(world: World, party: Party) -> None:
    err = refused(
        lambda: pipeline.member_apply(
            actor=world.officer_a,
            person=party.residents_a[0],
            organization=party.org_b,
            applied_on=D(2024, 1, 2),
        )
    )
    assert isinstance(err, NotFound)


def test_a_village_cadre_cannot_record_an_application_in_another_village(
    world: World, party: Party
) -> None:
    err = refused(
        lambda: pipeline.member_apply(
            actor=world.cadre_b,
            person=party.residents_a[0],
            organization=party.org_a,
            applied_on=D(2024, 1, 2),
        )
    )
    assert isinstance(err, NotFound)


def test_a_grid_worker_cannot_record_an_application(world: World, party: Party) -> None:
    err = refused(
        lambda: pipeline.member_apply(
            actor=world.grid_a,
            person=party.residents_a[0],
            organization=party.org_a,
            applied_on=D(2024, 1, 2),
        )
    )
    assert isinstance(err, Forbidden)


# --- the talk ---------------------------------------------------------------------------------


def test_a_talk_before_the_application_is_refused(world: World, party: Party) -> None:
    member = member_at(
        party.residents_a[0],
        party.org_a,
        Stage.APPLICANT,
        applied_on=D(2024, 3, 10),
        talked_on=None,
    )
    refused(
        lambda: pipeline.member_talk(actor=world.cadre_a, member=member, talked_on=D(2024, 3, 9)),
        member,
        field="talked_on",
    )


def test_a_late_talk_is_still_recorded_and_audited(world: World, party: Party) -> None:
    member = member_at(
        party.residents_a[0],
        party.org_a,
        Stage.APPLICANT,
        applied_on=D(2024, 1, 10),
        talked_on=None,
    )
    # The policy asks for the talk within a month; three months later it still happened.
    pipeline.member_talk(actor=world.cadre_a, member=member, talked_on=D(2024, 4, 10))
    member.refresh_from_db()
    assert member.talked_on == D(2024, 4, 10)
    assert last_audit(member).changes == {"talked_on": [None, "2024-04-10"]}


def test_a_talk_on_the_day_of_the_application_is_accepted(world: World, party: Party) -> None:
    member = member_at(
        party.residents_a[0],
        party.org_a,
        Stage.APPLICANT,
        applied_on=D(2024, 1, 10),
        talked_on=None,
    )
    pipeline.member_talk(actor=world.cadre_a, member=member, talked_on=D(2024, 1, 10))
    member.refresh_from_db()
    assert member.talked_on == D(2024, 1, 10)


def test_a_talk_dated_in_the_future_is_refused(world: World, party: Party) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.APPLICANT, talked_on=None)
    refused(
        lambda: pipeline.member_talk(
            actor=world.cadre_a,
            member=member,
            talked_on=timezone.localdate() + dt.timedelta(days=1),
        ),
        member,
        field="talked_on",
    )


def test_a_talk_dated_after_the_person_became_an_activist_is_refused(
    world: World, party: Party
) -> None:
    member = member_at(
        party.residents_a[0],
        party.org_a,
        Stage.ACTIVIST,
        applied_on=D(2024, 1, 10),
        talked_on=D(2024, 1, 20),
        activist_on=D(2024, 3, 1),
    )
    refused(
        lambda: pipeline.member_talk(actor=world.cadre_a, member=member, talked_on=D(2024, 3, 2)),
        member,
        field="talked_on",
    )


def test_recording_a_talk_outside_scope_is_not_found(world: World, party: Party) -> None:
    member = member_at(party.resident_b, party.org_b, Stage.APPLICANT, talked_on=None)
    err = refused(
        lambda: pipeline.member_talk(actor=world.officer_a, member=member, talked_on=D(2021, 1, 5)),
        member,
    )
    assert isinstance(err, NotFound)


# --- the order of the steps -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (Stage.APPLICANT, Stage.TARGET),  # skips activist
        (Stage.APPLICANT, Stage.PROBATIONARY),
        (Stage.ACTIVIST, Stage.PROBATIONARY),  # skips development target
        (Stage.TARGET, Stage.FULL),  # skips probation
        (Stage.ACTIVIST, Stage.APPLICANT),  # backwards
        (Stage.PROBATIONARY, Stage.TARGET),
        (Stage.FULL, Stage.PROBATIONARY),
        (Stage.TARGET, Stage.TARGET),  # standing still
        (Stage.FULL, Stage.FULL),  # nothing comes after a full member
    ],
)
def test_a_step_out_of_order_is_refused(
    world: World, party: Party, current: str, wanted: str
) -> None:
    member = member_at(party.residents_a[0], party.org_a, current)
    refused(
        lambda: advance(
            world.officer_a,
            member,
            wanted,
            D(2024, 10, 8),
            introducers=party.full_a[:2],
            exception_reason="批准",
        ),
        member,
        code="out_of_order",
        field="stage",
    )


def test_an_unknown_stage_is_refused(world: World, party: Party) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.APPLICANT)
    refused(lambda: advance(world.officer_a, member, "saint", D(2024, 1, 1)), member, field="stage")


def test_an_applicant_without_a_talk_cannot_become_an_activist(world: World, party: Party) -> None:
    member = member_at(
        party.residents_a[0],
        party.org_a,
        Stage.APPLICANT,
        applied_on=D(2024, 1, 10),
        talked_on=None,
    )
    refused(
        lambda: advance(world.cadre_a, member, Stage.ACTIVIST, D(2024, 6, 1)),
        member,
        code="out_of_order",
        field="stage",
    )


def test_an_applicant_who_was_talked_with_becomes_an_activist(world: World, party: Party) -> None:
    member = member_at(
        party.residents_a[0],
        party.org_a,
        Stage.APPLICANT,
        applied_on=D(2024, 1, 10),
        talked_on=D(2024, 1, 25),
    )
    advance(world.cadre_a, member, Stage.ACTIVIST, D(2024, 1, 25))
    member.refresh_from_db()
    assert (member.stage, member.activist_on) == (Stage.ACTIVIST, D(2024, 1, 25))


def test_an_activist_step_dated_before_the_talk_is_refused(world: World, party: Party) -> None:
    member = member_at(
        party.residents_a[0],
        party.org_a,
        Stage.APPLICANT,
        applied_on=D(2024, 1, 10),
        talked_on=D(2024, 2, 1),
    )
    refused(
        lambda: advance(world.cadre_a, member, Stage.ACTIVIST, D(2024, 1, 31)), member, field="on"
    )


@pytest.mark.parametrize(
    ("current", "wanted", "dates", "on"),
    [
        (
            Stage.APPLICANT,
            Stage.ACTIVIST,
            {"applied_on": D(2024, 1, 10), "talked_on": D(2024, 1, 10)},
            D(2024, 1, 9),
        ),
        (Stage.TARGET, Stage.PROBATIONARY, {"target_on": D(2024, 5, 1)}, D(2024, 4, 30)),
    ],
)
def test_a_step_dated_before_the_previous_step_is_refused(
    world: World, party: Party, current: str, wanted: str, dates: dict[str, dt.date], on: dt.date
) -> None:
    member = member_at(party.residents_a[0], party.org_a, current, **dates)
    refused(
        lambda: advance(
            world.officer_a,
            member,
            wanted,
            on,
            introducers=party.full_a[:2],
            exception_reason="批准",
        ),
        member,
        field="on",
    )


def test_a_step_from_a_stage_whose_date_was_never_recorded_is_refused(
    world: World, party: Party
) -> None:
    # An imported roll may lack a date; the step is refused, not a server error.
    member = member_at(party.residents_a[0], party.org_a, Stage.PROBATIONARY, probationary_on=None)
    refused(lambda: advance(world.officer_a, member, Stage.FULL, D(2024, 6, 1)), member, field="on")


def test_a_step_dated_in_the_future_is_refused(world: World, party: Party) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.APPLICANT)
    refused(
        lambda: advance(
            world.cadre_a, member, Stage.ACTIVIST, timezone.localdate() + dt.timedelta(days=1)
        ),
        member,
        field="on",
    )


def test_advancing_a_member_outside_scope_is_not_found(world: World, party: Party) -> None:
    member = member_at(party.resident_b, party.org_b, Stage.APPLICANT)
    for actor in (world.officer_a, world.cadre_a):
        err = refused(lambda a=actor: advance(a, member, Stage.ACTIVIST, D(2024, 1, 2)), member)
        assert isinstance(err, NotFound)


def test_a_grid_worker_cannot_advance_anyone(world: World, party: Party) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.APPLICANT)
    err = refused(lambda: advance(world.grid_a, member, Stage.ACTIVIST, D(2024, 1, 2)), member)
    assert isinstance(err, Forbidden)


# --- the minimum intervals, at their boundaries -----------------------------------------------


def test_a_development_target_a_year_after_becoming_an_activist_is_accepted(
    world: World, party: Party
) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    advance(world.cadre_a, member, Stage.TARGET, D(2024, 3, 1))
    member.refresh_from_db()
    assert (member.stage, member.target_on) == (Stage.TARGET, D(2024, 3, 1))
    assert not PipelineException.objects.exists()


def test_a_development_target_one_day_short_of_a_year_is_refused(
    world: World, party: Party
) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    err = refused(
        lambda: advance(world.officer_a, member, Stage.TARGET, D(2024, 2, 29)),
        member,
        code="too_early",
        field="on",
    )
    assert "2024-03-01" in str(err.message)


def test_an_activist_from_the_31st_becomes_a_target_on_the_31st_a_year_later(
    world: World, party: Party
) -> None:
    member = member_at(
        party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 1, 31)
    )
    refused(
        lambda: advance(world.cadre_a, member, Stage.TARGET, D(2024, 1, 30)),
        member,
        code="too_early",
    )
    advance(world.cadre_a, member, Stage.TARGET, D(2024, 1, 31))
    member.refresh_from_db()
    assert member.target_on == D(2024, 1, 31)


def test_probation_from_29_february_ends_on_28_february(world: World, party: Party) -> None:
    member = member_at(
        party.residents_a[0], party.org_a, Stage.PROBATIONARY, probationary_on=D(2024, 2, 29)
    )
    advance(world.cadre_a, member, Stage.FULL, D(2025, 2, 28))
    member.refresh_from_db()
    assert (member.stage, member.full_on) == (Stage.FULL, D(2025, 2, 28))


def test_a_full_member_one_day_short_of_the_probation_is_refused(
    world: World, party: Party
) -> None:
    member = member_at(
        party.residents_a[0], party.org_a, Stage.PROBATIONARY, probationary_on=D(2024, 2, 29)
    )
    refused(
        lambda: advance(world.cadre_a, member, Stage.FULL, D(2025, 2, 27)),
        member,
        code="too_early",
        field="on",
    )


def test_admission_and_activist_steps_have_no_minimum_interval(world: World, party: Party) -> None:
    member = member_at(
        party.residents_a[0],
        party.org_a,
        Stage.APPLICANT,
        applied_on=D(2024, 1, 10),
        talked_on=D(2024, 1, 10),
    )
    advance(world.cadre_a, member, Stage.ACTIVIST, D(2024, 1, 10))
    member.refresh_from_db()
    member.stage, member.target_on = Stage.TARGET, D(2024, 1, 10)
    member.save()
    advance(world.cadre_a, member, Stage.PROBATIONARY, D(2024, 1, 10), introducers=party.full_a[:2])
    member.refresh_from_db()
    assert (member.stage, member.probationary_on) == (Stage.PROBATIONARY, D(2024, 1, 10))


def test_a_shorter_activist_interval_in_the_policy_moves_the_boundary(
    world: World, party: Party
) -> None:
    policy_set(actor="test", key=party_policy.ACTIVIST_MIN_MONTHS, effective_from=2020, value=6)
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    refused(
        lambda: advance(world.cadre_a, member, Stage.TARGET, D(2023, 8, 31)),
        member,
        code="too_early",
    )
    advance(world.cadre_a, member, Stage.TARGET, D(2023, 9, 1))
    member.refresh_from_db()
    assert member.target_on == D(2023, 9, 1)


def test_a_policy_taking_effect_after_the_activist_step_does_not_apply_to_it(
    world: World, party: Party
) -> None:
    policy_set(actor="test", key=party_policy.ACTIVIST_MIN_MONTHS, effective_from=2024, value=6)
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    refused(
        lambda: advance(world.cadre_a, member, Stage.TARGET, D(2024, 2, 29)),
        member,
        code="too_early",
    )


def test_a_longer_probation_in_the_policy_moves_the_boundary(world: World, party: Party) -> None:
    policy_set(actor="test", key=party_policy.PROBATION_MONTHS, effective_from=2020, value=18)
    member = member_at(
        party.residents_a[0], party.org_a, Stage.PROBATIONARY, probationary_on=D(2022, 8, 31)
    )
    refused(
        lambda: advance(world.cadre_a, member, Stage.FULL, D(2024, 2, 28)),
        member,
        code="too_early",
    )
    advance(world.cadre_a, member, Stage.FULL, D(2024, 2, 29))  # 31 Aug + 18 months
    member.refresh_from_db()
    assert member.full_on == D(2024, 2, 29)


# --- exceptions to the intervals --------------------------------------------------------------


def test_a_township_officer_with_a_reason_allows_a_step_before_its_interval(
    world: World, party: Party
) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    advance(
        world.officer_a,
        member,
        Stage.TARGET,
        D(2023, 12, 1),
        exception_reason="  抗洪抢险中表现突出，经乡镇党委研究同意  ",
    )
    member.refresh_from_db()
    assert (member.stage, member.target_on) == (Stage.TARGET, D(2023, 12, 1))
    [exception] = PipelineException.objects.all()
    assert exception.member == member
    assert exception.stage == Stage.TARGET
    assert exception.reason == "抗洪抢险中表现突出，经乡镇党委研究同意"
    assert exception.approved_by == world.officer_a


def test_an_approver_without_a_reason_gets_no_exception(world: World, party: Party) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    refused(
        lambda: advance(
            world.officer_a, member, Stage.TARGET, D(2023, 12, 1), exception_reason=" "
        ),
        member,
        code="too_early",
    )


def test_a_village_cadre_giving_a_reason_cannot_grant_an_exception(
    world: World, party: Party
) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    refused(
        lambda: advance(
            world.cadre_a, member, Stage.TARGET, D(2023, 12, 1), exception_reason="表现突出"
        ),
        member,
        code="forbidden",
        field="exception_reason",
    )
    member.refresh_from_db()
    assert member.stage == Stage.ACTIVIST and member.target_on is None
    assert not PipelineException.objects.exists()


def test_a_reason_given_for_a_step_on_time_records_no_exception(world: World, party: Party) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    advance(world.cadre_a, member, Stage.TARGET, D(2024, 3, 1), exception_reason="按期")
    assert not PipelineException.objects.exists()


# --- introducers ------------------------------------------------------------------------------


def target(party: Party, **dates: dt.date) -> PartyMember:
    return member_at(
        party.residents_a[0], party.org_a, Stage.TARGET, target_on=D(2024, 3, 1), **dates
    )


def test_admission_without_two_introducers_is_refused(world: World, party: Party) -> None:
    member = target(party)
    for introducers in ([], party.full_a[:1]):
        refused(
            lambda i=introducers: advance(
                world.officer_a, member, Stage.PROBATIONARY, D(2024, 6, 1), introducers=i
            ),
            member,
            field="introducers",
        )


def test_an_introducer_who_is_a_probationary_member_is_refused(world: World, party: Party) -> None:
    member = target(party)
    probationary = member_at(
        party.residents_a[1], party.org_a, Stage.PROBATIONARY, probationary_on=D(2024, 1, 5)
    )
    err = refused(
        lambda: advance(
            world.officer_a,
            member,
            Stage.PROBATIONARY,
            D(2024, 6, 1),
            introducers=[party.full_a[0], probationary],
        ),
        member,
        field="introducers",
    )
    assert probationary.person.name in str(err.message)


def test_the_person_cannot_be_their_own_introducer(world: World, party: Party) -> None:
    member = target(party)
    refused(
        lambda: advance(
            world.officer_a,
            member,
            Stage.PROBATIONARY,
            D(2024, 6, 1),
            introducers=[member, party.full_a[0]],
        ),
        member,
        field="introducers",
    )


def test_the_same_introducer_twice_is_refused(world: World, party: Party) -> None:
    member = target(party)
    again = PartyMember.objects.get(pk=party.full_a[0].pk)
    refused(
        lambda: advance(
            world.officer_a,
            member,
            Stage.PROBATIONARY,
            D(2024, 6, 1),
            introducers=[party.full_a[0], again],
        ),
        member,
        field="introducers",
    )


def test_three_introducers_are_refused(world: World, party: Party) -> None:
    member = target(party)
    refused(
        lambda: advance(
            world.officer_a, member, Stage.PROBATIONARY, D(2024, 6, 1), introducers=party.full_a
        ),
        member,
        field="introducers",
    )


def test_an_introducer_outside_scope_is_not_found(world: World, party: Party) -> None:
    member = target(party)
    err = refused(
        lambda: advance(
            world.officer_a,
            member,
            Stage.PROBATIONARY,
            D(2024, 6, 1),
            introducers=[party.full_a[0], party.full_b],
        ),
        member,
    )
    assert isinstance(err, NotFound)
    assert party.full_b.person.name not in str(err.message)


def test_admission_with_two_full_members_introducing_is_recorded_and_audited(
    world: World, party: Party
) -> None:
    member = target(party)
    advance(world.cadre_a, member, Stage.PROBATIONARY, D(2024, 6, 1), introducers=party.full_a[:2])
    member.refresh_from_db()
    assert (member.stage, member.probationary_on) == (Stage.PROBATIONARY, D(2024, 6, 1))
    assert set(member.introducers.all()) == set(party.full_a[:2])
    changes = last_audit(member).changes
    assert changes["stage"] == ["target", "probationary"]
    assert changes["probationary_on"] == [None, "2024-06-01"]
    assert sorted(changes["introducers"][1]) == sorted(m.person.name for m in party.full_a[:2])


def test_introducers_named_at_the_development_step_serve_for_admission(
    world: World, party: Party
) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    advance(world.cadre_a, member, Stage.TARGET, D(2024, 3, 1), introducers=party.full_a[1:])
    advance(world.cadre_a, member, Stage.PROBATIONARY, D(2024, 6, 1))
    member.refresh_from_db()
    assert member.stage == Stage.PROBATIONARY
    assert set(member.introducers.all()) == set(party.full_a[1:])


def test_an_introducer_who_is_no_longer_a_full_member_is_refused_at_admission(
    world: World, party: Party
) -> None:
    member = target(party)
    helper = member_at(
        party.residents_a[1], party.org_a, Stage.PROBATIONARY, probationary_on=D(2023, 1, 5)
    )
    member.introducers.set([party.full_a[0], helper])
    refused(
        lambda: advance(world.officer_a, member, Stage.PROBATIONARY, D(2024, 6, 1)),
        member,
        field="introducers",
    )


def test_bad_introducers_at_the_development_step_are_refused(world: World, party: Party) -> None:
    member = member_at(party.residents_a[0], party.org_a, Stage.ACTIVIST, activist_on=D(2023, 3, 1))
    applicant = member_at(party.residents_a[1], party.org_a, Stage.APPLICANT)
    refused(
        lambda: advance(
            world.cadre_a,
            member,
            Stage.TARGET,
            D(2024, 3, 1),
            introducers=[party.full_a[0], applicant],
        ),
        member,
        field="introducers",
    )


# --- the whole way, audited -------------------------------------------------------------------


def test_every_step_writes_an_audit_entry_naming_the_changed_fields(
    world: World, party: Party
) -> None:
    person = party.residents_a[0]
    member = pipeline.member_apply(
        actor=world.cadre_a, person=person, organization=party.org_a, applied_on=D(2021, 9, 1)
    )
    steps: list[tuple[Callable[[], object], dict[str, list[Any]]]] = [
        (
            lambda: pipeline.member_talk(
                actor=world.cadre_a, member=member, talked_on=D(2021, 9, 20)
            ),
            {"talked_on": [None, "2021-09-20"]},
        ),
        (
            lambda: advance(world.cadre_a, member, Stage.ACTIVIST, D(2021, 10, 8)),
            {"stage": ["applicant", "activist"], "activist_on": [None, "2021-10-08"]},
        ),
        (
            lambda: advance(world.cadre_a, member, Stage.TARGET, D(2022, 10, 8)),
            {"stage": ["activist", "target"], "target_on": [None, "2022-10-08"]},
        ),
        (
            lambda: advance(
                world.officer_a,
                member,
                Stage.PROBATIONARY,
                D(2022, 12, 1),
                introducers=party.full_a[:2],
            ),
            {
                "stage": ["target", "probationary"],
                "probationary_on": [None, "2022-12-01"],
                "introducers": [[], sorted(m.person.name for m in party.full_a[:2])],
            },
        ),
        (
            lambda: advance(world.officer_a, member, Stage.FULL, D(2023, 12, 1)),
            {"stage": ["probationary", "full"], "full_on": [None, "2023-12-01"]},
        ),
    ]
    for step, expected in steps:
        count = AuditEntry.objects.count()
        step()
        assert AuditEntry.objects.count() == count + 1
        entry = last_audit(member)
        assert entry.action == AuditAction.UPDATE
        assert entry.changes == expected
    member.refresh_from_db()
    assert member.stage == Stage.FULL
    assert (member.applied_on, member.full_on) == (D(2021, 9, 1), D(2023, 12, 1))


# --- transfers --------------------------------------------------------------------------------


def test_a_transfer_within_the_township_moves_the_member_and_is_audited(
    world: World, party: Party
) -> None:
    member = party.full_a[0]
    pipeline.member_transfer(actor=world.officer_a, member=member, organization=party.org_a2)
    member.refresh_from_db()
    assert member.organization == party.org_a2
    assert last_audit(member).changes == {"organization": ["沙坡村党支部", "竹箐村党支部"]}


def test_a_transfer_to_another_townships_organisation_is_not_found(
    world: World, party: Party
) -> None:
    member = party.full_a[0]
    err = refused(
        lambda: pipeline.member_transfer(
            actor=world.officer_a, member=member, organization=party.org_b
        ),
        member,
    )
    assert isinstance(err, NotFound)
    member.refresh_from_db()
    assert member.organization == party.org_a


def test_a_village_cadre_cannot_transfer_a_member_out_of_their_village(
    world: World, party: Party
) -> None:
    member = party.full_a[0]
    err = refused(
        lambda: pipeline.member_transfer(
            actor=world.cadre_a, member=member, organization=party.org_a2
        ),
        member,
    )
    assert isinstance(err, NotFound)


def test_an_introducer_must_be_a_full_member_on_the_steps_date(world: World, party: Party) -> None:
    """Full today is not enough: on the day the person became a development target."""
    late = party.full_a[1]
    late.full_on = dt.date(2024, 6, 1)
    late.save()
    member = PartyMember.objects.create(
        person=party.residents_a[0],
        organization=party.org_a,
        stage=Stage.ACTIVIST,
        applied_on=dt.date(2022, 1, 5),
        talked_on=dt.date(2022, 1, 20),
        activist_on=dt.date(2022, 3, 1),
    )
    with pytest.raises(DomainError) as exc:
        pipeline.member_advance(
            actor=world.cadre_a,
            member=member,
            stage=Stage.TARGET,
            on=dt.date(2023, 3, 1),
            introducers=[party.full_a[0], late],
        )
    assert exc.value.field == "introducers" and "2023-03-01" in str(exc.value.message)
    member.refresh_from_db()
    assert member.stage == Stage.ACTIVIST and not member.introducers.exists()


def test_an_exception_is_written_to_the_audit_log(world: World, party: Party) -> None:

    member = PartyMember.objects.create(
        person=party.residents_a[0],
        organization=party.org_a,
        stage=Stage.ACTIVIST,
        applied_on=dt.date(2022, 1, 5),
        talked_on=dt.date(2022, 1, 20),
        activist_on=dt.date(2022, 3, 1),
    )
    pipeline.member_advance(
        actor=world.officer_a,
        member=member,
        stage=Stage.TARGET,
        on=dt.date(2022, 12, 1),
        exception_reason="抗灾一线表现突出",
    )
    entry = AuditEntry.objects.get(content_type__model="pipelineexception")
    assert entry.actor == world.officer_a
    assert entry.changes["reason"] == [None, "抗灾一线表现突出"]
