"""The grid worker's phone pages (mobile-first, one thumb) and the endpoint their offline
queue sends visits to. The pages are cached by the service worker (``sw.js``); the visit form
always goes through the queue, so a visit made without signal and one made with it take the
same path."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from zhenxing.core.accounts.roles import Role
from zhenxing.core.errors import Conflict, DomainError, http_status
from zhenxing.core.web.views import KernelMixin
from zhenxing.grid.selectors import grids as selectors
from zhenxing.grid.services.visits import CHECKLIST, visit_record
from zhenxing.registry import services as registry_services

#: The static files the phone pages use, cached by the service worker when it installs.
PHONE_STATIC = ("css/phone.css", "js/grid_phone.js")
_CHOICE = {"yes": True, "no": False, "unknown": None}


def phone_messages() -> dict[str, str]:
    """The queue's messages in the reader's language, for ``grid_phone.js``."""
    return {
        "queued": _("Saved on the phone; it will be sent when there is signal."),
        "sent": _("Sent."),
        "waiting": _("%n waiting to be sent"),
        "none_waiting": _("Nothing waiting"),
        "conflict": _("Someone else changed this household"),
        "keep_mine": _("Keep my changes"),
        "keep_theirs": _("Keep theirs, drop my changes"),
        "rejected": _("Refused"),
        "discard": _("Discard"),
        "offline": _("No signal: working offline"),
        "signed_out": _("Signed out: sign in again to send"),
        "retry": _("Send now"),
    }


class PhoneMixin(KernelMixin):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["phone_messages"] = phone_messages()
        context["is_grid_worker"] = getattr(self.actor, "role", "") == Role.GRID_WORKER
        return context


class PhoneHomeView(PhoneMixin, TemplateView):
    """Today's list: my grids' households not visited this month, gaps and flags first."""

    template_name = "grid/phone/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = selectors.phone_today(actor=self.actor)
        return context


class PhoneHouseholdView(PhoneMixin, TemplateView):
    """A household card: members, the checklist, the last visits, and the visit form."""

    template_name = "grid/phone/household.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            card = selectors.phone_card(actor=self.actor, household_id=int(self.kwargs["pk"]))
        except DomainError as exc:
            raise Http404 from exc
        context["card"] = card
        context["choices"] = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Unknown"))]
        context["checklist"] = [
            (name, label, "yes" if value is True else "no" if value is False else "unknown")
            for name, label, value in card.checklist
        ]
        return context


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``sw.js`` under /grid/m/, so its scope covers the phone pages; the list it precaches
    names the static files by their (hashed) URLs of this deployment."""
    urls = [reverse("grid:phone_home")] + [staticfiles_storage.url(p) for p in PHONE_STATIC]
    response = render(
        request,
        "grid/phone/sw.js",
        {
            "version": settings.PHONE_CACHE_VERSION,
            "precache": ", ".join(json.dumps(u) for u in urls),
        },
        content_type="application/javascript",
    )
    response["Cache-Control"] = "no-cache"
    return response


def _error(exc: DomainError, **extra: Any) -> JsonResponse:
    """A refusal as the queue reads it: 409 "conflict" or 400 "rejected" (a household outside
    the worker's grids is 400 with its reason, not 404: the phone shows why it stays queued)."""
    status = http_status(exc)
    body: dict[str, Any] = {
        "status": "conflict" if isinstance(exc, Conflict) else "rejected",
        "message": str(exc.message),
        "errors": exc.errors,
    }
    return JsonResponse(body | extra, status=400 if status == 404 else status)


@require_POST
def visit_sync(request: HttpRequest) -> JsonResponse:
    """One queued visit from a phone (multipart). 201 saved, 200 already saved (a retry),
    409 the household changed meanwhile (with its present values), 400 refused (why)."""
    user: Any = request.user
    if not user.is_authenticated:
        return JsonResponse({"status": "signed_out", "message": _("Sign in again.")}, status=401)
    data = request.POST
    try:
        client_id = uuid.UUID(data.get("client_id", ""))
    except ValueError:
        return _error(DomainError(_("The submission has no valid id."), field="client_id"))
    household = data.get("household", "")
    version = data.get("household_version", "")
    visited_at = parse_datetime(data.get("visited_at", "") or "")
    if not household.isdigit() or len(household) > 18 or not version.isdigit():
        return _error(DomainError(_("The submission names no household."), field="household"))
    if visited_at is None or timezone.is_naive(visited_at):
        return _error(DomainError(_("The visit's time is missing."), field="visited_at"))
    values: dict[str, Any] = {}
    for name in CHECKLIST:
        raw = data.get(f"value_{name}")
        if raw is None:
            continue
        if raw not in _CHOICE:
            return _error(DomainError(_("A checklist item is yes, no or unknown."), field=name))
        values[name] = _CHOICE[raw]
    try:
        result = visit_record(
            actor=user,
            client_id=client_id,
            household_id=int(household),
            visited_at=visited_at,
            household_version=int(version),
            checked=data.getlist("checked"),
            values=values,
            notes=data.get("notes", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            photos=request.FILES.getlist("photos"),
        )
    except Conflict as exc:
        if exc.code != "stale":
            return _error(exc)
        present = registry_services.household_check_values(household_id=int(household))
        return _error(
            exc,
            household={
                "version": registry_services.household_version(household_id=int(household)),
                "values": {k: present.get(k) for k in CHECKLIST},
            },
        )
    except DomainError as exc:
        if http_status(exc) == 403:
            return JsonResponse({"status": "rejected", "message": _("Not allowed.")}, status=403)
        return _error(exc)
    return JsonResponse(
        {"status": "saved" if result.created else "duplicate", "id": result.visit.pk},
        status=201 if result.created else 200,
    )


@require_GET
def visit_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A visit's photo, to readers of the visit's village only (never public media)."""
    if not request.user.is_authenticated:
        raise Http404
    try:
        photo = selectors.visit_photo(actor=request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response
