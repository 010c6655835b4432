"""The one import UI every importer uses: upload, template, result, progress, cancel and the
error report. Nothing here names an app: each importer declares on its ``ImportSpec`` the model
it writes (the upload needs its ``add`` permission), its upload page's title and steps, its
result counts' labels and where to go when it is done (``zhenxing.io.specs.ImportSpec``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from zhenxing.core.web.views import KernelMixin, ServiceFormView
from zhenxing.io import selectors
from zhenxing.io.forms import ImportUploadForm
from zhenxing.io.jobs import (
    ImporterEntry,
    import_run_cancel,
    import_run_submit,
    importer,
    progress_of,
)
from zhenxing.io.models import ImportRun, ImportStatus
from zhenxing.io.reports import error_report_xlsx, error_summary, template_xlsx
from zhenxing.io.services import run_errors
from zhenxing.io.specs import ImportSpec


def _entry(kind: str) -> ImporterEntry:
    try:
        return importer(kind)
    except KeyError:
        raise Http404 from None


def upload_url(spec: ImportSpec, kind: str) -> str:
    """Where a file of this kind is uploaded (again, after a cancel or errors)."""
    if spec.upload_url_name:
        try:
            return reverse(spec.upload_url_name, args=spec.upload_url_args)
        except NoReverseMatch:
            pass
    return reverse("io:import_upload", args=[kind])


class ImportKindMixin:
    """The importer named by ``kind`` (the URL's, or the view's own) and its spec."""

    kind: str = ""
    kwargs: dict[str, Any]

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        self.kind = kwargs.get("kind", self.kind)
        self.spec = _entry(self.kind).spec()
        # The import writes the spec's model: uploading it needs that model's ``add``.
        self.permission = f"{self.spec.model}.add" if self.spec.model else None


class ImportUploadView(ImportKindMixin, ServiceFormView):
    """Upload a file: every row is checked first; one bad row writes nothing."""

    template_name = "io/upload.html"
    form_class = ImportUploadForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            spec=self.spec,
            kind=self.kind,
            title=self.spec.upload_title or self.spec.title,
            runs=selectors.import_runs_recent(actor=self.actor, kind=self.kind),
            **kwargs,
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "spec": self.spec}

    def perform(self, form: Any) -> ImportRun:
        return import_run_submit(
            actor=self.actor,
            kind=self.kind,
            upload=form.cleaned_data["file"],
            options=form.options,
        )

    def get_success_url(self) -> str:
        return reverse("io:import_result", args=[self.result.pk])


class ImportTemplateView(ImportKindMixin, KernelMixin, View):
    """The kind's blank template workbook (the same for everyone)."""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.permission = None  # a blank template: no data in it

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        name = _("%(kind)s-import-template") % {"kind": self.kind}
        return template_xlsx(self.spec, filename=name)


class ImportRunMixin(KernelMixin):
    """One of the reader's own import runs (another's, even in scope, is 404)."""

    kwargs: dict[str, Any]

    @property
    def run(self) -> ImportRun:
        if not hasattr(self, "_run"):
            self._run = selectors.import_run_of(actor=self.actor, pk=self.kwargs["pk"])
        return self._run


class ImportResultView(ImportRunMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.run
        spec = _entry(run.kind).spec()
        counts = run.counts or {}
        labels = spec.count_labels or tuple((key, key) for key in counts)
        return render(
            request,
            "io/result.html",
            {
                "run": run,
                "spec": spec,
                "upload_url": upload_url(spec, run.kind),
                "done_url": reverse(spec.done_url_name) if spec.done_url_name else "",
                "counts": [(label, key, counts.get(key, 0)) for key, label in labels],
                "errors": error_summary(run_errors(run), limit=20),
                "progress": progress_of(run),
            },
        )


class ImportProgressView(ImportRunMixin, View):
    """The progress fragment a running import's page polls (htmx, every second)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.run
        if run.finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"  # the whole page now shows the outcome
            return response
        return render(request, "io/_progress.html", {"run": run, "progress": progress_of(run)})


class ImportCancelView(ImportRunMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = import_run_cancel(self.run)
        if run.status == ImportStatus.CANCELLED:
            messages.info(request, _("The import was cancelled: nothing was saved."))
        else:
            messages.info(request, _("The import will stop at its next batch of rows."))
        return redirect("io:import_result", pk=run.pk)


class ImportErrorsView(ImportRunMixin, View):
    """The run's errors as a workbook, by row and column."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        run = self.run
        return error_report_xlsx(run_errors(run), filename=f"import-{run.pk}-errors")
