"""Writes to the collective economy's books: validate → scope check → write → audit, each in
one transaction.

A voucher is prepared (a draft, which its preparer may still discard) and then posted by a
different person, the approver. Posting adds its lines to the summary tables in the same
transaction. A posted voucher is never edited or deleted; ``voucher_reverse`` prepares its
red-ink reversal. Months close in order (``period_close``) and a closed month refuses postings.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import (
    audit_create,
    audit_record,
    audit_rows,
    audit_update,
    snapshot,
)
from zhenxing.core.bulk import BulkInsert
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.scoping import get_for_user
from zhenxing.economy.models import (
    RESULT_CATEGORIES,
    Account,
    AccountRole,
    ChartConversion,
    CollectiveOrganization,
    Voucher,
    VoucherAttachment,
    VoucherKind,
    VoucherLine,
    VoucherStatus,
)
from zhenxing.economy.rules.books import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    BoundLine,
    LineIn,
    check_attachment_count,
    check_attachment_file,
    check_chart_in_force,
    check_close_order,
    check_lines,
    check_not_before_conversion,
    check_not_preparer,
    check_open_month,
    check_summary,
    voucher_kind,
)
from zhenxing.economy.selectors.books import year_turnover
from zhenxing.economy.selectors.charts import (
    chart_accounts,
    chart_get,
    chart_on,
    conversion_in_effect,
    role_account,
)
from zhenxing.economy.services import summaries

__all__ = [
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "LineIn",
    "VoucherIn",
    "carry_forward",
    "period_close",
    "voucher_attach",
    "voucher_discard",
    "voucher_post",
    "voucher_prepare",
    "voucher_reverse",
    "vouchers_load",
    "vouchers_post_drafts",
]


@dataclass(frozen=True)
class Bound:
    """A voucher's lines checked against the chart that governs its date, and its kind."""

    lines: list[BoundLine]
    kind: str


def _bind(
    organization: CollectiveOrganization,
    lines: Sequence[LineIn],
    date: dt.date,
    *,
    reversal: bool = False,
    conversion: ChartConversion | None = None,
    kind: str | None = None,
    accounts: dict[str, Account] | None = None,
) -> Bound:
    """The lines checked against the chart in force on ``date`` (``rules.books``): the 2004
    chart ends with 2023, and converted books refuse postings before their conversion."""
    if conversion is not None and kind != VoucherKind.OPENING:
        check_not_before_conversion(conversion.effective_on, date)
    chart = chart_on(organization, date, conversion)
    info = chart_get(chart)
    if info is not None:
        check_chart_in_force(info, date)
    bound = check_lines(lines, accounts or chart_accounts(chart), reversal=reversal)
    return Bound(bound, kind or voucher_kind(bound, role_account(chart, AccountRole.YEAR_RESULT)))


def _lock(organization: CollectiveOrganization) -> CollectiveOrganization:
    """Postings to one organisation's books run one at a time (numbers, closing, summaries)."""
    return CollectiveOrganization.objects.select_for_update().get(pk=organization.pk)


def _refuse_closed(organization: CollectiveOrganization, date: dt.date) -> None:
    check_open_month(organization.closed_through, date)


def _add_to_summaries(organization: CollectiveOrganization, voucher_ids: list[int]) -> None:
    """Add the lines of vouchers being posted to the summary tables (one query for the lines)."""
    lines = VoucherLine.objects.filter(voucher_id__in=voucher_ids).values_list(
        "voucher__year", "voucher__month", "account_id", "debit", "credit", "voucher__kind"
    )
    summaries.apply_lines(
        (
            organization.pk,
            a,
            y,
            m,
            summaries.to_fen(d),
            summaries.to_fen(c),
            kind != VoucherKind.ORDINARY,
        )
        for y, m, a, d, c, kind in lines
    )


def _next_number(organization: CollectiveOrganization, year: int, month: int) -> int:
    last = Voucher.objects.filter(organization=organization, year=year, month=month).aggregate(
        n=Max("number")
    )["n"]
    return (last or 0) + 1


def voucher_prepare(
    *,
    actor: Any,
    organization: CollectiveOrganization,
    date: dt.date,
    summary: str,
    lines: Sequence[LineIn],
    attachments: int = 0,
    reverses: Voucher | None = None,
    kind: str | None = None,
    accounts: dict[str, Account] | None = None,
) -> Voucher:
    """Prepare a voucher (a draft awaiting approval) in an open month. Its kind follows from
    its lines (a carry-forward is recognised) unless the caller says (an opening voucher);
    ``accounts`` replaces the chart's accounts by code for a voucher that spans two charts
    (the conversion's opening voucher)."""
    summary = check_summary(summary)
    attachments = check_attachment_count(attachments)
    with transaction.atomic():
        organization = get_for_user(CollectiveOrganization.objects.all(), actor, pk=organization.pk)
        if not has_permission(actor, Voucher, "add"):
            raise Forbidden()
        organization = _lock(organization)
        _refuse_closed(organization, date)
        checked = _bind(
            organization,
            lines,
            date,
            reversal=reverses is not None,
            conversion=conversion_in_effect(organization),
            kind=kind,
            accounts=accounts,
        )
        bound = checked.lines
        voucher = Voucher(
            organization=organization,
            year=date.year,
            month=date.month,
            number=_next_number(organization, date.year, date.month),
            date=date,
            summary=summary,
            kind=checked.kind,
            attachments=attachments,
            preparer=actor if getattr(actor, "pk", None) else None,
            reverses=reverses,
        )
        voucher.save()
        VoucherLine.objects.bulk_create(
            VoucherLine(
                voucher=voucher,
                county_code=voucher.county_code,
                line_no=i,
                account=a,
                debit=d,
                credit=c,
                summary=s or summary,
            )
            for i, (a, d, c, s) in enumerate(bound, start=1)
        )
        # The lines are written with the voucher and never change: its entry records them.
        changes = {k: [None, v] for k, v in snapshot(voucher).items() if v not in (None, "")}
        changes["lines"] = [None, [[a.code, str(d), str(c)] for a, d, c, _s in bound]]
        audit_record(actor=actor, action=AuditAction.CREATE, obj=voucher, changes=changes)
        return voucher


def voucher_post(*, actor: Any, voucher: Voucher) -> Voucher:
    """Approve and post a prepared voucher: its lines reach the books and the figures."""
    with transaction.atomic():
        voucher = get_for_user(Voucher.objects.select_related("organization"), actor, pk=voucher.pk)
        if not has_permission(actor, Voucher, "approve"):
            raise Forbidden()
        organization = _lock(voucher.organization)
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.status != VoucherStatus.DRAFT:
            raise DomainError(_("This voucher is already posted."), code="posted")
        check_not_preparer(voucher.preparer_id, actor)
        _refuse_closed(organization, voucher.date)
        before = snapshot(voucher)
        _add_to_summaries(organization, [voucher.pk])
        voucher.status = VoucherStatus.POSTED
        voucher.approver = actor
        voucher.posted_at = timezone.now()
        voucher.save(update_fields=["status", "approver", "posted_at"])
        audit_update(actor=actor, obj=voucher, before=before)
        return voucher


def voucher_discard(*, actor: Any, voucher: Voucher) -> None:
    """Its preparer (or an approver) throws away a draft; a posted voucher stays forever."""
    with transaction.atomic():
        voucher = get_for_user(Voucher.objects.select_for_update(), actor, pk=voucher.pk)
        if voucher.status != VoucherStatus.DRAFT:
            raise DomainError(
                _("A posted voucher is never deleted: reverse it instead."), code="posted"
            )
        mine = voucher.preparer_id == getattr(actor, "pk", None)
        if not (mine or has_permission(actor, Voucher, "approve")):
            raise Forbidden()
        audit_record(
            actor=actor, action=AuditAction.DELETE, obj=voucher, changes={"status": ["draft", None]}
        )
        voucher.delete()


def voucher_reverse(
    *, actor: Any, voucher: Voucher, date: dt.date | None = None, reason: str = ""
) -> Voucher:
    """Prepare the red-ink reversal of a posted voucher: the same lines, amounts negated."""
    with transaction.atomic():
        original = get_for_user(Voucher.objects.all(), actor, pk=voucher.pk)
        if original.status != VoucherStatus.POSTED:
            raise DomainError(_("Only a posted voucher is reversed; discard a draft."))
        if original.reverses_id is not None:
            raise DomainError(_("A reversing voucher is not itself reversed."))
        if original.kind == VoucherKind.OPENING:
            raise DomainError(
                _("An opening voucher is undone with its chart conversion, not reversed."),
                code="opening",
            )
        if Voucher.objects.filter(reverses=original).exists():
            raise DomainError(_("This voucher has already been reversed."), code="reversed")
        lines = [
            LineIn(
                account=line.account.code,
                debit=-line.debit,
                credit=-line.credit,
                summary=line.summary,
            )
            for line in original.lines.select_related("account")
        ]
        text = _("Reverses %(voucher)s") % {"voucher": f"{original}"}
        if reason.strip():
            text = f"{text}: {reason.strip()}"
        return voucher_prepare(
            actor=actor,
            organization=original.organization,
            date=date or timezone.localdate(),
            summary=text[:128],
            lines=lines,
            reverses=original,
            kind=original.kind,
        )


def period_close(
    *, actor: Any, organization: CollectiveOrganization, year: int, month: int
) -> None:
    """Close a month: from then on it refuses postings. Months close in order, without drafts."""
    with transaction.atomic():
        organization = get_for_user(CollectiveOrganization.objects.all(), actor, pk=organization.pk)
        if not has_permission(actor, Voucher, "approve"):
            raise Forbidden()
        organization = _lock(organization)
        period = check_close_order(organization.closed_through, year, month)
        drafts = Voucher.objects.filter(
            Q(year__lt=year) | Q(year=year, month__lte=month),
            organization=organization,
            status=VoucherStatus.DRAFT,
        )
        if drafts.exists():
            raise DomainError(
                _("Post or discard the month's prepared vouchers before closing it."),
                code="drafts_open",
            )
        before = snapshot(organization)
        organization.closed_through = period
        organization.save(update_fields=["closed_through"])
        audit_update(actor=actor, obj=organization, before=before)


def carry_forward(*, actor: Any, organization: CollectiveOrganization, year: int) -> Voucher:
    """Prepare the year-end carry-forward (结转本年收益): every income and expense account's
    balance for the year into the chart's year-result account (本年收益)."""
    organization = get_for_user(CollectiveOrganization.objects.all(), actor, pk=organization.pk)
    chart = chart_on(organization, dt.date(year, 12, 31))
    year_result = role_account(chart, AccountRole.YEAR_RESULT)
    lines: list[LineIn] = []
    zero = result = decimal.Decimal(0)
    for account, (debit, credit) in sorted(
        year_turnover(organization, year).items(), key=lambda item: item[0].code
    ):
        if account.category not in RESULT_CATEGORIES or debit == credit:
            continue
        net = credit - debit  # income accounts are emptied by a debit, expenses by a credit
        lines.append(
            LineIn(
                account=account.code,
                debit=net if net > 0 else zero,
                credit=-net if net < 0 else zero,
            )
        )
        result += net
    if not lines:
        raise DomainError(_("Nothing to carry forward for %(year)d.") % {"year": year})
    # The year's result lands in 本年收益; the distribution plan takes it on to 收益分配.
    if result:
        lines.append(
            LineIn(
                year_result.code,
                debit=-result if result < 0 else zero,
                credit=result if result > 0 else zero,
            )
        )
    return voucher_prepare(
        actor=actor,
        organization=organization,
        date=dt.date(year, 12, 31),
        summary=_("Carry forward the result of %(year)d") % {"year": year},
        lines=lines,
        kind=VoucherKind.CARRY_FORWARD,
    )


@dataclass(frozen=True)
class VoucherIn:
    """A voucher brought in as a whole (an import, the demo)."""

    organization_id: int
    date: dt.date
    summary: str
    lines: Sequence[LineIn]
    attachments: int = 0
    # Set by the chart conversion: an opening voucher, whose lines span two charts (keys of
    # ``accounts`` stand for the codes in ``lines``).
    kind: str | None = None
    accounts: dict[str, Account] | None = None


def vouchers_load(
    *,
    vouchers: Sequence[VoucherIn],
    actor: Any,
    preparer_id: int | None = None,
    approver_id: int | None = None,
    status: str = VoucherStatus.POSTED,
) -> list[int]:
    """Many vouchers at once, all or none, with one INSERT per table: for the voucher import
    (drafts, for another person to approve) and loaders run by the operator (the demo, posted).
    The rules of ``voucher_prepare`` (balance, known accounts, open months) for each; errors
    name the voucher by its place in ``vouchers`` (1-based)."""
    posting = status == VoucherStatus.POSTED

    with transaction.atomic():
        ids = sorted({v.organization_id for v in vouchers})
        organizations = {
            o.pk: o
            for o in CollectiveOrganization.objects.select_for_update()
            .filter(pk__in=ids)
            .select_related("village")
        }
        conversions = {
            c.organization_id: c
            for c in ChartConversion.objects.filter(organization_id__in=ids, status="effective")
        }
        numbers: dict[tuple[int, int, int], int] = {
            (o, y, m): n
            for o, y, m, n in Voucher.objects.filter(organization_id__in=ids)
            .values_list("organization_id", "year", "month")
            .annotate(n=Max("number"))
            .order_by()
        }
        checked = []
        for place, v in enumerate(vouchers, start=1):
            org = organizations.get(v.organization_id)
            try:
                if org is None:
                    raise NotFound()
                _refuse_closed(org, v.date)
                summary = check_summary((v.summary or "").strip()[:128])
                checked_lines = _bind(
                    org,
                    v.lines,
                    v.date,
                    conversion=conversions.get(org.pk),
                    kind=v.kind,
                    accounts=v.accounts,
                )
            except DomainError as exc:
                raise DomainError(
                    _("Voucher %(place)d: %(error)s") % {"place": place, "error": exc.message},
                    code=exc.code,
                    field=exc.field,
                ) from exc
            key = (org.pk, v.date.year, v.date.month)
            numbers[key] = numbers.get(key, 0) + 1
            checked.append((org, v, summary, numbers[key], checked_lines))
        now = timezone.now()
        insert = BulkInsert(
            Voucher,
            [
                "county_code",
                "organization",
                "year",
                "month",
                "number",
                "date",
                "summary",
                "status",
                "kind",
                "attachments",
                "preparer",
                "approver",
                "posted_at",
                "created_at",
            ],
        )
        pks = insert.write_returning_ids(
            [
                (
                    org.county_code,
                    org.pk,
                    v.date.year,
                    v.date.month,
                    number,
                    v.date,
                    summary,
                    str(status),
                    b.kind,
                    v.attachments,
                    preparer_id,
                    approver_id if posting else None,
                    now if posting else None,
                    now,
                )
                for org, v, summary, number, b in checked
            ]
        )
        line_rows = []
        posted: list[summaries.PostedLine] = []
        for pk, (org, v, summary, _n, b) in zip(pks, checked, strict=True):
            for i, (account, debit, credit, text) in enumerate(b.lines, start=1):
                line_rows.append(
                    (org.county_code, pk, i, account.pk, text or summary, debit, credit)
                )
                posted.append(
                    (
                        org.pk,
                        account.pk,
                        v.date.year,
                        v.date.month,
                        summaries.to_fen(debit),
                        summaries.to_fen(credit),
                        b.kind != VoucherKind.ORDINARY,
                    )
                )
        BulkInsert(
            VoucherLine,
            ["county_code", "voucher", "line_no", "account", "summary", "debit", "credit"],
        ).write(line_rows)
        if posting:
            summaries.apply_lines(posted)
        audit_rows(
            actor=actor,
            model=Voucher,
            items=(
                (
                    AuditAction.CREATE,
                    pk,
                    f"{v.date.year}-{v.date.month:02d} 记{number}",
                    org.village.code,
                    {
                        "summary": [None, summary],
                        "status": [None, str(status)],
                        # How many lines (a file's worth of books: their amounts are the
                        # ledger's own, never edited, so the count is what the entry adds).
                        "lines": [None, len(b.lines)],
                    },
                )
                for pk, (org, v, summary, number, b) in zip(pks, checked, strict=True)
            ),
        )
        return pks


def vouchers_post_drafts(*, actor: Any, organization: CollectiveOrganization) -> int:
    """Approve and post, at once, every draft of an organisation that ``actor`` did not prepare
    (an imported month of books, say); the rules of ``voucher_post`` for each. Returns how many
    were posted."""
    with transaction.atomic():
        organization = get_for_user(CollectiveOrganization.objects.all(), actor, pk=organization.pk)
        if not has_permission(actor, Voucher, "approve"):
            raise Forbidden()
        organization = _lock(organization)
        drafts = list(
            Voucher.objects.filter(organization=organization, status=VoucherStatus.DRAFT)
            .exclude(preparer_id=getattr(actor, "pk", None))
            .order_by("date", "number")
        )
        for voucher in drafts:
            _refuse_closed(organization, voucher.date)
        _add_to_summaries(organization, [v.pk for v in drafts])
        now = timezone.now()
        code = organization.village.code
        Voucher.objects.filter(pk__in=[v.pk for v in drafts]).update(
            status=VoucherStatus.POSTED, approver=actor, posted_at=now
        )
        audit_rows(
            actor=actor,
            model=Voucher,
            items=(
                (
                    AuditAction.UPDATE,
                    v.pk,
                    str(v),
                    code,
                    {"status": [VoucherStatus.DRAFT.value, VoucherStatus.POSTED.value]},
                )
                for v in drafts
            ),
        )
        return len(drafts)


def voucher_attach(*, actor: Any, voucher: Voucher, upload: Any) -> Any:
    """Attach a scanned document to a voucher that is still a draft (posted ones never change)."""
    head = upload.read(8)
    upload.seek(0)
    name = check_attachment_file(str(getattr(upload, "name", "") or ""), upload.size, head)
    with transaction.atomic():
        voucher = get_for_user(Voucher.objects.select_for_update(), actor, pk=voucher.pk)
        if not (has_permission(actor, Voucher, "add") or has_permission(actor, Voucher, "approve")):
            raise Forbidden()
        if voucher.status != VoucherStatus.DRAFT:
            raise DomainError(
                _("A posted voucher does not change: attach documents before approval."),
                code="posted",
            )
        attachment = VoucherAttachment(
            voucher=voucher,
            name=name,
            size=upload.size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit_create(actor=actor, obj=attachment)
        return attachment
