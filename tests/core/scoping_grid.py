"""Scoping-matrix cases for grid management's routes: each reader sees its own township's
grids, contracts, assessments and households, and another's answers 404 or is left out;
registered by importing this module from ``tests/core/test_scoping_matrix.py``."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.core.test_scoping_matrix import text, web
from tests.grid.setup import build, visit
from zhenxing.grid.models import Grid, VisitPhoto


@web("grid:dashboard")
def _dashboard(w: World, as_user: Any) -> None:
    build(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("grid:dashboard")))
    assert w.village_a.name in body and w.village_b.name not in body
    assert c.get(reverse("grid:dashboard"), {"region": w.township_b.code}).status_code == 404
    export = text(c.get(reverse("grid:dashboard"), {"format": "xlsx"}))
    assert w.village_b.name not in export


@web("grid:village_grids")
def _village(w: World, as_user: Any) -> None:
    g = build(w)
    c = as_user(w.officer_a)
    page = text(c.get(reverse("grid:village_grids", args=[w.village_a.code])))
    assert g.grid_a.name in page and g.grid_b.name not in page
    assert c.get(reverse("grid:village_grids", args=[w.village_b.code])).status_code == 404
    c.post(reverse("grid:village_grids", args=[w.village_b.code]), {"name": "越界网格"})
    assert not Grid.objects.filter(name="越界网格").exists()


@web("grid:grid_detail")
def _grid(w: World, as_user: Any) -> None:
    g = build(w)
    c = as_user(w.cadre_a)
    assert c.get(reverse("grid:grid_detail", args=[g.grid_a.pk])).status_code == 200
    other = reverse("grid:grid_detail", args=[g.grid_b.pk])
    assert c.get(other).status_code == 404
    assert (
        c.post(other, {"action": "remove", "numbers": g.households_b[0].number}).status_code == 404
    )
    assert g.grid_b.households.count() == len(g.households_b)


@web("grid:contract_list")
def _contracts(w: World, as_user: Any) -> None:
    g = build(w)
    c = as_user(w.officer_a)
    body = text(c.get(reverse("grid:contract_list")))
    assert g.contract_a.number in body and g.contract_b.number not in body


@web("grid:contract_detail")
def _contract(w: World, as_user: Any) -> None:
    g = build(w)
    c = as_user(w.officer_a)
    assert c.get(reverse("grid:contract_detail", args=[g.contract_a.pk])).status_code == 200
    other = reverse("grid:contract_detail", args=[g.contract_b.pk])
    assert c.get(other).status_code == 404
    today = timezone.localdate().isoformat()
    form = {"grid": g.grid_b.pk, "amount": "1", "starts_on": today, "ends_on": today}
    assert c.post(other, form).status_code == 404
    assert not g.contract_b.allocations.exists()


@web("grid:period_list")
def _periods(w: World, as_user: Any) -> None:
    g = build(w)
    body = text(as_user(w.officer_a).get(reverse("grid:period_list")))
    assert reverse("grid:period_detail", args=[g.period_a.pk]) in body
    assert reverse("grid:period_detail", args=[g.period_b.pk]) not in body


@web("grid:period_detail")
def _period(w: World, as_user: Any) -> None:
    g = build(w)
    c = as_user(w.officer_a)
    assert c.get(reverse("grid:period_detail", args=[g.period_a.pk])).status_code == 200
    other = reverse("grid:period_detail", args=[g.period_b.pk])
    assert c.get(other).status_code == 404
    assert c.post(other, {"action": "confirm"}).status_code == 404
    g.period_b.refresh_from_db()
    assert not g.period_b.locked
    # The village's cadre reads the township's scores but may not confirm them.
    cadre = as_user(w.cadre_a)
    assert cadre.get(reverse("grid:period_detail", args=[g.period_a.pk])).status_code == 200
    cadre.post(reverse("grid:period_detail", args=[g.period_a.pk]), {"action": "confirm"})
    g.period_a.refresh_from_db()
    assert not g.period_a.locked


@web("grid:visit_photo")
def _photo(w: World, as_user: Any) -> None:
    g = build(w)
    jpeg = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    visit(g.worker_b, g.households_b[0], photos=[jpeg])
    photo = VisitPhoto.objects.get()
    assert as_user(w.officer_a).get(reverse("grid:visit_photo", args=[photo.pk])).status_code == 404
    assert as_user(w.officer_b).get(reverse("grid:visit_photo", args=[photo.pk])).status_code == 200


@web("grid:phone_home")
def _phone_home(w: World, as_user: Any) -> None:
    g = build(w)
    body = text(as_user(w.grid_a).get(reverse("grid:phone_home")))
    assert g.households_a[0].number in body and g.households_b[0].number not in body


@web("grid:phone_household")
def _phone_household(w: World, as_user: Any) -> None:
    g = build(w)
    c = as_user(w.grid_a)
    assert c.get(reverse("grid:phone_household", args=[g.households_a[0].pk])).status_code == 200
    assert c.get(reverse("grid:phone_household", args=[g.households_b[0].pk])).status_code == 404


@web("grid:phone_sync")
def _phone_sync(w: World, as_user: Any) -> None:
    g = build(w)
    household = g.households_b[0]
    response = as_user(w.grid_a).post(
        reverse("grid:phone_sync"),
        {
            "client_id": str(uuid.uuid4()),
            "household": household.pk,
            "household_version": household.version,
            "visited_at": timezone.now().isoformat(),
        },
    )
    assert response.status_code == 400
    assert household.pk not in set(g.grid_b.visits.values_list("household_id", flat=True))


@web("grid:phone_sw")
def _phone_sw(w: World, as_user: Any) -> None:
    response = as_user(w.grid_a).get(reverse("grid:phone_sw"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert reverse("grid:phone_home") in response.content.decode()
