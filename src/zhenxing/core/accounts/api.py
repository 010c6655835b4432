"""``/api/v1/auth/token`` and ``/api/v1/accounts``."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zhenxing.core.accounts import selectors, services
from zhenxing.core.accounts.models import User
from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.middleware import client_ip
from zhenxing.core.errors import Forbidden
from zhenxing.core.scoping import get_for_user

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


def _require_manager(request: HttpRequest) -> None:
    if not has_permission(request.user, User, "change"):
        raise Forbidden()


@router.get("/", response=list[AccountOut], url_name="api_account_list")
@paginate(LimitOffsetPagination)
def list_accounts(request: HttpRequest, q: str | None = None, role: str | None = None) -> Any:
    _require_manager(request)
    return selectors.account_list(actor=request.user, q=q, role=role)


@router.get("/{account_id}", response=AccountOut, url_name="api_account_detail")
def get_account(request: HttpRequest, account_id: int) -> Any:
    _require_manager(request)
    return get_for_user(User.objects.select_related("region"), request.user, "view", pk=account_id)
