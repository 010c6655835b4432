"""Training pages: the course menu with the villages' orders (点单) and the department's
assignments (配菜), the sessions list with scheduling, a session's attendance sheet (built for
a phone), and the coverage report by trainee category. Reads go through the scoped selectors,
writes through ``party.training``'s services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.regions.models import VILLAGE_LEVEL, Region, RegionKind
from zhenxing.core.scoping import subtree_q
from zhenxing.core.web.export import table_response
from zhenxing.core.web.views import (
    KernelMixin,
    ScopedObjectMixin,
    ServiceActionView,
    add_domain_error,
    ancestors_in_scope,
    paginate,
    raise_http,
    region_for,
    requested_export_format,
)
from zhenxing.party import tables
from zhenxing.party.forms.training import CourseOrderForm, SessionForm
from zhenxing.party.models import (
    AttendanceResult,
    CadrePosition,
    Course,
    TrainingSession,
)
from zhenxing.party.selectors import scope
from zhenxing.party.selectors import training as training_selectors
from zhenxing.party.services import training
from zhenxing.party.views.dashboard import year_for

#: Training pages accept years ahead: villages order courses before the year begins.
ORDER_YEARS_UNTIL = 2100


def _years() -> list[int]:
    """Years offered by the pickers: next year (orders are placed ahead) back to 2000."""
    return list(range(timezone.localdate().year + 1, 1999, -1))


# ---- forms -------------------------------------------------------------------------------


# ---- the training page -------------------------------------------------------------------


def _sessions_export(fmt: str, region: Region, year: int, sessions: Any) -> HttpResponseBase:
    columns = tables.session_columns()
    rows = (
        {
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "course": s.course.title,
            "mode": s.get_mode_display(),
            "region": s.region.name,
            "place": s.place,
            "trainers": s.trainers,
            "hours": s.hours,
            "cancelled": _("yes") if s.cancelled else "",
            "attended": s.attended,
        }
        for s in sessions
    )
    return table_response(
        fmt=fmt,
        columns=columns,
        rows=rows,
        filename=f"{region.code}-{year}-training-sessions",
        sheet=f"{region.name}{year}",
    )


class TrainingPageView(KernelMixin, View):
    """The course menu, the region's orders for a year and its sessions; forms to order, assign
    and schedule for those whose role may. ``?format=xlsx|csv`` downloads the sessions."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponseBase:
        user: Any = request.user
        region = region_for(request)
        year = year_for(request, latest=ORDER_YEARS_UNTIL)
        sessions = training_selectors.session_list(actor=user, region=region, year=year)
        if fmt := requested_export_format(request):
            return _sessions_export(fmt, region, year, sessions)
        orders = training_selectors.order_list(actor=user, region=region, year=year)
        visible = scope.regions_visible(actor=user)
        action = request.POST.get("action", "")
        order_form = CourseOrderForm(
            request.POST if action in ("order", "assign") else None,
            villages=visible.filter(subtree_q(region.code), kind__in=VILLAGE_LEVEL),
        )
        session_form = SessionForm(
            request.POST if action == "schedule" else None,
            # A session is organised at the page's region or one level below it (a township's
            # officer may run one for a single village); villager groups organise none.
            organisers=visible.filter(Q(pk=region.pk) | Q(parent=region)).exclude(
                kind=RegionKind.GROUP
            ),
            orders=orders.filter(session__isnull=True),
            initial={"region": region.pk},
        )
        done = f"{request.path}?region={region.code}&year={year}"
        if action in ("order", "assign") and order_form.is_valid():
            try:
                training.course_order(
                    actor=user, year=year, assign=action == "assign", **order_form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(order_form, exc)
            else:
                messages.success(request, _("The course is on the village's list."))
                return redirect(done)
        if action == "schedule" and session_form.is_valid():
            try:
                session = training.session_schedule(actor=user, **session_form.cleaned_data)
            except DomainError as exc:
                add_domain_error(session_form, exc)
            else:
                messages.success(request, _("The session is scheduled."))
                return redirect("party:session_detail", pk=session.pk)
        orders_page = Paginator(orders, 50).get_page(request.GET.get("orders_page"))
        return render(
            request,
            "party/training_page.html",
            {
                "region": region,
                "year": year,
                "years": _years(),
                "ancestors": ancestors_in_scope(request, region),
                "courses": Course.objects.all(),
                "orders_page": orders_page,
                "page": paginate(request, sessions),
                "query": f"region={region.code}&year={year}",
                "order_form": order_form,
                "session_form": session_form,
                "can_order": self.can("party.courseorder.add"),
                "can_assign": self.can("party.courseorder.assign"),
                "can_schedule": self.can("party.trainingsession.add"),
                "can_export": self.can("export"),
            },
        )

    post = get


# ---- a session and its attendance --------------------------------------------------------


def _ticked(request: HttpRequest, sheet: list[training_selectors.SheetRow]) -> list[Any]:
    """The (cadre, result) pairs the form ticked. A ticked id not on the reader's sheet is
    passed on as it is, so the service refuses the whole sheet rather than the page quietly
    dropping a row."""
    on_sheet = {row.position.pk: row.position for row in sheet}
    entries = []
    for value in dict.fromkeys(request.POST.getlist("attended")):
        try:
            pk = int(value)
        except ValueError:
            continue
        position = on_sheet.get(pk) or CadrePosition(pk=pk)
        entries.append((position, request.POST.get(f"result_{pk}", AttendanceResult.COMPLETED)))
    return entries


class SessionDetailView(KernelMixin, ScopedObjectMixin, View):
    """A session, the attendance recorded for the reader's cadres, and (once it has taken
    place) a sheet to tick who attended and how they did."""

    http_method_names = ["get", "post"]
    queryset = TrainingSession.objects.select_related("region", "course")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user: Any = request.user
        session: TrainingSession = self.get_object()
        happened = training.session_happened(session)
        may_add = self.can("party.attendance.add")
        can_record = happened and may_add
        sheet = (
            training_selectors.attendance_sheet(actor=user, session=session) if can_record else []
        )
        error = ""
        if request.method == "POST":
            if not may_add:
                raise_http(Forbidden())
            # A sheet posted for a session that has not taken place still goes to the service,
            # which says why it refuses.
            entries = _ticked(request, sheet)
            ticked_ids = {position.pk for position, _result in entries}
            # A recorded row left unticked was ticked by mistake: it is removed (audited).
            removed = [
                row.position
                for row in sheet
                if row.attendance is not None and row.position.pk not in ticked_ids
            ]
            if not entries and not removed:
                error = _("Tick the cadres who attended.")
            else:
                try:
                    written = training.attendance_record(
                        actor=user, session=session, entries=entries, removed=removed
                    )
                except DomainError as exc:
                    raise_http(exc)
                    error = str(exc.message)
                else:
                    messages.success(
                        request, _("Attendance saved (%(count)d changed).") % {"count": written}
                    )
                    return redirect("party:session_detail", pk=session.pk)
        recorded = list(training_selectors.attendance_recorded(actor=user, session=session))
        # A refused sheet comes back as it was ticked, so nobody ticks thirty rows twice.
        ticked = set(request.POST.getlist("attended"))
        rows = [
            {
                "position": row.position,
                "attendance": row.attendance,
                "ticked": str(row.position.pk) in ticked,
                "result": request.POST.get(f"result_{row.position.pk}")
                or (row.attendance.result if row.attendance else AttendanceResult.COMPLETED),
            }
            for row in sheet
        ]
        return render(
            request,
            "party/training_session.html",
            {
                "session": session,
                "happened": happened,
                "can_record": can_record,
                "sheet": rows,
                "posted": request.method == "POST",
                "results": AttendanceResult.choices,
                "recorded": recorded,
                "error": error,
                "can_cancel": not session.cancelled
                and not recorded
                and scope.may_change(actor=user, obj=session),
            },
        )

    post = get


class SessionCancelView(ServiceActionView):
    """Cancel a session with no attendance (the service refuses one that took place)."""

    model = TrainingSession
    object_action = "change"

    def perform(self, obj: TrainingSession) -> TrainingSession:
        return training.session_cancel(actor=self.request.user, session=obj)

    def get_success_message(self) -> str:
        return _("The session is cancelled.")

    def get_success_url(self) -> str:
        return reverse("party:session_detail", args=[self.kwargs["pk"]])


# ---- the coverage report -----------------------------------------------------------------


def _coverage_export(
    fmt: str, region: Region, year: int, report: dict[str, Any]
) -> HttpResponseBase:
    columns = tables.coverage_columns()
    rows = (
        {
            "category": row["category"].name,
            "village": p.village_name,
            "name": p.person_name,
            "post": p.post_label,
            "started_on": p.started_on,
        }
        for row in report["by_category"]
        for p in row["untrained"]
    )
    return table_response(
        fmt=fmt,
        columns=columns,
        rows=rows,
        filename=f"{region.code}-{year}-untrained-cadres",
        sheet=f"{region.name}{year}",
    )


class TrainingCoverageView(KernelMixin, View):
    """Which cadres, by trainee category, have had no training in the year; the figures for
    each child region link down. ``?format=xlsx|csv`` downloads the untrained list."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponseBase:
        region = region_for(request)
        year = year_for(request, latest=ORDER_YEARS_UNTIL)
        if fmt := requested_export_format(request):
            report = training_selectors.coverage_report(region=region, year=year)
            return _coverage_export(fmt, region, year, report)
        # The page above the township shows counts only: read from the summary table.
        report = training_selectors.coverage_report(region=region, year=year, names=False)
        return render(
            request,
            "party/training_coverage.html",
            {
                "region": region,
                "year": year,
                "years": _years(),
                "ancestors": ancestors_in_scope(request, region),
                "report": report,
                "can_export": self.can("export"),
                "export_url": reverse("party:training_coverage"),
                # Above the township: counts, and the names one level down.
                "names_by_child": region.kind == RegionKind.COUNTY,
            },
        )


urlpatterns = [
    path("training/", TrainingPageView.as_view(), name="training"),
    path("training/coverage/", TrainingCoverageView.as_view(), name="training_coverage"),
    path("training/sessions/<int:pk>/", SessionDetailView.as_view(), name="session_detail"),
    path("training/sessions/<int:pk>/cancel/", SessionCancelView.as_view(), name="session_cancel"),
]
