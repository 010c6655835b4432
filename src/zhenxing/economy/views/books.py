"""An organisation's books: its page, vouchers (prepare, approve, reverse, discard, attach),
the month's reports, closing months, the year-end carry-forward and the voucher import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from zhenxing.core.errors import DomainError
from zhenxing.core.web.views import (
    KernelMixin,
    ScopedDetailView,
    ScopedObjectMixin,
    ServiceActionView,
    ServiceFormView,
    perform,
    raise_http,
)
from zhenxing.economy.forms.books import PeriodForm, VoucherForm
from zhenxing.economy.models import (
    AccountRole,
    CollectiveOrganization,
    Voucher,
    VoucherAttachment,
)
from zhenxing.economy.selectors import books as book_selectors
from zhenxing.economy.selectors import entities as selectors
from zhenxing.economy.selectors.charts import chart_get, chart_on
from zhenxing.economy.services import books as services
from zhenxing.io.views import ImportTemplateView, ImportUploadView

VOUCHER_ADD = "economy.voucher.add"
VOUCHER_APPROVE = "economy.voucher.approve"


class OrganizationMixin(ScopedObjectMixin):
    """Pages on one organisation (``<pk>``) inside the reader's scope."""

    queryset = CollectiveOrganization.objects.select_related("village")

    @property
    def organization(self) -> CollectiveOrganization:
        return self.get_object()


class VoucherMixin(ScopedObjectMixin):
    """Pages and buttons on one voucher (``<pk>``) inside the reader's scope."""

    queryset = Voucher.objects.select_related("organization__village", "preparer", "approver")
    object_action = "view"  # each service checks the role's permission for what it does


class OrganizationDetailView(OrganizationMixin, ScopedDetailView):  # type: ignore[misc]
    """An organisation's figures by year, its drafts, its latest postings and plans."""

    template_name = "economy/organization_detail.html"
    context_object_name = "organization"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organization = self.object
        return super().get_context_data(
            years=selectors.organization_years(organization),
            drafts=selectors.organization_drafts(organization),
            recent=selectors.organization_recent(organization),
            can_prepare=self.can(VOUCHER_ADD),
            can_approve=self.can(VOUCHER_APPROVE),
            can_propose=self.can("economy.distributionplan.add"),
            can_convert=self.can("economy.chartconversion.add"),
            chart=chart_get(organization.chart),
            plans=selectors.organization_plans(organization),
            **kwargs,
        )


class VoucherCreateView(OrganizationMixin, ServiceFormView):
    """Prepare a voucher (a draft another person approves)."""

    template_name = "economy/voucher_form.html"
    form_class = VoucherForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"chart": self.organization.chart}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(organization=self.organization, **kwargs)

    def perform(self, form: Any) -> Voucher:
        return services.voucher_prepare(
            actor=self.actor,
            organization=self.organization,
            date=form.date_value,
            summary=form.cleaned_data["summary"],
            attachments=form.cleaned_data["attachments"],
            lines=form.lines(),
        )

    def get_success_message(self) -> str:
        return _("Voucher %(voucher)s prepared: another person approves it.") % {
            "voucher": self.result
        }

    def get_success_url(self) -> str:
        return reverse("economy:voucher_detail", args=[self.result.pk])


class VoucherDetailView(VoucherMixin, ScopedDetailView):  # type: ignore[misc]
    template_name = "economy/voucher_detail.html"
    context_object_name = "voucher"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        voucher = self.object
        lines = list(voucher.lines.select_related("account"))
        return super().get_context_data(
            lines=lines,
            total_debit=sum(line.debit for line in lines),
            total_credit=sum(line.credit for line in lines),
            reversal=Voucher.objects.filter(reverses=voucher).first(),
            files=voucher.files.all(),
            can_approve=self.can(VOUCHER_APPROVE) and voucher.preparer_id != self.actor.pk,
            can_prepare=self.can(VOUCHER_ADD),
            **kwargs,
        )


class VoucherActionView(VoucherMixin, ServiceActionView):
    """A button on a voucher; back to the voucher's page."""

    object_action = "view"

    def get_success_url(self) -> str:
        return reverse("economy:voucher_detail", args=[self.get_object().pk])


class VoucherPostView(VoucherActionView):
    success_message = _("Posted: the books and the village's figures are up to date.")

    def perform(self, obj: Voucher) -> Any:
        return services.voucher_post(actor=self.actor, voucher=obj)


class VoucherReverseView(VoucherActionView):
    success_message = _("The reversing voucher is prepared: another person approves it.")
    result: Voucher | None = None

    def perform(self, obj: Voucher) -> Any:
        self.result = services.voucher_reverse(
            actor=self.actor, voucher=obj, reason=self.request.POST.get("reason", "")
        )
        return self.result

    def get_success_url(self) -> str:
        target = self.result or self.get_object()
        return reverse("economy:voucher_detail", args=[target.pk])


class VoucherDiscardView(VoucherActionView):
    success_message = _("The draft voucher was discarded.")
    discarded = False

    def perform(self, obj: Voucher) -> Any:
        services.voucher_discard(actor=self.actor, voucher=obj)
        self.discarded = True

    def get_success_url(self) -> str:
        obj = self.get_object()
        if self.discarded:
            return reverse("economy:organization_detail", args=[obj.organization_id])
        return reverse("economy:voucher_detail", args=[obj.pk])


class VoucherAttachView(VoucherActionView):
    success_message = _("Attached.")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.FILES.get("file") is None:
            self.get_object()  # 404 outside scope, as for any other answer
            messages.error(request, _("Choose a file."))
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def perform(self, obj: Voucher) -> Any:
        return services.voucher_attach(
            actor=self.actor, voucher=obj, upload=self.request.FILES["file"]
        )


class VoucherAttachmentView(KernelMixin, ScopedObjectMixin, View):
    """An attachment's file, for readers of its voucher only (never public media)."""

    model = VoucherAttachment

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        attachment = self.get_object()
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name
        )


class OrganizationReportsView(OrganizationMixin, ScopedDetailView):  # type: ignore[misc]
    """Trial balance, balance sheet, income statement and journals of one month."""

    template_name = "economy/organization_reports.html"
    context_object_name = "organization"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organization = self.object
        today = timezone.localdate()
        form = PeriodForm(self.request.GET or None)
        year, month = (
            (form.cleaned_data["year"], form.cleaned_data["month"])
            if form.is_valid()
            else (today.year, today.month)
        )
        journals = [
            (
                _("Cash journal"),
                *book_selectors.cash_journal(organization, AccountRole.CASH, year, month),
            ),
            (
                _("Bank journal"),
                *book_selectors.cash_journal(organization, AccountRole.BANK, year, month),
            ),
        ]
        return super().get_context_data(
            year=year,
            month=month,
            period=dt.date(year, month, 1),
            closed=organization.is_closed(year, month),
            trial=book_selectors.trial_balance(organization, year, month),
            sheet=book_selectors.balance_sheet(organization, year, month),
            sheet_chart=chart_get(chart_on(organization, dt.date(year, month, 1))),
            income=book_selectors.income_statement(organization, year, month),
            journals=journals,
            can_close=self.can(VOUCHER_APPROVE),
            can_prepare=self.can(VOUCHER_ADD),
            **kwargs,
        )


class OrganizationActionView(OrganizationMixin, ServiceActionView):
    """A button on an organisation's books."""

    object_action = "view"  # each service checks the role's permission for what it does


class PeriodCloseView(OrganizationActionView):
    """Close a month (then it refuses postings); back to that month's reports."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organization = self.organization
        reports = reverse("economy:organization_reports", args=[organization.pk])
        form = PeriodForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a year and a month."))
            return redirect(reports)
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        perform(
            request,
            lambda: services.period_close(
                actor=self.actor, organization=organization, year=year, month=month
            ),
            _("%(year)d-%(month)02d is closed.") % {"year": year, "month": month},
        )
        return redirect(f"{reports}?year={year}&month={month}")


class CarryForwardView(OrganizationActionView):
    """Prepare the year-end carry-forward voucher (结转本年收益) for another person to approve."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organization = self.organization
        reports = reverse("economy:organization_reports", args=[organization.pk])
        form = PeriodForm({"year": request.POST.get("year"), "month": 12})
        if not form.is_valid():
            messages.error(request, _("Choose a year and a month."))
            return redirect(reports)
        year = form.cleaned_data["year"]
        voucher = perform(
            request,
            lambda: services.carry_forward(actor=self.actor, organization=organization, year=year),
            _("The carry-forward voucher is prepared: another person approves it."),
        )
        if voucher is None:
            return redirect(f"{reports}?year={year}&month=12")
        return redirect("economy:voucher_detail", pk=voucher.pk)


class VoucherPostAllView(OrganizationActionView):
    """Approve every draft another person prepared (an imported month), at once."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organization = self.organization
        try:
            posted = services.vouchers_post_drafts(actor=self.actor, organization=organization)
        except DomainError as exc:
            raise_http(exc)
            messages.error(request, str(exc.message))
        else:  # the message names the count, so not ``perform``
            messages.success(request, _("%(count)d vouchers posted.") % {"count": posted})
        return redirect("economy:organization_detail", pk=organization.pk)


class VoucherImportView(ImportUploadView):
    """Upload a month (or years) of books from Excel: checked whole, written whole as drafts
    (io's shared upload page; the spec says what it shows and counts)."""

    kind = "vouchers"


class VoucherImportTemplateView(ImportTemplateView):
    """The voucher import's template workbook, with its columns and an example."""

    kind = "vouchers"
