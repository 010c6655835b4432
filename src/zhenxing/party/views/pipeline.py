"""The membership pipeline's pages: the worklist of overdue, due and early steps, and one
person's way through the pipeline with the forms for the talk and the next step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from zhenxing.core.errors import DomainError
from zhenxing.core.web.export import table_response
from zhenxing.core.web.params import choice_param
from zhenxing.core.web.views import (
    KernelMixin,
    ScopedDetailView,
    add_domain_error,
    paginate,
    region_for,
    requested_export_format,
)
from zhenxing.party import tables
from zhenxing.party.forms.pipeline import StepForm, TalkForm, TransferForm
from zhenxing.party.models import (
    STAGE_ORDER,
    PartyMember,
    Stage,
)
from zhenxing.party.selectors import lists
from zhenxing.party.selectors import summary as selectors
from zhenxing.party.services import pipeline

# --- the pipeline -----------------------------------------------------------------------------


class WorklistView(KernelMixin, View):
    """The pipeline's worklist for a region: overdue talks and conversions, what is due, and the
    steps taken early by exception."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        return worklist(request)


def worklist(request: HttpRequest) -> HttpResponseBase:
    region = region_for(request)
    items = selectors.pipeline_worklist(actor=request.user, region=region)
    kind = choice_param(request, "kind", tuple(selectors.WORK_LABELS), "")
    items = items.of_kind(kind)
    fmt = requested_export_format(request)
    if fmt:
        return table_response(
            fmt=fmt,
            columns=tables.worklist_columns(),
            rows=(
                {
                    "kind": str(selectors.WORK_LABELS[i.kind]),
                    "name": i.member.person.name,
                    "organization": i.member.organization.name,
                    "stage": i.member.get_stage_display(),
                    "due": i.due,
                    "overdue_days": i.overdue_days,
                    "note": i.note,
                }
                for i in items
            ),
            filename=f"{region.code}-pipeline-worklist",
            sheet=region.name,
        )
    return render(
        request,
        "party/worklist.html",
        {
            "region": region,
            # A page at a time: a province's worklist is thousands of items.
            "items": paginate(request, items),
            "query": f"region={region.code}&kind={kind}",
            "labels": selectors.WORK_LABELS,
            "kind": kind,
            "overdue": items.overdue,
        },
    )


class MemberDetailView(ScopedDetailView):
    """One person's way through the pipeline: the dates, introducers, exceptions, and the forms
    for the talk and the next step."""

    template_name = "party/member_detail.html"
    context_object_name = "member"
    http_method_names = ["get", "post"]

    def get_base_queryset(self) -> QuerySet[PartyMember]:
        return lists.member_in_scope(actor=self.request.user)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = self.object = self.get_object()
        user = request.user
        can_change = lists.member_writable(actor=user, member=member)
        index = STAGE_ORDER.index(member.stage)
        following = STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
        step = StepForm(
            request.POST if "step" in request.POST else None,
            initial={"stage": following, "on": timezone.localdate()},
        )
        step.fields["introducers"].queryset = lists.introducer_choices(  # type: ignore[attr-defined]
            actor=user, member=member
        )
        talk = TalkForm(request.POST if "talk" in request.POST else None)
        transfer = TransferForm(request.POST if "transfer" in request.POST else None)
        transfer.fields["organization"].queryset = lists.transfer_choices(  # type: ignore[attr-defined]
            actor=user, member=member
        )
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            try:
                if step.is_bound and step.is_valid():
                    pipeline.member_advance(
                        actor=user,
                        member=member,
                        stage=step.cleaned_data["stage"],
                        on=step.cleaned_data["on"],
                        introducers=list(step.cleaned_data["introducers"]),
                        exception_reason=step.cleaned_data["exception_reason"],
                    )
                    messages.success(request, _("Saved."))
                    return redirect("party:member_detail", pk=member.pk)
                if transfer.is_bound and transfer.is_valid():
                    pipeline.member_transfer(
                        actor=user,
                        member=member,
                        organization=transfer.cleaned_data["organization"],
                    )
                    messages.success(request, _("Saved."))
                    return redirect("party:member_detail", pk=member.pk)
                if talk.is_bound and talk.is_valid():
                    pipeline.member_talk(
                        actor=user, member=member, talked_on=talk.cleaned_data["talked_on"]
                    )
                    messages.success(request, _("Saved."))
                    return redirect("party:member_detail", pk=member.pk)
            except DomainError as exc:
                bound = next(f for f in (step, talk, transfer) if f.is_bound)
                add_domain_error(bound, exc)
        steps = [
            (label, getattr(member, field))
            for label, field in (
                (Stage.APPLICANT.label, "applied_on"),
                (_("Talked with"), "talked_on"),
                (Stage.ACTIVIST.label, "activist_on"),
                (Stage.TARGET.label, "target_on"),
                (Stage.PROBATIONARY.label, "probationary_on"),
                (Stage.FULL.label, "full_on"),
            )
        ]
        return render(
            request,
            self.template_name,
            {
                "member": member,
                "steps": steps,
                "introducers": member.introducers.select_related("person"),
                "exceptions": lists.member_exceptions(member=member),
                "step": step if can_change and following else None,
                "talk": talk
                if can_change and member.stage == Stage.APPLICANT and not member.talked_on
                else None,
                "transfer": transfer if can_change else None,
            },
        )
