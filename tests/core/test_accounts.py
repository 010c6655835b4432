"""Logins, throttling, passwords and account management within a jurisdiction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, World
from zhenxing.core.accounts import services
from zhenxing.core.accounts.models import ApiToken, LoginFailure, User
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.errors import DomainError, Forbidden, NotFound


def login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_the_right_password_lands_home(world: World) -> None:
    client = Client()
    response = login(client, "officer_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AuditEntry.objects.filter(action="login", actor=world.officer_a).exists()


def test_wrong_password_is_refused_with_a_message(world: World) -> None:
    response = login(Client(), "officer_a", "wrong-password-123")
    assert response.status_code == 400
    assert "_auth_user_id" not in Client().session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_username_even_for_the_right_password(world: World) -> None:
    client = Client()
    for _ in range(3):
        login(client, "officer_a", "wrong-password-123")
    response = login(client, "officer_a", PASSWORD)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    # Every attempt is recorded before the password is checked: 3 failures + the refused one.
    assert LoginFailure.objects.filter(username="officer_a").count() == 4


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failures_from_one_address_lock_other_usernames_from_it(world: World) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    for name in ("a", "b", "c"):
        login(client, name, "whatever-password-1")
    assert login(client, "officer_b", PASSWORD).status_code == 400
    assert login(Client(REMOTE_ADDR="10.9.9.9"), "officer_b", PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_the_api_token_endpoint_shares_the_throttle(world: World) -> None:
    client = Client()
    for _ in range(3):
        client.post(
            "/api/v1/auth/token",
            {"username": "officer_a", "password": "nope-nope-nope"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "officer_a", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"


def test_inactive_account_cannot_log_in(world: World) -> None:
    User.objects.filter(pk=world.cadre_a.pk).update(is_active=False)
    assert login(Client(), "cadre_a", PASSWORD).status_code == 400


def test_passwords_shorter_than_12_characters_are_refused(world: World) -> None:
    with pytest.raises(DomainError) as exc:
        services.account_create(
            actor=world.city,
            username="short",
            full_name="",
            role="village_cadre",
            region=world.village_a,
            password="Ab1!ab1!ab1",
        )  # 11 characters
    assert exc.value.field == "password"
    assert not User.objects.filter(username="short").exists()


def test_city_admin_creates_a_township_officer(world: World) -> None:
    user = services.account_create(
        actor=world.city,
        username="new_officer",
        full_name="新干部",
        role="township_officer",
        region=world.township_b,
        password=PASSWORD,
    )
    assert user.check_password(PASSWORD)
    entry = AuditEntry.objects.get(action="create", object_id=str(user.pk))
    assert entry.changes["role"] == [None, "township_officer"]
    assert "password" not in entry.changes


def test_township_officer_cannot_create_an_account_above_the_township(world: World) -> None:
    with pytest.raises(NotFound):
        services.account_create(
            actor=world.officer_a,
            username="boss",
            full_name="",
            role="city_admin",
            region=world.county,
            password=PASSWORD,
        )


def test_role_must_fit_the_region_kind(world: World) -> None:
    with pytest.raises(DomainError) as exc:
        services.account_create(
            actor=world.officer_a,
            username="x",
            full_name="",
            role="township_officer",
            region=world.village_a,
            password=PASSWORD,
        )
    assert exc.value.field == "region"


def test_township_officer_cannot_move_an_account_out_of_the_township(world: World) -> None:
    with pytest.raises(NotFound):
        services.account_update(
            actor=world.officer_a,
            account=world.cadre_a,
            full_name="",
            role="village_cadre",
            region=world.village_b,
            is_active=True,
        )
    assert User.objects.get(pk=world.cadre_a.pk).region == world.village_a


def test_deactivation_is_audited_with_before_and_after(world: World) -> None:
    services.account_update(
        actor=world.officer_a,
        account=world.cadre_a,
        full_name="张三",
        role="village_cadre",
        region=world.village_a,
        is_active=False,
    )
    entry = AuditEntry.objects.get(action="update", object_id=str(world.cadre_a.pk))
    assert entry.changes["is_active"] == [True, False]
    assert entry.changes["full_name"] == ["Cadre_A", "张三"]


def test_nobody_manages_their_own_account(world: World) -> None:
    with pytest.raises(Forbidden):
        services.account_update(
            actor=world.officer_a,
            account=world.officer_a,
            full_name="",
            role="township_officer",
            region=world.township_a,
            is_active=False,
        )


def test_village_cadres_and_auditors_do_not_manage_accounts(world: World) -> None:
    for actor in (world.cadre_a, world.auditor):
        with pytest.raises(Forbidden):
            services.account_set_password(
                actor=actor, account=world.grid_a, password="a-brand-new-password"
            )


def test_password_reset_revokes_api_tokens(world: World) -> None:
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        {"username": "cadre_a", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/regions/", headers=headers).status_code == 200
    services.account_set_password(
        actor=world.officer_a, account=world.cadre_a, password="a-brand-new-password"
    )
    assert client.get("/api/v1/regions/", headers=headers).status_code == 401


def test_own_password_change_page(world: World, as_user) -> None:
    client = as_user(world.grid_a)
    bad = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password": "short", "new_password2": "short"},
    )
    assert bad.status_code == 200
    assert User.objects.get(pk=world.grid_a.pk).check_password(PASSWORD)
    ok = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password": "grid-worker-new-pass",
            "new_password2": "grid-worker-new-pass",
        },
    )
    assert ok.status_code == 302
    assert User.objects.get(pk=world.grid_a.pk).check_password("grid-worker-new-pass")


def test_account_pages_are_for_managers_only(world: World, as_user) -> None:
    assert as_user(world.grid_a).get(reverse("accounts:account_list")).status_code == 403
    assert as_user(world.city).get(reverse("accounts:account_list")).status_code == 200


def test_account_create_page_shows_field_errors(world: World, as_user) -> None:
    response = as_user(world.city).post(
        reverse("accounts:account_create"),
        {
            "username": "dup",
            "role": "village_cadre",
            "region": "520281004999",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["region"]


def test_outsider_without_a_region_sees_nothing(world: World, as_user) -> None:
    client = as_user(world.outsider)
    assert client.get(reverse("regions:region_detail", args=["520281"])).status_code == 404
    assert client.get("/api/v1/regions/").json() == {"items": [], "count": 0}


def test_create_account_command_makes_the_first_admin(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("ZHENXING_NEW_PASSWORD", "first-admin-password")
    call_command("create_account", "admin", role="city_admin", region="520281")
    admin = User.objects.get(username="admin")
    assert admin.check_password("first-admin-password") and admin.region == world.county
    entry = AuditEntry.objects.get(action="create", object_id=str(admin.pk))
    assert entry.source == "command" and entry.actor_label == "create_account"
    with pytest.raises(CommandError):
        call_command("create_account", "admin2", role="city_admin", region="520281004")
    monkeypatch.setenv("ZHENXING_NEW_PASSWORD", "short")
    with pytest.raises(CommandError):
        call_command("create_account", "admin3", role="city_admin", region="520281")
    assert not User.objects.filter(username__in=["admin2", "admin3"]).exists()


def test_failed_logins_of_an_existing_account_are_audited(world: World) -> None:
    login(Client(), "officer_a", "wrong-password-123")
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.object_id == str(world.officer_a.pk) and entry.region_code == "520281004"


def test_a_successful_login_clears_the_usernames_record(world: World) -> None:
    login(Client(), "officer_a", "wrong-password-123")
    assert login(Client(), "officer_a", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="officer_a").exists()


@pytest.mark.parametrize(
    ("role", "region_attr"),
    [
        ("auditor", "township_a"),  # an auditor at the officer's own level
        ("township_officer", "township_a"),  # a peer
        ("auditor", "village_a"),  # auditors read what officers may not
        ("city_admin", "county"),  # above
    ],
)
def test_township_officer_cannot_grant_these(world: World, role: str, region_attr: str) -> None:
    region = getattr(world, region_attr)
    with pytest.raises((DomainError, NotFound)):
        services.account_create(
            actor=world.officer_a,
            username="sock",
            full_name="",
            role=role,
            region=region,
            password=PASSWORD,
        )
    assert not User.objects.filter(username="sock").exists()


def test_township_officer_cannot_touch_peers_or_their_auditor(world: World) -> None:
    peer = User.objects.create(username="peer_a", role="township_officer", region=world.township_a)
    for target in (peer, world.auditor_a):
        with pytest.raises(Forbidden):
            services.account_set_password(
                actor=world.officer_a, account=target, password="another-long-password-9"
            )
        with pytest.raises(Forbidden):
            services.account_update(
                actor=world.officer_a,
                account=target,
                full_name="",
                role=target.role,
                region=world.township_a,
                is_active=False,
            )
    assert User.objects.get(pk=world.auditor_a.pk).is_active


def test_township_officer_cannot_promote_a_cadre_to_officer(world: World) -> None:
    with pytest.raises(DomainError):
        services.account_update(
            actor=world.officer_a,
            account=world.cadre_a,
            full_name="",
            role="township_officer",
            region=world.township_a,
            is_active=True,
        )
    assert User.objects.get(pk=world.cadre_a.pk).role == "village_cadre"


def test_city_admin_cannot_manage_the_city_auditor(world: World) -> None:
    with pytest.raises(Forbidden):
        services.account_set_password(
            actor=world.city, account=world.auditor, password="another-long-password-9"
        )


def test_the_role_choices_are_the_grantable_ones(world: World, as_user) -> None:
    form = as_user(world.officer_a).get(reverse("accounts:account_create")).context["form"]
    assert {value for value, _ in form.fields["role"].choices} == {
        "village_cadre",
        "grid_worker",
        "township_officer",
    }
    city_form = as_user(world.city).get(reverse("accounts:account_create")).context["form"]
    assert "auditor" in {value for value, _ in city_form.fields["role"].choices}


def test_out_of_scope_and_missing_regions_read_the_same(world: World, as_user) -> None:
    client = as_user(world.officer_a)
    data = {"username": "x", "role": "village_cadre", "password": PASSWORD}
    missing = client.post(reverse("accounts:account_create"), data | {"region": "520281004299"})
    other = client.post(reverse("accounts:account_create"), data | {"region": "520281001201"})
    assert missing.status_code == other.status_code == 200
    assert missing.context["form"].errors["region"] == other.context["form"].errors["region"]


def test_own_password_change_revokes_api_tokens(world: World, as_user) -> None:
    token = (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": "grid_a", "password": PASSWORD},
            content_type="application/json",
        )
        .json()["token"]
    )
    as_user(world.grid_a).post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password": "grid-worker-new-pass",
            "new_password2": "grid-worker-new-pass",
        },
    )
    response = Client().get("/api/v1/regions/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_django_createsuperuser_is_disabled(world: World) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="create_account"):
        call_command("createsuperuser", "--noinput", "--username", "root")
    assert not User.objects.filter(username="root").exists()


def test_changepassword_follows_the_rules_and_is_audited(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("ZHENXING_NEW_PASSWORD", "x")
    with pytest.raises(CommandError):
        call_command("changepassword", "city")
    monkeypatch.setenv("ZHENXING_NEW_PASSWORD", "recovered-by-operator")
    call_command("changepassword", "city")
    assert User.objects.get(username="city").check_password("recovered-by-operator")
    entry = AuditEntry.objects.get(action="password")
    assert entry.source == "command" and entry.actor_label == "changepassword"


# --- API tokens: listed and revoked by their holder, expiring, audited ------------------------


def _token(username: str) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["token"]


def test_issuing_a_token_is_audited_without_the_key(world: World) -> None:
    key = _token("officer_a")
    entry = AuditEntry.objects.get(action="token_issue")
    assert entry.actor == world.officer_a and entry.region_code == world.township_a.code
    assert key not in str(entry.changes) and ApiToken.hash_key(key) not in str(entry.changes)


def test_a_user_lists_and_revokes_their_own_tokens_through_the_api(world: World) -> None:
    first, second = _token("officer_a"), _token("officer_a")
    _token("officer_b")
    auth = {"Authorization": f"Bearer {first}"}
    listed = Client(headers=auth).get("/api/v1/auth/tokens").json()
    assert listed["count"] == 2
    assert {"id", "created_at", "last_used_at", "expires_at", "expired"} == set(listed["items"][0])
    assert "token" not in listed["items"][0] and "key_hash" not in listed["items"][0]
    other = ApiToken.objects.get(user=world.officer_b)
    assert Client(headers=auth).delete(f"/api/v1/auth/tokens/{other.pk}").status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()
    own = ApiToken.objects.get(key_hash=ApiToken.hash_key(second))
    assert Client(headers=auth).delete(f"/api/v1/auth/tokens/{own.pk}").status_code == 204
    assert not ApiToken.objects.filter(pk=own.pk).exists()
    revoked = AuditEntry.objects.get(action="token_revoke")
    assert revoked.actor == world.officer_a and revoked.object_id == str(own.pk)
    assert (
        Client(headers={"Authorization": f"Bearer {second}"}).get("/api/v1/regions/").status_code
        == 401
    )
    assert (
        Client(headers=auth).delete("/api/v1/auth/tokens/99999999999999999999").status_code == 400
    )


def test_an_expired_token_answers_401(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    key = _token("officer_a")
    auth = {"Authorization": f"Bearer {key}"}
    assert Client(headers=auth).get("/api/v1/regions/").status_code == 200
    settings.API_TOKEN_DAYS = 30
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert Client(headers=auth).get("/api/v1/regions/").status_code == 401
    token.refresh_from_db()
    assert token.is_expired


def test_token_pages_list_create_and_revoke_own_tokens_only(world: World, as_user) -> None:
    _token("officer_b")
    client = as_user(world.grid_a)  # any signed-in role manages its own tokens
    created = client.post(reverse("accounts:token_create"))
    assert created.status_code == 200
    token = ApiToken.objects.get(user=world.grid_a)
    assert token.key_hash == ApiToken.hash_key(created.context["key"])
    page = client.get(reverse("accounts:token_list"))
    assert page.status_code == 200 and list(page.context["tokens"]) == [token]
    other = ApiToken.objects.get(user=world.officer_b)
    assert client.post(reverse("accounts:token_revoke", args=[other.pk])).status_code == 404
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    revoked = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert revoked.status_code == 302 and not ApiToken.objects.filter(user=world.grid_a).exists()
    assert (
        AuditEntry.objects.filter(
            action__in=["token_issue", "token_revoke"], actor=world.grid_a
        ).count()
        == 2
    )
    assert Client().get(reverse("accounts:token_list")).status_code == 302  # login first


def test_a_bad_filter_on_the_accounts_page_is_a_400_naming_it(world: World, as_user) -> None:
    response = as_user(world.officer_a).get(reverse("accounts:account_list"), {"role": "bogus"})
    assert response.status_code == 400
    assert "role" in response.context["filter"].errors
    api = Client(headers={"Authorization": f"Bearer {_token('officer_a')}"})
    bad = api.get("/api/v1/accounts/", {"role": "bogus"})
    assert bad.status_code == 400 and "role" in bad.json()["errors"]
