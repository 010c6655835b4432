"""The upload form every import page shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from zhenxing.io.specs import ImportSpec


class ImportUploadForm(forms.Form):
    """The file, and one select per option the import's spec declares (``ImportSpec.options``):
    a value outside the option's choices is a form error."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "Excel (.xlsx) or CSV (UTF-8 or GB18030), with the template's headers."
        ),
    )

    def __init__(self, *args: Any, spec: ImportSpec | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_names = [option.name for option in spec.options] if spec else []
        for option in spec.options if spec else ():
            self.fields[option.name] = forms.ChoiceField(
                label=option.label,  # type: ignore[arg-type]  # a lazy string
                choices=option.choices,
                required=False,
                help_text=option.help_text or "",  # type: ignore[arg-type]
            )

    @property
    def options(self) -> dict[str, str]:
        """The chosen options by name (valid forms only)."""
        return {name: self.cleaned_data.get(name) or "" for name in self.option_names}
