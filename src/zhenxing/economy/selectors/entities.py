"""Reads of the economy's entities (organisations, companies, contracts), of the regions its
forms name, and of the uploads that brought books in; scoped to the reader. Other apps (party)
read organisations, companies and industries through these."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import get_for_user, subtree_q
from zhenxing.economy.models import (
    CollectiveOrganization,
    Company,
    DistributionPlan,
    Industry,
    LinkageContract,
    Voucher,
    VoucherLine,
    VoucherStatus,
    YearFigures,
)
from zhenxing.economy.rules.values import to_yuan


def organization_list(
    *, actor: Any, region: Region | None = None
) -> QuerySet[CollectiveOrganization]:
    """The collective economic organisations in the reader's scope (under ``region``)."""
    qs = CollectiveOrganization.objects.visible_to(actor).select_related("village__parent")
    if region is not None:
        qs = qs.filter(subtree_q(region.code, "village__code"))
    return qs.order_by("village__code")


def organization_of_village(*, actor: Any, village: Region) -> CollectiveOrganization | None:
    """A village's organisation, if the reader may see it."""
    return CollectiveOrganization.objects.visible_to(actor).filter(village=village).first()


def company_list(*, actor: Any) -> QuerySet[Company]:
    """The companies in the reader's scope, with the villages they serve."""
    return (
        Company.objects.visible_to(actor)
        .select_related("region")
        .prefetch_related("villages")
        .order_by("region__code", "name", "pk")
    )


def industry_list() -> QuerySet[Industry]:
    """The industry catalogue (not scoped: the same for everyone)."""
    return Industry.objects.all()


def contract_list(*, actor: Any) -> QuerySet[LinkageContract]:
    """The company–cooperative contracts in the reader's scope."""
    return (
        LinkageContract.objects.visible_to(actor)
        .select_related("company", "organization__village")
        .order_by("-signed_on", "-pk")
    )


def region_in_scope(*, actor: Any, code: str) -> Region | None:
    """A region by its division code, if it is in the reader's scope."""
    return Region.objects.visible_to(actor).filter(code=(code or "").strip()).first()


def regions_in_scope(*, actor: Any, codes: list[str]) -> list[Region]:
    """The regions with these codes that are in the reader's scope."""
    return list(Region.objects.visible_to(actor).filter(code__in=codes))


def organization_years(organization: CollectiveOrganization) -> list[dict[str, Any]]:
    """An organisation's accumulation at each year's end and the year's operating income,
    latest year first."""
    years = []
    running = 0
    for f in YearFigures.objects.filter(organization=organization).order_by("year"):
        running += f.accumulation_change_fen
        years.append(
            {
                "year": f.year,
                "accumulation": to_yuan(running),
                "operating_income": to_yuan(f.operating_income_fen),
            }
        )
    return list(reversed(years))


def organization_vouchers(organization: CollectiveOrganization) -> QuerySet[Voucher]:
    """An organisation's vouchers with their preparer and approver."""
    return Voucher.objects.filter(organization=organization).select_related("preparer", "approver")


def organization_drafts(organization: CollectiveOrganization) -> QuerySet[Voucher]:
    """The vouchers prepared and awaiting approval, in date order."""
    return (
        organization_vouchers(organization)
        .filter(status=VoucherStatus.DRAFT)
        .order_by("date", "number")
    )


def organization_recent(organization: CollectiveOrganization, count: int = 20) -> QuerySet[Voucher]:
    """The latest posted vouchers in date order, newest first (by voucher number within a
    day). Not by when they were posted: an import or a month's batch posts them in any order,
    and the list read as shuffled."""
    return (
        organization_vouchers(organization)
        .filter(status=VoucherStatus.POSTED)
        .order_by("-date", "-year", "-month", "-number", "-pk")[:count]
    )


def organization_plans(organization: CollectiveOrganization, count: int = 10) -> QuerySet[Any]:
    """An organisation's latest distribution plans."""
    return DistributionPlan.objects.filter(organization=organization).order_by("-year", "-pk")[
        :count
    ]


def voucher_list(*, actor: Any) -> QuerySet[Voucher]:
    """The vouchers in the reader's scope with their lines and accounts (three queries for a
    page, whatever its size)."""
    return (
        Voucher.objects.visible_to(actor)
        .select_related("organization__village")
        .prefetch_related(Prefetch("lines", queryset=VoucherLine.objects.select_related("account")))
        .order_by("organization__village__code", "year", "month", "number", "pk")
    )


def figures_list(*, actor: Any) -> QuerySet[YearFigures]:
    """Each organisation's figures per year in the reader's scope, by village and year."""
    return (
        YearFigures.objects.visible_to(actor)
        .select_related("organization__village")
        .order_by("organization__village__code", "year", "pk")
    )


# ---- for other apps (party), which may not read economy models ------------------------------


def organization_get(*, actor: Any, pk: int) -> CollectiveOrganization:
    """One organisation in the reader's scope (``NotFound`` otherwise, as for a missing one)."""
    return get_for_user(CollectiveOrganization.objects.select_related("village"), actor, pk=pk)


def company_get(*, actor: Any, pk: int) -> Company:
    """One company in the reader's scope (``NotFound`` otherwise)."""
    return get_for_user(Company.objects.select_related("region"), actor, pk=pk)


def company_none() -> QuerySet[Company]:
    """No companies: a form's choices before the view narrows them to the reader's scope."""
    return Company.objects.none()


def industry_by_name(name: str) -> Industry | None:
    """An industry of the catalogue by its name."""
    return Industry.objects.filter(name=name).first()


def all_organizations() -> QuerySet[CollectiveOrganization]:
    """Every organisation, unscoped: for the operator's loaders (the demo) only."""
    return CollectiveOrganization.objects.order_by("pk")


def all_companies() -> QuerySet[Company]:
    """Every company with its region and villages, unscoped: for the operator's loaders only."""
    return Company.objects.select_related("region").prefetch_related("villages").order_by("pk")


def units_under(*, region: Region, kind: str, ids: Any) -> QuerySet[Any]:
    """Organisations (``kind="cooperative"``) or companies (``"company"``) under ``region``
    among ``ids``: for the party's "units with members and no party organisation" count. The
    caller has checked ``region`` is in the reader's scope."""
    if kind == "cooperative":
        return CollectiveOrganization.objects.filter(
            subtree_q(region.code, "village__code"), pk__in=ids
        )
    return Company.objects.filter(subtree_q(region.code, "region__code"), pk__in=ids)
