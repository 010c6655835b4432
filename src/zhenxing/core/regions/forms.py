from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenxing.core.regions.models import ALLOWED_PARENT_KINDS, Region, RegionKind


class RegionCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"))
    code = forms.CharField(label=_("division code"), max_length=15)
    name = forms.CharField(label=_("name"), max_length=64)

    def __init__(self, *args: Any, parent: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [
            (k.value, k.label) for k in RegionKind if parent.kind in ALLOWED_PARENT_KINDS[k]
        ]
        self.fields["code"].help_text = _("Begins with %(code)s.") % {"code": parent.code}


class RegionUpdateForm(forms.Form):
    code = forms.CharField(label=_("division code"), max_length=15)
    name = forms.CharField(label=_("name"), max_length=64)
