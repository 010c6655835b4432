"""Pages for members' shares and income-distribution plans: the village proposes and approves,
the township's worklist decides, every household's dividend downloads as XLSX."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.errors import DomainError
from zhenxing.core.scoping import get_for_user
from zhenxing.core.views import add_domain_error, paginate, perform, raise_http
from zhenxing.core.web.export import Column, table_response
from zhenxing.economy import distribution
from zhenxing.economy.models import (
    DistributionPlan,
    PlanStatus,
    ShareBasis,
    Shareholding,
)
from zhenxing.economy.views import organization_for
from zhenxing.registry.models import Household


class PlanForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    reserve = forms.DecimalField(
        label=gettext_lazy("Reserved for the collective (yuan)"), decimal_places=2, max_digits=16
    )
    collective_shares = forms.DecimalField(
        label=gettext_lazy("Collective shares"), decimal_places=2, max_digits=12, initial=0
    )
    dividend_per_share = forms.DecimalField(
        label=gettext_lazy("Dividend per share (yuan)"), decimal_places=2, max_digits=12
    )


class ShareholdingForm(forms.Form):
    household = forms.CharField(label=gettext_lazy("Household number"), max_length=32)
    shares = forms.DecimalField(
        label=gettext_lazy("Member shares"), decimal_places=2, max_digits=12
    )
    basis = forms.ChoiceField(label=gettext_lazy("Allotted"), choices=ShareBasis.choices)


def _plan(request: HttpRequest, pk: int) -> DistributionPlan:
    try:
        return get_for_user(
            DistributionPlan.objects.select_related(
                "organization__village", "proposed_by", "village_approved_by", "voucher"
            ),
            request.user,
            pk=pk,
        )
    except DomainError as exc:
        raise_http(exc)
        raise


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every plan in the reader's scope; "awaiting" shows what waits for the reader's decision."""
    plans = (
        DistributionPlan.objects.visible_to(request.user)
        .select_related("organization__village__parent")
        .order_by("-year", "organization__village__code")
    )
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    return render(
        request,
        "economy/plan_list.html",
        {"page": paginate(request, plans), "status": status, "statuses": PlanStatus.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for(request, pk)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            plan = distribution.distribution_plan_propose(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The plan is proposed: the village approves it next."))
            return redirect("economy:plan_detail", pk=plan.pk)
    return render(
        request,
        "economy/plan_form.html",
        {
            "organization": organization,
            "form": form,
            "available": distribution.available_for_distribution(organization),
            "member_shares": sum(
                (h.shares for h in Shareholding.objects.filter(organization=organization)), 0
            ),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    # The proposer sees no buttons: the village approves through another cadre.
    can_decide = distribution.may_decide(request.user, plan) and not (
        plan.status == PlanStatus.PROPOSED and plan.proposed_by_id == request.user.pk
    )
    return render(
        request,
        "economy/plan_detail.html",
        {
            "plan": plan,
            "payouts": plan.payouts.select_related("household").order_by("household__number")[:200],
            "can_decide": can_decide,
        },
    )


def _decide(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    plan = _plan(request, pk)
    perform(request, lambda: action(plan), done)
    return redirect("economy:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        lambda plan: distribution.distribution_plan_approve(actor=request.user, plan=plan),
        _("Approved."),
    )


@login_required
@require_POST
def plan_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        lambda plan: distribution.distribution_plan_reject(
            actor=request.user, plan=plan, reason=request.POST.get("reason", "")
        ),
        _("Rejected."),
    )


@login_required
def plan_dividends_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every member household's dividend under a plan, for the village's disclosure board."""
    plan = _plan(request, pk)
    rows = (
        {
            "household": d.household.number,
            "address": d.household.address,
            "shares": d.shares,
            "amount": d.amount,
        }
        for d in plan.payouts.select_related("household").order_by("household__number")
    )
    columns = [
        Column("household", _("household number"), 20),
        Column("address", _("address"), 24),
        Column("shares", _("member shares"), 12),
        Column("amount", _("dividend (yuan)"), 14),
    ]
    return table_response(
        fmt=request.GET.get("format", "xlsx"),
        columns=columns,
        rows=rows,
        filename=f"{plan.organization.village.code}-{plan.year}-dividends",
        sheet=f"{plan.organization.village.name}{plan.year}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def shareholding_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's members and their shares; a form records or changes one."""
    organization = organization_for(request, pk)
    form = ShareholdingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        household = (
            Household.objects.visible_to(request.user)
            .filter(number=form.cleaned_data["household"].strip())
            .first()
        )
        if household is None:
            form.add_error("household", _("No household in your jurisdiction has this number."))
        else:
            try:
                distribution.shareholding_set(
                    actor=request.user,
                    organization=organization,
                    household=household,
                    shares=form.cleaned_data["shares"],
                    basis=form.cleaned_data["basis"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Shares recorded."))
                return redirect("economy:shareholding_list", pk=organization.pk)
    holdings = Shareholding.objects.filter(organization=organization).select_related("household")
    return render(
        request,
        "economy/shareholding_list.html",
        {
            "organization": organization,
            "form": form,
            "page": paginate(request, holdings),
            "total": sum((h.shares for h in holdings), 0),
            "can_change": has_permission(request.user, Shareholding, "change"),
        },
    )
