"""What every page's shell needs: the navigation the user's role allows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhenxing.core.accounts.roles import can_view_audit_log, has_permission


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from zhenxing.core.accounts.models import User

    return {
        "nav_can_manage_accounts": has_permission(user, User, "change"),
        "nav_can_view_audit": can_view_audit_log(user),
    }
