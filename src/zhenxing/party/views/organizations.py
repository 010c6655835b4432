"""Party organisation pages: the tree under a region with the "应建尽建" gaps and the form that
sets an organisation up; an organisation's roll, structure and 1+N groups, where applications
are recorded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region
from zhenxing.core.scoping import subtree_q
from zhenxing.core.web.choices import at_most, limited_choices
from zhenxing.core.web.export import table_response
from zhenxing.core.web.views import (
    KernelMixin,
    ScopedObjectMixin,
    add_domain_error,
    paginate,
    region_for,
    requested_export_format,
)
from zhenxing.economy import selectors as economy_selectors
from zhenxing.party import tables
from zhenxing.party.forms.organizations import (
    ApplyForm,
    FunctionalGroupForm,
    OrganizationForm,
    SocialOrganizationForm,
)
from zhenxing.party.models import (
    MEMBER_STAGES,
    OrganizationKind,
    PartyMember,
    PartyOrganization,
)
from zhenxing.party.selectors import scope
from zhenxing.party.selectors import summary as selectors
from zhenxing.party.services import organizations as organizations_service
from zhenxing.party.services import pipeline
from zhenxing.party.views.dashboard import person_by_id_number
from zhenxing.registry.choices import Education, Sex

# --- organisations ----------------------------------------------------------------------------


#: The most organisations the page shows as a tree; past it, a row per child region. A
#: township's tree (a few dozen) is one screen; the city's 600 were 110 KB and a third of a
#: second of rendering, and no one reads them as one tree: the city opens a township's.
TREE_LIMIT = 300


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


def _organization_create(request: HttpRequest, form: OrganizationForm, region: Region) -> bool:
    """Set up an organisation from the form; False (with the form's errors) when refused."""
    data = form.cleaned_data
    codes = data["villages"].split()
    villages = list(
        scope.regions_visible(actor=request.user).filter(code__in=codes, kind__in=VILLAGE_LEVEL)
    )
    if len(villages) != len(set(codes)):
        form.add_error("villages", _("No village in your jurisdiction has this code."))
        return False
    cooperative = None
    if data["kind"] == OrganizationKind.COOPERATIVE and villages:
        cooperative = economy_selectors.organization_of_village(
            actor=request.user, village=villages[0]
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


def _social_register(request: HttpRequest, form: SocialOrganizationForm) -> bool:
    data = form.cleaned_data
    place = scope.regions_visible(actor=request.user).filter(code=data["region"].strip()).first()
    if place is None:
        form.add_error("region", _("No region in your jurisdiction has this code."))
        return False
    try:
        organizations_service.social_organization_create(
            actor=request.user, region=place, name=data["name"], kind=data["kind"]
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    return True


class OrganizationsView(KernelMixin, View):
    """The organisation tree under a region with member counts, the units with three or more
    members and no party organisation ("应建尽建"), and the form that sets one up."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponseBase:
        region = region_for(request)
        can_add = self.can("party.partyorganization.add")
        can_register = self.can("party.socialorganization.add")
        social = SocialOrganizationForm(request.POST if "social" in request.POST else None)
        if social.is_bound:
            if not can_register:
                raise PermissionDenied
            if social.is_valid() and _social_register(request, social):
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?region={region.code}")
        form = OrganizationForm(request.POST if "organization" in request.POST else None)
        user = request.user
        fields: Any = form.fields
        # A province's organisations are no list to pick from: from a township's page, yes.
        for name, choices in (
            (
                "parent",
                scope.organizations_visible(actor=user).exclude(
                    kind__in=(OrganizationKind.VILLAGE_BRANCH, OrganizationKind.COMPANY)
                ),
            ),
            ("company", economy_selectors.company_list(actor=user)),
            ("social_organization", scope.social_organizations_visible(actor=user)),
        ):
            limited_choices(fields[name], choices)
        if form.is_bound:
            if not can_add:
                raise PermissionDenied
            if form.is_valid() and _organization_create(request, form, region):
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?region={region.code}")
        listed = (
            scope.organizations_visible(actor=request.user)
            .filter(subtree_q(region.code, "region__code"))
            .select_related("region")
            .order_by("kind", "region__code", "name")
        )
        fmt = requested_export_format(request)
        # Past the limit the page sums by the level below (drill down to a township's tree):
        # a province's tree of 15,000 organisations was 2.4 MB. The download keeps every row.
        as_tree = fmt or at_most(listed, TREE_LIMIT)
        counts = (
            dict(
                PartyMember.objects.filter(organization__in=listed, stage__in=MEMBER_STAGES)
                .values_list("organization")
                .annotate(n=Count("pk"))
                .order_by()
            )
            if as_tree
            else {}
        )
        gaps = selectors.organization_gaps(region=region)
        if fmt:
            if request.GET.get("table") == "gaps":
                return table_response(
                    fmt=fmt,
                    columns=tables.gap_columns(),
                    rows=(
                        {
                            "kind": str(GAP_KINDS[g["kind"]]),
                            "name": str(g["unit"]),
                            "members": g["members"],
                        }
                        for g in gaps
                    ),
                    filename=f"{region.code}-party-organisation-gaps",
                    sheet=region.name,
                )
            return table_response(
                fmt=fmt,
                columns=tables.organization_columns(),
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
        areas = None if as_tree else selectors.organizations_by_area(region)
        tree = _tree(listed) if as_tree else []
        return render(
            request,
            "party/organizations.html",
            {
                "region": region,
                "tree": [(depth, o, counts.get(o.pk, 0)) for depth, o in tree],
                "areas": areas,
                "gaps": gaps,
                "joint": listed.filter(kind=OrganizationKind.JOINT_COMMITTEE).count(),
                "form": form if can_add else None,
                "social": social if can_register else None,
            },
        )

    post = get


#: What the "应建尽建" report calls each kind of unit.
GAP_KINDS = {
    "cooperative": gettext_lazy("Cooperative"),
    "company": gettext_lazy("Company"),
    "social": gettext_lazy("Social organisation"),
}


def _group_create(request: HttpRequest, organization: PartyOrganization) -> FunctionalGroupForm:
    """The 1+N form, bound when it was the one posted; the service decides what is allowed."""
    form = FunctionalGroupForm(request.POST if "group" in request.POST else None)
    members = (
        PartyMember.objects.filter(organization=organization, stage__in=MEMBER_STAGES)
        .select_related("person")
        .order_by("person__name")
    )
    form.fields["leader"].queryset = members  # type: ignore[attr-defined]
    form.fields["members"].queryset = members  # type: ignore[attr-defined]
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            organizations_service.functional_group_create(
                actor=request.user,
                organization=organization,
                name=data["name"],
                function=data["function"],
                specialty=data["specialty"],
                leader=data["leader"],
                members=list(data["members"]),
                achievements=data["achievements"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    return form


class OrganizationDetailView(KernelMixin, ScopedObjectMixin, View):
    """An organisation's roll (everyone in its pipeline, by stage) with its structure, its 1+N
    groups, and the form that records a new application."""

    http_method_names = ["get", "post"]
    model = PartyOrganization

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        organization: PartyOrganization = self.get_object()
        can_group = self.can("party.functionalgroup.add")
        if "group" in request.POST:
            if not can_group:
                raise PermissionDenied
            group_form = _group_create(request, organization)
            if not group_form.errors:
                messages.success(request, _("Saved."))
                return redirect("party:organization_detail", pk=organization.pk)
        else:
            group_form = _group_create(request, organization)
        form = ApplyForm(request.POST if "apply" in request.POST else None)
        can_add = self.can("party.partymember.add")
        if form.is_bound:
            if not can_add:
                raise PermissionDenied
            if form.is_valid():
                person = person_by_id_number(request, form.cleaned_data["id_number"])
                if person is None:
                    form.add_error(
                        "id_number",
                        _("No registered person in your jurisdiction has this ID number."),
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
        fmt = requested_export_format(request)
        if fmt:
            today = timezone.localdate()
            return table_response(
                fmt=fmt,
                columns=tables.organization_member_columns(),
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
                "children": scope.organization_children(
                    actor=request.user, organization=organization
                ),
                "parent": scope.organization_parent(actor=request.user, organization=organization),
                "form": form if can_add else None,
                "group_form": group_form if can_group else None,
            },
        )

    post = get
