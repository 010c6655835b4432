"""``/api/v1/party/…``: party building, read-only and scoped to the caller.

``summary`` is a region's figures for a year. Each list comes from the same selector and
FilterSet as its page (``selectors/lists.py``, ``filtersets.py``), so a filter means the same
everywhere and a bad value is a 400 naming it; lists are paginated with bounded
``limit``/``offset``.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zhenxing.core.api import Pagination, api_list, api_object, api_user, filter_params
from zhenxing.core.errors import NotFound
from zhenxing.core.regions.models import Region
from zhenxing.core.web.params import choice_param
from zhenxing.party.filtersets import (
    AttendanceFilterSet,
    CadrePositionFilterSet,
    PartyMemberFilterSet,
    PartyOrganizationFilterSet,
    ReserveTalentFilterSet,
    TrainingSessionFilterSet,
)
from zhenxing.party.models import (
    Attendance,
    CadrePosition,
    PartyMember,
    PartyOrganization,
    ReserveTalent,
    TrainingSession,
)
from zhenxing.party.selectors import lists
from zhenxing.party.selectors import summary as selectors

router = Router(tags=["party"])

OrganizationParams = filter_params(PartyOrganizationFilterSet)
MemberParams = filter_params(PartyMemberFilterSet)
PositionParams = filter_params(CadrePositionFilterSet)
TalentParams = filter_params(ReserveTalentFilterSet)
SessionParams = filter_params(TrainingSessionFilterSet)
AttendanceParams = filter_params(AttendanceFilterSet)


def _region(request: HttpRequest, code: str | None) -> Region:
    """``code`` (else the caller's own region) inside the caller's scope, else 404."""
    user = api_user(request)
    code = code or (user.region.code if getattr(user, "region", None) else "")
    if not code:
        raise NotFound()
    region: Region = api_object(Region.objects.all(), request, code=code)
    return region


class PartySummaryOut(Schema):
    """A region's party building. Ratios are 0–1."""

    region: str
    year: int
    villages: int
    joint_committees: int
    organizations: int
    members: int
    pipeline: dict[str, int]
    one_shoulder_ratio: float
    one_shoulder_target: float
    villages_without_reserve_secretary: int
    entrepreneurs: int
    villages_short_of_entrepreneurs: int
    reserve_talent: int
    secretary_sources: dict[str, int]
    training_coverage: float
    cadres: int
    cadres_trained: int


@router.get("/summary", response=PartySummaryOut)
def party_summary(
    request: HttpRequest, region: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """Joint-village committees, organisations, members (probationary and full), the pipeline
    (a count per stage), the 一肩挑 ratio, villages without a reserve candidate for secretary and
    the share of cadres trained in ``year``, for the region's subtree. ``region`` defaults to
    the caller's own, ``year`` to the current one."""
    place = _region(request, region)
    this_year = timezone.localdate().year
    if year is None or not 2000 <= year <= this_year:
        year = this_year
    return selectors.party_summary(region=place, year=year)


class OrganizationOut(Schema):
    """A party organisation."""

    id: int
    name: str
    kind: str
    region: str
    region_name: str
    parent: int | None
    founded_on: dt.date | None

    @staticmethod
    def resolve_region(obj: PartyOrganization) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: PartyOrganization) -> str:
        return obj.region.name

    @staticmethod
    def resolve_parent(obj: PartyOrganization) -> int | None:
        return obj.parent_id


@router.get(
    "/organizations/", response=list[OrganizationOut], url_name="api_party_organization_list"
)
@paginate(Pagination)
def list_organizations(request: HttpRequest, filters: Query[OrganizationParams]) -> Any:  # type: ignore[valid-type]
    """The party organisations in the caller's scope."""
    return api_list(
        request, PartyOrganizationFilterSet, lists.organization_list(actor=api_user(request))
    )


class PartyMemberOut(Schema):
    """A party member, or a person in the membership pipeline, with the dates of each step."""

    id: int
    name: str
    organization: int
    organization_name: str
    stage: str
    applied_on: dt.date
    talked_on: dt.date | None
    activist_on: dt.date | None
    target_on: dt.date | None
    probationary_on: dt.date | None
    full_on: dt.date | None

    @staticmethod
    def resolve_name(obj: PartyMember) -> str:
        return obj.person.name

    @staticmethod
    def resolve_organization(obj: PartyMember) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj: PartyMember) -> str:
        return obj.organization.name


@router.get("/members/", response=list[PartyMemberOut], url_name="api_party_member_list")
@paginate(Pagination)
def list_members(request: HttpRequest, filters: Query[MemberParams]) -> Any:  # type: ignore[valid-type]
    """Party members and people in the pipeline in the caller's scope."""
    return api_list(request, PartyMemberFilterSet, lists.member_list(actor=api_user(request)))


class WorkItemOut(Schema):
    """One thing the pipeline asks for now: a talk, a step that is due, an early step."""

    kind: str
    member: int
    name: str
    organization: str
    stage: str
    due: dt.date
    overdue_days: int
    note: str

    @staticmethod
    def resolve_member(item: selectors.WorkItem) -> int:
        return item.member_id

    @staticmethod
    def resolve_name(item: selectors.WorkItem) -> str:
        return str(item.member.person.name)

    @staticmethod
    def resolve_organization(item: selectors.WorkItem) -> str:
        return str(item.member.organization.name)

    @staticmethod
    def resolve_stage(item: selectors.WorkItem) -> str:
        return str(item.member.stage)


@router.get("/worklist/", response=list[WorkItemOut], url_name="api_party_worklist")
@paginate(Pagination)
def list_worklist(request: HttpRequest, region: str | None = None, kind: str | None = None) -> Any:
    """The pipeline's worklist for ``region`` (default: the caller's own): overdue talks and
    conversions first, then what is due, then steps taken early by exception; ``kind`` keeps
    one kind of item."""
    place = _region(request, region)
    wanted = choice_param(request, "kind", tuple(selectors.WORK_LABELS), "")
    # The worklist itself: the paginator's slice reads the members of one page only.
    return selectors.pipeline_worklist(actor=api_user(request), region=place).of_kind(wanted)


class PositionOut(Schema):
    """A village cadre's post, current (``ended_on`` empty) or past."""

    id: int
    village: str
    village_name: str
    name: str
    post: str
    started_on: dt.date
    term_ends_on: dt.date
    ended_on: dt.date | None
    source: str

    @staticmethod
    def resolve_village(obj: CadrePosition) -> str:
        return obj.village.code

    @staticmethod
    def resolve_village_name(obj: CadrePosition) -> str:
        return obj.village.name

    @staticmethod
    def resolve_name(obj: CadrePosition) -> str:
        return obj.person.name


@router.get("/positions/", response=list[PositionOut], url_name="api_party_position_list")
@paginate(Pagination)
def list_positions(request: HttpRequest, filters: Query[PositionParams]) -> Any:  # type: ignore[valid-type]
    """Village cadres' posts in the caller's scope."""
    return api_list(request, CadrePositionFilterSet, lists.position_list(actor=api_user(request)))


class TalentOut(Schema):
    """A person in a village's reserve pool, on one of the two tracks ("双培养")."""

    id: int
    village: str
    name: str
    source: str
    track: str
    progress: str
    reserve_for: str
    mentor: str | None
    since: dt.date

    @staticmethod
    def resolve_village(obj: ReserveTalent) -> str:
        return obj.village.code

    @staticmethod
    def resolve_name(obj: ReserveTalent) -> str:
        return obj.person.name

    @staticmethod
    def resolve_mentor(obj: ReserveTalent) -> str | None:
        return obj.mentor.name if obj.mentor else None


@router.get("/talent/", response=list[TalentOut], url_name="api_party_talent_list")
@paginate(Pagination)
def list_talent(request: HttpRequest, filters: Query[TalentParams]) -> Any:  # type: ignore[valid-type]
    """The reserve talent in the caller's scope."""
    return api_list(request, ReserveTalentFilterSet, lists.talent_list(actor=api_user(request)))


class SessionOut(Schema):
    """A training session (scheduled, held or cancelled)."""

    id: int
    region: str
    course: str
    course_title: str
    mode: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    trainers: str
    hours: Decimal
    cancelled: bool

    @staticmethod
    def resolve_region(obj: TrainingSession) -> str:
        return obj.region.code

    @staticmethod
    def resolve_course(obj: TrainingSession) -> str:
        return obj.course.code

    @staticmethod
    def resolve_course_title(obj: TrainingSession) -> str:
        return obj.course.title


@router.get("/sessions/", response=list[SessionOut], url_name="api_party_session_list")
@paginate(Pagination)
def list_sessions(request: HttpRequest, filters: Query[SessionParams]) -> Any:  # type: ignore[valid-type]
    """Training sessions in the caller's scope."""
    return api_list(request, TrainingSessionFilterSet, lists.session_rows(actor=api_user(request)))


class AttendanceOut(Schema):
    """A cadre's attendance at a session, with the result."""

    id: int
    session: int
    course: str
    starts_on: dt.date
    position: int
    name: str
    post: str
    result: str

    @staticmethod
    def resolve_session(obj: Attendance) -> int:
        return obj.session_id

    @staticmethod
    def resolve_course(obj: Attendance) -> str:
        return obj.session.course.code

    @staticmethod
    def resolve_starts_on(obj: Attendance) -> dt.date:
        return obj.session.starts_on

    @staticmethod
    def resolve_position(obj: Attendance) -> int:
        return obj.position_id

    @staticmethod
    def resolve_name(obj: Attendance) -> str:
        return obj.position.person.name

    @staticmethod
    def resolve_post(obj: Attendance) -> str:
        return obj.position.post


@router.get("/attendance/", response=list[AttendanceOut], url_name="api_party_attendance_list")
@paginate(Pagination)
def list_attendance(request: HttpRequest, filters: Query[AttendanceParams]) -> Any:  # type: ignore[valid-type]
    """Attendance of the cadres in the caller's scope."""
    return api_list(request, AttendanceFilterSet, lists.attendance_list(actor=api_user(request)))
