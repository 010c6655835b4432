"""A closing trial balance (科目余额表) from Excel, as Chinese accounting software exports it,
for converting books that were kept elsewhere.

Exports differ in their headers, so columns are found by what the header says: the account
code (科目编码/科目代码/科目编号), its name (科目名称), and the closing balance either as two
columns (期末借方余额 / 期末贷方余额, or a merged 期末余额 over 借方 and 贷方 on a second header
row) or as one amount with a direction column (方向: 借/贷/平). Only first-level accounts are
read (sub-account rows, whose codes are longer, repeat their parent's amounts); total rows are
skipped. Every problem is reported with its row, column and value; one problem and nothing is
used.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError
from zhenxing.economy.rules.conversion import OldBalance
from zhenxing.io.readers import read_rows

MAX_BYTES = 4 * 1024 * 1024
CODE_HEADERS = ("科目编码", "科目代码", "科目编号", "科目編碼", "科目代碼", "科目編號")
NAME_HEADERS = ("科目名称", "科目名稱")


def _clean(text: Any) -> str:
    return str(text or "").replace(" ", "").replace("\u3000", "").strip()


def _columns(top: list[str], sub: list[str]) -> dict[str, int]:
    """Find the columns in a header row (and the row below it, for merged headers)."""
    found: dict[str, int] = {}
    inherited = ""
    for j in range(max(len(top), len(sub))):
        own = _clean(top[j]) if j < len(top) else ""
        inherited = own or inherited
        below = _clean(sub[j]) if j < len(sub) else ""
        label = (own or inherited) + below
        if own in CODE_HEADERS:
            found.setdefault("code", j)
        elif own in NAME_HEADERS:
            found.setdefault("name", j)
        elif "期末" in label and "方向" in label:
            found.setdefault("direction", j)
        elif "期末" in label and "借" in label:
            found.setdefault("debit", j)
        elif "期末" in label and "贷" in label:
            found.setdefault("credit", j)
        elif "期末" in label:
            found.setdefault("amount", j)
        elif own == "方向" and "direction" not in found and "amount" not in found:
            found["pending_direction"] = j  # a direction column just before the amount
    if "amount" in found and "direction" not in found and "pending_direction" in found:
        found["direction"] = found["pending_direction"]
    return found


def _amount(value: str) -> decimal.Decimal:
    text = _clean(value).replace(",", "").replace("，", "")
    if text in ("", "-", "—", "0"):
        return decimal.Decimal("0.00")
    return decimal.Decimal(text).quantize(decimal.Decimal("0.01"))


def parse_trial_balance(
    rows: Iterable[tuple[int, list[str]]], accounts: Mapping[str, Any]
) -> list[OldBalance]:
    """The first-level closing balances of a trial balance; ``accounts`` is the old chart's
    accounts by code (names are checked against it)."""
    rows = list(rows)
    header = next(
        (
            i
            for i, (_n, cells) in enumerate(rows[:15])
            if any(_clean(c) in CODE_HEADERS for c in cells)
        ),
        None,
    )
    if header is None:
        raise DomainError(
            _("No header row with the account code (科目编码) was found in the first 15 rows."),
            field="trial_balance",
        )
    top = rows[header][1]
    sub = rows[header + 1][1] if header + 1 < len(rows) else []
    columns = _columns(top, sub)
    two_rows = any(_clean(c) in ("借方", "贷方", "借", "贷", "方向") for c in sub)
    if "code" not in columns or not (
        {"debit", "credit"} <= set(columns) or {"amount", "direction"} <= set(columns)
    ):
        raise DomainError(
            _(
                "The closing balance columns were not found: the file needs 期末借方余额 and "
                "期末贷方余额 (or 期末余额 with 借方/贷方 below it, or 方向 and 期末余额)."
            ),
            field="trial_balance",
        )
    heads = {k: (_clean(top[j]) if j < len(top) else "") for k, j in columns.items()}
    problems: list[str] = []
    balances: list[OldBalance] = []
    for number, cells in rows[header + (2 if two_rows else 1) :]:

        def cell(key: str, cells: list[str] = cells) -> str:
            j = columns.get(key)
            return str(cells[j]).strip() if j is not None and j < len(cells) else ""

        code = _clean(cell("code"))
        if not code.isdigit() or len(code) != 3:
            continue  # a sub-account (its parent carries the total), a total or a blank row
        name = _clean(cell("name"))
        try:
            if "debit" in columns:
                balance = _amount(cell("debit")) - _amount(cell("credit"))
            else:
                direction = _clean(cell("direction"))
                amount = _amount(cell("amount"))
                balance = -amount if direction.startswith("贷") else amount
                if direction.startswith("平"):
                    balance = decimal.Decimal("0.00")
        except decimal.InvalidOperation:
            problems.append(
                _("Row %(row)d: the closing balance is not a number.") % {"row": number}
            )
            continue
        account = accounts.get(code)
        if account is None:
            problems.append(
                _("Row %(row)d, %(column)s: %(code)s is not an account of the old chart.")
                % {"row": number, "column": heads.get("code", ""), "code": code}
            )
            continue
        if name and name != _clean(account.name):
            problems.append(
                _("Row %(row)d, %(column)s: account %(code)s is %(expected)s, not %(name)s.")
                % {
                    "row": number,
                    "column": heads.get("name", ""),
                    "code": code,
                    "expected": account.name,
                    "name": name,
                }
            )
            continue
        balances.append(OldBalance(code, account.name, balance))
    if problems:
        raise DomainError(" ".join(problems), field="trial_balance")
    if not balances:
        raise DomainError(_("The file lists no first-level account."), field="trial_balance")
    return balances


def read_trial_balance(upload: Any, accounts: Mapping[str, Any]) -> list[OldBalance]:
    """An uploaded trial balance (XLSX or CSV) read and checked."""
    name = str(getattr(upload, "name", "") or "trial-balance.xlsx")
    return parse_trial_balance(read_rows(upload, name, max_bytes=MAX_BYTES), accounts)
