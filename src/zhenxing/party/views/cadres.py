"""Village cadres' pages: the two committees and election readiness (with the form that appoints a
cadre), and the reserve pool ("双培养") with 致富带头人 per village against the goal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.generic import View

from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.scoping import subtree_q
from zhenxing.core.web.choices import region_choices
from zhenxing.core.web.export import table_response
from zhenxing.core.web.filters import filter_queryset
from zhenxing.core.web.views import (
    KernelMixin,
    add_domain_error,
    paginate,
    perform,
    posted_object,
    region_for,
    requested_export_format,
)
from zhenxing.party import policy as party_policy
from zhenxing.party import tables
from zhenxing.party.filtersets import ReserveTalentFilterSet
from zhenxing.party.forms.cadres import AppointForm, TalentForm
from zhenxing.party.models import (
    CadrePosition,
    Post,
    ReserveTalent,
    SecretarySource,
    TalentProgress,
    TalentTrack,
)
from zhenxing.party.selectors import lists, scope
from zhenxing.party.selectors import summary as selectors
from zhenxing.party.services import cadres
from zhenxing.party.views.dashboard import person_by_id_number, year_for

# --- village cadres and election readiness ----------------------------------------------------


def own_village(region: Region) -> Region | None:
    """The village a village's page preselects in its forms."""
    return region if region.kind in VILLAGE_LEVEL else None


def villages_of(request: HttpRequest, region: Region) -> Any:
    """The villages under ``region`` the reader may see, for a form's list."""
    return scope.villages_under(actor=request.user, region=region)


def _posted(request: HttpRequest, model: Any, key: str) -> Any:
    """The row a button posts (``key`` = its id), looked up by the kernel for a change."""
    return posted_object(request, model._default_manager.all(), key)


def _end_post(request: HttpRequest) -> None:
    """End a post (term over, resigned, removed) from a village's page; kept as history."""
    position = _posted(request, CadrePosition, "end")
    try:
        ended_on = parse_date(request.POST.get("ended_on", ""))
    except ValueError:  # well formed but no such day
        ended_on = None
    if ended_on is None:
        messages.error(request, _("Give the date the post ended."))
        return
    perform(
        request,
        lambda: cadres.position_end(actor=request.user, position=position, ended_on=ended_on),
        _("Saved."),
    )


class ReadinessView(KernelMixin, View):
    """The village two committees and readiness for the next change of term: per village, the
    cadres in post with their age, sex and education structure, when the term ends, the reserve
    candidates per post; the villages with no reserve candidate for secretary named first."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponseBase:
        region = region_for(request)
        if "end" in request.POST:
            _end_post(request)
            return redirect(f"{request.path}?region={region.code}")
        fmt = requested_export_format(request)
        # Above the township the page sums by township (drill down to its villages): every
        # village's committee of the city on one page was 330 KB, and a province's 60,000
        # posts read as rows took more than a second. The download still lists each village.
        above = region.kind == RegionKind.COUNTY and not fmt
        rows = [] if above else selectors.election_readiness(region=region)
        form = AppointForm(
            request.POST or None,
            initial={"village": region if region.kind in VILLAGE_LEVEL else None},
        )
        region_choices(form.fields["village"], villages_of(request, region))
        can_add = self.can("party.cadreposition.add")
        if request.method == "POST":
            if not can_add:
                raise PermissionDenied
            if form.is_valid():
                village = form.cleaned_data["village"]
                person = person_by_id_number(request, form.cleaned_data["id_number"])
                if person is None:
                    form.add_error(
                        "id_number",
                        _("No registered person in your jurisdiction has this ID number."),
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
        if fmt:
            return table_response(
                fmt=fmt,
                columns=tables.readiness_columns(),
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
        totals = selectors.readiness_above_township(region=region) if above else None
        one_shoulder = totals.one_shoulder if totals else sum(r.one_shoulder for r in rows)
        villages = totals.villages if totals else len(rows)
        return render(
            request,
            "party/readiness.html",
            {
                "region": region,
                "rows": rows,
                # A province's root has hundreds of townships: a page of them at a time.
                "areas": None if totals is None else paginate(request, totals.areas),
                "query": f"region={region.code}",
                "missing": missing,
                "missing_count": totals.without_reserve_secretary if totals else len(missing),
                "villages": villages,
                "one_shoulder": one_shoulder,
                "ratio": one_shoulder / villages if villages else 0,
                "form": form if can_add else None,
                # Posts are ended from a village's own page, where the list is short.
                "can_end": region.kind in ("village", "community")
                and self.can("party.cadreposition.change"),
            },
        )

    post = get


# --- reserve talent ---------------------------------------------------------------------------


def _talent_add(request: HttpRequest, form: TalentForm) -> bool:
    data = form.cleaned_data
    village = data["village"]
    person = person_by_id_number(request, data["id_number"])
    mentor = (
        person_by_id_number(request, data["mentor_id_number"]) if data["mentor_id_number"] else None
    )
    if person is None:
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


def _talent_progress(request: HttpRequest) -> None:
    """Record how far one person on a track has come (identified, being cultivated, achieved)."""
    entry = _posted(request, ReserveTalent, "entry")
    progress = request.POST.get("progress", "")
    perform(
        request,
        lambda: cadres.talent_progress(actor=request.user, entry=entry, progress=progress),
        _("Saved."),
    )


class TalentView(KernelMixin, View):
    """The reserve pool ("双培养") by pool and track; 致富带头人 per village against the goal."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponseBase:
        region = region_for(request)
        year = year_for(request)
        can_add = self.can("party.reservetalent.add")
        can_change = self.can("party.reservetalent.change")
        if "entry" in request.POST:
            _talent_progress(request)
            return redirect(request.get_full_path())
        form = TalentForm(
            request.POST or None,
            initial={"village": region if region.kind in VILLAGE_LEVEL else None},
        )
        region_choices(form.fields["village"], villages_of(request, region))
        if request.method == "POST":
            if not can_add:
                raise PermissionDenied
            if form.is_valid() and _talent_add(request, form):
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?region={region.code}")
        listed = (
            lists.talent_list(actor=request.user)
            .filter(subtree_q(region.code, "village__code"))
            .select_related("village", "person", "mentor")
        )
        # The same FilterSet as the API and the export: a bad value is a 400 naming it.
        listed = filter_queryset(ReserveTalentFilterSet, request.GET, listed, actor=request.user)
        track = request.GET.get("track") or None
        source = request.GET.get("source") or None
        fmt = requested_export_format(request)
        if fmt:
            return table_response(
                fmt=fmt,
                columns=tables.talent_columns(),
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
        goal = party_policy.policy_int(party_policy.ENTREPRENEURS_PER_VILLAGE, year)
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
                "short": [f for f in figures if f.figures.entrepreneurs < goal],
                "villages": len(figures),
                "by_source": by_source,
                "tracks": TalentTrack.choices,
                "sources": SecretarySource.choices,
                "track": track,
                "source": source,
                "query": f"region={region.code}&track={track or ''}&source={source or ''}",
                "form": form if can_add else None,
                "can_change": can_change,
                "progress_choices": TalentProgress.choices,
            },
        )

    post = get
