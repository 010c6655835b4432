"""The web kernel: the base views every app's pages stand on.

Scoping, role permissions, filters, exports and domain errors are decided here once (NetBox's
generic ``ObjectListView`` with ``queryset.restrict()``; PostHog's base mixin that subclasses
cannot bypass), so an app's view declares *what* it shows — a model or a selector, a FilterSet,
a permission — and never calls ``visible_to``, ``get_for_user`` or ``has_permission`` itself.

- :class:`KernelMixin`: login; ``permission`` checked on every request (403); a ``DomainError``
  escaping a handler becomes 404 / 403 / 409 / 400 in one place (``core.errors.http_status``).
- :class:`RegionMixin`: the region a dashboard or report shows, from ``?region=`` inside the
  reader's scope.
- :class:`ScopedListView`, :class:`ScopedDetailView`, :class:`ScopedObjectMixin`.
- :class:`ServiceFormView`, :class:`ServiceActionView`: POST → service → message → redirect.
- :class:`ExportMixin`, :class:`ScopedExportView`: XLSX/CSV behind the ``export`` permission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.generic import DetailView, FormView, ListView, View

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.errors import DomainError, Forbidden, NotFound, http_status
from zhenxing.core.regions.models import Region
from zhenxing.core.scoping import ScopedQuerySet, get_for_user
from zhenxing.core.web.export import Column, table_response
from zhenxing.core.web.filters import ScopedFilterSet, invalid_filters
from zhenxing.core.web.params import choice_param

#: The permission every export needs (pages, reports, charts' numbers alike).
EXPORT_PERMISSION = "export"
EXPORT_FORMATS = ("xlsx", "csv")


# ---- errors --------------------------------------------------------------------------------


def raise_http(exc: DomainError) -> None:
    """Scope and role errors become Django's 404 and 403; anything else is the caller's."""
    if isinstance(exc, NotFound):
        raise Http404 from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied from exc


def domain_error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A refusal that reached the top of a page view: 404 and 403 as Django's own pages, the
    rest (400, 409) as a page that says what was wrong, in the reader's language."""
    raise_http(exc)
    return render(
        request,
        "web/domain_error.html",
        {"message": str(exc.message), "errors": exc.errors, "status": http_status(exc)},
        status=http_status(exc),
    )


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's error on the form fields it names (or on the form as a whole)."""
    raise_http(exc)
    for field, field_messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


T = TypeVar("T")


def perform(request: HttpRequest, action: Callable[[], T], done: str) -> T | None:
    """Run a service for a button: its success message, or its refusal as an error message
    (scope and role errors still become 404 and 403). None when it refused."""
    try:
        result = action()
    except DomainError as exc:
        raise_http(exc)
        messages.error(request, str(exc.message))
        return None
    messages.success(request, done)
    return result


# ---- the base mixin ------------------------------------------------------------------------


class KernelMixin(LoginRequiredMixin):
    """Login, the role's permission, and domain errors, for every page.

    ``permission`` is ``"<app>.<model>.<action>"`` or ``"export"``; None means any signed-in
    user may open the page (what they see is still limited to their scope).
    """

    permission: ClassVar[str | None] = None
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission and not self.can(self.permission):
            raise PermissionDenied
        try:
            return super().dispatch(request, *args, **kwargs)
        except DomainError as exc:
            return domain_error_page(request, exc)

    @property
    def actor(self) -> Any:
        return self.request.user

    def can(self, permission: str) -> bool:
        """Whether the reader's role holds ``permission`` (for buttons and template flags)."""
        return has_permission(self.request.user, None, permission)


# ---- regions -------------------------------------------------------------------------------


def region_for(request: HttpRequest) -> Region:
    """The region a dashboard or report shows: ``?region=CODE`` within the reader's scope, else
    their own; missing or outside scope is 404."""
    user: Any = request.user
    code = request.GET.get("region") or (user.region.code if user.region else "")
    if not code:
        raise Http404
    try:
        return get_for_user(Region.objects.all(), user, code=code)
    except DomainError as exc:
        raise Http404 from exc


def ancestors_in_scope(request: HttpRequest, region: Region) -> list[Region]:
    """The breadcrumb above ``region``, only as high as the reader's own region."""
    user: Any = request.user
    root = user.region.code if user.region else "\x00"
    return [a for a in region.ancestors() if a.code.startswith(root)]


def posted_object(
    request: HttpRequest, queryset: QuerySet[Any], key: str, action: str = "change"
) -> Any:
    """The object a row's button posts by its id (``key`` in the POST data) that the reader may
    ``action``: anything else — not a number, missing, another region's — is 404, and 403 when
    only the role forbids it."""
    pk = request.POST.get(key, "")
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    try:
        return get_for_user(queryset, request.user, action, pk=int(pk))
    except DomainError as exc:
        raise_http(exc)
        raise


class RegionMixin:
    """Pages about one region (dashboards, reports): ``self.region`` inside the reader's scope
    and the breadcrumb above it in the context (``region``, ``ancestors``)."""

    request: HttpRequest

    @cached_property
    def region(self) -> Region:
        return region_for(self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.setdefault("region", self.region)
        context.setdefault("ancestors", ancestors_in_scope(self.request, self.region))
        return context


# ---- querysets and objects -----------------------------------------------------------------


def paginate(request: HttpRequest, queryset: Any, per_page: int | None = None) -> Any:
    """A page of ``queryset`` for ``?page=`` (out of range or not a number: the nearest page)."""
    return Paginator(queryset, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))


class ScopedQuerysetMixin:
    """The rows a view works on, limited to the reader's scope before anything else.

    Give ``model`` or ``queryset``, or override :meth:`get_base_queryset` to call a selector
    with ``actor=self.request.user``. A queryset that is not a scoped one (a selector's
    ``values()`` or an aggregate) must say it was scoped by the selector:
    ``scoped_by_selector = True``; otherwise the kernel refuses to serve it.
    """

    model: type[Model] | None = None
    queryset: QuerySet[Any] | None = None
    scoped_by_selector: ClassVar[bool] = False
    request: HttpRequest

    def get_base_queryset(self) -> QuerySet[Any]:
        if self.queryset is not None:
            return self.queryset.all()
        if self.model is not None:
            return self.model._default_manager.all()
        raise ImproperlyConfigured(f"{type(self).__name__} needs a model or a queryset")

    def get_scoped_queryset(self) -> QuerySet[Any]:
        queryset = self.get_base_queryset()
        if isinstance(queryset, ScopedQuerySet):
            return queryset.visible_to(self.request.user)
        if self.scoped_by_selector:
            return queryset
        raise ImproperlyConfigured(
            f"{type(self).__name__}: {queryset.model.__name__} is not scoped; use a scoped "
            "model or a selector and set scoped_by_selector"
        )


class ScopedObjectMixin(ScopedQuerysetMixin):
    """One object inside the reader's scope: missing or outside scope 404, inside scope but
    the role may not ``object_action`` it 403."""

    object_action: ClassVar[str] = "view"
    lookup_field: ClassVar[str] = "pk"
    lookup_url_kwarg: ClassVar[str] = "pk"
    kwargs: dict[str, Any]

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        if not hasattr(self, "_scoped_object"):
            base = queryset if queryset is not None else self.get_base_queryset()
            lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg]}
            try:
                self._scoped_object = get_for_user(
                    base, self.request.user, self.object_action, **lookup
                )
            except DomainError as exc:
                raise_http(exc)
                raise
        return self._scoped_object


class ScopedListView(KernelMixin, ScopedQuerysetMixin, ListView):
    """A list page: scoped, filtered by ``filterset_class`` (its form is ``filter`` in the
    context), paginated. A bad filter value shows the page with the errors, status 400."""

    filterset_class: ClassVar[type[Any] | None] = None
    paginate_by = settings.PAGE_SIZE
    filterset: Any = None

    def get_filterset(self, queryset: QuerySet[Any]) -> Any:
        assert self.filterset_class is not None
        kwargs: dict[str, Any] = {"queryset": queryset}
        if issubclass(self.filterset_class, ScopedFilterSet):
            kwargs["actor"] = self.request.user
        return self.filterset_class(self.request.GET or None, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.get_scoped_queryset()
        if self.filterset_class is None:
            return queryset
        self.filterset = self.get_filterset(queryset)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return queryset.none()
        return self.filterset.qs

    @property
    def filter_invalid(self) -> bool:
        return bool(
            self.filterset is not None and self.filterset.is_bound and self.filterset.errors
        )

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Any, Any, Any, bool]:
        """A page number past the last shows the last page, and one that is not a number the
        first (a bookmarked ``?page=50`` of a list that has since shrunk, or a filter that
        narrowed it, is not a 404). A list that is not counted (the audit log) cannot know its
        last page and still answers 404 there."""
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        if paginator.count is None:
            return super().paginate_queryset(queryset, page_size)
        number = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        page = paginator.get_page(number)
        return (paginator, page, page.object_list, page.has_other_pages())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        return self.render_to_response(context, status=400 if self.filter_invalid else 200)


class ScopedDetailView(KernelMixin, ScopedObjectMixin, DetailView):  # type: ignore[misc]
    """One object's page, looked up inside the reader's scope."""


# ---- writes --------------------------------------------------------------------------------


class ServiceFormView(KernelMixin, FormView):
    """A form that calls a service: GET shows it; a valid POST runs :meth:`perform` (the
    service), says ``success_message`` and redirects; a service's refusal lands on the form's
    fields (scope and role refusals still answer 404 and 403)."""

    success_message: ClassVar[str] = ""
    result: Any = None

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def get_success_message(self) -> str:
        return str(self.success_message)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self.form_invalid(form)
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())


class FormPostMixin:
    """A list page that also takes one form by POST: valid and accepted → message and back to
    the page (GET); refused → the page again with the errors on the form."""

    request: HttpRequest
    form_class: type[forms.Form]
    bound_form: forms.Form | None = None

    def get_form(self) -> forms.Form:
        if self.bound_form is not None:
            return self.bound_form
        return self.form_class()

    def accept(self, form: Any) -> None:
        raise NotImplementedError

    def back_url(self) -> str:
        return self.request.path

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.accept(form)
            except DomainError as exc:
                add_domain_error(form, exc)
            if not form.errors:
                messages.success(request, gettext("Saved."))
                return redirect(self.back_url())
        self.bound_form = form
        return self.get(request, *args, **kwargs)  # type: ignore[attr-defined]


class ServiceActionView(KernelMixin, ScopedObjectMixin, View):
    """A button on one scoped object (POST only): :meth:`perform` runs the service; its
    refusal becomes an error message, success ``success_message``; then back to the page."""

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]
    object_action: ClassVar[str] = "change"
    success_message: ClassVar[str] = ""

    def perform(self, obj: Any) -> Any:
        raise NotImplementedError

    def get_success_message(self) -> str:
        return str(self.success_message)

    def get_success_url(self) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        perform(request, lambda: self.perform(obj), self.get_success_message())
        return redirect(self.get_success_url())


# ---- exports -------------------------------------------------------------------------------


def requested_export_format(request: HttpRequest) -> str | None:
    """The file a page was asked for with ``?format=``: None for the page itself; without the
    ``export`` permission 403, a format other than xlsx or csv 400 (never the page instead)."""
    if "format" not in request.GET:
        return None
    if not has_permission(request.user, None, EXPORT_PERMISSION):
        raise PermissionDenied
    return choice_param(request, "format", EXPORT_FORMATS, EXPORT_FORMATS[0])


class ExportMixin:
    """XLSX or CSV of a view's rows, behind the ``export`` permission (403 without it).

    Mixed into a :class:`ScopedListView`, ``?format=xlsx|csv`` turns the page into the export
    of its filtered rows (all pages); give :meth:`export_columns`, :meth:`export_rows` and
    :meth:`export_filename`.
    """

    export_permission: ClassVar[str] = EXPORT_PERMISSION
    export_sheet: ClassVar[str] = "Sheet1"
    request: HttpRequest

    def export_columns(self) -> list[Column]:
        raise NotImplementedError

    def export_rows(self, queryset: Any) -> Iterable[dict[str, Any]]:
        raise NotImplementedError

    def export_filename(self) -> str:
        raise NotImplementedError

    def wants_export(self) -> bool:
        return "format" in self.request.GET

    def check_export_permission(self) -> None:
        if not has_permission(self.request.user, None, self.export_permission):
            raise PermissionDenied

    def export_response(self, queryset: Any) -> HttpResponseBase:
        self.check_export_permission()
        fmt = choice_param(self.request, "format", EXPORT_FORMATS, EXPORT_FORMATS[0])
        return table_response(
            fmt=fmt,
            columns=self.export_columns(),
            rows=self.export_rows(queryset),
            filename=self.export_filename(),
            sheet=self.export_sheet,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.wants_export():
            return super().get(request, *args, **kwargs)  # type: ignore[misc]
        queryset = self.get_queryset()  # type: ignore[attr-defined]
        if getattr(self, "filter_invalid", False):
            raise invalid_filters(self.filterset)  # type: ignore[attr-defined]
        return self.export_response(queryset)


class ScopedExportView(ExportMixin, ScopedListView):  # type: ignore[misc]
    """An export-only URL: always the file, and always behind the ``export`` permission."""

    permission = EXPORT_PERMISSION

    def wants_export(self) -> bool:
        return True
