"""Visits as the phone's queue sends them: saved once whatever the retries, refused with a
reason when wrong, and a conflicting offline edit reported, never lost or silently applied."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.grid.setup import build, visit
from zhenxing.core.errors import Conflict, DomainError
from zhenxing.grid.models import GridHousehold, VillageGridFigures, Visit, VisitPhoto
from zhenxing.registry import services as registry_services

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


def _post(client, household, **fields):  # type: ignore[no-untyped-def]
    data = {
        "client_id": str(uuid.uuid4()),
        "household": str(household.pk),
        "household_version": str(household.version),
        "visited_at": timezone.now().isoformat(),
        "checked": ["food_secure", "water_secure"],
    } | fields
    return client.post(reverse("grid:phone_sync"), data)


def test_a_retried_submission_is_saved_once(world: World, as_user) -> None:
    g = build(world)
    c = as_user(world.grid_a)
    household = g.households_a[0]
    client_id = str(uuid.uuid4())
    first = _post(c, household, client_id=client_id, notes="第一次")
    again = _post(c, household, client_id=client_id, notes="第一次")
    assert first.status_code == 201 and first.json()["status"] == "saved"
    assert again.status_code == 200 and again.json() == {
        "status": "duplicate",
        "id": first.json()["id"],
    }
    assert Visit.objects.filter(client_id=client_id).count() == 1
    row = GridHousehold.objects.get(household_id=household.pk)
    assert row.last_visited_on == timezone.localdate()
    today = timezone.localdate()
    month = VillageGridFigures.objects.get(
        village=world.village_a, year=today.year, month=today.month
    )
    assert (month.visits, month.households_visited) == (1, 1)
    standing = VillageGridFigures.objects.get(village=world.village_a, year=0, month=0)
    assert standing.never_visited == len(g.households_a) - 1


def test_another_accounts_client_id_is_refused_as_a_replay(world: World, as_user) -> None:
    g = build(world)
    client_id = str(uuid.uuid4())
    assert _post(as_user(world.grid_a), g.households_a[0], client_id=client_id).status_code == 201
    replay = _post(as_user(g.worker_b), g.households_b[0], client_id=client_id)
    assert replay.status_code == 400 and replay.json()["status"] == "rejected"
    assert Visit.objects.count() == 1


def test_a_household_outside_my_grids_is_refused_with_a_reason(world: World, as_user) -> None:
    g = build(world)
    response = _post(as_user(world.grid_a), g.households_b[0])
    assert response.status_code == 400
    assert "grids" in response.json()["message"] or "网格" in response.json()["message"]
    assert not Visit.objects.exists()


def test_a_stale_or_future_visit_is_refused(world: World) -> None:
    g = build(world)
    with pytest.raises(DomainError, match="30"):
        visit(world.grid_a, g.households_a[0], visited_at=timezone.now() - dt.timedelta(days=31))
    with pytest.raises(DomainError):
        visit(world.grid_a, g.households_a[0], visited_at=timezone.now() + dt.timedelta(hours=1))
    assert not Visit.objects.exists()


def test_photos_must_be_images_within_the_limit(world: World, as_user) -> None:
    g = build(world)
    c = as_user(world.grid_a)
    household = g.households_a[0]
    text = SimpleUploadedFile("a.jpg", b"not an image at all", content_type="image/jpeg")
    refused = _post(c, household, photos=[text])
    assert refused.status_code == 400 and "a.jpg" in refused.json()["message"]
    many = [SimpleUploadedFile(f"{i}.jpg", JPEG, content_type="image/jpeg") for i in range(4)]
    assert _post(c, household, photos=many).status_code == 400
    assert not Visit.objects.exists()
    ok = _post(c, household, photos=[SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")])
    assert ok.status_code == 201
    photo = VisitPhoto.objects.get()
    assert photo.content_type == "image/jpeg"
    assert (
        as_user(world.cadre_a).get(reverse("grid:visit_photo", args=[photo.pk])).status_code == 200
    )
    assert (
        as_user(world.officer_b).get(reverse("grid:visit_photo", args=[photo.pk])).status_code
        == 404
    )


def test_a_checklist_change_is_applied_and_versioned(world: World) -> None:
    g = build(world)
    household = g.households_a[0]
    before = household.version
    result = visit(world.grid_a, household, values={"water_secure": False})
    household.refresh_from_db()
    assert household.water_secure is False and household.version == before + 1
    assert result.visit.changes == {"water_secure": [None, False]}


def test_a_conflicting_offline_edit_is_reported_not_lost(world: World, as_user) -> None:
    """The phone read version v; a cadre changed the household meanwhile; the phone's change
    answers 409 with the present values, writes nothing, and keeps the cadre's change."""
    g = build(world)
    household = g.households_a[0]
    seen = household.version
    registry_services.household_update(actor=world.cadre_a, household=household, water_secure=True)
    c = as_user(world.grid_a)
    response = _post(c, household, household_version=str(seen), value_water_secure="no")
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "conflict"
    assert body["household"]["values"]["water_secure"] is True
    assert body["household"]["version"] == seen + 1
    household.refresh_from_db()
    assert household.water_secure is True
    assert not Visit.objects.exists()
    # The worker decides to keep theirs: the visit is sent again without the change.
    kept = _post(c, household, household_version=str(body["household"]["version"]))
    assert kept.status_code == 201
    with pytest.raises(Conflict):
        visit(world.grid_a, household, household_version=seen, values={"food_secure": False})


def test_a_signed_out_phone_is_told_so(world: World, client) -> None:  # type: ignore[no-untyped-def]
    g = build(world)
    response = _post(client, g.households_a[0])
    assert response.status_code == 401
    assert json.loads(response.content)["status"] == "signed_out"


def test_the_phone_lists_my_households_not_yet_visited(world: World, as_user) -> None:
    g = build(world)
    visit(world.grid_a, g.households_a[0])
    page = as_user(world.grid_a).get(reverse("grid:phone_home")).content.decode()
    assert g.households_a[1].number in page and g.households_a[0].number not in page
    assert g.households_b[0].number not in page
    card = as_user(world.grid_a).get(reverse("grid:phone_household", args=[g.households_b[0].pk]))
    assert card.status_code == 404
    own = as_user(world.grid_a).get(reverse("grid:phone_household", args=[g.households_a[1].pk]))
    assert own.status_code == 200 and b'id="visit-form"' in own.content
