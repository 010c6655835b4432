"""Registry pages on the web kernel: household list with filters (HouseholdFilterSet, the same
as the API's and the export's), household and person pages, audited reveal, forms, and the
export (masked; unmasked only for a permitted role, audited). The import pages are io's
(``zhenxing.io.views``); the registry's URLs for them serve io's views for the households kind.

No view here looks up scope or permissions itself: the kernel does (``core.web.views``)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import View

from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.selectors import object_history
from zhenxing.core.audit.services import audit_bulk
from zhenxing.core.errors import Forbidden
from zhenxing.core.web.export import Column, table_response
from zhenxing.core.web.params import choice_param
from zhenxing.core.web.views import (
    EXPORT_FORMATS,
    KernelMixin,
    ScopedDetailView,
    ScopedExportView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
)
from zhenxing.registry import selectors, services
from zhenxing.registry.choices import MonitoringStatus
from zhenxing.registry.filtersets import GAPS, POVERTY, HouseholdFilterSet
from zhenxing.registry.forms import HouseholdEditForm, HouseholdForm, PersonEditForm, PersonForm
from zhenxing.registry.models import Household, Person
from zhenxing.registry.panels import household_panels, person_panels

VIEW_SENSITIVE = "registry.person.view_sensitive"


class HouseholdListView(ScopedListView):
    template_name = "registry/household_list.html"
    filterset_class = HouseholdFilterSet

    def get_base_queryset(self) -> Any:
        return selectors.household_list(actor=self.actor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.object_list = selectors.with_member_counts(page.object_list)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            households=page,
            filters=self.request.GET,
            gaps=GAPS,
            poverty=POVERTY,
            statuses=[(v, label) for v, label in MonitoringStatus.choices if v],
            query=params.urlencode(),
            can_export=self.can("export"),
            can_add=self.can("registry.household.add"),
            search_truncated=bool(self.filterset and self.filterset.search_truncated),
            search_limit=selectors.SEARCH_IDS_LIMIT,
        )
        return context


class HouseholdDetailView(ScopedDetailView):
    model = Household
    template_name = "registry/household_detail.html"
    context_object_name = "household"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        household = self.object
        context.update(
            members=selectors.household_members(household=household),
            incomes=household.incomes.order_by("-year")[:5],
            # The household's shares in the village collective and the dividends paid on them.
            shareholdings=household.shareholdings.select_related("organization"),
            dividends=household.dividends.select_related("plan__organization").order_by(
                "-plan__year"
            )[:10],
            # What other apps show about this household.
            panels=household_panels(actor=self.actor, household=household),
            history=object_history(actor=self.actor, obj=household, limit=20),
            gaps=GAPS,  # the 两不愁三保障 items, to name the failing ones
            can_reveal=self.can(VIEW_SENSITIVE),
            can_add=self.can("registry.person.add"),
            can_edit=self.can(HouseholdEditView.permission),
        )
        return context


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "registry/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.object
        context.update(
            # What other apps (party: membership and posts) show about this person.
            panels=person_panels(actor=self.actor, person=person),
            memberships=person.memberships.select_related("household").order_by("joined_on"),
            history=object_history(actor=self.actor, obj=person, limit=20),
            can_reveal=self.can(VIEW_SENSITIVE),
            can_edit=self.can(PersonEditView.permission),
        )
        return context


class PersonRevealView(KernelMixin, ScopedObjectMixin, View):
    """htmx: swap the masked ID number and phone for the clear ones (audited)."""

    model = Person
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.get_object()
        revealed = services.person_reveal(actor=self.actor, person=person)
        return render(request, "registry/_revealed.html", {"person": person, **revealed})


class HouseholdExportView(ScopedExportView):
    """Persons of the filtered households, masked; ``?unmasked=1`` for a permitted role."""

    filterset_class = HouseholdFilterSet

    def get_base_queryset(self) -> Any:
        return selectors.household_list(actor=self.actor)

    @property
    def unmasked(self) -> bool:
        return self.request.GET.get("unmasked") == "1"

    def export_response(self, queryset: Any) -> Any:
        self.check_export_permission()
        if self.unmasked and not self.can(VIEW_SENSITIVE):
            raise Forbidden()
        fmt = choice_param(self.request, "format", EXPORT_FORMATS, EXPORT_FORMATS[0])
        return table_response(
            fmt=fmt,
            columns=self.export_columns(),
            rows=self.export_rows(queryset),
            filename=self.export_filename(),
            sheet=_("households"),  # in the reader's language, so not the class's sheet name
        )

    def export_filename(self) -> str:
        return "households"

    def export_columns(self) -> list[Column]:
        return [
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

    def export_rows(self, queryset: Any) -> Any:
        unmasked = self.unmasked
        if unmasked:
            # One audit row per person exported in clear, written before the file is produced.
            persons = selectors.persons_of_households(actor=self.actor, households=queryset)
            audit_bulk(
                actor=self.actor,
                items=[
                    (AuditAction.EXPORT_SENSITIVE, p, {"fields": ["id_number", "phone"]})
                    for p in persons.iterator(chunk_size=2000)
                ],
            )
        return selectors.household_export_rows(
            actor=self.actor, households=queryset, unmasked=unmasked
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


class HouseholdCreateView(ServiceFormView):
    permission = "registry.household.add"
    template_name = "registry/form.html"
    form_class = HouseholdForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.actor
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"village": self.request.GET.get("village", "")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("New household"), **kwargs)

    def perform(self, form: Any) -> Household:
        data = form.cleaned_data
        return services.household_create(
            actor=self.actor,
            village=data["village"],
            group=data["group"],
            number=data["number"],
            **{k: data[k] for k in HOUSEHOLD_FORM_FIELDS},
        )

    def get_success_message(self) -> str:
        return _("Household %(number)s was registered.") % {"number": self.result.number}

    def get_success_url(self) -> str:
        return reverse("registry:household_detail", args=[self.result.pk])


class PersonCreateView(ScopedObjectMixin, ServiceFormView):
    """Register a person in a household of the reader's scope."""

    permission = "registry.person.add"
    model = Household
    template_name = "registry/form.html"
    form_class = PersonForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        household = self.get_object()
        return super().get_context_data(
            household=household,
            title=_("Add a person to household %(number)s") % {"number": household.number},
            **kwargs,
        )

    def perform(self, form: Any) -> Person:
        return services.person_register(
            actor=self.actor, household=self.get_object(), **form.cleaned_data
        )

    def get_success_message(self) -> str:
        return _("%(name)s was registered.") % {"name": self.result.name}

    def get_success_url(self) -> str:
        return reverse("registry:household_detail", args=[self.get_object().pk])


class EditViewMixin(ScopedObjectMixin):
    """A correction of one object of the reader's scope: another region's is 404; a role
    without the change permission is refused (403) before anything is looked up."""

    object_action = "change"
    template_name: str | None = "registry/form.html"
    #: The page's title, with the object's ``label_field`` as ``name`` (marked, translated
    #: when shown); the object's page, where both saving and cancelling lead.
    title: ClassVar[str] = ""
    label_field: ClassVar[str] = ""
    detail_url_name: ClassVar[str] = ""

    @property
    def label(self) -> str:
        return str(getattr(self.get_object(), self.label_field))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(  # type: ignore[misc]
            title=_(self.title) % {"name": self.label},
            cancel_url=self.get_success_url(),
            **kwargs,
        )

    def get_success_url(self) -> str:
        return reverse(self.detail_url_name, args=[self.get_object().pk])

    def get_success_message(self) -> str:
        return _("%(name)s was saved.") % {"name": self.label}


class HouseholdEditView(EditViewMixin, ServiceFormView):
    permission = "registry.household.change"
    model = Household
    form_class = HouseholdEditForm
    title = gettext_noop("Edit household %(name)s")
    label_field = "number"
    detail_url_name = "registry:household_detail"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"actor": self.actor}

    def get_initial(self) -> dict[str, Any]:
        return HouseholdEditForm.initial_for(self.get_object())

    def perform(self, form: Any) -> Household:
        data = form.cleaned_data
        return services.household_update(
            actor=self.actor,
            household=self.get_object(),
            group=data["group"],
            **{k: data[k] for k in HOUSEHOLD_FORM_FIELDS},
        )


class PersonEditView(EditViewMixin, ServiceFormView):
    permission = "registry.person.change"
    model = Person
    form_class = PersonEditForm
    title = gettext_noop("Edit %(name)s")
    label_field = "name"
    detail_url_name = "registry:person_detail"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {
            "person": self.get_object(),
            "can_unmask": self.can(VIEW_SENSITIVE),
        }

    def get_initial(self) -> dict[str, Any]:
        return PersonEditForm.initial_for(self.get_object())

    def perform(self, form: Any) -> Person:
        data = form.cleaned_data
        return services.person_update(
            actor=self.actor,
            person=self.get_object(),
            confirm_warnings=bool(data.get("confirm_warnings")),
            **{k: data[k] for k in PersonEditForm.PLAIN},
            **form.sensitive_changes,
        )
