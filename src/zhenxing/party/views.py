"""Party-building pages: the dashboard with drill-down, organisations, the pipeline worklist,
village cadres and election readiness, the reserve pool."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
