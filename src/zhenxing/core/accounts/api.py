"""``/api/v1/auth/token`` and ``/api/v1/accounts``."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from zhenxing.core.accounts import selectors, services
from zhenxing.core.accounts.filtersets import AccountFilterSet
from zhenxing.core.accounts.models import ApiToken, User
from zhenxing.core.api import (
    ObjectId,
    Pagination,
    api_list,
    api_object,
    api_require,
    api_user,
    filter_params,
)
from zhenxing.core.audit.middleware import client_ip

auth_router = Router(tags=["auth"])
router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    region: str | None
    is_active: bool

    @staticmethod
    def resolve_region(obj: User) -> str | None:
        return obj.region.code if obj.region_id else None  # type: ignore[union-attr]


@auth_router.post("/token", response=TokenOut, auth=None, url_name="api_token")
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    token = services.token_issue(
        request=request,
        username=payload.username,
        password=payload.password,
        ip=client_ip(request),
    )
    return {"token": token}


class TokenInfoOut(Schema):
    """One of the caller's tokens: never the key, which is shown only when issued."""

    id: int
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime
    expired: bool

    @staticmethod
    def resolve_expired(obj: ApiToken) -> bool:
        return obj.is_expired


@auth_router.get("/tokens", response=list[TokenInfoOut], url_name="api_own_tokens")
@paginate(Pagination)
def list_own_tokens(request: HttpRequest) -> Any:
    """The caller's own API tokens, newest first, with when each expires."""
    return selectors.own_tokens(actor=api_user(request))


@auth_router.delete("/tokens/{token_id}", response={204: None}, url_name="api_token_revoke")
def revoke_own_token(request: HttpRequest, token_id: ObjectId) -> Any:
    """Revoke one of the caller's tokens (another user's answers 404). Audited."""
    services.token_revoke(actor=api_user(request), token_id=token_id)
    return Status(204, None)


def _require_manager(request: HttpRequest) -> None:
    api_require(request, "accounts.user.change")


AccountParams = filter_params(AccountFilterSet)


@router.get("/", response=list[AccountOut], url_name="api_account_list")
@paginate(Pagination)
def list_accounts(request: HttpRequest, filters: Query[AccountParams]) -> Any:  # type: ignore[valid-type]
    """Accounts the caller manages (city and township administrators)."""
    _require_manager(request)
    return api_list(request, AccountFilterSet, selectors.account_list(actor=request.user))


@router.get("/{account_id}", response=AccountOut, url_name="api_account_detail")
def get_account(request: HttpRequest, account_id: ObjectId) -> Any:
    _require_manager(request)
    return api_object(User.objects.select_related("region"), request, "view", pk=account_id)
