"""One FilterSet per listed model of party building: the page, the API's query parameters and
the export read the same filters, so a filter never exists in only one of them. A bad value is a
400 naming its parameter (``core.web.filters``)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from zhenxing.core.web.filters import (
    BoundedNumberFilter,
    RegionCodeFilter,
    ScopedFilterSet,
    YearFilter,
)
from zhenxing.party.models import (
    Attendance,
    AttendanceResult,
    CadrePosition,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
    Post,
    ReserveTalent,
    SecretarySource,
    Stage,
    TalentProgress,
    TalentTrack,
    TrainingSession,
)


class PartyOrganizationFilterSet(ScopedFilterSet):
    region = RegionCodeFilter("region__code")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("kind"))
    name = django_filters.CharFilter(lookup_expr="icontains", max_length=64, label=_("name"))

    class Meta:
        model = PartyOrganization
        fields: list[str] = []


class PartyMemberFilterSet(ScopedFilterSet):
    region = RegionCodeFilter("organization__region__code")
    organization = BoundedNumberFilter(field_name="organization_id", label=_("party organisation"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))

    class Meta:
        model = PartyMember
        fields: list[str] = []


class CadrePositionFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("village__code")
    post = django_filters.ChoiceFilter(choices=Post.choices, label=_("post"))
    ended = django_filters.BooleanFilter(
        field_name="ended_on", lookup_expr="isnull", exclude=True, label=_("ended on")
    )

    class Meta:
        model = CadrePosition
        fields: list[str] = []


class ReserveTalentFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("village__code")
    track = django_filters.ChoiceFilter(choices=TalentTrack.choices, label=_("track"))
    source = django_filters.ChoiceFilter(choices=SecretarySource.choices, label=_("pool"))
    progress = django_filters.ChoiceFilter(choices=TalentProgress.choices, label=_("progress"))

    class Meta:
        model = ReserveTalent
        fields: list[str] = []


class TrainingSessionFilterSet(ScopedFilterSet):
    region = RegionCodeFilter("region__code")
    year = YearFilter(field_name="starts_on__year", label=_("year"))
    course = django_filters.CharFilter(field_name="course__code", max_length=16, label=_("course"))
    cancelled = django_filters.BooleanFilter(label=_("cancelled"))

    class Meta:
        model = TrainingSession
        fields: list[str] = []


class AttendanceFilterSet(ScopedFilterSet):
    session = BoundedNumberFilter(field_name="session_id", label=_("session"))
    village = RegionCodeFilter("position__village__code")
    result = django_filters.ChoiceFilter(choices=AttendanceResult.choices, label=_("result"))

    class Meta:
        model = Attendance
        fields: list[str] = []
