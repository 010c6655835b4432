"""Account writes and authentication. Every write: validate → scope check → write → audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.accounts.models import ApiToken, LoginFailure, User
from zhenxing.core.accounts.roles import ROLE_REGION_KINDS, Role
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import (
    audit_create,
    audit_record,
    audit_update,
    snapshot,
)
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import ensure_can_add_under, ensure_still_in_scope, get_for_user


class LoginLocked(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("Too many failed logins. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)},
            code="login_locked",
        )


def _recent_failures(*, username: str, ip: str | None) -> int:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    by_name = LoginFailure.objects.filter(at__gte=since, username__iexact=username).count()
    by_ip = LoginFailure.objects.filter(at__gte=since, ip=ip).count() if ip else 0
    return max(by_name, by_ip)


def login_authenticate(*, request: Any, username: str, password: str, ip: str | None) -> User:
    """Check a username and password, throttled per username and per address.

    A locked account answers "locked" even to the right password, so guessing gains nothing.
    """
    username = (username or "").strip()
    if _recent_failures(username=username, ip=ip) >= settings.LOGIN_FAILURE_LIMIT:
        raise LoginLocked()
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username[:150], ip=ip)
        if _recent_failures(username=username, ip=ip) >= settings.LOGIN_FAILURE_LIMIT:
            raise LoginLocked()
        raise DomainError(_("Wrong username or password."), code="login_failed")
    LoginFailure.objects.filter(username__iexact=username).delete()
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)
    return user


def token_issue(*, request: Any, username: str, password: str, ip: str | None) -> str:
    """Issue an API bearer token for a username and password (same throttle as the page)."""
    user = login_authenticate(request=request, username=username, password=password, ip=ip)
    return ApiToken.issue(user)


def _check_role_region(role: str, region: Region | None) -> None:
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if region is None:
        raise DomainError(_("An account must be bound to a region."), field="region")
    if region.kind not in ROLE_REGION_KINDS[role]:
        raise DomainError(
            _("An account with the role “%(role)s” cannot be bound to a region of kind “%(kind)s”.")
            % {"role": Role(role).label, "kind": region.get_kind_display()},
            field="region",
        )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0], field="password", errors={"password": list(exc.messages)}
        ) from exc


def check_new_account(user: User, password: str) -> None:
    """The rules every new account meets, whoever creates it (a page, the API, a command)."""
    _check_role_region(user.role, user.region)
    if not user.username:
        raise DomainError(_("A username is required."), field="username")
    if User.objects.filter(username__iexact=user.username).exists():
        raise DomainError(_("This username is taken."), field="username")
    _check_password(password, user)


def _manageable(actor: Any) -> Any:
    # Accounts in scope, never the actor's own: nobody widens or deactivates themselves.
    return User.objects.exclude(pk=getattr(actor, "pk", None))


def account_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    role: str,
    region: Region,
    password: str,
) -> User:
    username = username.strip()
    with transaction.atomic():
        ensure_can_add_under(actor, User, region)
        user = User(username=username, full_name=full_name.strip(), role=role, region=region)
        check_new_account(user, password)
        user.set_password(password)
        user.save()
        ensure_still_in_scope(actor, user)
        audit_create(actor=actor, obj=user)
        return user


def account_update(
    *,
    actor: Any,
    account: User,
    full_name: str,
    role: str,
    region: Region,
    is_active: bool,
) -> User:
    with transaction.atomic():
        account = get_for_user(
            _manageable(actor).select_for_update(), actor, "change", pk=account.pk
        )
        # The new region must also be one the actor may add accounts to.
        ensure_can_add_under(actor, User, region)
        _check_role_region(role, region)
        before = snapshot(account)
        account.full_name, account.role = full_name.strip(), role
        account.region, account.is_active = region, is_active
        account.save()
        ensure_still_in_scope(actor, account)
        audit_update(actor=actor, obj=account, before=before)
        return account


def account_set_password(*, actor: Any, account: User, password: str) -> User:
    """An administrator resets someone else's password (the holder uses password change)."""
    with transaction.atomic():
        account = get_for_user(
            _manageable(actor).select_for_update(), actor, "change", pk=account.pk
        )
        _check_password(password, account)
        account.set_password(password)
        account.save(update_fields=["password"])
        # Old API tokens die with the old password.
        ApiToken.objects.filter(user=account).delete()
        audit_record(actor=actor, action=AuditAction.PASSWORD, obj=account)
        return account


def own_password_change(*, user: User, old_password: str, new_password: str) -> None:
    with transaction.atomic():
        if not user.check_password(old_password):
            raise DomainError(_("The current password is wrong."), field="old_password")
        _check_password(new_password, user)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action=AuditAction.PASSWORD, obj=user)
