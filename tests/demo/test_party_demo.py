"""The demo city's party building (zhenxing.party.demo), loaded once by `zhenxing demo` at the
default scale: organisations, members, the two committees, reserve talent and training follow
the rules the services enforce, and a second run adds nothing.

The whole demo (regions, registry, economy, party) takes about twenty seconds, so it is loaded
once for the module inside a transaction rolled back at the end; each test runs in a savepoint
of it as usual.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Q
from django.test import override_settings
from django.utils import timezone

from tests.conftest import _ethnic_groups_loaded
from zhenxing.core.accounts.models import User
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.economy.models import CollectiveOrganization, Company
from zhenxing.party.demo import demo_party_load
from zhenxing.party.models import (
    MEMBER_STAGES,
    STAGE_ORDER,
    VILLAGE_KINDS,
    Attendance,
    CadrePosition,
    CourseOrder,
    DeliveryMode,
    FunctionalGroup,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
    Post,
    ReserveTalent,
    SecretarySource,
    SocialOrganization,
    Stage,
    TalentProgress,
    TalentTrack,
    TrainingSession,
)
from zhenxing.party.policy import earliest_step, talk_deadline
from zhenxing.party.rules import add_months, age_on, holdings_incompatible
from zhenxing.party.services.training import attendance_record
from zhenxing.registry.models import PersonStatus

PLACES = (RegionKind.VILLAGE, RegionKind.COMMUNITY)
TOWNSHIP = "520281004"  # 红果街道, the demo logins' township
PARTY_POSTS = (Post.PARTY_SECRETARY, Post.PARTY_DEPUTY, Post.PARTY_MEMBER, Post.PARTY_GROUP_LEADER)
MODELS = (
    PartyOrganization,
    SocialOrganization,
    PartyMember,
    CadrePosition,
    ReserveTalent,
    FunctionalGroup,
    CourseOrder,
    TrainingSession,
    Attendance,
)


@pytest.fixture(scope="module")
def demo_output(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``zhenxing demo`` at the default (small) scale, once for the module."""
    var: Path = tmp_path_factory.mktemp("var")
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(VAR_DIR=var),
    ):
        patch.setenv("ZHENXING_DEMO_PASSWORD", "demo-password-for-tests")
        with transaction.atomic():
            # A transactional (browser) test before this module empties the catalogues.
            _ethnic_groups_loaded()
            out = io.StringIO()
            call_command("demo", "--scale", "small", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def loaded(demo_output: str, db: None) -> str:
    return demo_output


def _today() -> dt.date:
    return timezone.localdate()


def test_the_command_prints_one_party_line(loaded: str) -> None:
    lines = [line for line in loaded.splitlines() if line.startswith("Party building:")]
    assert len(lines) == 1
    assert "29 joint committees" in lines[0]


def test_twenty_nine_joint_committees_cover_every_village_once(loaded: str) -> None:
    joint = PartyOrganization.objects.filter(kind=OrganizationKind.JOINT_COMMITTEE)
    assert joint.count() == 29
    villages = Region.objects.filter(kind=RegionKind.VILLAGE)
    assert villages.count() >= 447
    covering = Counter(
        joint.values_list("villages", flat=True)  # one row per (committee, village)
    )
    assert set(covering) == set(villages.values_list("pk", flat=True))
    assert set(covering.values()) == {1}
    crossing = 0
    for committee in joint.prefetch_related("villages__parent").select_related("region"):
        covered = list(committee.villages.all())
        assert len(covered) >= 2
        townships = {v.parent.code for v in covered}
        if len(townships) > 1:
            crossing += 1
            assert len(townships) == 2 and committee.region.kind == RegionKind.COUNTY
        else:
            assert committee.region.code == townships.pop()
    assert 1 <= crossing <= 5


def test_every_village_has_one_organisation_of_its_own_under_its_joint_committee(
    loaded: str,
) -> None:
    own = PartyOrganization.objects.filter(kind__in=VILLAGE_KINDS).select_related("parent")
    per_place = Counter(own.values_list("region_id", flat=True))
    places = set(Region.objects.filter(kind__in=PLACES).values_list("pk", flat=True))
    assert set(per_place) == places and set(per_place.values()) == {1}
    kinds = Counter(own.values_list("kind", flat=True))
    assert kinds[OrganizationKind.VILLAGE_BRANCH] > kinds[OrganizationKind.VILLAGE_GENERAL_BRANCH]
    assert kinds[OrganizationKind.VILLAGE_GENERAL_BRANCH] > 0
    assert kinds[OrganizationKind.VILLAGE_COMMITTEE] > 0
    for org in own.filter(region__kind=RegionKind.VILLAGE):
        assert org.parent is not None and org.parent.kind == OrganizationKind.JOINT_COMMITTEE
        assert org.parent.villages.filter(pk=org.region_id).exists()


def test_units_have_organisations_and_some_with_three_members_have_none(loaded: str) -> None:
    from zhenxing.party.selectors.summary import organization_gaps

    orgs = PartyOrganization.objects
    assert orgs.filter(kind=OrganizationKind.COOPERATIVE, cooperative__isnull=False).exists()
    assert orgs.filter(kind=OrganizationKind.COMPANY, company__isnull=False).exists()
    assert orgs.filter(kind=OrganizationKind.SOCIAL, social_organization__isnull=False).exists()
    chain = orgs.get(kind=OrganizationKind.INDUSTRY_CHAIN)
    assert chain.industry is not None and chain.industry.name == "刺梨"
    assert chain.children.filter(kind=OrganizationKind.COMPANY).exists()
    for org in orgs.filter(kind__in=(OrganizationKind.COOPERATIVE, OrganizationKind.COMPANY)):
        assert org.members.filter(stage__in=MEMBER_STAGES).count() >= 3
    # 应建尽建: units with three or more member-employees and no organisation, of each kind.
    county = Region.objects.get(code="520281")
    gaps = organization_gaps(region=county)
    assert {g["kind"] for g in gaps} == {"cooperative", "company", "social"}
    assert all(g["members"] >= 3 for g in gaps)
    assert organization_gaps(region=Region.objects.get(code=TOWNSHIP))
    covered = CollectiveOrganization.objects.filter(party_organizations__isnull=False).count()
    assert 0 < covered < CollectiveOrganization.objects.count()
    assert 0 < Company.objects.filter(party_organizations__isnull=False).count() < 53


def test_members_are_adult_residents_of_their_village_in_every_stage(loaded: str) -> None:
    members = PartyMember.objects.select_related("person__household", "organization__region")
    assert set(members.values_list("stage", flat=True)) == set(STAGE_ORDER)
    for m in members:
        assert m.person.status == PersonStatus.ACTIVE
        assert age_on(m.person.birth_date, m.applied_on) >= 18
        if m.organization.kind in (*VILLAGE_KINDS, OrganizationKind.COOPERATIVE):
            assert m.person.household.village_id == m.organization.region_id
        else:  # a company's or social organisation's: someone living under its region
            village = m.person.household.village
            assert village.code.startswith(m.organization.region.code)
    full = members.filter(stage=Stage.FULL)
    men = full.filter(person__sex="M").count() / full.count()
    assert 0.6 <= men <= 0.8
    educations = set(full.values_list("person__education", flat=True))
    assert {"primary", "junior", "senior", "college"} <= educations


def test_every_members_dates_respect_the_pipeline_intervals(loaded: str) -> None:
    today = _today()
    for m in PartyMember.objects.all():
        dates = [m.applied_on, m.talked_on, m.activist_on, m.target_on, m.probationary_on]
        assert all(d is None or d <= today for d in [*dates, m.full_on])
        reached = STAGE_ORDER.index(m.stage)
        for i, name in enumerate(("activist_on", "target_on", "probationary_on", "full_on")):
            assert (getattr(m, name) is not None) == (reached > i), (m.pk, name)
        if m.talked_on is not None:
            assert m.applied_on <= m.talked_on <= talk_deadline(m.applied_on)
        if m.activist_on is not None:
            assert m.talked_on is not None and m.talked_on <= m.activist_on
        if m.target_on is not None:
            assert m.activist_on is not None
            assert m.target_on >= earliest_step(Stage.TARGET, previous=m.activist_on)
        if m.probationary_on is not None:
            assert m.target_on is not None and m.probationary_on >= m.target_on
        if m.full_on is not None:
            assert m.probationary_on is not None
            assert m.full_on >= earliest_step(Stage.FULL, previous=m.probationary_on)


def test_introducers_were_full_members_when_the_person_became_a_target(loaded: str) -> None:
    introduced: dict[int, list[PartyMember]] = defaultdict(list)
    members = {m.pk: m for m in PartyMember.objects.all()}
    through = PartyMember.introducers.through
    for member_id, introducer_id in through.objects.values_list(
        "from_partymember_id", "to_partymember_id"
    ):
        introduced[member_id].append(members[introducer_id])
    for m in members.values():
        if m.stage in (Stage.TARGET, Stage.PROBATIONARY):
            assert len(introduced[m.pk]) == 2, m.pk
        for introducer in introduced[m.pk]:
            assert introducer.stage == Stage.FULL and introducer.pk != m.pk
            assert m.target_on is not None and introducer.full_on is not None
            assert introducer.full_on <= m.target_on


def test_only_the_demo_township_has_overdue_steps(loaded: str) -> None:
    from zhenxing.party.selectors.summary import WorkKind, pipeline_worklist

    today = _today()
    overdue_talks = PartyMember.objects.filter(stage=Stage.APPLICANT, talked_on__isnull=True)
    late = [
        m
        for m in overdue_talks.select_related("organization__region")
        if talk_deadline(m.applied_on) < today
    ]
    overdue_probation = [
        m
        for m in PartyMember.objects.filter(stage=Stage.PROBATIONARY).select_related(
            "organization__region"
        )
        if m.probationary_on is not None
        and earliest_step(Stage.FULL, previous=m.probationary_on) < today
    ]
    assert len(late) >= 2 and len(overdue_probation) >= 2
    for m in late + overdue_probation:
        assert m.organization.region.code.startswith(TOWNSHIP)
    officer = User.objects.get(username="township")
    work = Counter(
        item.kind
        for item in pipeline_worklist(actor=officer, region=Region.objects.get(code=TOWNSHIP))
    )
    assert work[WorkKind.TALK_OVERDUE] == len(late)
    assert work[WorkKind.CONVERSION_OVERDUE] == len(overdue_probation)


def test_every_village_has_its_two_committees_with_about_half_one_shoulder(loaded: str) -> None:
    held = CadrePosition.objects.filter(ended_on__isnull=True)
    heads: dict[int, dict[str, int]] = defaultdict(dict)
    for village_id, post, person_id in held.filter(
        post__in=(Post.PARTY_SECRETARY, Post.DIRECTOR)
    ).values_list("village_id", "post", "person_id"):
        assert post not in heads[village_id]  # one holder of a single-seat post
        heads[village_id][post] = person_id
    places = Region.objects.filter(kind__in=PLACES)
    assert set(heads) == set(places.values_list("pk", flat=True))
    assert all(len(h) == 2 for h in heads.values())
    one_shoulder = sum(h[Post.PARTY_SECRETARY] == h[Post.DIRECTOR] for h in heads.values())
    assert 0.3 <= one_shoulder / len(heads) <= 0.7
    # The term began on 2022-01-01 for five years.
    assert set(held.values_list("started_on", flat=True)) == {dt.date(2022, 1, 1)}
    assert set(held.values_list("term_ends_on", flat=True)) == {add_months(dt.date(2022, 1, 1), 60)}
    sources = Counter(held.filter(post=Post.PARTY_SECRETARY).values_list("source", flat=True))
    assert "" not in sources and len(sources) >= 5
    assert sources.most_common(1)[0][1] < 0.5 * sum(sources.values())
    posts = set(held.values_list("post", flat=True))
    for post in (Post.PARTY_DEPUTY, Post.PARTY_MEMBER, Post.DEPUTY_DIRECTOR, Post.COMMITTEE_MEMBER):
        assert post in posts
    assert {Post.SUPERVISION_CHAIR, Post.FIRST_SECRETARY, Post.WORK_TEAM_MEMBER} <= posts
    assert Post.GROUP_LEADER in posts
    # Holders: residents of the village, adults when the term began, members for party posts.
    assert not held.exclude(person__household__village=F("village")).exists()
    for birth in held.values_list("person__birth_date", flat=True):
        assert age_on(birth, dt.date(2022, 1, 1)) >= 18
    # Party posts: full members by the day the term began (probationary members are not
    # eligible for election).
    party = held.filter(post__in=PARTY_POSTS)
    assert (
        party.filter(
            person__party_member__stage=Stage.FULL,
            person__party_member__full_on__lte=F("started_on"),
        ).count()
        == party.count()
    )
    assert held.filter(person__status=PersonStatus.ACTIVE).count() == held.count()


def test_nobody_holds_two_incompatible_posts(loaded: str) -> None:
    posts: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for person_id, post, village in CadrePosition.objects.filter(ended_on__isnull=True).values_list(
        "person_id", "post", "village_id"
    ):
        posts[person_id].append((post, village))
    for held in posts.values():
        for i, (a, va) in enumerate(held):
            for b, vb in held[i + 1 :]:
                assert not holdings_incompatible(a, va, b, vb), held
    assert any(len(held) > 1 for held in posts.values())  # 一肩挑 and 交叉任职 exist


def test_reserve_talent_on_both_tracks_with_secretaries_lacking_in_some_villages(
    loaded: str,
) -> None:
    talent = ReserveTalent.objects.select_related("person__party_member")
    assert {t.track for t in talent} == set(TalentTrack.values)
    in_pool = talent.filter(progress__in=(TalentProgress.IDENTIFIED, TalentProgress.CULTIVATING))
    for entry in in_pool:
        member = getattr(entry.person, "party_member", None)
        is_member = member is not None and member.stage in MEMBER_STAGES
        assert is_member == (entry.track == TalentTrack.MEMBER_TO_CADRE)
        assert entry.mentor_id != entry.person_id
        assert entry.reserve_for == "" or entry.track == TalentTrack.MEMBER_TO_CADRE
    assert not talent.exclude(person__household__village=F("village")).exists()
    assert talent.filter(mentor__isnull=False).count() == talent.count()
    assert len({t.source for t in talent}) >= 6
    reserve = set(
        in_pool.filter(reserve_for=Post.PARTY_SECRETARY).values_list("village_id", flat=True)
    )
    township = Region.objects.filter(parent__code=TOWNSHIP, kind__in=PLACES)
    lacking = township.exclude(pk__in=reserve)
    assert 0 < lacking.count() < township.count()
    places = Region.objects.filter(kind__in=PLACES)
    assert len(reserve) >= 0.85 * places.count()
    # 致富带头人: around three a village, some villages short of the goal, some above it.
    per_village = Counter(
        in_pool.filter(source=SecretarySource.ENTREPRENEUR).values_list("village_id", flat=True)
    )
    counts = [per_village.get(pk, 0) for pk in places.values_list("pk", flat=True)]
    assert 2.0 <= sum(counts) / len(counts) <= 4.0
    assert min(counts) < 3 < max(counts)


def test_functional_groups_have_a_leader_and_members_of_their_organisation(loaded: str) -> None:
    groups = FunctionalGroup.objects.prefetch_related("members").select_related("leader")
    assert groups.count() >= 20
    assert len({g.function for g in groups}) >= 3
    for group in groups:
        assert group.achievements and group.specialty
        members = list(group.members.all())
        assert members and group.leader not in members
        for m in [group.leader, *members]:
            assert m.organization_id == group.organization_id and m.stage in MEMBER_STAGES


def test_a_year_of_training_covers_most_cadres(loaded: str) -> None:
    today = _today()
    year = today.year
    sessions = TrainingSession.objects.filter(starts_on__year__gte=year)
    assert {s.mode for s in sessions} == set(DeliveryMode.values)
    assert sessions.filter(region__kind=RegionKind.COUNTY).exists()
    assert sessions.filter(region__kind=RegionKind.TOWNSHIP).exists()
    assert sessions.filter(starts_on__gt=today).exists()  # one to come
    orders = CourseOrder.objects.filter(year=year)
    assert {o.origin for o in orders} == {"ordered", "assigned"}
    assert orders.filter(session__isnull=False).exists()
    for order in orders.filter(session__isnull=False).select_related("session__region", "village"):
        assert order.village.code.startswith(order.session.region.code)
        assert order.session.course_id == order.course_id
    # Attendance only at sessions that took place, for cadres under the session's region.
    for attendance in Attendance.objects.select_related("session__region", "position__village"):
        assert attendance.session.starts_on <= today and not attendance.session.cancelled
        assert attendance.position.village.code.startswith(attendance.session.region.code)
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    cadres = set(
        CadrePosition.objects.filter(started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values_list("person_id", flat=True)
    )
    trained = set(
        Attendance.objects.filter(
            session__cancelled=False, session__starts_on__range=(first, dt.date(year, 12, 31))
        ).values_list("position__person_id", flat=True)
    )
    coverage = len(cadres & trained) / len(cadres)
    assert 0.7 <= coverage <= 0.95


def test_the_demo_village_can_record_a_recent_session_nobody_has_recorded(loaded: str) -> None:
    cadre = User.objects.get(username="village")
    township = cadre.region.parent
    today = _today()
    recent = TrainingSession.objects.filter(
        region=township, starts_on__lte=today, starts_on__gte=today - dt.timedelta(days=14)
    )
    unrecorded = [s for s in recent if not s.attendance.filter(position__village=cadre.region)]
    assert unrecorded
    session = unrecorded[0]
    positions = CadrePosition.objects.filter(village=cadre.region, ended_on__isnull=True)
    written = attendance_record(
        actor=cadre, session=session, entries=[(p, "completed") for p in positions]
    )
    assert written == positions.count() > 0


def test_audit_has_a_create_row_for_each_object(loaded: str) -> None:
    for model in (PartyOrganization, PartyMember, CadrePosition, ReserveTalent, Attendance):
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), action="create"
        )
        assert entries.count() == model.objects.count(), model.__name__
    member = PartyMember.objects.select_related("organization__region").first()
    assert member is not None
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(PartyMember), object_id=str(member.pk)
    )
    assert entry.region_code == member.organization.region.code and entry.actor_label == "demo"


def test_running_the_demo_again_adds_nothing(loaded: str) -> None:
    before = {model.__name__: model.objects.count() for model in MODELS}
    out = io.StringIO()
    call_command("demo", "--scale", "small", stdout=out)
    assert "Party building: already loaded." in out.getvalue()
    assert demo_party_load()["skipped"] is True
    assert {model.__name__: model.objects.count() for model in MODELS} == before
