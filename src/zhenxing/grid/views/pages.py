"""Grid management's pages above the phone: the dashboard, a village's grids with their map,
one grid (boundary, households, workers), contracts with their money, and assessment."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from zhenxing.core.errors import DomainError
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.web.export import Column, table_response
from zhenxing.core.web.views import (
    KernelMixin,
    RegionMixin,
    ScopedListView,
    ScopedObjectMixin,
    add_domain_error,
    paginate,
    perform,
    requested_export_format,
)
from zhenxing.grid import forms as grid_forms
from zhenxing.grid.models import (
    AssessmentPeriod,
    Criterion,
    Grid,
    ServiceContract,
    WorkerScore,
)
from zhenxing.grid.selectors import grids as selectors
from zhenxing.grid.services import assessment as assessment_services
from zhenxing.grid.services import contracts as contract_services
from zhenxing.grid.services import grids as grid_services

T = TypeVar("T")


def _accept(form: Any, action: Callable[[], T]) -> T | None:
    """Run the service a valid form asks for; its refusal lands on the form's fields (scope
    and role refusals still answer 404 and 403), so ``form.errors`` says whether it ran."""
    try:
        return action()
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


def _saved(request: HttpRequest, to: str = "", *args: Any) -> HttpResponseBase:
    messages.success(request, _("Saved."))
    return redirect(to, *args) if to else redirect(request.path)


def _months_back(today: dt.date, n: int) -> list[tuple[int, int]]:
    months = []
    y, m = today.year, today.month
    for _i in range(n):
        months.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(months))


class DashboardView(KernelMixin, RegionMixin, TemplateView):
    """Grids and coverage by area, this month's visits, never-visited households, contract
    money contracted, allocated and spent; ``?format=xlsx|csv`` downloads the table."""

    template_name = "grid/dashboard.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        fmt = requested_export_format(request)
        if fmt is None:
            return super().get(request, *args, **kwargs)
        rows, total = self.figures()
        return table_response(
            fmt=fmt,
            columns=self.columns(),
            rows=[self.as_row(r) for r in [*rows, total]],
            filename=f"grids-{self.region.code}",
            sheet="grids",
        )

    def figures(self) -> tuple[list[selectors.AreaFigures], selectors.AreaFigures]:
        today = timezone.localdate()
        children = (
            list(self.region.children.order_by("code"))
            if self.region.kind not in VILLAGE_LEVEL
            else []
        )
        return selectors.area_figures(
            region=self.region, children=children, year=today.year, month=today.month
        )

    @staticmethod
    def columns() -> list[Column]:
        return [
            Column("code", _("Code")),
            Column("name", _("Area")),
            Column("grids", _("Grids")),
            Column("workers", _("Grid workers")),
            Column("households_in_grids", _("Households in grids")),
            Column("visits", _("Visits this month")),
            Column("households_visited", _("Households visited this month")),
            Column("coverage", _("Coverage this month (%)")),
            Column("never_visited", _("Never visited")),
            Column("contracted", _("Contracted (yuan)")),
            Column("allocated", _("Allocated (yuan)")),
            Column("spent", _("Spent (yuan)")),
        ]

    @staticmethod
    def as_row(r: selectors.AreaFigures) -> dict[str, Any]:
        return {
            "code": r.code,
            "name": r.name,
            "grids": r.grids,
            "workers": r.workers,
            "households_in_grids": r.households_in_grids,
            "visits": r.visits,
            "households_visited": r.households_visited,
            "coverage": round(r.coverage, 1) if r.coverage is not None else "",
            "never_visited": r.never_visited,
            "contracted": r.contracted,
            "allocated": r.allocated,
            "spent": r.spent,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows, total = self.figures()
        months = selectors.visits_by_month(
            region=self.region, months=_months_back(timezone.localdate(), 6)
        )
        context.update(
            rows=rows,
            total=total,
            months=months,
            is_village=self.region.kind in VILLAGE_LEVEL,
            periods=selectors.periods(actor=self.actor).filter(
                township__code__startswith=self.region.code[:9]
            )[:8]
            if self.region.kind != RegionKind.COUNTY
            else [],
        )
        return context


class VillageGridsView(KernelMixin, TemplateView):
    """A village's grids: the map (area, grids, households' points), the list, new grids."""

    template_name = "grid/village.html"

    @cached_property
    def village(self) -> Region:
        try:
            return selectors.village_in_scope(actor=self.actor, code=self.kwargs["code"])
        except DomainError as exc:
            raise Http404 from exc

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "area" in request.POST:
            area_form = grid_forms.VillageAreaForm(request.POST)
            if area_form.is_valid():
                _accept(
                    area_form,
                    lambda: grid_services.village_area_set(
                        actor=self.actor,
                        village=self.village,
                        boundary=area_form.cleaned_data["area"],
                    ),
                )
                if not area_form.errors:
                    return _saved(request)
            return self.render_to_response(self.get_context_data(area_form=area_form), status=400)
        form = grid_forms.GridForm(request.POST)
        if form.is_valid():
            grid = _accept(
                form,
                lambda: grid_services.grid_create(
                    actor=self.actor,
                    village=self.village,
                    name=form.cleaned_data["name"],
                    boundary=form.cleaned_data["boundary"] or None,
                    note=form.cleaned_data["note"],
                ),
            )
            if grid is not None:
                messages.success(request, _("Grid %(name)s created.") % {"name": grid.name})
                return redirect("grid:grid_detail", pk=grid.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = selectors.village_grids(actor=self.actor, village=self.village)
        context.update(
            village=self.village,
            rows=rows,
            map_data=selectors.map_data(
                village=self.village, grids=[r["grid"] for r in rows], tiles=settings.GRID_TILE_URL
            ),
            can_change=self.can("grid.grid.add"),
        )
        context.setdefault("form", grid_forms.GridForm())
        context.setdefault("area_form", grid_forms.VillageAreaForm())
        return context


class GridDetailView(KernelMixin, ScopedObjectMixin, TemplateView):
    """One grid: its boundary on the map (drawn or pasted), households by list or by drawing,
    its workers."""

    template_name = "grid/grid_detail.html"
    model = Grid

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        grid = self.get_object()
        action = request.POST.get("action", "")
        forms_by_action = {
            "boundary": grid_forms.GridForm,
            "assign": grid_forms.HouseholdListForm,
            "remove": grid_forms.HouseholdListForm,
        }
        if action == "drawn":
            perform(
                request,
                lambda: grid_services.grid_assign_drawn(actor=self.actor, grid=grid),
                _("Households inside the boundary added."),
            )
            return redirect(request.path)
        if action == "post":
            workers = selectors.assignable_workers(actor=self.actor, village=grid.village)
            form: Any = grid_forms.PostForm(request.POST, workers=workers)
            if form.is_valid():
                worker = next(w for w in workers if str(w.pk) == form.cleaned_data["worker"])
                done = perform(
                    request,
                    lambda: grid_services.grid_worker_post(
                        actor=self.actor, grid=grid, worker=worker, since=form.cleaned_data["since"]
                    ),
                    _("Saved."),
                )
                if done is not None:
                    return redirect(request.path)
            return self.render_to_response(self.get_context_data(post_form=form), status=400)
        if action not in forms_by_action:
            raise Http404
        form = forms_by_action[action](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if action == "boundary":
                _accept(
                    form,
                    lambda: grid_services.grid_update(
                        actor=self.actor,
                        grid=grid,
                        name=data["name"],
                        boundary=data["boundary"] or None,
                        note=data["note"],
                    ),
                )
            else:
                service = (
                    grid_services.grid_assign_households
                    if action == "assign"
                    else grid_services.grid_remove_households
                )
                _accept(
                    form,
                    lambda: service(actor=self.actor, grid=grid, numbers=data["numbers"].split()),
                )
            if not form.errors:
                return _saved(request)
        return self.render_to_response(
            self.get_context_data(**{f"{action}_form": form}), status=400
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        grid = self.get_object()
        siblings = selectors.grids_of_village(actor=self.actor, village_id=grid.village_id)
        page = paginate(
            self.request, selectors.grid_households(grid=grid).select_related("household__head")
        )
        context.update(
            grid=grid,
            page=page,
            posts=selectors.grid_posts(grid=grid),
            map_data=selectors.map_data(
                village=grid.village, grids=siblings, selected=grid.pk, tiles=settings.GRID_TILE_URL
            ),
            can_change=self.can("grid.grid.change"),
        )
        context.setdefault(
            "boundary_form",
            grid_forms.GridForm(
                initial={
                    "name": grid.name,
                    "boundary": json.dumps(grid.boundary) if grid.boundary else "",
                    "note": grid.note,
                }
            ),
        )
        context.setdefault("assign_form", grid_forms.HouseholdListForm())
        context.setdefault("remove_form", grid_forms.HouseholdListForm())
        if "post_form" not in context:
            workers = selectors.assignable_workers(actor=self.actor, village=grid.village)
            context["post_form"] = grid_forms.PostForm(workers=workers)
        return context


# ---- contracts ----------------------------------------------------------------------------


class ContractListView(ScopedListView):
    """Contracts in the reader's scope with their allocated share; new contracts by the
    township or the city."""

    template_name = "grid/contract_list.html"
    scoped_by_selector = True

    def get_base_queryset(self) -> Any:
        qs = selectors.contract_list(actor=self.actor)
        code = self.request.GET.get("region")
        if code:
            region = selectors.region_in_scope(actor=self.actor, code=code)
            qs = qs.filter(village__code__startswith=region.code)
        return qs

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = grid_forms.ContractForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                village = selectors.village_in_scope(actor=self.actor, code=data["village"])
            except DomainError:
                form.add_error("village", _("No village in your jurisdiction has this code."))
            else:
                contract = _accept(
                    form,
                    lambda: contract_services.contract_create(
                        actor=self.actor,
                        buyer=self.actor.region,
                        village=village,
                        **{k: v for k, v in data.items() if k != "village"},
                    ),
                )
                if contract is not None:
                    return _saved(request, "grid:contract_detail", contract.pk)
        self.object_list = self.get_queryset()
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", grid_forms.ContractForm())
        context["can_add"] = self.can("grid.servicecontract.add")
        return context


class ContractDetailView(KernelMixin, ScopedObjectMixin, TemplateView):
    """A contract: its services and signatories, allocation, spending and what is left."""

    template_name = "grid/contract_detail.html"
    model = ServiceContract

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        contract = self.get_object()
        if "allocation" in request.POST:
            allocations = list(contract.allocations.all())
            form: Any = grid_forms.SpendingForm(request.POST, allocations=allocations)
            if form.is_valid():
                allocation = next(
                    a for a in allocations if str(a.pk) == form.cleaned_data["allocation"]
                )
                data = form.cleaned_data
                _accept(
                    form,
                    lambda: contract_services.spending_add(
                        actor=self.actor,
                        allocation=allocation,
                        spent_on=data["spent_on"],
                        amount=data["amount"],
                        payee=data["payee"],
                        purpose=data["purpose"],
                    ),
                )
                if not form.errors:
                    return _saved(request)
            return self.render_to_response(self.get_context_data(spending_form=form), status=400)
        grids = selectors.grids_of_village(actor=self.actor, village_id=contract.village_id)
        form = grid_forms.AllocationForm(request.POST, grids=grids)
        if form.is_valid():
            data = form.cleaned_data
            grid = next(g for g in grids if str(g.pk) == data["grid"])
            _accept(
                form,
                lambda: contract_services.allocation_add(
                    actor=self.actor,
                    contract=contract,
                    grid=grid,
                    amount=data["amount"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    note=data["note"],
                ),
            )
            if not form.errors:
                return _saved(request)
        return self.render_to_response(self.get_context_data(allocation_form=form), status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contract = self.get_object()
        lines, totals = selectors.contract_lines(contract=contract)
        context.update(
            contract=contract,
            lines=lines,
            totals=totals,
            spendings=paginate(self.request, selectors.contract_spendings(contract=contract)),
            can_allocate=self.can("grid.contractallocation.add"),
            can_spend=self.can("grid.contractspending.add"),
        )
        grids = selectors.grids_of_village(actor=self.actor, village_id=contract.village_id)
        context.setdefault("allocation_form", grid_forms.AllocationForm(grids=grids))
        context.setdefault(
            "spending_form",
            grid_forms.SpendingForm(allocations=[line.allocation for line in lines]),
        )
        return context


# ---- assessment ---------------------------------------------------------------------------


class PeriodListView(ScopedListView):
    """Assessment periods in scope; a township opens a new one."""

    template_name = "grid/period_list.html"
    scoped_by_selector = True

    def get_base_queryset(self) -> Any:
        return selectors.periods(actor=self.actor)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = grid_forms.PeriodForm(request.POST)
        region = self.actor.region
        if form.is_valid():
            # Opening computes the scores in the same transaction (period_open).
            period = _accept(
                form,
                lambda: assessment_services.period_open(
                    actor=self.actor, township=region, **form.cleaned_data
                ),
            )
            if period is not None:
                return _saved(request, "grid:period_detail", period.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", grid_forms.PeriodForm())
        context["can_open"] = (
            self.can("grid.assessmentperiod.add")
            and getattr(self.actor.region, "kind", "") == RegionKind.TOWNSHIP
        )
        return context


class PeriodDetailView(KernelMixin, ScopedObjectMixin, TemplateView):
    """A period's scores: workers ranked with each criterion, grids ranked; recompute, enter
    a criterion, confirm (lock); ``?format=`` downloads the workers' table."""

    template_name = "grid/period_detail.html"
    model = AssessmentPeriod

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        fmt = requested_export_format(request)
        if fmt is None:
            return super().get(request, *args, **kwargs)
        period = self.get_object()
        columns = [
            Column("rank", _("Rank in township")),
            Column("village", _("Village")),
            Column("worker", _("Grid worker")),
            Column("households", _("Households")),
            Column("visits", _("Visits")),
            *[Column(c, str(label)) for c, label in Criterion.choices],
            Column("total", _("Total")),
        ]
        rows = [
            {
                "rank": s.rank_in_township,
                "village": s.village.name,
                "worker": s.worker.get_full_name(),
                "households": s.households,
                "visits": s.visits,
                **{c: s.scores.get(c) or "" for c in Criterion.values},
                "total": s.total,
            }
            for s in self.scores(period)
        ]
        return table_response(
            fmt=fmt, columns=columns, rows=rows, filename=f"assessment-{period.pk}", sheet="scores"
        )

    def scores(self, period: AssessmentPeriod) -> list[WorkerScore]:
        scores = selectors.period_worker_scores(actor=self.actor, period=period)
        for s in scores:
            s.criterion_values = [s.scores.get(c) for c in Criterion.values]  # type: ignore[attr-defined]
        return scores

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        period = self.get_object()
        action = request.POST.get("action")
        if action == "compute":
            perform(
                request,
                lambda: assessment_services.period_compute(actor=self.actor, period=period),
                _("Scores recomputed."),
            )
        elif action == "confirm":
            perform(
                request,
                lambda: assessment_services.period_confirm(actor=self.actor, period=period),
                _("Scores confirmed and locked; the next period's allocation was made."),
            )
        elif action == "enter":
            form = grid_forms.EntryForm(request.POST)
            if form.is_valid():
                score = (
                    WorkerScore.objects.filter(period=period, worker_id=form.cleaned_data["worker"])
                    .select_related("worker")
                    .first()
                )
                if score is None:
                    raise Http404
                done = perform(
                    request,
                    lambda: assessment_services.criterion_enter(
                        actor=self.actor,
                        period=period,
                        worker=score.worker,
                        criterion=form.cleaned_data["criterion"],
                        score=form.cleaned_data["score"],
                        reason=form.cleaned_data["reason"],
                    ),
                    _("Saved."),
                )
                if done is None:
                    return redirect(request.path)
            else:
                messages.error(
                    request, "; ".join(str(e) for errs in form.errors.values() for e in errs)
                )
        else:
            raise Http404
        return redirect(request.path)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = self.get_object()
        context.update(
            period=period,
            scores=self.scores(period),
            criteria=Criterion.choices,
            grid_scores=selectors.period_grid_scores(actor=self.actor, period=period),
            allocations=selectors.period_allocations(actor=self.actor, period=period),
            entry_form=grid_forms.EntryForm(),
            can_change=self.can("grid.assessmentperiod.change") and not period.locked,
            can_confirm=self.can("grid.assessmentperiod.confirm") and not period.locked,
        )
        return context
