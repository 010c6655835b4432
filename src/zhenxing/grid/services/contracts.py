"""Writes to purchased-services contracts: sign one, allocate its money to grids and workers,
record spending. The contract row is locked while its allocations are summed, and the
allocation's row while its spending is, so two officers allocating at once can never together
pass the contract's amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from zhenxing.core.audit.services import audit_create
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.scoping import ensure_can_add_under, get_for_user
from zhenxing.grid.models import (
    ZERO,
    ContractAllocation,
    ContractSpending,
    Grid,
    GridWorkerPost,
    ServiceContract,
)

CENT = Decimal("0.01")


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except ArithmeticError:
        raise DomainError(_("Not an amount."), field=field) from None
    if amount <= 0:
        raise DomainError(_("An amount above zero."), field=field)
    return amount


def contract_create(
    *,
    actor: Any,
    buyer: Region,
    village: Region,
    number: str,
    amount: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    services: str,
    buyer_signatory: str,
    village_signatory: str,
    signed_on: dt.date,
) -> ServiceContract:
    """A contract by which ``buyer`` (the city or a township above ``village``) buys services
    from a village or community."""
    number = number.strip()
    with transaction.atomic():
        ensure_can_add_under(actor, ServiceContract, village)
        if village.kind not in VILLAGE_LEVEL:
            raise DomainError(
                _("Services are bought from a village or a community."), field="village"
            )
        if buyer.kind not in (
            RegionKind.COUNTY,
            RegionKind.TOWNSHIP,
        ) or not village.code.startswith(buyer.code):
            raise DomainError(
                _("The buyer is the city or the township the village belongs to."),
                field="buyer",
            )
        if not 1 <= len(number) <= 32:
            raise DomainError(_("A contract number has 1 to 32 characters."), field="number")
        if ServiceContract.objects.filter(number=number).exists():
            raise DomainError(
                _("The contract number %(number)s is already in use.") % {"number": number},
                field="number",
            )
        if ends_on < starts_on:
            raise DomainError(_("The contract ends after it starts."), field="ends_on")
        if (ends_on - starts_on).days > 3 * 366:
            raise DomainError(_("A contract runs at most three years."), field="ends_on")
        if not [line for line in services.splitlines() if line.strip()]:
            raise DomainError(_("List the services bought, one per line."), field="services")
        if not buyer_signatory.strip() or not village_signatory.strip():
            raise DomainError(_("Both parties' signatories are needed."), field="buyer_signatory")
        contract = ServiceContract(
            number=number,
            buyer=buyer,
            village=village,
            amount=_money(amount, "amount"),
            starts_on=starts_on,
            ends_on=ends_on,
            services=services.strip(),
            buyer_signatory=buyer_signatory.strip()[:64],
            village_signatory=village_signatory.strip()[:64],
            signed_on=signed_on,
        )
        contract.save()
        audit_create(actor=actor, obj=contract)
        return contract


def allocated_total(contract_id: int) -> Decimal:
    total = ContractAllocation.objects.filter(contract_id=contract_id).aggregate(s=Sum("amount"))
    return Decimal(total["s"] or ZERO)


def spent_total(allocation_id: int) -> Decimal:
    total = ContractSpending.objects.filter(allocation_id=allocation_id).aggregate(s=Sum("amount"))
    return Decimal(total["s"] or ZERO)


def allocation_add(
    *,
    actor: Any,
    contract: ServiceContract,
    grid: Grid,
    amount: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    worker: Any = None,
    note: str = "",
    basis: Any = None,
    needs_review: bool = False,
) -> ContractAllocation:
    """Allocate part of a contract's money to a grid (and its worker) for a period; all the
    allocations together never exceed the contract's amount."""
    amount = _money(amount, "amount")
    with transaction.atomic():
        contract = get_for_user(
            ServiceContract.objects.select_for_update(), actor, "view", pk=contract.pk
        )
        ensure_can_add_under(actor, ContractAllocation, contract.village)
        if grid.village_id != contract.village_id:
            raise DomainError(_("The grid is not in the contract's village."), field="grid")
        if (
            worker is not None
            and not GridWorkerPost.objects.filter(grid=grid, worker=worker).exists()
        ):
            raise DomainError(_("The worker does not work this grid."), field="worker")
        if not (contract.starts_on <= starts_on <= ends_on <= contract.ends_on):
            raise DomainError(
                _("The period lies within the contract's, %(start)s to %(end)s.")
                % {"start": contract.starts_on, "end": contract.ends_on},
                field="starts_on",
            )
        left = contract.amount - allocated_total(contract.pk)
        if amount > left:
            raise DomainError(
                _(
                    "Allocating ¥%(amount)s would exceed the contract: ¥%(left)s of "
                    "¥%(total)s is left."
                )
                % {"amount": amount, "left": left, "total": contract.amount},
                field="amount",
            )
        allocation = ContractAllocation.objects.create(
            contract=contract,
            grid=grid,
            worker=worker,
            starts_on=starts_on,
            ends_on=ends_on,
            amount=amount,
            note=note.strip()[:200],
            basis=basis,
            needs_review=needs_review,
        )
        audit_create(actor=actor, obj=allocation)
        return allocation


def spending_add(
    *,
    actor: Any,
    allocation: ContractAllocation,
    spent_on: dt.date,
    amount: Any,
    payee: str,
    purpose: str,
) -> ContractSpending:
    """Record money paid out of an allocation; the spending never exceeds the allocation."""
    amount = _money(amount, "amount")
    with transaction.atomic():
        allocation = get_for_user(
            ContractAllocation.objects.select_for_update().select_related("contract"),
            actor,
            "view",
            pk=allocation.pk,
        )
        ensure_can_add_under(actor, ContractSpending, allocation.contract.village)
        if not payee.strip() or not purpose.strip():
            raise DomainError(_("Say who was paid and what for."), field="payee")
        contract = allocation.contract
        if not contract.starts_on <= spent_on <= contract.ends_on:
            raise DomainError(_("The date lies within the contract's period."), field="spent_on")
        left = allocation.amount - spent_total(allocation.pk)
        if amount > left:
            raise DomainError(
                _(
                    "Spending ¥%(amount)s would exceed the allocation: ¥%(left)s of "
                    "¥%(total)s is left."
                )
                % {"amount": amount, "left": left, "total": allocation.amount},
                field="amount",
            )
        spending = ContractSpending.objects.create(
            allocation=allocation,
            spent_on=spent_on,
            amount=amount,
            payee=payee.strip()[:64],
            purpose=purpose.strip()[:200],
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_create(actor=actor, obj=spending)
        return spending
