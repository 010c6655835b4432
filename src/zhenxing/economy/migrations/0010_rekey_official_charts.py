"""Books under the official charts of accounts.

Until now the chart loaded as 财会〔2023〕14号 was not the official one (171 公益性基础设施, 181
长期待摊费用, 502 经营支出, 511 发包及上交收入, 541 投资收益, …), and the 2004 chart was wrong too.
This migration:

1. re-keys every account of both charts to its official code **by name** (our 502 经营支出
   becomes 511 经营支出, our 541 投资收益 becomes 502 投资收益, …), in place, so every voucher
   line keeps its account and every voucher stays balanced; the two accounts that are in
   neither official chart fold into the official account that takes their balances
   (``FOLDED``); where books exist, every re-keyed account is recorded in the audit log;
2. loads what ``data/charts/`` holds: both charts, the accounts automatic postings use (roles),
   the figures' formulas per chart, the statements' official lines and the correspondence
   table of 财会〔2023〕20号;
3. marks the year-end carry-forward vouchers (``kind``), which the income statement and
   operating income leave out, and recomputes both summary tables from the ledger with the
   new formulas, so ``zhenxing economy_check`` passes after it.

``load_catalogue`` is the loader the test suite calls to reseed the catalogue tables after a
transactional test empties them.
"""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import migrations
from django.db.models import Sum

DATA = Path(__file__).resolve().parent.parent / "data" / "charts"
CHARTS = ("2023", "2004")

#: Accounts of our old 2023 chart that are in neither official chart, and the official account
#: that takes their balances: 公益性基础设施 is a fixed asset under 财会〔2023〕14号 (public
#: infrastructure is kept in 固定资产); 发包及上交收入 was folded into 经营收入 (contracting fees,
#: its bulk) and 投资收益 (remittances).
FOLDED = {("2023", "公益性基础设施"): "151", ("2023", "发包及上交收入"): "501"}

LABEL = "migration economy.0010"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _official(chart: str) -> list[dict[str, str]]:
    return _rows(f"accounts-{chart}.csv")


def _audit(apps, entries: list[tuple[Any, str, dict]]) -> None:
    """One audit entry per changed catalogue row (no region: the charts are the city's)."""
    if not entries:
        return
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _c = ContentType.objects.get_or_create(app_label="economy", model="account")
    request_id = uuid.uuid4()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            request_id=request_id,
            actor_label=LABEL,
            source="system",
            action=action,
            content_type_id=content_type.pk,
            object_id=str(obj.pk),
            object_repr=f"{obj.chart} {obj.code} {obj.name}",
            region_code="",
            county_code="",
            changes=changes,
        )
        for obj, action, changes in entries
    )


def rekey(apps, schema_editor) -> None:
    """Give every existing account its official code by name, in place."""
    Account = apps.get_model("economy", "Account")
    VoucherLine = apps.get_model("economy", "VoucherLine")
    AccountBalance = apps.get_model("economy", "AccountBalance")
    entries = []
    for chart in CHARTS:
        official = {row["name"]: row for row in _official(chart)}
        by_code = {row["code"]: row for row in _official(chart)}
        existing = list(Account.objects.filter(chart=chart).order_by("code"))
        if not existing:
            continue
        target: dict[int, str] = {}
        for account in existing:
            if account.name in official:
                target[account.pk] = official[account.name]["code"]
            elif (chart, account.name) in FOLDED:
                target[account.pk] = FOLDED[(chart, account.name)]
        keep: dict[str, Any] = {}  # official code → the account row that keeps it
        for account in existing:
            code = target.get(account.pk)
            if code and by_code[code]["name"] == account.name:
                keep[code] = account
        for account in existing:
            code = target.get(account.pk)
            if code and code not in keep:
                keep[code] = account
        # Free every code first: the new codes are a permutation of the old ones.
        for account in existing:
            Account.objects.filter(pk=account.pk).update(code=f"~{account.pk}")
        for account in existing:
            code = target.get(account.pk)
            if code is None:
                if VoucherLine.objects.filter(account=account).exists():
                    raise RuntimeError(f"{chart} {account.code} {account.name}: not official")
                Account.objects.filter(pk=account.pk).delete()
                entries.append((account, "delete", {"code": [account.code, None]}))
                continue
            survivor = keep[code]
            row = by_code[code]
            if survivor.pk != account.pk:
                # Folded into another account: its lines move there, balances are rebuilt.
                VoucherLine.objects.filter(account=account).update(account=survivor)
                AccountBalance.objects.filter(account=account).delete()
                Account.objects.filter(pk=account.pk).delete()
                entries.append(
                    (account, "delete", {"code": [account.code, None], "folded_into": [None, code]})
                )
                continue
            changes = {}
            if account.code != code:
                changes["code"] = [account.code, code]
            if account.name != row["name"]:
                changes["name"] = [account.name, row["name"]]
            Account.objects.filter(pk=account.pk).update(
                code=code, name=row["name"], category=row["class"], normal_side=row["normal_side"]
            )
            if changes:
                entries.append((account, "update", changes))
    # A fresh installation has no books: loading the catalogue re-keys nothing of anyone's.
    if VoucherLine.objects.exists():
        _audit(apps, entries)


def load_catalogue(apps, schema_editor) -> None:
    """Make the catalogue tables equal ``data/charts/`` (accounts are matched by code)."""
    Chart = apps.get_model("economy", "Chart")
    Account = apps.get_model("economy", "Account")
    ChartRole = apps.get_model("economy", "ChartRole")
    FigureTerm = apps.get_model("economy", "FigureTerm")
    StatementLine = apps.get_model("economy", "StatementLine")
    AccountCorrespondence = apps.get_model("economy", "AccountCorrespondence")
    for row in _rows("charts.csv"):
        Chart.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "document": row["document"],
                "effective_from": dt.date.fromisoformat(row["effective_from"]),
                "effective_to": (
                    dt.date.fromisoformat(row["effective_to"]) if row["effective_to"] else None
                ),
            },
        )
    accounts = {}
    for chart in CHARTS:
        for row in _official(chart):
            account, _c = Account.objects.update_or_create(
                chart=chart,
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "category": row["class"],
                    "normal_side": row["normal_side"],
                },
            )
            accounts[(chart, row["code"])] = account
    ChartRole.objects.all().delete()
    ChartRole.objects.bulk_create(
        ChartRole(chart=r["chart"], role=r["role"], account=accounts[(r["chart"], r["code"])])
        for r in _rows("roles.csv")
    )
    FigureTerm.objects.all().delete()
    FigureTerm.objects.bulk_create(
        FigureTerm(
            chart=r["chart"],
            figure=r["figure"],
            account_prefix=r["account_prefix"],
            measure=r["measure"],
            sign=int(r["sign"]),
        )
        for r in _rows("figures.csv")
    )
    StatementLine.objects.all().delete()
    StatementLine.objects.bulk_create(
        StatementLine(
            chart=r["chart"],
            statement=r["statement"],
            row=int(r["row"]),
            section=r["section"],
            label=r["label"],
            side=r["side"],
            measure=r["measure"],
            accounts=r["accounts"],
            lines=r["lines"],
            total=r["total"] == "1",
        )
        for r in _rows("statements.csv")
    )
    AccountCorrespondence.objects.all().delete()
    AccountCorrespondence.objects.bulk_create(
        AccountCorrespondence(
            old_account=accounts[("2004", r["old_code"])],
            new_account=accounts[("2023", r["new_code"])],
            kind=r["kind"],
            rule=r["rule"],
        )
        for r in _rows("correspondence.csv")
    )


def _mark_carry_forwards(apps) -> None:
    """A voucher whose lines are all on income and expense accounts and the year's result
    account is a carry-forward (结转本年收益)."""
    Voucher = apps.get_model("economy", "Voucher")
    ChartRole = apps.get_model("economy", "ChartRole")
    Account = apps.get_model("economy", "Account")
    result = list(ChartRole.objects.filter(role="year_result").values_list("account", flat=True))
    other = Account.objects.exclude(pk__in=result).exclude(category__in=["income", "expense"])
    Voucher.objects.filter(lines__account__in=result).exclude(
        lines__account__in=other
    ).distinct().update(kind="carry_forward")


def _fen(value) -> int:
    return int((Decimal(value or 0) * 100).to_integral_value())


def _rebuild_summaries(apps) -> None:
    """Both summary tables recomputed from the posted lines with the new formulas (the same
    arithmetic as ``services.summaries``, written against this migration's models)."""
    VoucherLine = apps.get_model("economy", "VoucherLine")
    AccountBalance = apps.get_model("economy", "AccountBalance")
    YearFigures = apps.get_model("economy", "YearFigures")
    FigureTerm = apps.get_model("economy", "FigureTerm")
    Account = apps.get_model("economy", "Account")
    AccountBalance.objects.all().delete()
    YearFigures.objects.all().delete()
    grouped = (
        VoucherLine.objects.filter(voucher__status="posted")
        .values_list(
            "voucher__organization_id",
            "account_id",
            "voucher__year",
            "voucher__month",
            "voucher__kind",
        )
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    )
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for org, account, year, month, kind, d, c in grouped.iterator():
        cell = cells[(org, account, year, month)]
        cell[0] += _fen(d)
        cell[1] += _fen(c)
        if kind != "ordinary":
            cell[2] += _fen(d)
            cell[3] += _fen(c)
    accounts = {a.pk: (a.chart, a.code) for a in Account.objects.all()}
    terms = defaultdict(list)
    for t in FigureTerm.objects.all():
        terms[(t.chart, t.figure)].append((t.account_prefix, t.measure, t.sign))
    figures: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for (org, account, year, _m), (d, c, md, mc) in cells.items():
        chart, code = accounts[account]
        for index, figure in enumerate(("accumulation", "operating_income")):
            for prefix, measure, sign in terms[(chart, figure)]:
                if code.startswith(prefix):
                    if measure == "result":
                        figures[(org, year)][index] += sign * ((c - mc) - (d - md))
                    else:
                        figures[(org, year)][index] += sign * (c - d)
    AccountBalance.objects.bulk_create(
        (
            AccountBalance(
                organization_id=org,
                account_id=account,
                year=year,
                month=month,
                debit_fen=d,
                credit_fen=c,
                moved_debit_fen=md,
                moved_credit_fen=mc,
            )
            for (org, account, year, month), (d, c, md, mc) in cells.items()
        ),
        batch_size=2000,
    )
    YearFigures.objects.bulk_create(
        (
            YearFigures(
                organization_id=org,
                year=year,
                accumulation_change_fen=acc,
                operating_income_fen=inc,
            )
            for (org, year), (acc, inc) in figures.items()
        ),
        batch_size=2000,
    )


def forwards(apps, schema_editor) -> None:
    rekey(apps, schema_editor)
    load_catalogue(apps, schema_editor)
    _mark_carry_forwards(apps)
    _rebuild_summaries(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0009_official_charts"),
        ("audit", "0007_alter_auditentry_action"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
