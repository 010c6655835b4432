"""One FilterSet per listed model of the economy: the page, the API's query parameters and the
export read the same filters, so a filter never exists in only one of them. A bad value is a
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
from zhenxing.economy.models import (
    CollectiveOrganization,
    Company,
    CompanyKind,
    ContractKind,
    DistributionPlan,
    LinkageContract,
    PlanStatus,
    SupportedVillage,
    SupportForm,
    SupportRecord,
    VillageIndustry,
    Voucher,
    VoucherStatus,
    YearFigures,
)


class CollectiveOrganizationFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("village__code")
    # 200: the bound the API documents for a text parameter (longer names simply match none).
    name = django_filters.CharFilter(lookup_expr="icontains", max_length=200, label=_("Name"))

    class Meta:
        model = CollectiveOrganization
        fields: list[str] = []


class VoucherFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("organization__village__code")
    organization = BoundedNumberFilter(field_name="organization_id", min_value=1)
    status = django_filters.ChoiceFilter(choices=VoucherStatus.choices)
    year = YearFilter()
    month = BoundedNumberFilter(min_value=1, max_value=12)

    class Meta:
        model = Voucher
        fields: list[str] = []


class YearFiguresFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("organization__village__code")
    year = YearFilter()

    class Meta:
        model = YearFigures
        fields: list[str] = []


class DistributionPlanFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("organization__village__code")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    year = YearFilter()

    class Meta:
        model = DistributionPlan
        fields: list[str] = []


class LinkageContractFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("organization__village__code")
    kind = django_filters.ChoiceFilter(choices=ContractKind.choices)
    company = BoundedNumberFilter(field_name="company_id", min_value=1)

    class Meta:
        model = LinkageContract
        fields: list[str] = []


class SupportedVillageFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("village__code")
    year = YearFilter()

    class Meta:
        model = SupportedVillage
        fields: list[str] = []


class SupportRecordFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("supported__village__code")
    supported = BoundedNumberFilter(field_name="supported_id", min_value=1)
    form = django_filters.ChoiceFilter(choices=SupportForm.choices)
    year = YearFilter(field_name="supported__year")

    class Meta:
        model = SupportRecord
        fields: list[str] = []


class VillageIndustryFilterSet(ScopedFilterSet):
    village = RegionCodeFilter("village__code")
    industry = BoundedNumberFilter(field_name="industry_id", min_value=1)
    year = YearFilter()

    class Meta:
        model = VillageIndustry
        fields: list[str] = []


class CompanyFilterSet(ScopedFilterSet):
    region = RegionCodeFilter("region__code")
    kind = django_filters.ChoiceFilter(choices=CompanyKind.choices)

    class Meta:
        model = Company
        fields: list[str] = []
