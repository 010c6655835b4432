from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenxing.core.accounts.roles import Role, assignable_roles
from zhenxing.core.regions.models import Region


class LoginForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput)


class OwnPasswordForm(forms.Form):
    old_password = forms.CharField(label=_("current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("new password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters, not only digits, not a common password."),
    )
    new_password2 = forms.CharField(label=_("new password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class RegionCodeField(forms.CharField):
    """A region chosen by its code, looked up within the actor's jurisdiction only: a code
    outside it gets the same answer as a code that does not exist."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("help_text", _("Division code, e.g. 520281004."))
        self.actor: Any = None
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Region:
        code = super().clean(value)
        region = Region.objects.visible_to(self.actor).filter(code=code.strip()).first()
        if region is None:
            raise forms.ValidationError(_("No region in your jurisdiction has this code."))
        return region


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("full name"), max_length=64, required=False)
    role = forms.ChoiceField(label=_("role"))
    region = RegionCodeField(
        label=_("region"), widget=forms.TextInput(attrs={"list": "region-options"})
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        granted = set(assignable_roles(actor))
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(value, label) for value, label in Role.choices if value in granted]
        region = self.fields["region"]
        assert isinstance(region, RegionCodeField)
        region.actor = actor


class AccountCreateForm(AccountForm):
    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(
        label=_("initial password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters, not only digits, not a common password."),
    )
    field_order = ["username", "full_name", "role", "region", "password"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("new password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters, not only digits, not a common password."),
    )


__all__ = ["AccountCreateForm", "AccountForm", "LoginForm", "PasswordResetForm"]
