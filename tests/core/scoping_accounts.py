"""Scoping cases for one's own API tokens: a user sees and revokes only their own.

Registered by importing this module from ``tests/core/test_scoping_matrix.py``.
"""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import World
from tests.core.test_scoping_matrix import api_route, web
from zhenxing.core.accounts.models import ApiToken


def _tokens(w: World) -> tuple[ApiToken, ApiToken]:
    return ApiToken.mint(w.officer_a)[0], ApiToken.mint(w.officer_b)[0]


@web("accounts:token_list")
def _token_list(w: World, as_user) -> None:  # type: ignore[no-untyped-def]
    own, other = _tokens(w)
    listed = list(as_user(w.officer_a).get(reverse("accounts:token_list")).context["tokens"])
    assert listed == [own] and other not in listed


@web("accounts:token_create")
def _token_create(w: World, as_user) -> None:  # type: ignore[no-untyped-def]
    assert as_user(w.officer_a).post(reverse("accounts:token_create")).status_code == 200
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["officer_a"]


@web("accounts:token_revoke")
def _token_revoke(w: World, as_user) -> None:  # type: ignore[no-untyped-def]
    own, other = _tokens(w)
    c = as_user(w.officer_a)
    assert c.post(reverse("accounts:token_revoke", args=[other.pk])).status_code == 404
    assert c.post(reverse("accounts:token_revoke", args=[own.pk])).status_code == 302
    assert list(ApiToken.objects.all()) == [other]


@api_route("GET /api/v1/auth/tokens")
def _api_tokens(w: World, as_user) -> None:  # type: ignore[no-untyped-def]
    own, _other = _tokens(w)
    ids = [t["id"] for t in as_user(w.officer_a).get("/api/v1/auth/tokens").json()["items"]]
    assert ids == [own.pk]


@api_route("DELETE /api/v1/auth/tokens/{token_id}")
def _api_token_revoke(w: World, as_user) -> None:  # type: ignore[no-untyped-def]
    own, other = _tokens(w)
    c = as_user(w.officer_a)
    assert c.delete(f"/api/v1/auth/tokens/{other.pk}").status_code == 404
    assert c.delete(f"/api/v1/auth/tokens/{own.pk}").status_code == 204
    assert list(ApiToken.objects.all()) == [other]
