"""Writes for the collective economy's entities: village organisations, companies and the
benefit-linkage contracts between them (公司+合作社+农户). Validate → scope check → write →
audit, each in one transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_create, audit_record, snapshot
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import ensure_can_add_under, get_for_user
from zhenxing.economy.models import (
    CollectiveOrganization,
    Company,
    LinkageContract,
)
from zhenxing.economy.rules.entities import check_contract
from zhenxing.economy.rules.values import check_amount, check_count, check_name, check_uscc
from zhenxing.economy.selectors.charts import chart_get, chart_list


def organization_create(
    *,
    actor: Any,
    village: Region,
    name: str,
    uscc: str = "",
    legal_representative: str = "",
    registered_capital: decimal.Decimal | int = 0,
    established_on: dt.date | None = None,
    chart: str | None = None,
) -> CollectiveOrganization:
    """Register a village's collective economic organisation (one per village). Its books
    follow the current chart unless ``chart`` names the one they were kept under (old books
    brought here, converted later)."""
    with transaction.atomic():
        ensure_can_add_under(actor, CollectiveOrganization, village)
        if village.kind not in VILLAGE_LEVEL:
            raise DomainError(_("A collective economic organisation belongs to a village."))
        if CollectiveOrganization.objects.filter(village=village).exists():
            raise DomainError(
                _("This village already has its collective economic organisation."),
                field="village",
            )
        name = check_name(name)
        if chart is not None and chart_get(chart) is None:
            raise DomainError(_("There is no such chart of accounts."), field="chart")
        organization = CollectiveOrganization(
            village=village,
            name=name,
            chart=chart or chart_list()[0].code,
            uscc=check_uscc(uscc) if uscc else "",
            legal_representative=legal_representative.strip()[:32],
            registered_capital=check_amount(registered_capital, "registered_capital"),
            established_on=established_on,
        )
        organization.save()
        audit_create(actor=actor, obj=organization)
        return organization


def company_create(
    *,
    actor: Any,
    region: Region,
    name: str,
    kind: str,
    uscc: str,
    legal_representative: str,
    registered_capital: decimal.Decimal | int = 0,
    industries: str = "",
    villages: Sequence[Region] = (),
) -> Company:
    """Register a company and the villages it serves."""
    with transaction.atomic():
        ensure_can_add_under(actor, Company, region)
        code = check_uscc(uscc)
        if Company.objects.filter(uscc=code).exists():
            raise DomainError(_("A company with this credit code is registered."), field="uscc")
        name = check_name(name)
        company = Company(
            region=region,
            name=name,
            kind=kind,
            uscc=code,
            legal_representative=legal_representative.strip()[:32],
            registered_capital=check_amount(registered_capital, "registered_capital"),
            industries=industries.strip()[:128],
        )
        company.full_clean(exclude=["villages"])
        company.save()
        company.villages.set(villages)
        changes = {k: [None, v] for k, v in snapshot(company).items() if v not in (None, "")}
        if villages:
            changes["villages"] = [None, sorted(v.code for v in villages)]
        audit_record(actor=actor, action=AuditAction.CREATE, obj=company, changes=changes)
        return company


def contract_create(
    *,
    actor: Any,
    company: Company,
    organization: CollectiveOrganization,
    kind: str,
    signed_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
    amount: Any,
    guaranteed_price: Any = None,
    unit: str = "",
    households: int = 0,
    terms: str = "",
) -> LinkageContract:
    """Record a contract between a company and a village cooperative."""
    with transaction.atomic():
        organization = get_for_user(CollectiveOrganization.objects.all(), actor, pk=organization.pk)
        company = get_for_user(Company.objects.all(), actor, pk=company.pk)
        if not has_permission(actor, LinkageContract, "add"):
            raise Forbidden()
        check_contract(
            kind=kind,
            signed_on=signed_on,
            starts_on=starts_on,
            ends_on=ends_on,
            guaranteed_price=guaranteed_price,
        )
        households = check_count(households, "households")
        contract = LinkageContract(
            company=company,
            organization=organization,
            kind=kind,
            signed_on=signed_on,
            starts_on=starts_on,
            ends_on=ends_on,
            amount=check_amount(amount, "amount"),
            guaranteed_price=(
                None
                if guaranteed_price in (None, "")
                else check_amount(guaranteed_price, "guaranteed_price")
            ),
            unit=unit.strip()[:16],
            households=households,
            terms=terms.strip(),
        )
        contract.save()
        audit_create(actor=actor, obj=contract)
        return contract
