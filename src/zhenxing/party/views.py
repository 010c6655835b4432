"""Party-building pages: the dashboard with drill-down, organisations and the "应建尽建" gaps, an
organisation's roll, the pipeline worklist and a member's steps, village cadres and election
readiness, the reserve pool. Reads come from ``selectors``, writes go through the services;
every table downloads as XLSX or CSV (``?format=``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zhenxing.core.accounts.roles import can_export, has_permission
from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import get_for_user, subtree_q
from zhenxing.core.sensitive import blind_index, normalise_id_number
from zhenxing.core.views import add_domain_error, paginate
from zhenxing.economy.models import CollectiveOrganization, Company, Industry
from zhenxing.io.writers import Column, table_response
from zhenxing.party import cadres, pipeline, selectors
from zhenxing.party import organizations as organizations_service
from zhenxing.party.models import (
    MEMBER_STAGES,
    STAGE_ORDER,
    CadrePosition,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
    PipelineException,
    Post,
    ReserveTalent,
    SecretarySource,
    SocialOrganization,
    Stage,
    TalentTrack,
)
from zhenxing.registry.models import Education, Person, Sex
from zhenxing.registry.services import ID_PURPOSE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def region_for(request: HttpRequest) -> Region:
    """The region a page shows: ``?region=`` within the reader's scope, else their own."""
    user: Any = request.user
    code = request.GET.get("region") or (user.region.code if user.region else "")
    if not code:
        raise Http404
    try:
        return get_for_user(Region.objects.all(), user, code=code)
    except DomainError as exc:
        raise Http404 from exc


def year_for(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year else this_year


def ancestors_in_scope(request: HttpRequest, region: Region) -> list[Region]:
    user: Any = request.user
    root = user.region.code if user.region else "\x00"
    return [a for a in region.ancestors() if a.code.startswith(root)]


def export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    if fmt not in ("xlsx", "csv"):
        return None
    if not can_export(request.user):
        raise PermissionDenied
    return fmt


def person_by_id_number(request: HttpRequest, number: str) -> Person | None:
    """A registered person in the reader's scope, by full ID number (through the keyed hash)."""
    digest = blind_index(normalise_id_number(number), purpose=ID_PURPOSE)
    return Person.objects.visible_to(request.user).filter(id_number_hash=digest).first()


# --- dashboard --------------------------------------------------------------------------------


def _rollup_columns() -> list[Column]:
    return [
        Column("code", _("Code"), 14),
        Column("name", _("Region"), 14),
        Column("villages", _("Villages"), 8),
        Column("organizations", _("Party organisations"), 10),
        Column("members", _("Members"), 8),
        *[Column(stage, str(label), 10) for stage, label in Stage.choices],
        Column("one_shoulder", _("Secretary also director"), 10),
        Column("one_shoulder_ratio", _("一肩挑 ratio"), 10),
        Column("without_reserve", _("Villages without a reserve secretary"), 12),
        Column("entrepreneurs", _("Rich-leading entrepreneurs"), 10),
        Column("cadres", _("Cadres"), 8),
        Column("trained", _("Trained this year"), 10),
        Column("training_ratio", _("Training coverage"), 10),
    ]


def _rollup_row(line: selectors.PartyRollup) -> dict[str, Any]:
    return {
        "code": line.code,
        "name": line.name,
        "villages": line.villages,
        "organizations": line.organizations,
        "members": line.members,
        **{stage: line.pipeline.get(stage, 0) for stage in STAGE_ORDER},
        "one_shoulder": line.one_shoulder,
        "one_shoulder_ratio": round(line.one_shoulder_ratio, 3),
        "without_reserve": len(line.without_reserve_secretary),
        "entrepreneurs": line.entrepreneurs,
        "cadres": line.cadres,
        "trained": line.trained,
        "training_ratio": round(line.training_ratio, 3),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponseBase:
    """City, township or village party building: the cards, charts and a row per child region
    to drill into; ``?format=xlsx`` downloads the table (``&table=structure`` the members'
    structure behind the charts)."""
    region = region_for(request)
    year = year_for(request)
    total, children = selectors.rollup(region=region, year=year)
    summary = selectors.party_summary(region=region, year=year, total=total)
    members = PartyMember.objects.filter(subtree_q(region.code, "organization__region__code"))
    structure = selectors.member_structure(members=members)
    labels: dict[str, dict[str, Any]] = {
        "sex": dict(Sex.choices),
        "education": {**dict(Education.choices), "": _("Not recorded")},
    }
    dimensions = {
        "sex": _("Sex"),
        "age": _("Age"),
        "education": _("Education"),
        "ethnicity": _("Ethnic group"),
    }
    fmt = export_format(request)
    if fmt and request.GET.get("table") == "structure":
        rows = (
            {
                "dimension": str(dimensions[dimension]),
                "value": str(labels.get(dimension, {}).get(k, k)),
                "n": n,
            }
            for dimension, counts in structure.items()
            for k, n in counts.items()
        )
        return table_response(
            fmt=fmt,
            columns=[
                Column("dimension", _("Dimension"), 12),
                Column("value", _("Value"), 16),
                Column("n", _("Members"), 10),
            ],
            rows=rows,
            filename=f"{region.code}-party-members-structure",
            sheet=region.name,
        )
    if fmt:
        return table_response(
            fmt=fmt,
            columns=_rollup_columns(),
            rows=[_rollup_row(line) for line in [*children, total]],
            filename=f"{region.code}-{year}-party-building",
            sheet=f"{region.name}{year}",
        )
    charts = {
        "pipeline": {
            "labels": [str(label) for _s, label in Stage.choices],
            "values": [summary["pipeline"][s] for s in STAGE_ORDER],
        },
        "one_shoulder": {
            "labels": [c.name for c in children],
            "values": [round(c.one_shoulder_ratio * 100, 1) for c in children],
            "target": summary["one_shoulder_target"] * 100,
        },
        "coverage": {
            "labels": [c.name for c in children],
            "values": [round(c.training_ratio * 100, 1) for c in children],
        },
        **{
            dimension: {
                "labels": [str(labels.get(dimension, {}).get(k, k)) for k in counts],
                "values": list(counts.values()),
            }
            for dimension, counts in structure.items()
        },
    }
    return render(
        request,
        "party/dashboard.html",
        {
            "region": region,
            "year": year,
            "years": list(range(timezone.localdate().year, 2015, -1)),
            "summary": summary,
            "total": total,
            "children": children,
            "stages": Stage.choices,
            "charts": charts,
            "ancestors": ancestors_in_scope(request, region),
            "worklist": selectors.pipeline_worklist(actor=request.user, region=region),
        },
    )


# --- organisations ----------------------------------------------------------------------------


def _tree(organizations: Iterable[PartyOrganization]) -> list[tuple[int, PartyOrganization]]:
    """Organisations in tree order with their depth; a parent outside the list starts a root."""
    items = list(organizations)
    ids = {o.pk for o in items}
    children: dict[int | None, list[PartyOrganization]] = {}
    for o in items:
        parent = o.parent_id if o.parent_id in ids else None
        children.setdefault(parent, []).append(o)
    out: list[tuple[int, PartyOrganization]] = []

    def walk(parent: int | None, depth: int) -> None:
        for o in children.get(parent, []):
            out.append((depth, o))
            walk(o.pk, depth + 1)

    walk(None, 0)
    return out


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=64)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=OrganizationKind.choices)
    villages = forms.CharField(
        label=gettext_lazy("Villages (codes, separated by spaces)"),
        required=False,
        help_text=gettext_lazy(
            "Two or more for a joint-village committee; one for a village's own organisation "
            "or a cooperative's."
        ),
    )
    parent = forms.ModelChoiceField(
        PartyOrganization.objects.none(), label=gettext_lazy("Parent organisation"), required=False
    )
    company = forms.ModelChoiceField(
        Company.objects.none(), label=gettext_lazy("Company"), required=False
    )
    social_organization = forms.ModelChoiceField(
        SocialOrganization.objects.none(),
        label=gettext_lazy("Social organisation"),
        required=False,
    )
    industry = forms.ModelChoiceField(
        Industry.objects.all(), label=gettext_lazy("Industry chain"), required=False
    )
    founded_on = forms.DateField(
        label=gettext_lazy("Founded on"), widget=DATE_WIDGET, required=False
    )


def _organization_create(request: HttpRequest, form: OrganizationForm, region: Region) -> bool:
    """Set up an organisation from the form; False (with the form's errors) when refused."""
    data = form.cleaned_data
    codes = data["villages"].split()
    villages = list(
        Region.objects.visible_to(request.user).filter(
            code__in=codes, kind__in=selectors.VILLAGE_REGION_KINDS
        )
    )
    if len(villages) != len(set(codes)):
        form.add_error("villages", _("No village in your jurisdiction has this code."))
        return False
    cooperative = None
    if data["kind"] == OrganizationKind.COOPERATIVE and villages:
        cooperative = (
            CollectiveOrganization.objects.visible_to(request.user)
            .filter(village=villages[0])
            .first()
        )
    try:
        organizations_service.organization_create(
            actor=request.user,
            name=data["name"],
            kind=data["kind"],
            villages=villages,
            region=region,
            parent=data["parent"],
            cooperative=cooperative,
            company=data["company"],
            social_organization=data["social_organization"],
            industry=data["industry"],
            founded_on=data["founded_on"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def organizations(request: HttpRequest) -> HttpResponseBase:
    """The organisation tree under a region with member counts, the units with three or more
    members and no party organisation ("应建尽建"), and the form that sets one up."""
    region = region_for(request)
    can_add = has_permission(request.user, PartyOrganization, "add")
    form = OrganizationForm(request.POST or None)
    form.fields["parent"].queryset = PartyOrganization.objects.visible_to(  # type: ignore[attr-defined]
        request.user
    ).exclude(kind__in=(OrganizationKind.VILLAGE_BRANCH, OrganizationKind.COMPANY))
    form.fields["company"].queryset = Company.objects.visible_to(request.user)  # type: ignore[attr-defined]
    form.fields["social_organization"].queryset = SocialOrganization.objects.visible_to(  # type: ignore[attr-defined]
        request.user
    )
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid() and _organization_create(request, form, region):
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?region={region.code}")
    listed = (
        PartyOrganization.objects.visible_to(request.user)
        .filter(subtree_q(region.code, "region__code"))
        .select_related("region")
        .order_by("kind", "region__code", "name")
    )
    counts = dict(
        PartyMember.objects.filter(organization__in=listed, stage__in=MEMBER_STAGES)
        .values_list("organization")
        .annotate(n=Count("pk"))
        .order_by()
    )
    gaps = selectors.organization_gaps(region=region)
    fmt = export_format(request)
    if fmt:
        if request.GET.get("table") == "gaps":
            return table_response(
                fmt=fmt,
                columns=[
                    Column("kind", _("Kind"), 12),
                    Column("name", _("Name"), 24),
                    Column("members", _("Members working there"), 10),
                ],
                rows=(
                    {"kind": g["kind"], "name": str(g["unit"]), "members": g["members"]}
                    for g in gaps
                ),
                filename=f"{region.code}-party-organisation-gaps",
                sheet=region.name,
            )
        return table_response(
            fmt=fmt,
            columns=[
                Column("name", _("Name"), 24),
                Column("kind", _("Kind"), 18),
                Column("region", _("Attached to"), 14),
                Column("members", _("Members"), 8),
            ],
            rows=(
                {
                    "name": o.name,
                    "kind": o.get_kind_display(),
                    "region": o.region.name,
                    "members": counts.get(o.pk, 0),
                }
                for o in listed
            ),
            filename=f"{region.code}-party-organisations",
            sheet=region.name,
        )
    tree = _tree(listed)
    return render(
        request,
        "party/organizations.html",
        {
            "region": region,
            "tree": [(depth, o, counts.get(o.pk, 0)) for depth, o in tree],
            "gaps": gaps,
            "joint": sum(o.kind == OrganizationKind.JOINT_COMMITTEE for _d, o in tree),
            "form": form if can_add else None,
        },
    )


class ApplyForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24)
    applied_on = forms.DateField(label=gettext_lazy("Applied on"), widget=DATE_WIDGET)


@login_required
@require_http_methods(["GET", "POST"])
def organization_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An organisation's roll (everyone in its pipeline, by stage) with its structure, its 1+N
    groups, and the form that records a new application."""
    try:
        organization = get_for_user(PartyOrganization.objects.all(), request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc
    form = ApplyForm(request.POST or None)
    can_add = has_permission(request.user, PartyMember, "add")
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            person = person_by_id_number(request, form.cleaned_data["id_number"])
            if person is None:
                form.add_error(
                    "id_number", _("No registered person in your jurisdiction has this ID number.")
                )
            else:
                try:
                    member = pipeline.member_apply(
                        actor=request.user,
                        person=person,
                        organization=organization,
                        applied_on=form.cleaned_data["applied_on"],
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("party:member_detail", pk=member.pk)
    roll = organization.members.select_related("person", "person__ethnicity").order_by(
        "stage", "person__name"
    )
    fmt = export_format(request)
    if fmt:
        today = timezone.localdate()
        return table_response(
            fmt=fmt,
            columns=[
                Column("name", _("Name"), 10),
                Column("sex", _("Sex"), 6),
                Column("age", _("Age"), 6),
                Column("ethnicity", _("Ethnic group"), 8),
                Column("education", _("Education"), 12),
                Column("stage", _("Stage"), 12),
                Column("applied_on", _("Applied on"), 12),
                Column("probationary_on", _("Admitted on"), 12),
                Column("full_on", _("Full member since"), 12),
            ],
            rows=(
                {
                    "name": m.person.name,
                    "sex": m.person.get_sex_display(),
                    "age": selectors.age_on(m.person.birth_date, today),
                    "ethnicity": m.person.ethnicity.name,
                    "education": m.person.get_education_display(),
                    "stage": m.get_stage_display(),
                    "applied_on": m.applied_on,
                    "probationary_on": m.probationary_on,
                    "full_on": m.full_on,
                }
                for m in roll
            ),
            filename=f"party-roll-{organization.pk}",
            sheet=organization.name,
        )
    structure = selectors.member_structure(members=organization.members.all())
    return render(
        request,
        "party/organization_detail.html",
        {
            "organization": organization,
            "page": paginate(request, roll),
            "structure": structure,
            "sex_labels": dict(Sex.choices),
            "education_labels": dict(Education.choices),
            "groups": organization.functional_groups.select_related(
                "leader__person"
            ).prefetch_related("members__person"),
            "children": organization.children.all(),
            "form": form if can_add else None,
        },
    )


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


class StepForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("Step to"), choices=Stage.choices)
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    introducers = forms.ModelMultipleChoiceField(
        PartyMember.objects.none(),
        label=gettext_lazy("Introducers (two full members)"),
        required=False,
    )
    exception_reason = forms.CharField(
        label=gettext_lazy("Exception to the interval: reason (approvers only)"),
        max_length=200,
        required=False,
    )


class TalkForm(forms.Form):
    talked_on = forms.DateField(label=gettext_lazy("Talked with on"), widget=DATE_WIDGET)


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
            if talk.is_bound and talk.is_valid():
                pipeline.member_talk(
                    actor=request.user, member=member, talked_on=talk.cleaned_data["talked_on"]
                )
                messages.success(request, _("Saved."))
                return redirect("party:member_detail", pk=member.pk)
        except DomainError as exc:
            add_domain_error(step if step.is_bound else talk, exc)
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
        },
    )


# --- village cadres and election readiness ----------------------------------------------------


class AppointForm(forms.Form):
    village = forms.CharField(label=gettext_lazy("Village code"), max_length=12)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24)
    post = forms.ChoiceField(label=gettext_lazy("Post"), choices=Post.choices)
    started_on = forms.DateField(label=gettext_lazy("Started on"), widget=DATE_WIDGET)
    source = forms.ChoiceField(
        label=gettext_lazy("Came from"),
        choices=[("", "—"), *SecretarySource.choices],
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request: HttpRequest) -> HttpResponseBase:
    """The village two committees and readiness for the next change of term: per village, the
    cadres in post with their age, sex and education structure, when the term ends, the reserve
    candidates per post; the villages with no reserve candidate for secretary named first."""
    region = region_for(request)
    rows = selectors.election_readiness(region=region)
    form = AppointForm(request.POST or None)
    can_add = has_permission(request.user, CadrePosition, "add")
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            village = (
                Region.objects.visible_to(request.user)
                .filter(code=form.cleaned_data["village"].strip())
                .first()
            )
            person = person_by_id_number(request, form.cleaned_data["id_number"])
            if village is None:
                form.add_error("village", _("No village in your jurisdiction has this code."))
            elif person is None:
                form.add_error(
                    "id_number", _("No registered person in your jurisdiction has this ID number.")
                )
            else:
                try:
                    cadres.position_appoint(
                        actor=request.user,
                        village=village,
                        person=person,
                        post=form.cleaned_data["post"],
                        started_on=form.cleaned_data["started_on"],
                        source=form.cleaned_data["source"] or "",
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect(f"{request.path}?region={region.code}")
    missing = [r for r in rows if not r.has_reserve_secretary]
    fmt = export_format(request)
    if fmt:
        return table_response(
            fmt=fmt,
            columns=[
                Column("code", _("Village code"), 14),
                Column("village", _("Village"), 10),
                Column("cadres", _("Cadres in post"), 8),
                Column("one_shoulder", _("Secretary also director"), 8),
                Column("average_age", _("Average age"), 8),
                Column("over_60", _("Over 60"), 8),
                Column("women", _("Women"), 8),
                Column("college", _("College education"), 8),
                Column("term_ends_on", _("Term ends on"), 12),
                Column("reserve_secretary", _("Reserve candidates for secretary"), 10),
                Column("reserve_director", _("Reserve candidates for director"), 10),
                Column("reserve_other", _("Other reserve candidates"), 10),
            ],
            rows=(
                {
                    "code": r.village.code,
                    "village": r.village.name,
                    "cadres": len(r.cadres),
                    "one_shoulder": _("Yes") if r.one_shoulder else _("No"),
                    "average_age": round(r.average_age, 1),
                    "over_60": r.over_60,
                    "women": r.women,
                    "college": r.college,
                    "term_ends_on": r.term_ends_on,
                    "reserve_secretary": r.reserves[Post.PARTY_SECRETARY],
                    "reserve_director": r.reserves[Post.DIRECTOR],
                    "reserve_other": sum(r.reserves.values())
                    - r.reserves[Post.PARTY_SECRETARY]
                    - r.reserves[Post.DIRECTOR],
                }
                for r in rows
            ),
            filename=f"{region.code}-election-readiness",
            sheet=region.name,
        )
    one_shoulder = sum(r.one_shoulder for r in rows)
    return render(
        request,
        "party/readiness.html",
        {
            "region": region,
            "rows": rows,
            "missing": missing,
            "one_shoulder": one_shoulder,
            "ratio": one_shoulder / len(rows) if rows else 0,
            "form": form if can_add else None,
        },
    )


# --- reserve talent ---------------------------------------------------------------------------


class TalentForm(forms.Form):
    village = forms.CharField(label=gettext_lazy("Village code"), max_length=12)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24)
    source = forms.ChoiceField(label=gettext_lazy("Pool"), choices=SecretarySource.choices)
    track = forms.ChoiceField(label=gettext_lazy("Track"), choices=TalentTrack.choices)
    reserve_for = forms.ChoiceField(
        label=gettext_lazy("Reserve for post"), choices=[("", "—"), *Post.choices], required=False
    )
    mentor_id_number = forms.CharField(
        label=gettext_lazy("Mentor's ID number"), max_length=24, required=False
    )
    since = forms.DateField(label=gettext_lazy("In the pool since"), widget=DATE_WIDGET)


def _talent_add(request: HttpRequest, form: TalentForm) -> bool:
    data = form.cleaned_data
    village = Region.objects.visible_to(request.user).filter(code=data["village"].strip()).first()
    person = person_by_id_number(request, data["id_number"])
    mentor = (
        person_by_id_number(request, data["mentor_id_number"]) if data["mentor_id_number"] else None
    )
    if village is None:
        form.add_error("village", _("No village in your jurisdiction has this code."))
    elif person is None:
        form.add_error(
            "id_number", _("No registered person in your jurisdiction has this ID number.")
        )
    elif data["mentor_id_number"] and mentor is None:
        form.add_error(
            "mentor_id_number", _("No registered person in your jurisdiction has this ID number.")
        )
    else:
        try:
            cadres.talent_add(
                actor=request.user,
                village=village,
                person=person,
                source=data["source"],
                track=data["track"],
                reserve_for=data["reserve_for"] or "",
                mentor=mentor,
                since=data["since"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def talent(request: HttpRequest) -> HttpResponseBase:
    """The reserve pool ("双培养") by pool and track; 致富带头人 per village against the goal."""
    region = region_for(request)
    year = year_for(request)
    can_add = has_permission(request.user, ReserveTalent, "add")
    form = TalentForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid() and _talent_add(request, form):
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?region={region.code}")
    listed = (
        ReserveTalent.objects.visible_to(request.user)
        .filter(subtree_q(region.code, "village__code"))
        .select_related("village", "person", "mentor")
    )
    track = request.GET.get("track")
    if track in TalentTrack.values:
        listed = listed.filter(track=track)
    source = request.GET.get("source")
    if source in SecretarySource.values:
        listed = listed.filter(source=source)
    fmt = export_format(request)
    if fmt:
        return table_response(
            fmt=fmt,
            columns=[
                Column("village", _("Village"), 10),
                Column("name", _("Name"), 10),
                Column("source", _("Pool"), 14),
                Column("track", _("Track"), 24),
                Column("progress", _("Progress"), 10),
                Column("reserve_for", _("Reserve for post"), 14),
                Column("mentor", _("Mentor"), 10),
                Column("since", _("In the pool since"), 12),
            ],
            rows=(
                {
                    "village": t.village.name,
                    "name": t.person.name,
                    "source": t.get_source_display(),
                    "track": t.get_track_display(),
                    "progress": t.get_progress_display(),
                    "reserve_for": t.get_reserve_for_display() if t.reserve_for else "",
                    "mentor": t.mentor.name if t.mentor else "",
                    "since": t.since,
                }
                for t in listed
            ),
            filename=f"{region.code}-reserve-talent",
            sheet=region.name,
        )
    figures = selectors.village_figures(region=region, year=year)
    goal = selectors.policy_value(selectors.PartyPolicy.Key.ENTREPRENEURS_PER_VILLAGE, year, 3)
    counted = dict(listed.values_list("source").annotate(n=Count("pk")).order_by())
    by_source = {str(label): counted.get(value, 0) for value, label in SecretarySource.choices}
    return render(
        request,
        "party/talent.html",
        {
            "region": region,
            "year": year,
            "page": paginate(request, listed),
            "goal": goal,
            "short": [f for f in figures if f.entrepreneurs < goal],
            "villages": len(figures),
            "by_source": by_source,
            "tracks": TalentTrack.choices,
            "sources": SecretarySource.choices,
            "track": track,
            "source": source,
            "query": f"region={region.code}&track={track or ''}&source={source or ''}",
            "form": form if can_add else None,
        },
    )
