"""Forms for keeping the books: a voucher with its lines, on a phone as on a desk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenxing.economy.rules.books import LineIn
from zhenxing.economy.selectors.charts import chart_accounts

#: Line rows on the voucher form; most vouchers need two, a carry-forward more.
LINE_ROWS = 6


class VoucherForm(forms.Form):
    # ISO format: what <input type=date> reads, whatever the language.
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    summary = forms.CharField(label=_("Summary"), max_length=128)
    attachments = forms.IntegerField(label=_("Attached documents"), min_value=0, initial=0)

    def __init__(self, *args: Any, chart: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(code, str(a)) for code, a in chart_accounts(chart).items()]
        for i in range(LINE_ROWS):
            self.fields[f"account_{i}"] = forms.ChoiceField(
                label=_("Account"), choices=choices, required=False
            )
            for side, label in (("debit", _("Debit")), ("credit", _("Credit"))):
                self.fields[f"{side}_{i}"] = forms.DecimalField(
                    label=label,
                    required=False,
                    max_digits=16,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                )

    def line_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"account_{i}"], self[f"debit_{i}"], self[f"credit_{i}"])
            for i in range(LINE_ROWS)
        ]

    def lines(self) -> list[LineIn]:
        """The filled rows, in order (blank rows skipped)."""
        result = []
        for i in range(LINE_ROWS):
            account = self.cleaned_data.get(f"account_{i}")
            debit = self.cleaned_data.get(f"debit_{i}")
            credit = self.cleaned_data.get(f"credit_{i}")
            if not account and debit is None and credit is None:
                continue
            result.append(LineIn(account or "", debit or 0, credit or 0))
        return result

    @property
    def date_value(self) -> dt.date:
        return self.cleaned_data["date"]


class PeriodForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12)
