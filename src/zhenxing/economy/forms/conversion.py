"""The chart conversion form: an imported trial balance for books kept elsewhere, and the
officer's share of each old balance that splits (the rule's text beside each field)."""

from __future__ import annotations

import decimal
import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenxing.economy.rules.conversion import OldBalance
from zhenxing.economy.selectors.conversion import Proposal


def share_field_name(old_code: str, new_code: str) -> str:
    return f"share_{old_code}_{new_code}"


class ConversionForm(forms.Form):
    trial_balance = forms.FileField(
        label=_("Closing trial balance (科目余额表)"),
        required=False,
        help_text=_(
            "For books kept elsewhere: the 2023-12-31 trial balance exported from the "
            "accounting software (XLSX or CSV)."
        ),
    )
    balances = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, proposal: Proposal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        if proposal is None:
            return
        for line in proposal.assignment.balances:
            if not line.splits and len(line.targets) == 1:
                continue
            for target in line.targets:
                name = share_field_name(line.old.code, target.account.code)
                self.fields[name] = forms.DecimalField(
                    label=str(target.account),
                    help_text=target.rule,
                    required=False,
                    max_digits=16,
                    decimal_places=2,
                    initial=(
                        abs(line.amounts[target.account.code])
                        if target.account.code in line.amounts
                        else None
                    ),
                    widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                )

    def split_rows(self) -> list[tuple[Any, list[Any]]]:
        """Each splitting old balance with its share fields, for the template."""
        if self.proposal is None:
            return []
        rows = []
        for line in self.proposal.assignment.balances:
            names = [share_field_name(line.old.code, t.account.code) for t in line.targets]
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                rows.append((line, fields))
        return rows

    def shares(self) -> dict[tuple[str, str], decimal.Decimal]:
        result = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("share_") and value is not None:
                _prefix, old, new = name.split("_")
                result[(old, new)] = value
        return result

    def imported_balances(self) -> list[OldBalance] | None:
        """The trial balance carried from the preview (books kept elsewhere), or None."""
        raw = self.cleaned_data.get("balances") or ""
        if not raw:
            return None
        try:
            return [
                OldBalance(b["code"], b["name"], decimal.Decimal(b["balance"]))
                for b in json.loads(raw)
            ]
        except (ValueError, KeyError, TypeError, decimal.InvalidOperation) as exc:
            raise forms.ValidationError(_("The trial balance was lost: upload it again.")) from exc


def balances_json(balances: list[OldBalance]) -> str:
    return json.dumps(
        [{"code": b.code, "name": b.name, "balance": str(b.balance)} for b in balances],
        ensure_ascii=False,
    )
