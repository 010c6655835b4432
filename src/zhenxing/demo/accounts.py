"""The demo's logins, one per role (and a second village cadre to approve the first one's
vouchers), all in 盘州市 and its 红果街道."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from zhenxing.core.accounts.models import User
from zhenxing.core.accounts.roles import Role
from zhenxing.core.accounts.services import password_set_by_operator
from zhenxing.core.audit.services import audit_create, audit_update, snapshot
from zhenxing.core.regions.models import Region, RegionKind

COUNTY = "520281"
TOWNSHIP = "520281004"  # 红果街道

ACTOR = "demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    region: Region


def demo_password() -> str:
    """``ZHENXING_DEMO_PASSWORD``, or one generated once and kept in ``var/`` for re-runs."""
    import os

    from_env = os.environ.get("ZHENXING_DEMO_PASSWORD")
    if from_env:
        return from_env
    path = Path(settings.VAR_DIR) / "demo-password"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = "zx-" + secrets.token_urlsafe(12)
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return password


def demo_logins() -> list[DemoLogin]:
    county = Region.objects.get(code=COUNTY)
    township = Region.objects.get(code=TOWNSHIP)
    village = (
        Region.objects.filter(parent=township, kind=RegionKind.VILLAGE).order_by("code").first()
    )
    if village is None:
        raise RuntimeError("the demo township has no village; run the demo region loader first")
    return [
        DemoLogin("city", Role.CITY_ADMIN, county),
        DemoLogin("township", Role.TOWNSHIP_OFFICER, township),
        DemoLogin("village", Role.VILLAGE_CADRE, village),
        # The village's accountant (报账员): approves the vouchers "village" prepares.
        DemoLogin("accountant", Role.VILLAGE_CADRE, village),
        DemoLogin("grid", Role.GRID_WORKER, village),
        DemoLogin("auditor", Role.AUDITOR, county),
    ]


FULL_NAMES = {
    "city": "王建国",
    "township": "李红梅",
    "village": "张德明",
    "accountant": "刘玉兰",
    "grid": "杨小芳",
    "auditor": "陈立新",
}


def demo_accounts_upsert(password: str) -> list[DemoLogin]:
    """Create or refresh the demo accounts; the password is always reset to ``password``."""
    logins = demo_logins()
    with transaction.atomic():
        for login in logins:
            user = User.objects.filter(username=login.username).first()
            if user is None:
                user = User(
                    username=login.username,
                    full_name=FULL_NAMES[login.username],
                    role=login.role,
                    region=login.region,
                )
                user.set_password(password)
                user.save()
                audit_create(actor=ACTOR, obj=user)
                continue
            before = snapshot(user)
            user.role, user.region, user.is_active = login.role, login.region, True
            user.save()
            audit_update(actor=ACTOR, obj=user, before=before)
            if not user.check_password(password):
                password_set_by_operator(label=ACTOR, account=user, password=password)
    return logins
