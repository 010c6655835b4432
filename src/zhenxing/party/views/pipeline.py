"""The membership pipeline's pages: the worklist of overdue, due and early steps, and one
person's way through the pipeline with the forms for the talk and the next step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhenxing.core.errors import DomainError
from zhenxing.core.scoping import get_for_user
from zhenxing.core.views import add_domain_error, region_for
from zhenxing.core.web.export import Column, table_response
from zhenxing.party.forms.pipeline import StepForm, TalkForm, TransferForm
from zhenxing.party.models import (
    STAGE_ORDER,
    PartyMember,
    PartyOrganization,
    PipelineException,
    Stage,
)
from zhenxing.party.selectors import summary as selectors
from zhenxing.party.services import pipeline
from zhenxing.party.views.dashboard import export_format

# --- the pipeline -----------------------------------------------------------------------------


@login_required
def worklist(request: HttpRequest) -> HttpResponseBase:
    """The pipeline's worklist for a region: overdue talks and conversions, what is due, and the
    steps taken early by exception."""
    region = region_for(request)
    items = selectors.pipeline_worklist(actor=request.user, region=region)
    kind = request.GET.get("kind")
    if kind:
        items = [i for i in items if i.kind == kind]
    fmt = export_format(request)
    if fmt:
        return table_response(
            fmt=fmt,
            columns=[
                Column("kind", _("Item"), 20),
                Column("name", _("Name"), 10),
                Column("organization", _("Party organisation"), 18),
                Column("stage", _("Stage"), 12),
                Column("due", _("Due"), 12),
                Column("overdue_days", _("Days overdue"), 8),
                Column("note", _("Note"), 30),
            ],
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
            "items": items,
            "labels": selectors.WORK_LABELS,
            "kind": kind,
            "overdue": sum(i.overdue for i in items),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One person's way through the pipeline: the dates, introducers, exceptions, and the forms
    for the talk and the next step."""
    try:
        member = get_for_user(
            PartyMember.objects.select_related("person", "organization"), request.user, pk=pk
        )
    except DomainError as exc:
        raise Http404 from exc
    can_change = PartyMember.objects.writable_by(request.user, "change").filter(pk=pk).exists()
    index = STAGE_ORDER.index(member.stage)
    following = STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
    step = StepForm(
        request.POST if "step" in request.POST else None,
        initial={"stage": following, "on": timezone.localdate()},
    )
    step.fields["introducers"].queryset = (  # type: ignore[attr-defined]
        PartyMember.objects.visible_to(request.user)
        .filter(organization=member.organization, stage=Stage.FULL)
        .exclude(pk=member.pk)
        .select_related("person")
    )
    talk = TalkForm(request.POST if "talk" in request.POST else None)
    transfer = TransferForm(request.POST if "transfer" in request.POST else None)
    transfer.fields["organization"].queryset = (  # type: ignore[attr-defined]
        PartyOrganization.objects.visible_to(request.user)
        .exclude(pk=member.organization_id)
        .order_by("region__code", "name")
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            if step.is_bound and step.is_valid():
                pipeline.member_advance(
                    actor=request.user,
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
                    actor=request.user,
                    member=member,
                    organization=transfer.cleaned_data["organization"],
                )
                messages.success(request, _("Saved."))
                return redirect("party:member_detail", pk=member.pk)
            if talk.is_bound and talk.is_valid():
                pipeline.member_talk(
                    actor=request.user, member=member, talked_on=talk.cleaned_data["talked_on"]
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
        "party/member_detail.html",
        {
            "member": member,
            "steps": steps,
            "introducers": member.introducers.select_related("person"),
            "exceptions": PipelineException.objects.filter(member=member).select_related(
                "approved_by"
            ),
            "step": step if can_change and following else None,
            "talk": talk
            if can_change and member.stage == Stage.APPLICANT and not member.talked_on
            else None,
            "transfer": transfer if can_change else None,
        },
    )
