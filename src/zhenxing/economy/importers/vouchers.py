"""Vouchers from Excel: a village's books as cadres keep them, one line per row.

Rows with the same village code and voucher number make one voucher (its date and summary from
its first row). Every row and every voucher is checked first: unknown villages or accounts, a
line with both or neither amount, lines of one voucher on different dates, a voucher that does
not balance, a date in a closed month. One problem anywhere and nothing is written; otherwise
the vouchers arrive as drafts prepared by the uploader, in one transaction, for another person
to approve ("Approve all" on the organisation's page), as for vouchers entered by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.context import ensure_audit_context
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.economy.models import Account, CollectiveOrganization, Voucher, VoucherStatus
from zhenxing.economy.rules.books import LineIn, check_lines, check_open_month, one_side
from zhenxing.economy.services.books import VoucherIn, vouchers_load
from zhenxing.io.specs import (
    Field,
    ImportOutcome,
    ImportSpec,
    ParsedRow,
    RowError,
    column_names,
    decimal_parser,
    keep_head,
    parse_date,
    parse_int,
)

Progress = Callable[[str, int], None]


def voucher_spec() -> ImportSpec:
    money = decimal_parser(2)
    return ImportSpec(
        name="vouchers",
        title=gettext_lazy("Vouchers"),
        # io's shared pages read these: who may upload, what the page says, what it counts.
        model="economy.voucher",
        upload_title=gettext_lazy("Import vouchers"),
        upload_help=(
            gettext_lazy(
                "One line per row; rows with the same village code and voucher number make one "
                "voucher. Every row is checked first: one error and nothing is saved. Imported "
                "vouchers await approval by another person."
            ),
        ),
        count_labels=(
            ("vouchers_created", gettext_lazy("Vouchers prepared")),
            ("lines", gettext_lazy("Voucher lines")),
        ),
        upload_url_name="economy:voucher_import",
        done_url_name="economy:dashboard",
        done_label=gettext_lazy("Collective economy"),
        done_note=gettext_lazy(
            "They await approval by another person on each organisation's page."
        ),
        max_rows=200_000,
        max_bytes=32 * 1024 * 1024,
        fields=[
            Field(
                "village",
                gettext_lazy("village code"),
                required=True,
                aliases=("村代码", "村代碼"),
                example="520281004201",
            ),
            Field(
                "voucher",
                gettext_lazy("voucher number"),
                required=True,
                aliases=("凭证号", "憑證號", "凭证编号"),
                example="1",
                help=gettext_lazy("Lines with the same number make one voucher."),
            ),
            Field(
                "date",
                gettext_lazy("date"),
                required=True,
                aliases=("日期", "记账日期"),
                parse=parse_date,
                example="2024-03-05",
            ),
            Field(
                "summary",
                gettext_lazy("summary"),
                required=True,
                aliases=("摘要",),
                example="收到土地发包收入",
            ),
            Field(
                "account",
                gettext_lazy("account code"),
                required=True,
                aliases=("科目编号", "科目代码", "科目編號"),
                example="102",
            ),
            Field(
                "debit",
                gettext_lazy("debit"),
                aliases=("借方金额", "借方", "借方金額"),
                parse=money,
                example="12000.00",
            ),
            Field(
                "credit",
                gettext_lazy("credit"),
                aliases=("贷方金额", "贷方", "貸方金額"),
                parse=money,
            ),
            Field(
                "attachments",
                gettext_lazy("attached documents"),
                aliases=("附单据数", "附件数"),
                parse=parse_int,
            ),
        ],
    )


@dataclass
class VoucherImportResult(ImportOutcome):
    vouchers_created: int = 0
    lines: int = 0

    COUNTED = ("vouchers_created", "lines")


def import_vouchers(
    *,
    actor: Any,
    rows: Iterable[tuple[int, list[str]]],
    spec: ImportSpec | None = None,
    progress: Progress | None = None,
) -> VoucherImportResult:
    """Check every row and voucher, then write all vouchers as drafts, or none."""
    if not has_permission(actor, Voucher, "add"):
        raise Forbidden()
    spec = spec or voucher_spec()
    head: dict[int, list[str]] = {}  # errors name columns as the user's file spells them
    parsed = spec.parse(keep_head(rows, head))
    result = VoucherImportResult(rows=parsed.rows, errors=list(parsed.errors))
    labels = column_names(spec, parsed, head)

    def error(row: int, key: str, value: Any, reason: str) -> None:
        result.errors.append(RowError(row=row, column=labels[key], value=str(value), reason=reason))

    groups: dict[tuple[str, str], list[ParsedRow]] = defaultdict(list)
    for record in parsed.records:
        groups[(record.values["village"], record.values["voucher"])].append(record)
    codes = {village for village, _n in groups}
    organizations = {
        o.village.code: o
        for o in CollectiveOrganization.objects.visible_to(actor)
        .filter(village__code__in=codes)
        .select_related("village")
    }
    charts = {
        chart: {a.code: a for a in Account.objects.filter(chart=chart)}
        for chart in {o.chart for o in organizations.values()}
    }
    vouchers: list[VoucherIn] = []
    for (village, number), records in groups.items():
        first = records[0]
        org = organizations.get(village)
        if org is None:
            error(
                first.row,
                "village",
                village,
                _("No collective economic organisation in your jurisdiction has this village."),
            )
            continue
        date = first.values["date"]
        clean = True
        lines = []
        for record in records:
            v = record.values
            if v["date"] != date:
                error(record.row, "date", v["date"], _("All lines of a voucher share its date."))
                clean = False
            if v["account"] not in charts[org.chart]:
                error(record.row, "account", v["account"], _("There is no such account."))
                clean = False
            if not one_side(v.get("debit") or 0, v.get("credit") or 0):
                error(
                    record.row,
                    "debit",
                    v.get("debit") or "",
                    _("Enter a debit or a credit amount, not both."),
                )
                clean = False
            lines.append(
                LineIn(v["account"], v.get("debit") or 0, v.get("credit") or 0, v["summary"])
            )
        if not clean:
            continue
        try:
            check_lines(lines, charts[org.chart])
            check_open_month(org.closed_through, date)
        except DomainError as exc:
            error(first.row, "voucher", number, str(exc.message))
            continue
        vouchers.append(
            VoucherIn(
                org.pk,
                date,
                first.values["summary"],
                lines,
                attachments=first.values.get("attachments") or 0,
            )
        )
    if result.errors or not vouchers:
        result.errors.sort(key=lambda e: (e.row, e.column))
        return result
    if progress:
        progress("writing", 0)
    with ensure_audit_context(source="import"), transaction.atomic():
        ids = vouchers_load(
            vouchers=vouchers,
            actor=actor,
            preparer_id=actor.pk,
            status=VoucherStatus.DRAFT,
        )
    result.vouchers_created = len(ids)
    result.lines = sum(len(v.lines) for v in vouchers)
    return result
