"""Import pages for party members, village cadres and training attendance: the upload form with
the caller's recent runs, and each import's blank template. The upload goes through the import
framework (``zhenxing.io.jobs.import_run_submit``); its outcome is the shared result page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.generic import View

from zhenxing.core.errors import DomainError
from zhenxing.core.web.views import KernelMixin, add_domain_error
from zhenxing.io.forms import ImportUploadForm
from zhenxing.io.jobs import import_run_submit
from zhenxing.io.reports import template_xlsx
from zhenxing.io.selectors import import_runs_recent
from zhenxing.io.specs import ImportSpec
from zhenxing.party import importers
from zhenxing.party.models import Attendance, CadrePosition, PartyMember


@dataclass(frozen=True)
class ImportPage:
    """One of the party imports, as its page presents it."""

    kind: str  # the import framework's kind
    model: type[models.Model]  # adding these needs the "add" permission
    spec: Callable[[], ImportSpec]
    title: Promise
    intro: Promise
    filename: Promise


PAGES: dict[str, ImportPage] = {
    "members": ImportPage(
        kind="party_members",
        model=PartyMember,
        spec=importers.member_spec,
        title=gettext_lazy("Import party members"),
        intro=gettext_lazy(
            "One row per person, who must already be in the registry: their organisation, stage "
            "and the date of every step up to it, and from the development-target stage on their "
            "two introducers. Steps before their minimum interval are refused: an exception is "
            "recorded by an approver on the member's page."
        ),
        filename=gettext_lazy("party-member-import-template"),
    ),
    "cadres": ImportPage(
        kind="party_cadres",
        model=CadrePosition,
        spec=importers.cadre_spec,
        title=gettext_lazy("Import village cadres"),
        intro=gettext_lazy(
            "One row per post held: the village's code, the holder's ID number, the post and its "
            "start date. Party posts need a party member; incompatible posts and a second holder "
            "of a single-seat post are refused, among the file's rows too."
        ),
        filename=gettext_lazy("village-cadre-import-template"),
    ),
    "attendance": ImportPage(
        kind="party_attendance",
        model=Attendance,
        spec=importers.attendance_spec,
        title=gettext_lazy("Import training attendance"),
        intro=gettext_lazy(
            "One row per trainee: the session (course code, first day, organiser's code), the "
            "village where the trainee holds a post, their ID number and result. Attendance for "
            "a cancelled session, or one that has not begun, is refused."
        ),
        filename=gettext_lazy("training-attendance-import-template"),
    ),
}


def _page(kind: str) -> ImportPage:
    try:
        return PAGES[kind]
    except KeyError:
        raise Http404 from None


class PartyImportView(KernelMixin, View):
    """Upload a file of ``kind``: checked whole, written whole; the result page follows."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        page = _page(kind)
        if not self.can(f"party.{page.model._meta.model_name}.add"):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = import_run_submit(
                    actor=request.user, kind=page.kind, upload=form.cleaned_data["file"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("registry:import_result", pk=run.pk)
        runs = import_runs_recent(actor=request.user, kind=page.kind)
        spec = page.spec()
        return render(
            request,
            "party/import.html",
            {"form": form, "runs": runs, "page": page, "kind": kind, "fields": spec.fields},
        )

    post = get


class PartyImportTemplateView(KernelMixin, View):
    """The blank template of an import: the same for everyone, bound to no region."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, kind: str) -> HttpResponseBase:
        page = _page(kind)
        return template_xlsx(page.spec(), filename=str(page.filename))


urlpatterns: list[URLPattern] = [
    path("import/<slug:kind>/", PartyImportView.as_view(), name="import"),
    path("import/<slug:kind>/template/", PartyImportTemplateView.as_view(), name="import_template"),
]
