"""Options an importer asks for the whole file (``ImportSpec.options``): a select per option on
the upload form, kept on the run, handed to the importer at once or by the worker; importers
without options are called as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import World
from tests.conftest import run_queued_tasks as work
from zhenxing.core.errors import DomainError
from zhenxing.io import jobs
from zhenxing.io.forms import ImportUploadForm
from zhenxing.io.models import ImportRun
from zhenxing.io.specs import Field, ImportOption, ImportOutcome, ImportSpec

SEEN: list[Any] = []


def colour_spec() -> ImportSpec:
    return ImportSpec(
        name="colours",
        title="Colours",
        fields=[Field("name", "name", required=True)],
        options=(
            ImportOption(
                "colour",
                "Colour",
                lambda: [("", "Any colour"), ("red", "Red"), ("blue", "Blue")],
                help_text="The colour of every row.",
            ),
        ),
    )


def import_colours(
    *, actor: Any, rows: Any, spec: Any = None, progress: Any = None, **kw: Any
) -> ImportOutcome:
    SEEN.append(kw.get("options", "not passed"))
    parsed = (spec or colour_spec()).parse(rows)
    return ImportOutcome(rows=parsed.rows, errors=parsed.errors)


def plain_spec() -> ImportSpec:
    return ImportSpec(name="plain", title="Plain", fields=[Field("name", "name", required=True)])


def import_plain(*, actor: Any, rows: Any, spec: Any = None, progress: Any = None) -> ImportOutcome:
    SEEN.append("plain")
    parsed = (spec or plain_spec()).parse(rows)
    return ImportOutcome(rows=parsed.rows, errors=parsed.errors)


@pytest.fixture(autouse=True)
def _importers() -> Any:
    SEEN.clear()
    jobs.register_importer("colours-test", colour_spec, import_colours)
    jobs.register_importer("plain-test", plain_spec, import_plain)
    yield
    jobs._IMPORTERS.pop("colours-test", None)
    jobs._IMPORTERS.pop("plain-test", None)


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("colours.csv", b"name\nsky\nrose\n")


def test_the_form_has_a_select_per_option_and_refuses_another_value() -> None:
    form = ImportUploadForm(spec=colour_spec())
    assert list(form.fields) == ["file", "colour"]
    assert form.fields["colour"].help_text == "The colour of every row."
    assert ImportUploadForm().fields.keys() == {"file"}  # no spec: the file alone
    bad = ImportUploadForm({"colour": "green"}, {"file": upload()}, spec=colour_spec())
    assert not bad.is_valid() and "colour" in bad.errors
    good = ImportUploadForm({"colour": "red"}, {"file": upload()}, spec=colour_spec())
    assert good.is_valid() and good.options == {"colour": "red"}
    default = ImportUploadForm({}, {"file": upload()}, spec=colour_spec())
    assert default.is_valid() and default.options == {"colour": ""}


def test_a_small_upload_is_imported_with_its_options(world: World) -> None:
    run = jobs.import_run_submit(
        actor=world.officer_a, kind="colours-test", upload=upload(), options={"colour": "blue"}
    )
    assert run.status == "done" and run.rows_total == 2
    assert SEEN == [{"colour": "blue"}]
    assert ImportRun.objects.get().options == {"colour": "blue"}


def test_an_option_outside_its_choices_is_refused_before_anything_is_stored(
    world: World,
) -> None:
    with pytest.raises(DomainError) as refused:
        jobs.import_run_submit(
            actor=world.officer_a, kind="colours-test", upload=upload(), options={"colour": "x"}
        )
    assert refused.value.field == "colour"
    assert not ImportRun.objects.exists() and SEEN == []


def test_an_importer_without_options_is_called_without_them(world: World) -> None:
    run = jobs.import_run_submit(
        actor=world.officer_a, kind="plain-test", upload=upload(), options={"colour": "red"}
    )
    assert run.status == "done" and SEEN == ["plain"]
    assert run.options == {}


def test_a_background_run_keeps_its_options_for_the_worker(
    world: World, background: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = jobs.import_run_submit(
            actor=world.officer_a, kind="colours-test", upload=upload(), options={"colour": "red"}
        )
    assert run.status == "pending" and SEEN == []
    assert ImportRun.objects.get(pk=run.pk).options == {"colour": "red"}
    assert work() == ["SUCCESSFUL"]
    run.refresh_from_db()
    assert run.status == "done" and run.rows_total == 2
    assert SEEN == [{"colour": "red"}]
