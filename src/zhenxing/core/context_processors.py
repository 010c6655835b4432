"""What every page's shell needs: the navigation the user's role allows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.permissions import AUDIT_VIEW


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_manage_accounts": has_permission(user, None, "accounts.user.change"),
        "nav_can_view_audit": has_permission(user, None, AUDIT_VIEW),
        # Menus offer only what the role may open (the page itself still answers 403).
        "nav_can_import_party": has_permission(user, None, "party.partymember.add"),
    }
