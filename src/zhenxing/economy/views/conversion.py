"""Converting an organisation's books to the current chart (新旧制度衔接): the township
officer sees the old closing balances (from the books here, or from an imported trial
balance), assigns each splitting balance by the rule beside it, and converts; a conversion is
undone until the first posting in the new chart."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError
from zhenxing.core.web.views import ServiceActionView, ServiceFormView, add_domain_error
from zhenxing.economy.forms.conversion import ConversionForm, balances_json
from zhenxing.economy.importers.trial_balance import read_trial_balance
from zhenxing.economy.models import ChartConversion
from zhenxing.economy.selectors.charts import chart_accounts, chart_get
from zhenxing.economy.selectors.conversion import (
    conversion_list,
    conversion_proposal,
    has_books,
    target_chart,
)
from zhenxing.economy.services.conversion import chart_conversion_undo, chart_convert
from zhenxing.economy.views.books import OrganizationMixin

CONVERT = "economy.chartconversion.add"


class ConversionView(OrganizationMixin, ServiceFormView):
    """The conversion page of one organisation."""

    permission = CONVERT
    template_name = "economy/conversion.html"
    form_class = ConversionForm

    def _imported(self) -> Any:
        """The trial balance carried in the form (books kept elsewhere), or None."""
        form = ConversionForm(self.request.POST)
        return form.imported_balances() if form.is_valid() else None

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        self._prepare()
        return super().get(request, *args, **kwargs)

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        self._prepare()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"proposal": self.proposal}

    def _prepare(self) -> None:
        """Where the balances come from, and the proposal before the officer's shares."""
        organization = self.organization
        self.kept_here = has_books(organization)
        balances = None
        if self.request.method == "POST" and not self.kept_here:
            try:
                balances = self._imported()
            except ValidationError:  # a tampered field: start again from the upload
                balances = None
        self.proposal = (
            conversion_proposal(organization)
            if self.kept_here
            else (conversion_proposal(organization, balances=balances) if balances else None)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organization = self.organization
        form = kwargs.get("form")
        proposal = self.proposal
        # The officer's shares as entered, also when the service refused them (the form then
        # carries its error, and the proposal shows what is still unassigned).
        if form is not None and form.is_bound and hasattr(form, "cleaned_data") and proposal:
            proposal = conversion_proposal(
                organization,
                balances=None if self.kept_here else proposal.balances,
                shares=form.shares(),
            )
        return super().get_context_data(
            organization=organization,
            proposal=proposal,
            kept_here=self.kept_here,
            old_chart=chart_get(organization.chart),
            new_chart=target_chart(organization),
            conversions=conversion_list(organization),
            **kwargs,
        )

    def form_valid(self, form: Any) -> HttpResponse:
        upload = form.cleaned_data.get("trial_balance")
        if upload is not None:
            if self.kept_here:
                add_domain_error(
                    form,
                    DomainError(
                        _("This organisation keeps its books here: no file is needed."),
                        field="trial_balance",
                    ),
                )
                return self.form_invalid(form)
            try:
                balances = read_trial_balance(upload, chart_accounts(self.organization.chart))
            except DomainError as exc:
                add_domain_error(form, exc)
                return self.form_invalid(form)
            self.proposal = conversion_proposal(self.organization, balances=balances)
            preview = ConversionForm({"balances": balances_json(balances)}, proposal=self.proposal)
            return self.render_to_response(self.get_context_data(form=preview))
        return super().form_valid(form)

    def perform(self, form: Any) -> ChartConversion:
        return chart_convert(
            actor=self.actor,
            organization=self.organization,
            shares=form.shares(),
            balances=None if self.kept_here else form.imported_balances(),
        )

    def get_success_message(self) -> str:
        return _("The books follow %(chart)s from %(date)s.") % {
            "chart": chart_get(self.result.to_chart),
            "date": self.result.effective_on,
        }

    def get_success_url(self) -> str:
        reports = reverse("economy:organization_reports", args=[self.result.organization_id])
        start = self.result.effective_on
        return f"{reports}?year={start.year}&month={start.month}"


class ConversionUndoView(ServiceActionView):
    """Undo a conversion (until the first posting in the new chart)."""

    model = ChartConversion
    permission = CONVERT
    object_action = "view"  # the service checks the conversion permission

    def perform(self, obj: ChartConversion) -> Any:
        return chart_conversion_undo(actor=self.actor, conversion=obj)

    def get_success_message(self) -> str:
        return _("The conversion is undone: the books follow the old chart again.")

    def get_success_url(self) -> str:
        return reverse("economy:conversion", args=[self.get_object().organization_id])
