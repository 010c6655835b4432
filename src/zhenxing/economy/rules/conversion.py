"""The rules of converting books from the 2004 chart to the 2023 one (新旧制度衔接,
财会〔2023〕20号), as pure functions: how each old balance is assigned to new accounts by the
correspondence table, and what must hold before the opening balances are written.

Balances are signed on the debit side (a credit balance is negative), in Decimal yuan.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError
from zhenxing.economy.models import CorrespondenceKind

ZERO = decimal.Decimal("0.00")


@dataclass(frozen=True)
class OldBalance:
    """One line of the old books' closing trial balance (科目余额表): debit-signed."""

    code: str
    name: str
    balance: decimal.Decimal

    @property
    def debit(self) -> decimal.Decimal:
        return self.balance if self.balance > 0 else ZERO

    @property
    def credit(self) -> decimal.Decimal:
        return -self.balance if self.balance < 0 else ZERO


@dataclass(frozen=True)
class Target:
    """A new account an old balance may go to, with the rule's text when it splits."""

    account: Any  # economy.Account of the new chart
    kind: str
    rule: str


@dataclass
class AssignedBalance:
    """An old balance and the share of it each new account receives."""

    old: OldBalance
    account: Any  # economy.Account of the old chart
    targets: list[Target]
    amounts: dict[str, decimal.Decimal] = field(default_factory=dict)  # new code → amount

    @property
    def splits(self) -> bool:
        return any(t.kind == CorrespondenceKind.SPLIT for t in self.targets)

    @property
    def assigned(self) -> decimal.Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def complete(self) -> bool:
        return self.assigned == self.old.balance


@dataclass
class Assignment:
    """The whole conversion: every old balance assigned, the new opening balances, problems."""

    balances: list[AssignedBalance]
    opening: dict[str, decimal.Decimal]  # new code → debit-signed opening balance
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_trial_balance(balances: Sequence[OldBalance]) -> None:
    """A closing trial balance balances: its debit balances equal its credit balances."""
    debit = sum((b.balance for b in balances if b.balance > 0), ZERO)
    credit = -sum((b.balance for b in balances if b.balance < 0), ZERO)
    if debit != credit:
        raise DomainError(
            _(
                "The closing trial balance does not balance: debit balances %(debit)s, credit "
                "balances %(credit)s."
            )
            % {"debit": debit, "credit": credit},
            code="unbalanced",
        )


def assign(
    balances: Sequence[OldBalance],
    old_accounts: Mapping[str, Any],
    targets: Mapping[str, list[Target]],
    shares: Mapping[tuple[str, str], decimal.Decimal] | None = None,
) -> Assignment:
    """Assign each non-zero old balance to the new chart: an account that moves as it is goes
    whole to its one successor; one that splits takes the officer's ``shares`` ((old code, new
    code) → amount on the balance's own side, as a cadre reads it: 9,000 of a 9,000 credit
    balance), which must add up to the balance exactly."""
    shares = shares or {}
    assigned: list[AssignedBalance] = []
    opening: dict[str, decimal.Decimal] = defaultdict(lambda: ZERO)
    problems: list[str] = []
    for old in balances:
        if not old.balance:
            continue
        account = old_accounts.get(old.code)
        options = targets.get(old.code, [])
        if account is None or not options:
            problems.append(
                _("%(code)s %(name)s: the correspondence table has no place for this account.")
                % {"code": old.code, "name": old.name}
            )
            continue
        line = AssignedBalance(old, account, options)
        if not line.splits and len(options) == 1:
            line.amounts[options[0].account.code] = old.balance
        else:
            side = 1 if old.balance > 0 else -1
            for target in options:
                amount = shares.get((old.code, target.account.code))
                if amount:
                    line.amounts[target.account.code] = side * decimal.Decimal(amount)
            if not line.complete:
                problems.append(
                    _(
                        "%(account)s: assign its balance of %(balance)s among %(targets)s "
                        "(assigned so far: %(assigned)s)."
                    )
                    % {
                        "account": account,
                        "balance": abs(old.balance),
                        "targets": "、".join(str(t.account) for t in options),
                        "assigned": abs(line.assigned),
                    }
                )
        for code, amount in line.amounts.items():
            opening[code] += amount
        assigned.append(line)
    for (old_code, new_code), amount in shares.items():
        if amount and not any(
            a.old.code == old_code and new_code in {t.account.code for t in a.targets}
            for a in assigned
        ):
            problems.append(
                _("%(old)s → %(new)s is not a row of the correspondence table.")
                % {"old": old_code, "new": new_code}
            )
    return Assignment(assigned, {c: v for c, v in opening.items() if v}, problems)
