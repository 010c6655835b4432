"""The figures of party building: per-village rollups, the summary API, the pipeline worklist,
the members' structure, election readiness and the "应建尽建" gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import World, make_region
from tests.party.conftest import Party, full_member
from zhenxing.core.policy.services import policy_set
from zhenxing.core.regions.models import RegionKind
from zhenxing.economy.services import entities
from zhenxing.party.models import (
    CadrePosition,
    Course,
    PartyMember,
    PipelineException,
    Post,
    ReserveTalent,
    Stage,
)
from zhenxing.party.selectors import summary as selectors
from zhenxing.party.services import cadres, organizations, training

TODAY = timezone.localdate()
YEAR = TODAY.year


def appoint(world: World, village, person, post: str, started_on=dt.date(2022, 1, 1)):
    return cadres.position_appoint(
        actor=world.city, village=village, person=person, post=post, started_on=started_on
    )


@pytest.fixture
def committees(world: World, party: Party) -> dict[str, CadrePosition]:
    """沙坡村: one person is secretary and director (一肩挑); 竹箐村: no cadres; 龙井村: a
    secretary and a different director."""
    secretary = party.full_a[0].person
    out = {
        "secretary_a": appoint(world, world.village_a, secretary, Post.PARTY_SECRETARY),
        "director_a": appoint(world, world.village_a, secretary, Post.DIRECTOR),
        "member_a": appoint(world, world.village_a, party.residents_a[0], Post.COMMITTEE_MEMBER),
        "secretary_b": appoint(world, world.village_b, party.full_b.person, Post.PARTY_SECRETARY),
        "director_b": appoint(world, world.village_b, party.resident_b, Post.DIRECTOR),
    }
    return out


def test_one_shoulder_counts_villages_whose_secretary_is_the_director(
    world: World, party: Party, committees
) -> None:
    total, rows = selectors.rollup(region=world.county, year=YEAR)
    assert total.villages == 3
    assert total.one_shoulder == 1
    by_code = {r.code: r for r in rows}
    assert by_code[world.township_a.code].one_shoulder == 1
    assert by_code[world.township_a.code].villages == 2
    assert by_code[world.township_b.code].one_shoulder == 0
    summary = selectors.party_summary(region=world.county, year=YEAR)
    assert summary["one_shoulder_ratio"] == pytest.approx(1 / 3, abs=1e-4)
    assert summary["one_shoulder_target"] == pytest.approx(0.9)


def test_an_ended_directorship_no_longer_counts_as_one_shoulder(
    world: World, party: Party, committees
) -> None:
    cadres.position_end(
        actor=world.city, position=committees["director_a"], ended_on=TODAY - dt.timedelta(days=1)
    )
    total, _rows = selectors.rollup(region=world.township_a, year=YEAR)
    assert total.one_shoulder == 0


def test_members_and_pipeline_are_counted_per_stage(world: World, party: Party) -> None:
    summary = selectors.party_summary(region=world.county, year=YEAR)
    assert summary["members"] == 4  # three full in 沙坡村, one in 龙井村
    assert summary["pipeline"] == {
        "applicant": 0,
        "activist": 0,
        "target": 0,
        "probationary": 0,
        "full": 4,
    }
    # 沙坡村's township holds three; the joint committee and both branches are organisations.
    township = selectors.party_summary(region=world.township_a, year=YEAR)
    assert township["members"] == 3
    assert township["joint_committees"] == 1
    assert township["organizations"] == 3
    other = selectors.party_summary(region=world.township_b, year=YEAR)
    assert other["joint_committees"] == 0 and other["organizations"] == 1


def test_a_joint_committee_across_townships_counts_in_both(world: World, party: Party) -> None:
    third = make_region("520281004203", "新村", RegionKind.VILLAGE, world.township_a)
    organizations.organization_create(
        actor=world.city,
        name="跨乡联村党委",
        kind="joint_committee",
        villages=[third, world.village_b],
    )
    assert selectors.party_summary(region=world.township_b, year=YEAR)["joint_committees"] == 1
    assert selectors.party_summary(region=world.township_b, year=YEAR)["organizations"] == 2
    assert selectors.party_summary(region=world.county, year=YEAR)["joint_committees"] == 2


def test_villages_without_a_reserve_secretary_are_named(world: World, party: Party) -> None:
    cadres.talent_add(
        actor=world.city,
        village=world.village_a,
        person=party.full_a[1].person,
        source="returning_graduate",
        track="member_to_cadre",
        reserve_for=Post.PARTY_SECRETARY,
        since=dt.date(2024, 5, 1),
    )
    total, _rows = selectors.rollup(region=world.township_a, year=YEAR)
    assert total.without_reserve_secretary == [world.village_a2.name]
    # One who has taken up the post is no longer in the pool.
    entry = ReserveTalent.objects.get()
    cadres.talent_progress(actor=world.city, entry=entry, progress="achieved")
    total, _rows = selectors.rollup(region=world.township_a, year=YEAR)
    assert sorted(total.without_reserve_secretary) == sorted(
        [world.village_a.name, world.village_a2.name]
    )


def test_training_coverage_counts_cadres_trained_this_year(
    world: World, party: Party, committees
) -> None:
    session = training.session_schedule(
        actor=world.city,
        region=world.county,
        course=Course.objects.get(code="C01"),
        mode="offline",
        starts_on=TODAY,
        place="市委党校",
        trainers="市委组织部",
    )
    training.attendance_record(
        actor=world.city,
        session=session,
        entries=[(committees["secretary_a"], "completed"), (committees["director_b"], "excellent")],
    )
    summary = selectors.party_summary(region=world.county, year=YEAR)
    # Four people hold posts (the 一肩挑 secretary once); two of them were trained.
    assert summary["cadres"] == 4 and summary["cadres_trained"] == 2
    assert summary["training_coverage"] == pytest.approx(0.5)
    total, rows = selectors.rollup(region=world.county, year=YEAR)
    assert (total.cadres, total.trained) == (4, 2)
    assert {r.code: r.trained for r in rows} == {
        world.township_a.code: 1,
        world.township_b.code: 1,
    }
    # Last year nobody was trained.
    assert selectors.party_summary(region=world.county, year=YEAR - 1)["training_coverage"] == 0


def test_talk_overdue_starts_the_day_after_the_deadline(world: World, party: Party) -> None:
    applied = dt.date(2024, 1, 31)
    PartyMember.objects.create(
        person=party.residents_a[0],
        organization=party.org_a,
        stage=Stage.APPLICANT,
        applied_on=applied,
    )
    on_deadline = selectors.pipeline_worklist(
        actor=world.officer_a, region=world.township_a, today=dt.date(2024, 2, 29)
    )
    assert [(i.kind, i.overdue_days) for i in on_deadline] == [("talk_due", 0)]
    after = selectors.pipeline_worklist(
        actor=world.officer_a, region=world.township_a, today=dt.date(2024, 3, 1)
    )
    assert [(i.kind, i.overdue_days) for i in after] == [("talk_overdue", 1)]
    # The other township's officer sees none of it.
    assert (
        selectors.pipeline_worklist(
            actor=world.officer_b, region=world.township_b, today=dt.date(2024, 3, 1)
        )
        == []
    )


def test_conversion_is_overdue_a_day_after_the_probation_year(world: World, party: Party) -> None:
    member = full_member(party.residents_a[1], party.org_a, dt.date(2020, 1, 1))
    member.stage, member.full_on, member.probationary_on = (
        Stage.PROBATIONARY,
        None,
        dt.date(2023, 5, 10),
    )
    member.save()
    due = selectors.pipeline_worklist(
        actor=world.officer_a, region=world.township_a, today=dt.date(2024, 5, 10)
    )
    assert [(i.kind, i.overdue) for i in due] == [("conversion_due", False)]
    overdue = selectors.pipeline_worklist(
        actor=world.officer_a, region=world.township_a, today=dt.date(2024, 5, 11)
    )
    assert [(i.kind, i.overdue_days) for i in overdue] == [("conversion_overdue", 1)]


def test_activists_become_ready_after_the_policy_interval(world: World, party: Party) -> None:
    member = full_member(party.residents_a[1], party.org_a, dt.date(2020, 1, 1))
    member.stage, member.activist_on = Stage.ACTIVIST, dt.date(2023, 3, 1)
    member.save()
    ready = selectors.pipeline_worklist(
        actor=world.officer_a, region=world.township_a, today=dt.date(2024, 3, 1)
    )
    assert [i.kind for i in ready] == ["ready_for_development"]
    assert (
        selectors.pipeline_worklist(
            actor=world.officer_a, region=world.township_a, today=dt.date(2024, 2, 29)
        )
        == []
    )
    # A shorter interval in force from 2023 makes them ready sooner.
    policy_set(actor="test", key="party.activist_min_months", effective_from=2023, value=6)
    assert [
        i.kind
        for i in selectors.pipeline_worklist(
            actor=world.officer_a, region=world.township_a, today=dt.date(2023, 9, 1)
        )
    ] == ["ready_for_development"]


def test_steps_taken_early_by_exception_are_listed(world: World, party: Party) -> None:
    PipelineException.objects.create(
        member=party.full_a[0], stage=Stage.FULL, reason="抗洪表现突出", approved_by=world.city
    )
    items = selectors.pipeline_worklist(actor=world.officer_a, region=world.township_a)
    assert [i.kind for i in items] == ["too_early"]
    assert "抗洪表现突出" in items[0].note


def test_member_structure_by_sex_age_education_and_ethnicity(world: World, party: Party) -> None:
    structure = selectors.member_structure(
        members=PartyMember.objects.filter(organization=party.org_a), today=dt.date(2025, 6, 12)
    )
    # tests.conftest.valid_id: born 1985-06-12, odd sequence numbers are men.
    assert sum(structure["sex"].values()) == 3
    assert structure["sex"]["M"] == 2 and structure["sex"]["F"] == 1
    assert structure["age"]["36–45"] == 3  # 40 on the day
    assert structure["ethnicity"] == {"汉族": 3}


def test_election_readiness_gives_structure_and_terms(
    world: World, party: Party, committees
) -> None:
    rows = {r.village.code: r for r in selectors.election_readiness(region=world.township_a)}
    sapo = rows[world.village_a.code]
    assert sapo.one_shoulder
    assert len(sapo.cadres) == 3
    assert sapo.term_ends_on == dt.date(2027, 1, 1)
    assert not sapo.has_reserve_secretary
    assert rows[world.village_a2.code].cadres == []


def test_units_with_three_members_and_no_organisation_are_gaps(world: World, party: Party) -> None:
    company = entities.company_create(
        actor=world.city,
        region=world.township_a,
        villages=[],
        name="盘州刺梨开发有限公司",
        kind="private",
        uscc="91520281MA6DLW5X6X",
        legal_representative="王五",
        registered_capital=1000000,
        industries="刺梨",
    )
    PartyMember.objects.filter(pk__in=[m.pk for m in party.full_a[:2]]).update(
        works_at_company=company
    )
    assert selectors.organization_gaps(region=world.county) == []
    PartyMember.objects.filter(pk=party.full_a[2].pk).update(works_at_company=company)
    gaps = selectors.organization_gaps(region=world.county)
    assert [(g["kind"], g["unit"].pk, g["members"]) for g in gaps] == [("company", company.pk, 3)]
    assert selectors.organization_gaps(region=world.township_b) == []
    organizations.organization_create(
        actor=world.city, name="刺梨公司党支部", kind="company", company=company
    )
    assert selectors.organization_gaps(region=world.county) == []


def test_summary_api_is_scoped_and_shaped(world: World, party: Party, committees, as_user) -> None:
    c = as_user(world.officer_a)
    body = c.get("/api/v1/party/summary", {"year": YEAR}).json()
    assert body["region"] == world.township_a.code
    assert body["joint_committees"] == 1 and body["members"] == 3
    assert body["pipeline"]["full"] == 3
    assert body["one_shoulder_ratio"] == 0.5
    assert body["villages_without_reserve_secretary"] == 2
    assert 0 <= body["training_coverage"] <= 1
    assert c.get("/api/v1/party/summary", {"region": world.township_b.code}).status_code == 404
    assert c.get("/api/v1/party/summary", {"region": world.county.code}).status_code == 404
    assert as_user(world.outsider).get("/api/v1/party/summary").status_code in (401, 404)


def test_rollup_query_count_does_not_grow_with_villages(
    world: World, party: Party, committees, django_assert_max_num_queries
) -> None:
    # The first read works the villages' summary rows out (a fixed handful of queries and one
    # insert); the next reads them.
    with django_assert_max_num_queries(14):
        selectors.rollup(region=world.county, year=YEAR)
    with django_assert_max_num_queries(6):
        selectors.rollup(region=world.county, year=YEAR)


def test_party_policy_command_sets_a_setting_from_a_year(world: World, party: Party) -> None:
    import io

    from django.core.management import call_command

    from zhenxing.core.audit.models import AuditEntry

    out = io.StringIO()
    call_command("party_policy", "one_shoulder_target_percent", "2026", "95", stdout=out)
    assert "one_shoulder_target_percent from 2026: 95" in out.getvalue()
    assert selectors.party_summary(region=world.county, year=2026)["one_shoulder_target"] == 0.95
    # Earlier years keep the value that held then.
    assert selectors.party_summary(region=world.county, year=2025)["one_shoulder_target"] == 0.9
    assert AuditEntry.objects.filter(content_type__model="policyvalue").count() == 1
    listing = io.StringIO()
    call_command("party_policy", stdout=listing)
    assert "activist_min_months" in listing.getvalue()


def test_entrepreneurs_are_people_and_success_still_counts(world: World, party: Party) -> None:
    """One entrepreneur on both tracks counts once; one who achieved still counts."""
    person = party.full_a[1].person
    youth = cadres.talent_add(
        actor=world.city,
        village=world.village_a,
        person=party.residents_a[0],
        source="entrepreneur",
        track="youth_to_member",
        since=dt.date(2024, 3, 1),
    )
    cadres.talent_progress(actor=world.city, entry=youth, progress="achieved")
    for track in ("member_to_cadre",):
        cadres.talent_add(
            actor=world.city,
            village=world.village_a,
            person=person,
            source="entrepreneur",
            track=track,
            since=dt.date(2024, 3, 1),
        )
    total, _rows = selectors.rollup(region=world.village_a, year=YEAR)
    assert total.entrepreneurs == 2


def test_a_cadre_who_left_is_not_counted_for_this_years_training(
    world: World, party: Party, committees
) -> None:
    cadres.position_end(
        actor=world.city,
        position=committees["director_b"],
        ended_on=TODAY - dt.timedelta(days=1),
    )
    summary = selectors.party_summary(region=world.county, year=YEAR)
    assert summary["cadres"] == 3  # 龙井村's director left yesterday
    total, rows = selectors.rollup(region=world.county, year=YEAR)
    assert total.cadres == summary["cadres"]
    assert sum(r.cadres for r in rows) == summary["cadres"]


def test_dashboard_and_api_agree_on_training_when_one_person_serves_two_villages(
    world: World, party: Party, committees
) -> None:
    """Counted per village (the summary rows add up): a person in post in two villages is a
    cadre, and trained, in each; the township's total row, the card and the API agree."""
    person = party.residents_a[1]
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a2,
        person=person,
        post="group_leader",
        started_on=dt.date(2022, 1, 1),
    )
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a,
        person=person,
        post="industry_instructor",
        started_on=dt.date(2022, 1, 1),
    )
    session = training.session_schedule(
        actor=world.city,
        region=world.county,
        course=Course.objects.get(code="C03"),
        mode="online",
        starts_on=TODAY,
        place="线上",
        trainers="市委组织部",
    )
    post_a2 = CadrePosition.objects.get(person=person, village=world.village_a2)
    training.attendance_record(actor=world.city, session=session, entries=[(post_a2, "completed")])
    summary = selectors.party_summary(region=world.township_a, year=YEAR)
    total, _rows = selectors.rollup(region=world.township_a, year=YEAR)
    assert (total.cadres, total.trained) == (summary["cadres"], summary["cadres_trained"])
    assert summary["cadres_trained"] == 2


def test_secretaries_by_where_they_came_from_and_reserve_counts(world: World, party: Party) -> None:
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a,
        person=party.full_a[0].person,
        post=Post.PARTY_SECRETARY,
        started_on=dt.date(2022, 1, 1),
        source="demobilised_soldier",
    )
    cadres.position_appoint(
        actor=world.city,
        village=world.village_b,
        person=party.full_b.person,
        post=Post.PARTY_SECRETARY,
        started_on=dt.date(2022, 1, 1),
    )
    for person in party.residents_a[:2]:
        cadres.talent_add(
            actor=world.city,
            village=world.village_a,
            person=person,
            source="returning_migrant",
            track="youth_to_member",
            since=dt.date(2024, 3, 1),
        )
    summary = selectors.party_summary(region=world.county, year=YEAR)
    assert summary["secretary_sources"]["demobilised_soldier"] == 1
    assert summary["secretary_sources"]["other"] == 1  # no source recorded
    assert sum(summary["secretary_sources"].values()) == 2
    assert summary["reserve_talent"] == 2
