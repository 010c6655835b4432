"""``/api/v1/economy/…``: the collective economy, read-only and scoped to the caller.

Each list comes from the same selector and FilterSet as its page (``filtersets.py``), so a
filter means the same everywhere and a bad value is a 400 naming it; lists are paginated with
bounded ``limit``/``offset``. Money is yuan as a decimal string with two places.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zhenxing.core.api import (
    ObjectId,
    Pagination,
    api_list,
    api_object,
    api_user,
    filter_params,
)
from zhenxing.core.errors import NotFound
from zhenxing.core.regions.models import Region
from zhenxing.economy.filtersets import (
    CollectiveOrganizationFilterSet,
    DistributionPlanFilterSet,
    LinkageContractFilterSet,
    SupportedVillageFilterSet,
    SupportRecordFilterSet,
    VoucherFilterSet,
    YearFiguresFilterSet,
)
from zhenxing.economy.models import (
    CollectiveOrganization,
    DistributionPlan,
    LinkageContract,
    SupportedVillage,
    SupportRecord,
    Voucher,
    VoucherLine,
    YearFigures,
)
from zhenxing.economy.rules.values import to_yuan
from zhenxing.economy.selectors import distribution as plan_selectors
from zhenxing.economy.selectors import entities as entity_selectors
from zhenxing.economy.selectors import figures as figure_selectors
from zhenxing.economy.selectors import support as support_selectors

router = Router(tags=["economy"])

OrganizationParams = filter_params(CollectiveOrganizationFilterSet)
VoucherParams = filter_params(VoucherFilterSet)
FiguresParams = filter_params(YearFiguresFilterSet)
PlanParams = filter_params(DistributionPlanFilterSet)
ContractParams = filter_params(LinkageContractFilterSet)
SupportedVillageParams = filter_params(SupportedVillageFilterSet)
SupportRecordParams = filter_params(SupportRecordFilterSet)


def _money(value: Any) -> str:
    return f"{Decimal(value):.2f}"


class EconomySummaryOut(Schema):
    """A region's collective economy at a year's end. Money: yuan as decimal strings."""

    region: str
    year: int
    villages: int
    cooperatives: int
    companies: int
    total_accumulation: str
    average_accumulation: str
    total_operating_income: str
    tiers: dict[str, int]
    targets: dict[str, Any]


@router.get("/summary", response=EconomySummaryOut)
def economy_summary(
    request: HttpRequest, region: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """Villages, cooperatives, companies, accumulation (total and average), operating income and
    the count per tier for the region's subtree at the end of ``year`` (money: yuan as decimal
    strings). ``region`` defaults to the caller's own, ``year`` to the latest year with books
    (as the dashboard)."""
    user = api_user(request)
    code = region or (user.region.code if getattr(user, "region", None) else "")
    if not code:
        raise NotFound()
    place = api_object(Region.objects.all(), request, code=code)
    summary = figure_selectors.economy_summary(
        region=place, year=year or figure_selectors.latest_year_with_books(region=place)
    )
    for key in ("total_accumulation", "average_accumulation", "total_operating_income"):
        summary[key] = _money(summary[key])
    targets = summary["targets"]
    for key in ("min_accumulation", "min_operating_income"):
        if key in targets:
            targets[key] = _money(targets[key])
    return summary


class CollectiveOrganizationOut(Schema):
    """A village's collective economic organisation."""

    id: int
    village: str
    village_name: str
    name: str
    uscc: str
    legal_representative: str
    registered_capital: str
    established_on: dt.date | None
    chart: str
    closed_through: int | None

    @staticmethod
    def resolve_village(obj: CollectiveOrganization) -> str:
        return obj.village.code

    @staticmethod
    def resolve_village_name(obj: CollectiveOrganization) -> str:
        return obj.village.name

    @staticmethod
    def resolve_registered_capital(obj: CollectiveOrganization) -> str:
        return _money(obj.registered_capital)


@router.get(
    "/organizations/", response=list[CollectiveOrganizationOut], url_name="api_organization_list"
)
@paginate(Pagination)
def list_organizations(request: HttpRequest, filters: Query[OrganizationParams]) -> Any:  # type: ignore[valid-type]
    """The collective economic organisations in the caller's scope."""
    queryset = entity_selectors.organization_list(actor=api_user(request))
    return api_list(request, CollectiveOrganizationFilterSet, queryset)


class VoucherLineOut(Schema):
    line_no: int
    account: str
    account_name: str
    summary: str
    debit: str
    credit: str

    @staticmethod
    def resolve_account(obj: VoucherLine) -> str:
        return obj.account.code

    @staticmethod
    def resolve_account_name(obj: VoucherLine) -> str:
        return obj.account.name

    @staticmethod
    def resolve_debit(obj: VoucherLine) -> str:
        return _money(obj.debit)

    @staticmethod
    def resolve_credit(obj: VoucherLine) -> str:
        return _money(obj.credit)


class VoucherOut(Schema):
    """A voucher with its lines (a draft awaiting approval, or posted)."""

    id: int
    organization: int
    village: str
    year: int
    month: int
    number: int
    date: dt.date
    summary: str
    status: str
    attachments: int
    reverses: int | None
    lines: list[VoucherLineOut]

    @staticmethod
    def resolve_organization(obj: Voucher) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_village(obj: Voucher) -> str:
        return obj.organization.village.code

    @staticmethod
    def resolve_reverses(obj: Voucher) -> int | None:
        return obj.reverses_id

    @staticmethod
    def resolve_lines(obj: Voucher) -> list[VoucherLine]:
        return list(obj.lines.all())


@router.get("/vouchers/", response=list[VoucherOut], url_name="api_voucher_list")
@paginate(Pagination)
def list_vouchers(request: HttpRequest, filters: Query[VoucherParams]) -> Any:  # type: ignore[valid-type]
    """The vouchers in the caller's scope, each with its lines."""
    queryset = entity_selectors.voucher_list(actor=api_user(request))
    return api_list(request, VoucherFilterSet, queryset)


@router.get("/vouchers/{voucher_id}", response=VoucherOut, url_name="api_voucher_detail")
def get_voucher(request: HttpRequest, voucher_id: ObjectId) -> Any:
    """One voucher with its lines (404 when missing or outside the caller's scope)."""
    return api_object(
        entity_selectors.voucher_list(actor=api_user(request)), request, pk=voucher_id
    )


@router.get(
    "/organizations/{organization_id}",
    response=CollectiveOrganizationOut,
    url_name="api_organization_detail",
)
def get_organization(request: HttpRequest, organization_id: ObjectId) -> Any:
    """One collective economic organisation (404 when missing or outside the caller's scope)."""
    return api_object(
        entity_selectors.organization_list(actor=api_user(request)), request, pk=organization_id
    )


class YearFiguresOut(Schema):
    """One organisation's figures for one year: the change in accumulation and the operating
    income (yuan)."""

    organization: int
    village: str
    year: int
    accumulation_change: str
    operating_income: str

    @staticmethod
    def resolve_organization(obj: YearFigures) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_village(obj: YearFigures) -> str:
        return obj.organization.village.code

    @staticmethod
    def resolve_accumulation_change(obj: YearFigures) -> str:
        return _money(to_yuan(obj.accumulation_change_fen))

    @staticmethod
    def resolve_operating_income(obj: YearFigures) -> str:
        return _money(to_yuan(obj.operating_income_fen))


@router.get("/figures/", response=list[YearFiguresOut], url_name="api_figures_list")
@paginate(Pagination)
def list_figures(request: HttpRequest, filters: Query[FiguresParams]) -> Any:  # type: ignore[valid-type]
    """The figures per village and year in the caller's scope."""
    queryset = entity_selectors.figures_list(actor=api_user(request))
    return api_list(request, YearFiguresFilterSet, queryset)


class DistributionPlanOut(Schema):
    """A year's income-distribution plan."""

    id: int
    organization: int
    village: str
    year: int
    status: str
    available: str
    reserve: str
    member_shares: str
    collective_shares: str
    dividend_per_share: str
    rejection_reason: str

    @staticmethod
    def resolve_organization(obj: DistributionPlan) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_village(obj: DistributionPlan) -> str:
        return obj.organization.village.code

    @staticmethod
    def resolve_available(obj: DistributionPlan) -> str:
        return _money(obj.available)

    @staticmethod
    def resolve_reserve(obj: DistributionPlan) -> str:
        return _money(obj.reserve)

    @staticmethod
    def resolve_member_shares(obj: DistributionPlan) -> str:
        return _money(obj.member_shares)

    @staticmethod
    def resolve_collective_shares(obj: DistributionPlan) -> str:
        return _money(obj.collective_shares)

    @staticmethod
    def resolve_dividend_per_share(obj: DistributionPlan) -> str:
        return _money(obj.dividend_per_share)


@router.get("/plans/", response=list[DistributionPlanOut], url_name="api_plan_list")
@paginate(Pagination)
def list_plans(request: HttpRequest, filters: Query[PlanParams]) -> Any:  # type: ignore[valid-type]
    """The distribution plans in the caller's scope (the page's list and filters)."""
    queryset = plan_selectors.plan_list(actor=api_user(request))
    return api_list(request, DistributionPlanFilterSet, queryset)


class LinkageContractOut(Schema):
    """A contract between a company and a village cooperative."""

    id: int
    company: int
    company_name: str
    organization: int
    village: str
    kind: str
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    amount: str
    guaranteed_price: str | None
    unit: str
    households: int

    @staticmethod
    def resolve_company(obj: LinkageContract) -> int:
        return obj.company_id

    @staticmethod
    def resolve_company_name(obj: LinkageContract) -> str:
        return obj.company.name

    @staticmethod
    def resolve_organization(obj: LinkageContract) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_village(obj: LinkageContract) -> str:
        return obj.organization.village.code

    @staticmethod
    def resolve_amount(obj: LinkageContract) -> str:
        return _money(obj.amount)

    @staticmethod
    def resolve_guaranteed_price(obj: LinkageContract) -> str | None:
        return None if obj.guaranteed_price is None else _money(obj.guaranteed_price)


@router.get("/contracts/", response=list[LinkageContractOut], url_name="api_contract_list")
@paginate(Pagination)
def list_contracts(request: HttpRequest, filters: Query[ContractParams]) -> Any:  # type: ignore[valid-type]
    """The company–cooperative contracts in the caller's scope."""
    queryset = entity_selectors.contract_list(actor=api_user(request))
    return api_list(request, LinkageContractFilterSet, queryset)


class SupportedVillageOut(Schema):
    """A key supported village of a year."""

    id: int
    village: str
    village_name: str
    year: int
    reason: str

    @staticmethod
    def resolve_village(obj: SupportedVillage) -> str:
        return obj.village.code

    @staticmethod
    def resolve_village_name(obj: SupportedVillage) -> str:
        return obj.village.name


@router.get(
    "/supported-villages/",
    response=list[SupportedVillageOut],
    url_name="api_supported_village_list",
)
@paginate(Pagination)
def list_supported_villages(request: HttpRequest, filters: Query[SupportedVillageParams]) -> Any:  # type: ignore[valid-type]
    """The key supported villages in the caller's scope."""
    queryset = support_selectors.supported_village_list(actor=api_user(request))
    return api_list(request, SupportedVillageFilterSet, queryset)


class SupportRecordOut(Schema):
    """Support given to a key supported village."""

    id: int
    supported: int
    village: str
    year: int
    form: str
    date: dt.date
    amount: str
    source: str
    description: str

    @staticmethod
    def resolve_supported(obj: SupportRecord) -> int:
        return obj.supported_id

    @staticmethod
    def resolve_village(obj: SupportRecord) -> str:
        return obj.supported.village.code

    @staticmethod
    def resolve_year(obj: SupportRecord) -> int:
        return obj.supported.year

    @staticmethod
    def resolve_amount(obj: SupportRecord) -> str:
        return _money(obj.amount)


@router.get(
    "/support-records/", response=list[SupportRecordOut], url_name="api_support_record_list"
)
@paginate(Pagination)
def list_support_records(request: HttpRequest, filters: Query[SupportRecordParams]) -> Any:  # type: ignore[valid-type]
    """The support records in the caller's scope."""
    queryset = support_selectors.support_record_list(actor=api_user(request))
    return api_list(request, SupportRecordFilterSet, queryset)
