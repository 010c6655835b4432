"""The upload form every import page shares."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "Excel (.xlsx) or CSV (UTF-8 or GB18030), with the template's headers."
        ),
    )
