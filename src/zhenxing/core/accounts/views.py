"""Login, logout, own password; account management for city and township administrators."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import View

from zhenxing.core.accounts import selectors, services
from zhenxing.core.accounts.filtersets import AccountFilterSet
from zhenxing.core.accounts.forms import (
    AccountCreateForm,
    AccountForm,
    LoginForm,
    OwnPasswordForm,
    PasswordResetForm,
)
from zhenxing.core.accounts.models import ApiToken, User, token_days
from zhenxing.core.accounts.roles import Role
from zhenxing.core.audit.middleware import client_ip
from zhenxing.core.audit.selectors import object_history
from zhenxing.core.errors import DomainError
from zhenxing.core.web.views import (
    KernelMixin,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    add_domain_error,
)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_authenticate(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            login(request, user)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = ""
            return redirect(next_url or "home")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.own_password_change(
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            if "password" in exc.errors:
                for m in exc.errors["password"]:
                    form.add_error("new_password", m)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your password was changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


MANAGE = "accounts.user.change"
ADD = "accounts.user.add"


class AccountLookup(ScopedObjectMixin):
    """An account by its id in the URL, inside the manager's scope, with its region."""

    def get_base_queryset(self) -> QuerySet[User]:
        return User.objects.select_related("region")


class AccountListView(ScopedListView):
    """The accounts a city or township administrator manages, searched and filtered by role
    (a bad role is a 400 naming it)."""

    permission = MANAGE
    filterset_class = AccountFilterSet
    template_name = "accounts/account_list.html"
    context_object_name = "account_rows"
    scoped_by_selector = True  # the selector scopes the accounts to the actor

    def get_base_queryset(self) -> QuerySet[User]:
        return selectors.account_list(actor=self.actor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        return context | {
            "accounts": context["page_obj"],
            "roles": Role,
            "q": self.request.GET.get("q", ""),
            "role": self.request.GET.get("role", ""),
            "query": params.urlencode(),
        }


class AccountCreateView(ServiceFormView):
    permission = ADD
    form_class = AccountCreateForm
    template_name = "accounts/account_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"actor": self.actor}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "title": _("New account"),
            "region_options": selectors.region_options(actor=self.actor),
        }

    def perform(self, form: Any) -> User:
        return services.account_create(actor=self.actor, **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("Account %(name)s was created.") % {"name": self.result}

    def get_success_url(self) -> str:
        return reverse("accounts:account_detail", args=[self.result.pk])


class AccountDetailView(AccountLookup, ServiceFormView):
    """An account's page, with its form (saved only where the manager may change it) and
    history."""

    permission = MANAGE
    form_class = AccountForm
    template_name = "accounts/account_detail.html"

    @property
    def editable(self) -> bool:
        return selectors.account_is_editable(actor=self.actor, account=self.get_object())

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"actor": self.actor}

    def get_initial(self) -> dict[str, Any]:
        account = self.get_object()
        return {
            "full_name": account.full_name,
            "role": account.role,
            "region": account.region.code if account.region else "",
            "is_active": account.is_active,
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.editable:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        account = self.get_object()
        return super().get_context_data(**kwargs) | {
            "account": account,
            "editable": self.editable,
            "history": object_history(actor=self.actor, obj=account),
            "region_options": selectors.region_options(actor=self.actor),
        }

    def perform(self, form: Any) -> User:
        return services.account_update(
            actor=self.actor, account=self.get_object(), **form.cleaned_data
        )

    def get_success_message(self) -> str:
        return _("Account %(name)s was saved.") % {"name": self.get_object()}

    def get_success_url(self) -> str:
        return reverse("accounts:account_detail", args=[self.get_object().pk])


class AccountPasswordView(AccountLookup, ServiceFormView):
    permission = MANAGE
    object_action = "change"
    form_class = PasswordResetForm
    template_name = "accounts/account_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "title": _("Reset the password of %(name)s") % {"name": self.get_object()}
        }

    def perform(self, form: Any) -> User:
        return services.account_set_password(
            actor=self.actor, account=self.get_object(), password=form.cleaned_data["password"]
        )

    def get_success_message(self) -> str:
        return _("The password of %(name)s was reset.") % {"name": self.get_object()}

    def get_success_url(self) -> str:
        return reverse("accounts:account_detail", args=[self.get_object().pk])


account_list: Any = AccountListView.as_view()
account_create: Any = AccountCreateView.as_view()
account_detail: Any = AccountDetailView.as_view()
account_password: Any = AccountPasswordView.as_view()


# ---- one's own API tokens ------------------------------------------------------------------


class TokenListView(ScopedListView):
    """The signed-in user's own API tokens: when each was issued, last used and expires."""

    template_name = "accounts/token_list.html"
    context_object_name = "tokens"
    scoped_by_selector = True  # own_tokens reads only the actor's own rows

    def get_base_queryset(self) -> QuerySet[ApiToken]:
        return selectors.own_tokens(actor=self.actor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"token_days": token_days()}


class TokenCreateView(KernelMixin, View):
    """A new token for the signed-in user, shown once on the page that answers the POST."""

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]

    def post(self, request: HttpRequest) -> HttpResponse:
        key = services.token_create(actor=self.actor)
        return render(
            request,
            "accounts/token_created.html",
            {"key": key, "token_days": token_days()},
        )


class TokenRevokeView(KernelMixin, View):
    """Revoke one of one's own tokens (someone else's is a 404)."""

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.token_revoke(actor=self.actor, token_id=pk)
        messages.success(request, _("The API token was revoked."))
        return redirect("accounts:token_list")


token_list: Any = TokenListView.as_view()
token_create: Any = TokenCreateView.as_view()
token_revoke: Any = TokenRevokeView.as_view()
