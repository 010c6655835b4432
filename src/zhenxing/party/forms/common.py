"""What every party form shares."""

from __future__ import annotations

from django import forms

#: A date field's widget: the browser's date picker, ISO dates.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
