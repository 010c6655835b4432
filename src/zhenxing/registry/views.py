"""Registry pages: household list with filters, household and person pages, audited reveal,
and exports (masked; unmasked only for a permitted role, audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zhenxing.core.accounts.roles import can_export, has_permission
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.selectors import object_history
from zhenxing.core.audit.services import audit_bulk
from zhenxing.core.errors import DomainError, Forbidden, NotFound
from zhenxing.core.scoping import get_for_user
from zhenxing.core.sensitive import decrypt
from zhenxing.core.views import add_domain_error, paginate, raise_http
from zhenxing.core.web.export import Column, table_response
from zhenxing.io.forms import ImportUploadForm
from zhenxing.io.jobs import import_run_cancel, import_run_submit, progress_of
from zhenxing.io.models import ImportRun, ImportStatus
from zhenxing.io.reports import error_report_xlsx, error_summary, template_xlsx
from zhenxing.io.services import run_errors
from zhenxing.registry import selectors, services
from zhenxing.registry.forms import HouseholdForm, PersonForm
from zhenxing.registry.importers import household_person_spec
from zhenxing.registry.models import Household, MonitoringStatus, Person

GAPS = [
    ("any", gettext_lazy("any gap")),
    ("food", gettext_lazy("food")),
    ("clothing", gettext_lazy("clothing")),
    ("education", gettext_lazy("education")),
    ("medical", gettext_lazy("medical care")),
    ("housing", gettext_lazy("housing")),
    ("water", gettext_lazy("drinking water")),
]


def _filters(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    status = get.get("monitoring_status") or None
    gap = get.get("gap") or None
    return {
        "village": get.get("village") or None,
        "q": get.get("q") or None,
        "monitoring_status": status if status in MonitoringStatus.values else None,
        "gap": gap if gap in dict(GAPS) else None,
    }


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    households = selectors.household_list(actor=request.user, **filters)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "registry/household_list.html",
        {
            "households": paginate(request, households),
            "filters": filters,
            "gaps": GAPS,
            "statuses": MonitoringStatus.choices,
            "query": params.urlencode(),
            "can_export": can_export(request.user),
            "can_add": has_permission(request.user, Household, "add"),
        },
    )


def _get(request: HttpRequest, model: Any, **lookup: Any) -> Any:
    try:
        return get_for_user(model.objects.all(), request.user, "view", **lookup)
    except DomainError as exc:
        raise_http(exc)
        raise


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _get(request, Household, pk=pk)
    members = household.members.select_related("ethnicity").order_by("status", "id")
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": members,
            "incomes": household.incomes.order_by("-year")[:5],
            # The household's shares in the village collective and the dividends paid on them.
            "shareholdings": household.shareholdings.select_related("organization"),
            "dividends": household.dividends.select_related("plan__organization").order_by(
                "-plan__year"
            )[:10],
            "history": object_history(actor=request.user, obj=household, limit=20),
            "can_reveal": has_permission(request.user, Person, "view_sensitive"),
            "can_add": has_permission(request.user, Person, "add"),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from zhenxing.party.models import CadrePosition, PartyMember

    person = _get(request, Person, pk=pk)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            # The party's link to the registry: where this person stands and what they hold.
            "party_member": PartyMember.objects.visible_to(request.user)
            .filter(person=person)
            .select_related("organization")
            .first(),
            "posts": CadrePosition.objects.visible_to(request.user)
            .filter(person=person)
            .select_related("village")
            .order_by("-started_on"),
            "memberships": person.memberships.select_related("household").order_by("joined_on"),
            "history": object_history(actor=request.user, obj=person, limit=20),
            "can_reveal": has_permission(request.user, Person, "view_sensitive"),
        },
    )


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: swap the masked ID number and phone for the clear ones (audited)."""
    person = _get(request, Person, pk=pk)
    try:
        revealed = services.person_reveal(actor=request.user, person=person)
    except DomainError as exc:
        raise_http(exc)
        raise
    return render(request, "registry/_revealed.html", {"person": person, **revealed})


@login_required
def household_export(request: HttpRequest) -> HttpResponseBase:
    """Persons of the filtered households, masked; ``?unmasked=1`` for a permitted role."""
    if not can_export(request.user):
        raise_http(Forbidden())
    unmasked = request.GET.get("unmasked") == "1"
    if unmasked and not has_permission(request.user, Person, "view_sensitive"):
        raise_http(Forbidden())
    filters = _filters(request)
    households = selectors.household_list(actor=request.user, **filters)
    persons = (
        Person.objects.visible_to(request.user)
        .filter(household__in=households.values("pk"))
        .select_related("household", "household__village", "household__group", "ethnicity")
        .order_by("household__number", "id")
    )
    if unmasked:
        # One audit row per person exported in clear, written before the file is produced.
        audit_bulk(
            actor=request.user,
            items=[
                (AuditAction.EXPORT_SENSITIVE, p, {"fields": ["id_number", "phone"]})
                for p in persons.iterator(chunk_size=2000)
            ],
        )
    columns = [
        Column("household", _("household number"), 14),
        Column("village", _("village"), 14),
        Column("group", _("villager group"), 12),
        Column("name", _("name"), 10),
        Column("id_number", _("ID number"), 22),
        Column("sex", _("sex"), 6),
        Column("birth_date", _("birth date"), 12),
        Column("ethnicity", _("ethnic group"), 10),
        Column("relation", _("relation to the head"), 12),
        Column("phone", _("phone"), 14),
        Column("status", _("status"), 8),
    ]

    def rows() -> Any:
        for p in persons.iterator(chunk_size=2000):
            yield {
                "household": p.household.number,
                "village": p.household.village.name,
                "group": p.household.group.name if p.household.group else "",
                "name": p.name,
                "id_number": decrypt(p.id_number_encrypted, purpose=services.ID_PURPOSE)
                if unmasked
                else p.id_number_masked,
                "sex": p.get_sex_display(),
                "birth_date": p.birth_date,
                "ethnicity": p.ethnicity.name,
                "relation": p.get_relation_display(),
                "phone": (
                    decrypt(p.phone_encrypted, purpose=services.PHONE_PURPOSE)
                    if p.phone_encrypted
                    else ""
                )
                if unmasked
                else p.phone_masked,
                "status": p.get_status_display(),
            }

    return table_response(
        fmt=request.GET.get("format", "xlsx"),
        columns=columns,
        rows=rows(),
        filename="households",
        sheet=_("households"),
    )


HOUSEHOLD_FORM_FIELDS = (
    "address",
    "labour_count",
    "registered_poor_year",
    "lifted_year",
    "monitoring_status",
    *Household.CHECKLIST,
    "checklist_checked_on",
)


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Household, "add"):
        raise_http(Forbidden())
    form = HouseholdForm(
        request.POST or None,
        actor=request.user,
        initial={"village": request.GET.get("village", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = services.household_create(
                actor=request.user,
                village=data["village"],
                group=data["group"],
                number=data["number"],
                **{k: data[k] for k in HOUSEHOLD_FORM_FIELDS},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Household %(number)s was registered.") % {"number": household.number}
            )
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("New household")})


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = _get(request, Household, pk=pk)
    if not has_permission(request.user, Person, "add"):
        raise_http(Forbidden())
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(
                actor=request.user, household=household, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": person.name})
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "household": household,
            "title": _("Add a person to household %(number)s") % {"number": household.number},
        },
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponseBase:
    return template_xlsx(household_person_spec(), filename=_("household-import-template"))


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file: every row is checked first; one bad row writes nothing."""
    if not has_permission(request.user, Household, "add"):
        raise_http(Forbidden())
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = import_run_submit(actor=request.user, kind="households", upload=upload)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("registry:import_result", pk=run.pk)
    runs = ImportRun.objects.visible_to(request.user).filter(actor_id=request.user.pk)[:10]
    return render(request, "registry/import.html", {"form": form, "runs": runs})


def _get_run(request: HttpRequest, pk: int) -> ImportRun:
    run = _get(request, ImportRun, pk=pk)
    if run.actor_id != request.user.pk:
        # An import's errors quote the importer's file: they are the importer's to read.
        raise_http(NotFound())
    return run


#: What the counts of the party imports are called on the result page.
PARTY_COUNT_LABELS = {
    "members_created": gettext_lazy("Members added"),
    "members_updated": gettext_lazy("Members updated"),
    "posts_created": gettext_lazy("Posts added"),
    "posts_updated": gettext_lazy("Posts updated"),
    "attendance_created": gettext_lazy("Attendance added"),
    "attendance_updated": gettext_lazy("Attendance updated"),
    "unchanged": gettext_lazy("Unchanged"),
}


def _upload_page(kind: str) -> str:
    """Where a file of this kind is uploaded again (after a cancel or errors)."""
    if kind == "vouchers":
        return reverse("economy:voucher_import")
    if kind.startswith("party_"):
        return reverse("party:import", args=[kind.removeprefix("party_")])
    return reverse("registry:import_upload")


@login_required
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    return render(
        request,
        "registry/import_result.html",
        {
            "run": run,
            "upload_url": _upload_page(run.kind),
            "party_counts": [
                (label, key, (run.counts or {}).get(key, 0))
                for key, label in PARTY_COUNT_LABELS.items()
                if key in (run.counts or {})
            ]
            if run.kind.startswith("party_")
            else [],
            "errors": error_summary(run_errors(run), limit=20),
            "progress": progress_of(run),
        },
    )


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment a running import's page polls (htmx, every second)."""
    run = _get_run(request, pk)
    if run.finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the whole page now shows the outcome
        return response
    return render(
        request,
        "registry/_import_progress.html",
        {"run": run, "progress": progress_of(run)},
    )


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_cancel(_get_run(request, pk))
    if run.status == ImportStatus.CANCELLED:
        messages.info(request, _("The import was cancelled: nothing was saved."))
    else:
        messages.info(request, _("The import will stop at its next batch of rows."))
    return redirect("registry:import_result", pk=run.pk)


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponseBase:
    run = _get_run(request, pk)
    return error_report_xlsx(run_errors(run), filename=f"import-{run.pk}-errors")
