"""Vouchers from Excel: a village's books as cadres keep them, one line per row.

Rows with the same village code and voucher number make one voucher (its date and summary from
its first row). Every row and every voucher is checked first: unknown villages or accounts, a
line with both or neither amount, lines of one voucher on different dates, a voucher that does
not balance, a date in a closed month.

Account codes are read in a chart of accounts: the one the uploader declares for the file (the
``chart`` option), else the chart that governs the organisation's books on the voucher's date
(``chart_on``); a declared chart the books did not follow then is an error. The 2004 and 2023
charts reuse codes for other accounts (经营支出 in one is 投资收益 in the other), so a row
may also name its account: a code whose account has another name is an error, which says which
chart the file's codes and names fit best. One problem anywhere and nothing is written; otherwise
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
from django.utils.translation import gettext_lazy, gettext_noop

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.context import ensure_audit_context
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.text import to_simplified
from zhenxing.economy.models import (
    Account,
    AccountRole,
    ChartConversion,
    CollectiveOrganization,
    Voucher,
    VoucherStatus,
)
from zhenxing.economy.rules.books import LineIn, check_lines, check_open_month, one_side
from zhenxing.economy.selectors.charts import (
    chart_accounts,
    chart_get,
    chart_list,
    chart_on,
    conversion_in_effect,
    role_account,
)
from zhenxing.economy.services.books import VoucherIn, vouchers_load
from zhenxing.io.specs import (
    Field,
    ImportOption,
    ImportOutcome,
    ImportSpec,
    Message,
    ParsedRow,
    RowError,
    column_names,
    decimal_parser,
    keep_head,
    parse_date,
    parse_int,
)

Progress = Callable[[str, int], None]


def chart_choices() -> list[tuple[str, str]]:
    """The ``chart`` option's choices: the organisation's own chart, or a chart by its code."""
    return [("", _("The organisation's own chart")), *((c.code, str(c)) for c in chart_list())]


def voucher_spec() -> ImportSpec:
    money = decimal_parser(2)
    # The template's example line is on the current chart's bank account (data, not a code).
    bank = role_account(chart_list()[0].code, AccountRole.BANK)
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
        options=(
            ImportOption(
                "chart",
                gettext_lazy("Chart of accounts"),
                chart_choices,
                help_text=gettext_lazy(
                    "The chart the file's account codes follow. By default each voucher's "
                    "codes are read in the chart of its organisation's books on its date."
                ),
            ),
        ),
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
                example=bank.code,
            ),
            Field(
                "account_name",
                gettext_lazy("account name"),
                aliases=("科目名称", "科目名稱", "会计科目", "會計科目"),
                example=bank.name,
                help=gettext_lazy("Checked against the account the code names."),
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


_FULL_WIDTH_PARENS = str.maketrans({"(": "（", ")": "）"})


def name_key(name: str) -> str:
    """An account name as names are compared: no spaces, full-width parentheses, Simplified."""
    return to_simplified("".join(str(name).split()).translate(_FULL_WIDTH_PARENS))


def _best_chart(pairs: set[tuple[str, str]]) -> tuple[dict[str, int], str]:
    """For the file's (code, name key) pairs: how many each chart matches, and the chart that
    matches the most (the newest on a tie)."""
    matches: dict[str, int] = {}
    for chart in chart_list():
        accounts = chart_accounts(chart.code)
        matches[chart.code] = sum(
            1 for code, key in pairs if code in accounts and name_key(accounts[code].name) == key
        )
    best = max(matches, key=lambda code: matches[code], default="")
    return matches, best


def import_vouchers(
    *,
    actor: Any,
    rows: Iterable[tuple[int, list[str]]],
    spec: ImportSpec | None = None,
    progress: Progress | None = None,
    options: dict[str, str] | None = None,
) -> VoucherImportResult:
    """Check every row and voucher, then write all vouchers as drafts, or none.

    ``options["chart"]`` is the chart the file's codes follow ("" or absent: each voucher's
    organisation's chart on its date)."""
    if not has_permission(actor, Voucher, "add"):
        raise Forbidden()
    declared = (options or {}).get("chart") or ""
    if declared and chart_get(declared) is None:
        raise DomainError(_("There is no such chart of accounts."), field="chart")
    spec = spec or voucher_spec()
    head: dict[int, list[str]] = {}  # errors name columns as the user's file spells them
    parsed = spec.parse(keep_head(rows, head))
    result = VoucherImportResult(rows=parsed.rows, errors=list(parsed.errors))
    labels = column_names(spec, parsed, head)

    def error(row: int, key: str, value: Any, reason: str) -> None:
        result.errors.append(RowError(row=row, column=labels[key], value=str(value), reason=reason))

    groups: dict[tuple[str, str], list[ParsedRow]] = defaultdict(list)
    pairs: set[tuple[str, str]] = set()  # the file's (code, name) pairs, to guess its chart
    for record in parsed.records:
        groups[(record.values["village"], record.values["voucher"])].append(record)
        if record.values.get("account_name"):
            pairs.add((record.values["account"], name_key(record.values["account_name"])))
    matches, best = _best_chart(pairs)
    codes = {village for village, _n in groups}
    organizations = {
        o.village.code: o
        for o in CollectiveOrganization.objects.visible_to(actor)
        .filter(village__code__in=codes)
        .select_related("village")
    }
    conversions: dict[int, ChartConversion | None] = {}

    def books_chart(org: CollectiveOrganization, date: Any) -> str:
        if org.pk not in conversions:
            conversions[org.pk] = conversion_in_effect(org)
        return chart_on(org, date, conversions[org.pk])

    def chart_name(code: str) -> str:
        chart = chart_get(code)
        return str(chart) if chart else code

    def guess(used: str) -> str:
        """The sentence pointing to the chart the file seems to follow, if not ``used``."""
        if not best or best == used or matches[best] <= matches.get(used, 0):
            return ""
        return Message(
            gettext_noop("The file seems to follow %(chart)s: choose that chart for this import."),
            {"chart": chart_name(best)},
        )

    def account_problem(used: str, accounts: dict[str, Account], code: str, name: str) -> str:
        """Why the row's code (and name, if given) does not fit ``used``, or ""."""
        account = accounts.get(code)
        if account is None:
            reason = Message(
                gettext_noop("There is no account %(code)s in %(chart)s."),
                {"code": code, "chart": chart_name(used)},
            )
        elif name and name_key(name) != name_key(account.name):
            named = {
                "code": code,
                "actual": account.name,
                "chart": chart_name(used),
                "name": name,
            }
            other = next(
                (a.code for a in accounts.values() if name_key(a.name) == name_key(name)), None
            )
            if other is None:
                reason = Message(
                    gettext_noop("Account %(code)s is %(actual)s in %(chart)s, not %(name)s."),
                    named,
                )
            else:
                reason = Message(
                    gettext_noop(
                        "Account %(code)s is %(actual)s in %(chart)s, not %(name)s "
                        "(%(name)s is %(other)s there)."
                    ),
                    {**named, "other": other},
                )
        else:
            return ""
        extra = guess(used)
        return Message.joined(reason, extra)

    vouchers: list[VoucherIn] = []
    for (village, number), records in groups.items():
        first = records[0]
        org = organizations.get(village)
        if org is None:
            error(
                first.row,
                "village",
                village,
                Message(
                    gettext_noop(
                        "No collective economic organisation in your jurisdiction has this village."
                    )
                ),
            )
            continue
        date = first.values["date"]
        clean = True
        books = books_chart(org, date)
        used = declared or books
        if used != books:
            error(
                first.row,
                "date",
                date,
                Message(
                    gettext_noop(
                        "The organisation's books on %(date)s follow %(books)s, not the declared "
                        "%(declared)s."
                    ),
                    {"date": date, "books": chart_name(books), "declared": chart_name(used)},
                ),
            )
            clean = False
        accounts = chart_accounts(used)
        lines = []
        for record in records:
            v = record.values
            if v["date"] != date:
                error(
                    record.row,
                    "date",
                    v["date"],
                    Message(gettext_noop("All lines of a voucher share its date.")),
                )
                clean = False
            problem = account_problem(used, accounts, v["account"], v.get("account_name") or "")
            if problem:
                error(record.row, "account", v["account"], problem)
                clean = False
            if not one_side(v.get("debit") or 0, v.get("credit") or 0):
                error(
                    record.row,
                    "debit",
                    v.get("debit") or "",
                    Message(gettext_noop("Enter a debit or a credit amount, not both.")),
                )
                clean = False
            lines.append(
                LineIn(v["account"], v.get("debit") or 0, v.get("credit") or 0, v["summary"])
            )
        if not clean:
            continue
        try:
            check_lines(lines, accounts)
            check_open_month(org.closed_through, date)
        except DomainError as exc:
            # A rule's reason is kept as a message: it reads in each reader's language.
            reason = exc.message if isinstance(exc.message, Message) else str(exc.message)
            error(first.row, "voucher", number, reason)
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
