"""Converting an organisation's books to the current chart (新旧制度衔接, 财会〔2023〕20号):
validate → scope and permission → write → audit, in one transaction.

The old books' closing trial balance on 2023-12-31 (from the books here, or imported from
Excel when they were kept elsewhere) is assigned to the 2023 chart by the correspondence table;
where an old account splits the township officer gives each share. One opening voucher dated
2024-01-01 carries the balances: for books kept here it also empties the old accounts, so the
old chart stands at zero from that day. The organisation's chart changes from that date. The
conversion can be undone until the first posting in the new chart: the opening voucher is then
reversed (posted vouchers are never deleted) and the old chart comes back.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.services import audit_create, audit_update, snapshot
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.scoping import get_for_user
from zhenxing.economy.models import (
    Account,
    BalanceSource,
    ChartConversion,
    CollectiveOrganization,
    ConversionStatus,
    Voucher,
    VoucherKind,
    VoucherStatus,
)
from zhenxing.economy.rules.books import LineIn
from zhenxing.economy.rules.conversion import OldBalance, check_trial_balance
from zhenxing.economy.selectors.charts import chart_accounts
from zhenxing.economy.selectors.conversion import conversion_proposal, has_books
from zhenxing.economy.services.books import VoucherIn, vouchers_load

__all__ = ["chart_conversion_undo", "chart_convert"]

#: Old accounts in the opening voucher are keyed ``old:<code>`` (their codes collide with the
#: new chart's).
OLD = "old:"


def _line(key: str, debit_signed: decimal.Decimal) -> LineIn:
    return (
        LineIn(key, debit=debit_signed) if debit_signed > 0 else LineIn(key, credit=-debit_signed)
    )


def _opening_lines(
    balances: Sequence[OldBalance], opening: Mapping[str, decimal.Decimal], close_old: bool
) -> list[LineIn]:
    """The opening voucher's lines: each old balance emptied (books kept here), each new
    account opened."""
    lines = [_line(f"{OLD}{b.code}", -b.balance) for b in balances if close_old and b.balance]
    lines += [_line(code, amount) for code, amount in sorted(opening.items()) if amount]
    return lines


def _accounts(from_chart: str, to_chart: str) -> dict[str, Account]:
    accounts = chart_accounts(to_chart)
    accounts.update({f"{OLD}{c}": a for c, a in chart_accounts(from_chart).items()})
    return accounts


def _post_opening(
    actor: Any,
    conversion: ChartConversion,
    summary: str,
    lines: list[LineIn],
    from_chart: str,
    to_chart: str,
) -> int:
    """Post an opening voucher (or its reversal) on the conversion date, spanning both charts,
    by the converting officer (the bulk path: the books' rules, one audit entry)."""
    (voucher_id,) = vouchers_load(
        vouchers=[
            VoucherIn(
                conversion.organization_id,
                conversion.effective_on,
                summary,
                lines,
                kind=VoucherKind.OPENING,
                accounts=_accounts(from_chart, to_chart),
            )
        ],
        actor=actor,
        preparer_id=getattr(actor, "pk", None),
        approver_id=getattr(actor, "pk", None),
    )
    return voucher_id


def _new_chart_postings(organization: CollectiveOrganization, since: Any) -> bool:
    """Whether any voucher (posted or prepared) is dated on or after ``since``, apart from
    conversions' own opening vouchers."""
    return (
        Voucher.objects.filter(organization=organization, date__gte=since)
        .exclude(kind=VoucherKind.OPENING)
        .exists()
    )


def chart_convert(
    *,
    actor: Any,
    organization: CollectiveOrganization,
    shares: Mapping[tuple[str, str], decimal.Decimal] | None = None,
    balances: Sequence[OldBalance] | None = None,
) -> ChartConversion:
    """Convert the organisation's books to the current chart from the day it took effect.

    ``shares`` assigns the balances of old accounts that split ((old code, new code) →
    amount). ``balances`` is an imported closing trial balance, for an organisation whose old
    books were kept elsewhere; one that keeps its books here converts from them."""
    with transaction.atomic():
        organization = get_for_user(
            CollectiveOrganization.objects.select_for_update(), actor, pk=organization.pk
        )
        if not has_permission(actor, ChartConversion, "add"):
            raise Forbidden()
        kept_here = has_books(organization)
        if kept_here and balances is not None:
            raise DomainError(
                _(
                    "This organisation keeps its books here: the conversion takes the closing "
                    "balances from them, not from a file."
                ),
                code="books_here",
            )
        if not kept_here and balances is None:
            raise DomainError(
                _(
                    "This organisation has no books here: import its closing trial balance "
                    "(科目余额表) first."
                ),
                code="no_books",
            )
        proposal = conversion_proposal(organization, balances=balances, shares=shares)
        if proposal is None:
            raise DomainError(
                _("These books already follow the current chart."), code="current_chart"
            )
        check_trial_balance(proposal.balances)
        if Voucher.objects.filter(organization=organization, status=VoucherStatus.DRAFT).exists():
            raise DomainError(
                _("Post or discard the prepared vouchers before converting the books."),
                code="drafts_open",
            )
        if _new_chart_postings(organization, proposal.effective_on):
            raise DomainError(
                _(
                    "Vouchers dated from %(date)s are in the old chart: reverse them, convert, "
                    "then post them again in the new chart."
                )
                % {"date": proposal.effective_on},
                code="postings_after",
            )
        if not proposal.assignment.ok:
            raise DomainError(" ".join(proposal.assignment.problems), code="unassigned")
        conversion = ChartConversion(
            organization=organization,
            from_chart=proposal.from_chart.code,
            to_chart=proposal.to_chart.code,
            effective_on=proposal.effective_on,
            source=proposal.source,
            balances=[
                {"code": b.code, "name": b.name, "balance": str(b.balance)}
                for b in proposal.balances
            ],
            allocations=[
                {"old": a.old.code, "new": code, "amount": str(amount)}
                for a in proposal.assignment.balances
                for code, amount in sorted(a.amounts.items())
            ],
            converted_by=actor if getattr(actor, "pk", None) else None,
        )
        conversion.save()
        before = snapshot(organization)
        organization.chart = proposal.to_chart.code
        organization.save(update_fields=["chart"])
        audit_update(actor=actor, obj=organization, before=before)
        lines = _opening_lines(
            proposal.balances,
            proposal.assignment.opening,
            close_old=proposal.source == BalanceSource.BOOKS,
        )
        if lines:
            summary = _("Opening balances in %(chart)s (conversion from %(old)s)") % {
                "chart": proposal.to_chart.document,
                "old": proposal.from_chart.document,
            }
            conversion.voucher_id = _post_opening(
                actor, conversion, summary, lines, proposal.from_chart.code, proposal.to_chart.code
            )
            conversion.save(update_fields=["voucher"])
        audit_create(actor=actor, obj=conversion)
        return conversion


def chart_conversion_undo(*, actor: Any, conversion: ChartConversion) -> ChartConversion:
    """Undo a conversion until the first posting in the new chart: the opening voucher is
    reversed and the organisation's books follow the old chart again."""
    with transaction.atomic():
        conversion = get_for_user(
            ChartConversion.objects.select_for_update(of=("self",)).select_related("voucher"),
            actor,
            pk=conversion.pk,
        )
        if not has_permission(actor, ChartConversion, "add"):
            raise Forbidden()
        if conversion.status != ConversionStatus.EFFECTIVE:
            raise DomainError(_("This conversion was already undone."), code="undone")
        organization = CollectiveOrganization.objects.select_for_update().get(
            pk=conversion.organization_id
        )
        if _new_chart_postings(organization, conversion.effective_on):
            raise DomainError(
                _(
                    "The books have postings in the new chart since %(date)s: a conversion is "
                    "undone only until the first of them."
                )
                % {"date": conversion.effective_on},
                code="posted_since",
            )
        before = snapshot(conversion)
        original = conversion.voucher
        if original is not None:
            accounts = _accounts(conversion.from_chart, conversion.to_chart)
            keys = {a.pk: k for k, a in accounts.items()}
            # The same lines on the other side: the old accounts get their balances back.
            lines = [
                LineIn(keys[line.account_id], debit=line.credit, credit=line.debit)
                for line in original.lines.order_by("line_no")
            ]
            summary = (_("Reverses %(voucher)s") % {"voucher": original})[:128]
            reversal_id = _post_opening(
                actor, conversion, summary, lines, conversion.from_chart, conversion.to_chart
            )
            Voucher.objects.filter(pk=reversal_id).update(reverses=original)
            conversion.reversal_id = reversal_id
        conversion.status = ConversionStatus.UNDONE
        conversion.undone_by = actor if getattr(actor, "pk", None) else None
        conversion.undone_at = timezone.now()
        conversion.save()
        org_before = snapshot(organization)
        organization.chart = conversion.from_chart
        organization.save(update_fields=["chart"])
        audit_update(actor=actor, obj=organization, before=org_before)
        audit_update(actor=actor, obj=conversion, before=before)
        return conversion
