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
from zhenxing.core.accounts.roles import ROLE_REGION_KINDS, Role, assignable_roles
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import (
    audit_create,
    audit_record,
    audit_update,
    snapshot,
)
from zhenxing.core.errors import DomainError, NotFound
from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import (
    ensure_can_add_under,
    ensure_still_in_scope,
    get_for_user,
    scope_code,
)


class LoginLocked(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("Too many failed logins. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)},
            code="login_locked",
        )


def _attempts_in_window(*, username: str, ip: str | None) -> int:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    by_name = LoginFailure.objects.filter(at__gte=since, username=username).count()
    by_ip = LoginFailure.objects.filter(at__gte=since, ip=ip).count() if ip else 0
    return max(by_name, by_ip)


def login_authenticate(*, request: Any, username: str, password: str, ip: str | None) -> User:
    """Check a username and password, throttled per username and per address.

    Every attempt is recorded *before* the password is checked and counted after, so a burst
    of concurrent guesses cannot all slip under the limit (check-then-act would let them); a
    successful login clears the username's record. A locked account answers "locked" even to
    the right password, so guessing gains nothing.
    """
    username = (username or "").strip()
    key = username.lower()[:150]
    LoginFailure.objects.create(username=key, ip=ip)
    if _attempts_in_window(username=key, ip=ip) > settings.LOGIN_FAILURE_LIMIT:
        raise LoginLocked()
    user = authenticate(request, username=username[:150], password=password)
    if user is None:
        target = User.objects.filter(username=username[:150]).select_related("region").first()
        if target is not None:
            audit_record(actor=target, action=AuditAction.LOGIN_FAILED, obj=target)
        if _attempts_in_window(username=key, ip=ip) >= settings.LOGIN_FAILURE_LIMIT:
            raise LoginLocked()
        raise DomainError(_("Wrong username or password."), code="login_failed")
    LoginFailure.objects.filter(username=key).delete()
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)
    return user


def token_issue(*, request: Any, username: str, password: str, ip: str | None) -> str:
    """Issue an API bearer token for a username and password (same throttle as the page)."""
    user = login_authenticate(request=request, username=username, password=password, ip=ip)
    with transaction.atomic():
        token, key = ApiToken.mint(user)
        _audit_token(actor=user, token=token, action=AuditAction.TOKEN_ISSUE)
    return key


def token_create(*, actor: User) -> str:
    """A signed-in user makes themselves a new API token (the key is shown once)."""
    with transaction.atomic():
        token, key = ApiToken.mint(actor)
        _audit_token(actor=actor, token=token, action=AuditAction.TOKEN_ISSUE)
    return key


def _audit_token(*, actor: Any, token: ApiToken, action: str) -> None:
    # The entry belongs to the holder's region, so their auditors read it; never the key.
    region = token.user.region
    audit_record(
        actor=actor,
        action=action,
        obj=token,
        region_code=region.code if region else "",
        changes={"user": token.user.get_username(), "created_at": token.created_at.isoformat()},
    )


def token_revoke(*, actor: Any, token_id: int) -> None:
    """The holder revokes one of their own API tokens (someone else's is not found)."""
    user_id: int = getattr(actor, "pk", None) or 0
    with transaction.atomic():
        token = (
            # Lock the token row only: the holder's region is an outer join (it may be null),
            # and PostgreSQL cannot lock the nullable side of one.
            ApiToken.objects.select_for_update(of=("self",))
            .select_related("user__region")
            .filter(pk=token_id, user_id=user_id)
            .first()
        )
        if token is None:
            raise NotFound()
        _audit_token(actor=actor, token=token, action=AuditAction.TOKEN_REVOKE)
        token.delete()


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


def _check_username(username: str) -> None:
    if not username:
        raise DomainError(_("A username is required."), field="username")
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="username") from exc
    if len(username) > 150:
        raise DomainError(_("A username has at most 150 characters."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is taken."), field="username")


def _check_full_name(full_name: str) -> None:
    if len(full_name) > 64 or any(ord(ch) < 32 for ch in full_name):
        raise DomainError(
            _("A full name has at most 64 characters and no control characters."),
            field="full_name",
        )


def check_new_account(user: User, password: str) -> None:
    """The rules every new account meets, whoever creates it (a page, the API, a command)."""
    _check_role_region(user.role, user.region)
    _check_username(user.username)
    _check_full_name(user.full_name)
    _check_password(password, user)


def _check_grant(actor: Any, role: str, region: Region) -> None:
    """What a manager may hand out: accounts strictly below their own region, with a role
    whose permissions are all ones the manager holds.

    So a township officer creates village cadres and grid workers, never a peer officer or an
    auditor (who could then read what the officer may not, or watch the officer's peers);
    accounts at a manager's own level are managed from the level above (the city's own, by the
    operator's ``create_account`` command).
    """
    ensure_can_add_under(actor, User, region)
    if region.code == scope_code(actor):
        raise DomainError(
            _("Accounts at your own level are managed by the level above."), field="region"
        )
    if role not in assignable_roles(actor):
        raise DomainError(_("You may not grant this role."), field="role")


def account_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    role: str,
    region: Region,
    password: str,
) -> User:
    username, full_name = username.strip(), full_name.strip()
    with transaction.atomic():
        _check_grant(actor, role, region)
        user = User(username=username, full_name=full_name, role=role, region=region)
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
    full_name = full_name.strip()
    with transaction.atomic():
        # writable_by excludes accounts at the actor's own level, the actor's own included:
        # nobody widens, moves or deactivates themselves or their peers.
        account = get_for_user(User.objects.select_for_update(), actor, "change", pk=account.pk)
        _check_grant(actor, role, region)
        _check_role_region(role, region)
        _check_full_name(full_name)
        before = snapshot(account)
        account.full_name, account.role = full_name, role
        account.region, account.is_active = region, is_active
        account.save()
        ensure_still_in_scope(actor, account)
        audit_update(actor=actor, obj=account, before=before)
        return account


def _replace_password(*, actor: Any, account: User, password: str) -> None:
    _check_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    # Old API tokens die with the old password.
    ApiToken.objects.filter(user=account).delete()
    audit_record(actor=actor, action=AuditAction.PASSWORD, obj=account)


def account_set_password(*, actor: Any, account: User, password: str) -> User:
    """An administrator resets someone else's password (the holder uses password change)."""
    with transaction.atomic():
        account = get_for_user(User.objects.select_for_update(), actor, "change", pk=account.pk)
        _replace_password(actor=actor, account=account, password=password)
        return account


def own_password_change(*, user: User, old_password: str, new_password: str) -> None:
    with transaction.atomic():
        if not user.check_password(old_password):
            raise DomainError(_("The current password is wrong."), field="old_password")
        _replace_password(actor=user, account=user, password=new_password)


def password_set_by_operator(*, label: str, account: User, password: str) -> None:
    """An operator's command (``changepassword``, ``demo``) sets a password: same rules, audited."""
    with transaction.atomic():
        _replace_password(actor=label, account=account, password=password)
