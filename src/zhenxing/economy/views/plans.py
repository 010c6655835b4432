"""Pages for members' shares and income-distribution plans: the village proposes and approves,
the township's worklist decides, every household's dividend downloads as XLSX."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from zhenxing.core.errors import DomainError
from zhenxing.core.web.export import Column, table_response
from zhenxing.core.web.params import choice_param
from zhenxing.core.web.views import (
    EXPORT_FORMATS,
    EXPORT_PERMISSION,
    ExportMixin,
    KernelMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceActionView,
    ServiceFormView,
    paginate,
)
from zhenxing.economy import tables
from zhenxing.economy.filtersets import DistributionPlanFilterSet
from zhenxing.economy.forms.distribution import PlanForm, ShareholdingForm
from zhenxing.economy.models import DistributionPlan, PlanStatus, Shareholding
from zhenxing.economy.selectors import distribution as selectors
from zhenxing.economy.services import distribution as services
from zhenxing.economy.views.books import OrganizationMixin
from zhenxing.registry.selectors import household_in_scope


class PlanMixin(ScopedObjectMixin):
    """Pages and buttons on one plan (``<pk>``) inside the reader's scope."""

    object_action = "view"  # each service checks the stage's permission

    def get_base_queryset(self) -> Any:
        return selectors.plan_detail_queryset()


class PlanListView(ExportMixin, ScopedListView):  # type: ignore[misc]
    """Every plan in the reader's scope; ``?status=`` what waits for a decision; XLSX with
    ``?format=`` (the same filters)."""

    def export_columns(self) -> list[Column]:
        return tables.plan_columns()

    def export_rows(self, queryset: Any) -> Any:
        return tables.plan_rows(queryset)

    def export_filename(self) -> str:
        return "distribution-plans"

    model = DistributionPlan
    filterset_class = DistributionPlanFilterSet
    template_name = "economy/plan_list.html"
    paginate_by = None  # type: ignore[assignment]  # ``page`` below keeps the nearest page

    def get_base_queryset(self) -> Any:
        return selectors.plan_list(actor=self.actor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            page=paginate(self.request, self.object_list),
            status=self.request.GET.get("status", ""),
            statuses=PlanStatus.choices,
            **kwargs,
        )


class PlanCreateView(OrganizationMixin, ServiceFormView):
    """The village proposes how to distribute a year's result."""

    template_name = "economy/plan_form.html"
    form_class = PlanForm

    def get_initial(self) -> dict[str, Any]:
        return {"year": timezone.localdate().year - 1}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organization = self.organization
        return super().get_context_data(
            organization=organization,
            available=selectors.available_for_distribution(organization),
            member_shares=selectors.member_shares(organization),
            **kwargs,
        )

    def perform(self, form: Any) -> DistributionPlan:
        return services.distribution_plan_propose(
            actor=self.actor, organization=self.organization, **form.cleaned_data
        )

    success_message = _("The plan is proposed: the village approves it next.")

    def get_success_url(self) -> str:
        return reverse("economy:plan_detail", args=[self.result.pk])


class PlanDetailView(PlanMixin, ScopedDetailView):  # type: ignore[misc]
    template_name = "economy/plan_detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan = self.object
        # The proposer sees no buttons: the village approves through another cadre.
        can_decide = services.may_decide(self.actor, plan) and not (
            plan.status == PlanStatus.PROPOSED and plan.proposed_by_id == self.actor.pk
        )
        return super().get_context_data(
            payouts=selectors.plan_payouts(plan)[:200], can_decide=can_decide, **kwargs
        )


class PlanActionView(PlanMixin, ServiceActionView):
    object_action = "view"

    def get_success_url(self) -> str:
        return reverse("economy:plan_detail", args=[self.get_object().pk])


class PlanApproveView(PlanActionView):
    success_message = _("Approved.")

    def perform(self, obj: DistributionPlan) -> Any:
        return services.distribution_plan_approve(actor=self.actor, plan=obj)


class PlanRejectView(PlanActionView):
    success_message = _("Rejected.")

    def perform(self, obj: DistributionPlan) -> Any:
        return services.distribution_plan_reject(
            actor=self.actor, plan=obj, reason=self.request.POST.get("reason", "")
        )


class PlanDividendsExportView(KernelMixin, PlanMixin, View):
    """Every member household's dividend under a plan, for the village's disclosure board."""

    permission = EXPORT_PERMISSION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        plan = self.get_object()
        return table_response(
            fmt=choice_param(request, "format", EXPORT_FORMATS, EXPORT_FORMATS[0]),
            columns=tables.dividend_columns(),
            rows=tables.dividend_rows(plan),
            filename=f"{plan.organization.village.code}-{plan.year}-dividends",
            sheet=f"{plan.organization.village.name}{plan.year}",
        )


class ShareholdingListView(OrganizationMixin, ServiceFormView):
    """The organisation's members and their shares; a form records or changes one."""

    template_name = "economy/shareholding_list.html"
    form_class = ShareholdingForm
    success_message = _("Shares recorded.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organization = self.organization
        holdings = selectors.shareholdings(organization)
        return super().get_context_data(
            organization=organization,
            page=paginate(self.request, holdings),
            total=selectors.member_shares(organization),
            can_change=self.can("economy.shareholding.change"),
            **kwargs,
        )

    def perform(self, form: Any) -> Shareholding:
        household = household_in_scope(actor=self.actor, number=form.cleaned_data["household"])
        if household is None:
            raise DomainError(
                _("No household in your jurisdiction has this number."), field="household"
            )
        return services.shareholding_set(
            actor=self.actor,
            organization=self.organization,
            household=household,
            shares=form.cleaned_data["shares"],
            basis=form.cleaned_data["basis"],
        )

    def get_success_url(self) -> str:
        return reverse("economy:shareholding_list", args=[self.organization.pk])
