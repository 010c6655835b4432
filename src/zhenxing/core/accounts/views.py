"""Login, logout, own password; account management for city and township administrators."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import View

from zhenxing.core.accounts import selectors, services
from zhenxing.core.accounts.forms import (
    AccountCreateForm,
    AccountForm,
    LoginForm,
    OwnPasswordForm,
    PasswordResetForm,
)
from zhenxing.core.accounts.models import ApiToken, User, token_days
from zhenxing.core.accounts.roles import Role, has_permission
from zhenxing.core.audit.middleware import client_ip
from zhenxing.core.audit.selectors import object_history
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.scoping import get_for_user
from zhenxing.core.views import add_domain_error, paginate, raise_http
from zhenxing.core.web.views import KernelMixin, ScopedListView


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


def _require_manager(request: HttpRequest) -> None:
    if not has_permission(request.user, User, "change"):
        raise_http(Forbidden())


def _get_account(request: HttpRequest, pk: int, action: str = "view") -> User:
    try:
        return get_for_user(User.objects.select_related("region"), request.user, action, pk=pk)
    except DomainError as exc:
        raise_http(exc)
        raise


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    accounts = selectors.account_list(
        actor=request.user, q=request.GET.get("q"), role=request.GET.get("role")
    )
    return render(
        request,
        "accounts/account_list.html",
        {
            "accounts": paginate(request, accounts),
            "roles": Role,
            "q": request.GET.get("q", ""),
            "role": request.GET.get("role", ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Account %(name)s was created.") % {"name": account})
            return redirect("accounts:account_detail", pk=account.pk)
    return render(
        request,
        "accounts/account_form.html",
        {
            "form": form,
            "title": _("New account"),
            "region_options": selectors.region_options(actor=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    account = _get_account(request, pk)
    editable = User.objects.writable_by(request.user, "change").filter(pk=account.pk).exists()
    form = AccountForm(
        request.POST or None,
        actor=request.user,
        initial={
            "full_name": account.full_name,
            "role": account.role,
            "region": account.region.code if account.region else "",
            "is_active": account.is_active,
        },
    )
    if request.method == "POST":
        if not editable:
            raise_http(Forbidden())
        if form.is_valid():
            try:
                services.account_update(actor=request.user, account=account, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Account %(name)s was saved.") % {"name": account})
                return redirect("accounts:account_detail", pk=account.pk)
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "form": form,
            "editable": editable,
            "history": object_history(actor=request.user, obj=account),
            "region_options": selectors.region_options(actor=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_password(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    account = _get_account(request, pk, "change")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set_password(
                actor=request.user, account=account, password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The password of %(name)s was reset.") % {"name": account})
            return redirect("accounts:account_detail", pk=account.pk)
    return render(
        request,
        "accounts/account_form.html",
        {"form": form, "title": _("Reset the password of %(name)s") % {"name": account}},
    )


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
