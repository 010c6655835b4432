"""Collective economy pages: city, township and village dashboards with drill-down and XLSX of
every chart's numbers; an organisation's books (vouchers, approval, reports, month closing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.scoping import get_for_user
from zhenxing.core.views import (
    add_domain_error,
    ancestors_in_scope,
    perform,
    raise_http,
    region_for,
)
from zhenxing.economy import reports, selectors, services
from zhenxing.economy.forms import PeriodForm, VoucherForm
from zhenxing.economy.models import (
    CollectiveOrganization,
    DistributionPlan,
    PlanStatus,
    Tier,
    Voucher,
    VoucherStatus,
    YearFigures,
)
from zhenxing.economy.summaries import to_yuan


def year_for(request: HttpRequest, region: Region) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return selectors.default_year(region=region)
    return year if 2000 <= year <= 2100 else selectors.default_year(region=region)


def _charts(
    figures: list[selectors.VillageFigures], summary: dict[str, Any], history: list[dict[str, Any]]
) -> dict[str, Any]:
    tiers = [str(label) for _v, label in Tier.choices]
    buckets = selectors.accumulation_distribution(figures)
    ranked = sorted(figures, key=lambda f: f.accumulation, reverse=True)
    return {
        "tiers": {"labels": tiers, "values": list(summary["tiers"].values())},
        "distribution": {"labels": [b[0] for b in buckets], "values": [b[1] for b in buckets]},
        "progress": {
            "names": [_("Accumulation"), _("Operating income")],
            "labels": [h["year"] for h in history],
            "accumulation": [float(h["accumulation"]) for h in history],
            "operating_income": [float(h["operating_income"]) for h in history],
        },
        "top": {
            "labels": [f.name for f in ranked[:10]],
            "values": [float(f.accumulation) for f in ranked[:10]],
        },
        "bottom": {
            "labels": [f.name for f in ranked[-10:]],
            "values": [float(f.accumulation) for f in ranked[-10:]],
        },
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """City, township or village dashboard of the collective economy, for one year's end."""
    region = region_for(request)
    year = year_for(request, region)
    figures = selectors.village_figures(region=region, year=year)
    summary = selectors.economy_summary(region=region, year=year, figures=figures)
    history = selectors.progress(region=region, through=year)
    organization = None
    if region.kind in VILLAGE_LEVEL:
        organization = CollectiveOrganization.objects.filter(village=region).first()
    ranked = sorted(figures, key=lambda f: f.accumulation, reverse=True)
    return render(
        request,
        "economy/dashboard.html",
        {
            "region": region,
            "year": year,
            "years": list(range(timezone.localdate().year, 2015, -1)),
            "summary": summary,
            "children": selectors.rollup(region=region, figures=figures),
            "villages": ranked if region.kind == RegionKind.TOWNSHIP else [],
            "organization": organization,
            "charts": _charts(figures, summary, history),
            "tier_labels": dict(Tier.choices),
            "awaiting": DistributionPlan.objects.visible_to(request.user)
            .filter(
                status=PlanStatus.PROPOSED
                if region.kind in VILLAGE_LEVEL
                else PlanStatus.VILLAGE_APPROVED
            )
            .count(),
            "ancestors": ancestors_in_scope(request, region),
        },
    )


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponseBase:
    """One table of the dashboard as XLSX (or CSV): the numbers behind each chart."""
    region = region_for(request)
    year = year_for(request, region)
    return reports.dashboard_table(
        region=region,
        year=year,
        table=request.GET.get("table", "villages"),
        fmt=request.GET.get("format", "xlsx"),
    )


@login_required
def summary_report(request: HttpRequest) -> HttpResponseBase:
    """The per-village summary by township with subtotals, in the usual government layout."""
    region = region_for(request)
    return reports.summary_workbook(region=region, year=year_for(request, region))


def organization_for(request: HttpRequest, pk: int) -> CollectiveOrganization:
    try:
        return get_for_user(
            CollectiveOrganization.objects.select_related("village"), request.user, pk=pk
        )
    except DomainError as exc:
        raise_http(exc)
        raise


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for(request, pk)
    years = []
    running = 0
    for f in YearFigures.objects.filter(organization=organization).order_by("year"):
        running += f.accumulation_change_fen
        years.append(
            {
                "year": f.year,
                "accumulation": to_yuan(running),
                "operating_income": to_yuan(f.operating_income_fen),
            }
        )
    vouchers = Voucher.objects.filter(organization=organization).select_related(
        "preparer", "approver"
    )
    return render(
        request,
        "economy/organization_detail.html",
        {
            "organization": organization,
            "years": list(reversed(years)),
            "drafts": vouchers.filter(status=VoucherStatus.DRAFT).order_by("date", "number"),
            "recent": vouchers.filter(status=VoucherStatus.POSTED).order_by("-posted_at", "-pk")[
                :20
            ],
            "can_prepare": has_permission(request.user, Voucher, "add"),
            "can_approve": has_permission(request.user, Voucher, "approve"),
            "can_propose": has_permission(request.user, DistributionPlan, "add"),
            "plans": organization.distribution_plans.order_by("-year", "-pk")[:10],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def voucher_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for(request, pk)
    form = VoucherForm(request.POST or None, chart=organization.chart)
    if request.method == "POST" and form.is_valid():
        try:
            voucher = services.voucher_prepare(
                actor=request.user,
                organization=organization,
                date=form.date_value,
                summary=form.cleaned_data["summary"],
                attachments=form.cleaned_data["attachments"],
                lines=form.lines(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Voucher %(voucher)s prepared: another person approves it.")
                % {"voucher": voucher},
            )
            return redirect("economy:voucher_detail", pk=voucher.pk)
    return render(
        request, "economy/voucher_form.html", {"organization": organization, "form": form}
    )


def _voucher(request: HttpRequest, pk: int) -> Voucher:
    try:
        return get_for_user(
            Voucher.objects.select_related("organization__village", "preparer", "approver"),
            request.user,
            pk=pk,
        )
    except DomainError as exc:
        raise_http(exc)
        raise


@login_required
def voucher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = _voucher(request, pk)
    lines = list(voucher.lines.select_related("account"))
    return render(
        request,
        "economy/voucher_detail.html",
        {
            "voucher": voucher,
            "lines": lines,
            "total_debit": sum(line.debit for line in lines),
            "total_credit": sum(line.credit for line in lines),
            "reversal": Voucher.objects.filter(reverses=voucher).first(),
            "files": voucher.files.all(),
            "can_approve": has_permission(request.user, Voucher, "approve")
            and voucher.preparer_id != request.user.pk,
            "can_prepare": has_permission(request.user, Voucher, "add"),
        },
    )


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    voucher = _voucher(request, pk)
    result = perform(request, lambda: action(voucher) or True, done)
    if isinstance(result, Voucher):
        return redirect("economy:voucher_detail", pk=result.pk)
    if result is None:
        return redirect("economy:voucher_detail", pk=voucher.pk)
    return redirect("economy:organization_detail", pk=voucher.organization_id)


@login_required
@require_POST
def voucher_post(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda v: services.voucher_post(actor=request.user, voucher=v),
        _("Posted: the books and the village's figures are up to date."),
    )


@login_required
@require_POST
def voucher_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda v: services.voucher_reverse(
            actor=request.user, voucher=v, reason=request.POST.get("reason", "")
        ),
        _("The reversing voucher is prepared: another person approves it."),
    )


@login_required
@require_POST
def voucher_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda v: services.voucher_discard(actor=request.user, voucher=v),
        _("The draft voucher was discarded."),
    )


@login_required
def organization_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """Trial balance, balance sheet and income statement of one month."""
    organization = organization_for(request, pk)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    year, month = (
        (form.cleaned_data["year"], form.cleaned_data["month"])
        if form.is_valid()
        else (today.year, today.month)
    )
    journals = [
        (_("Cash journal"), *selectors.cash_journal(organization, "101", year, month)),
        (_("Bank journal"), *selectors.cash_journal(organization, "102", year, month)),
    ]
    return render(
        request,
        "economy/organization_reports.html",
        {
            "organization": organization,
            "year": year,
            "month": month,
            "period": dt.date(year, month, 1),
            "closed": organization.is_closed(year, month),
            "trial": selectors.trial_balance(organization, year, month),
            "sheet": selectors.balance_sheet(organization, year, month),
            "income": selectors.income_statement(organization, year, month),
            "journals": journals,
            "can_close": has_permission(request.user, Voucher, "approve"),
            "can_prepare": has_permission(request.user, Voucher, "add"),
        },
    )


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for(request, pk)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year and a month."))
        return redirect("economy:organization_reports", pk=pk)
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    back = reverse("economy:organization_reports", args=[pk]) + f"?year={year}&month={month}"
    perform(
        request,
        lambda: services.period_close(
            actor=request.user, organization=organization, year=year, month=month
        ),
        _("%(year)d-%(month)02d is closed.") % {"year": year, "month": month},
    )
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def voucher_import(request: HttpRequest) -> HttpResponse:
    """Upload a month (or years) of books from Excel: checked whole, written whole as drafts."""
    from zhenxing.io.forms import ImportUploadForm
    from zhenxing.io.jobs import import_run_submit
    from zhenxing.io.models import ImportRun

    if not has_permission(request.user, Voucher, "add"):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_run_submit(
                actor=request.user, kind="vouchers", upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("registry:import_result", pk=run.pk)
    runs = ImportRun.objects.visible_to(request.user).filter(
        actor_id=request.user.pk, kind="vouchers"
    )[:10]
    return render(request, "economy/voucher_import.html", {"form": form, "runs": runs})


@login_required
def voucher_import_template(request: HttpRequest) -> HttpResponseBase:
    from zhenxing.economy.importers import voucher_spec
    from zhenxing.io.reports import template_xlsx

    return template_xlsx(voucher_spec(), filename=_("voucher-import-template"))


@login_required
@require_POST
def voucher_post_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve every draft another person prepared (an imported month), at once."""
    organization = organization_for(request, pk)
    try:
        posted = services.vouchers_post_drafts(actor=request.user, organization=organization)
    except DomainError as exc:
        raise_http(exc)
        messages.error(request, str(exc.message))
    else:  # the message names the count, so not ``perform``
        messages.success(request, _("%(count)d vouchers posted.") % {"count": posted})
    return redirect("economy:organization_detail", pk=organization.pk)


@login_required
@require_POST
def voucher_attach(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = _voucher(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        perform(
            request,
            lambda: services.voucher_attach(actor=request.user, voucher=voucher, upload=upload),
            _("Attached."),
        )
    return redirect("economy:voucher_detail", pk=voucher.pk)


@login_required
def voucher_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An attachment's file, for readers of its voucher only (never public media)."""
    from django.http import FileResponse

    from zhenxing.economy.models import VoucherAttachment

    try:
        attachment = get_for_user(VoucherAttachment.objects.all(), request.user, pk=pk)
    except DomainError as exc:
        raise_http(exc)
        raise
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def carry_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare the year-end carry-forward voucher (结转本年收益) for another person to approve."""
    organization = organization_for(request, pk)
    form = PeriodForm({"year": request.POST.get("year"), "month": 12})
    if not form.is_valid():
        messages.error(request, _("Choose a year and a month."))
        return redirect("economy:organization_reports", pk=pk)
    year = form.cleaned_data["year"]
    voucher = perform(
        request,
        lambda: services.carry_forward(actor=request.user, organization=organization, year=year),
        _("The carry-forward voucher is prepared: another person approves it."),
    )
    if voucher is None:
        return redirect(
            reverse("economy:organization_reports", args=[pk]) + f"?year={year}&month=12"
        )
    return redirect("economy:voucher_detail", pk=voucher.pk)
