"""The one import UI (``zhenxing.io.views``): each importer declares its model, its upload
page and its count labels on its spec, and io's pages serve every kind from that."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.conftest import World
from tests.registry.test_import import as_csv, person_rows
from zhenxing.io import jobs
from zhenxing.io.models import ImportRun
from zhenxing.io.specs import Field, ImportSpec


@pytest.fixture
def sample_kind() -> Iterator[str]:
    """A kind declared only by its spec: io's pages need nothing else from its app."""

    class Outcome:
        errors: list[Any] = []
        rows = 1
        counts = {"things_created": 7}

    def spec() -> ImportSpec:
        return ImportSpec(
            name="things",
            title="Things",
            fields=[Field("name", "name", required=True)],
            model="registry.household",
            upload_title="Import the things",
            count_labels=(("things_created", "Things made"),),
        )

    jobs.register_importer("things", spec, lambda **kwargs: Outcome())
    yield "things"
    jobs._IMPORTERS.pop("things")


def test_a_kind_gets_its_upload_page_and_result_from_its_spec(
    world: World, as_user: Any, sample_kind: str
) -> None:
    client = as_user(world.cadre_a)
    page = client.get(reverse("io:import_upload", args=[sample_kind]))
    assert page.status_code == 200 and "Import the things" in page.content.decode()
    response = client.post(
        reverse("io:import_upload", args=[sample_kind]),
        {"file": SimpleUploadedFile("t.csv", b"name\nx\n")},
    )
    run = ImportRun.objects.get(kind=sample_kind)
    assert response["Location"] == reverse("io:import_result", args=[run.pk])
    result = client.get(response["Location"]).content.decode()
    assert 'data-count="things_created">7<' in result and "Things made" in result


def test_uploading_needs_the_add_permission_of_the_spec_model(
    world: World, as_user: Any, sample_kind: str
) -> None:
    url = reverse("io:import_upload", args=[sample_kind])
    assert as_user(world.grid_a).get(url).status_code == 403
    # The blank template holds no data: anyone signed in may download it.
    template = reverse("io:import_template", args=[sample_kind])
    assert as_user(world.grid_a).get(template).status_code == 200


def test_an_unknown_kind_is_404(world: World, as_user: Any) -> None:
    assert as_user(world.cadre_a).get("/imports/nothing/").status_code == 404


def test_the_households_result_counts_come_from_the_registry_spec(
    world: World, as_user: Any
) -> None:
    client = as_user(world.cadre_a)
    upload = SimpleUploadedFile("h.csv", as_csv(person_rows(world, 2)))
    response = client.post(reverse("io:import_upload", args=["households"]), {"file": upload})
    run = ImportRun.objects.get()
    with translation.override("en"):
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-count="households_created">{run.counts["households_created"]}<' in page
    # The registry's old address serves the same page, for links made before.
    old = client.get(reverse("registry:import_result", args=[run.pk]))
    assert old.status_code == 200 and b'data-count="persons_created"' in old.content


def test_another_users_run_is_404_on_every_page(world: World, as_user: Any) -> None:
    client = as_user(world.cadre_a)
    upload = SimpleUploadedFile("h.csv", as_csv(person_rows(world, 1)))
    client.post(reverse("io:import_upload", args=["households"]), {"file": upload})
    run = ImportRun.objects.get()
    other = as_user(world.officer_a)
    for name in ("io:import_result", "io:import_errors", "io:import_progress"):
        assert other.get(reverse(name, args=[run.pk])).status_code == 404
    assert other.post(reverse("io:import_cancel", args=[run.pk])).status_code == 404
