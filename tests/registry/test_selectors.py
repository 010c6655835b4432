"""Registry reads other apps rely on: a person by ID number, once, scoped."""

from __future__ import annotations

from tests.conftest import World, make_household, make_person, valid_id
from zhenxing.registry import models, selectors
from zhenxing.registry.choices import PersonStatus, Sex


def test_the_models_re_export_the_choices() -> None:
    assert models.Sex is Sex and models.PersonStatus is PersonStatus


def test_a_person_is_found_by_id_number_as_typed(world: World) -> None:
    person = make_person(world, make_household(world, "HA-001"), "张三", 3)
    typed = " " + valid_id(seq=3).lower() + " "
    assert selectors.person_by_id_number(actor=world.officer_a, number=typed) == person


def test_a_person_out_of_scope_reads_as_unknown(world: World) -> None:
    make_person(world, make_household(world, "HB-001", world.village_b), "李四", 5)
    assert selectors.person_by_id_number(actor=world.officer_a, number=valid_id(seq=5)) is None
    assert selectors.person_by_id_number(actor=world.officer_b, number=valid_id(seq=5))
    assert selectors.person_by_id_number(actor=world.outsider, number=valid_id(seq=5)) is None


def test_persons_by_id_hash_leaves_out_those_out_of_scope(world: World) -> None:
    a = make_person(world, make_household(world, "HA-001"), "甲", 1)
    make_person(world, make_household(world, "HB-001", world.village_b), "乙", 3)
    hashes = [selectors.id_number_hash(valid_id(seq=s)) for s in (1, 3, 7)]
    assert selectors.persons_by_id_hash(actor=world.officer_a, hashes=hashes) == {hashes[0]: a}


def test_other_apps_add_panels_to_the_person_and_household_pages(
    world: World, as_user, tmp_path, settings
) -> None:
    from django.urls import reverse

    from zhenxing.registry import panels

    (tmp_path / "p.html").write_text("<dt>P</dt><dd id='p'>{{ panel.word }}</dd>")
    (tmp_path / "h.html").write_text("<p id='h'>{{ panel.word }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0].get("DIRS", []), tmp_path]}
    ]
    household = make_household(world, "HA-001")
    person = make_person(world, household, "张三", 1)
    panels.register_person_panel("p.html", lambda *, actor, person: {"word": person.name})
    panels.register_household_panel(
        "h.html", lambda *, actor, household: None if actor.region is None else {"word": "x"}
    )
    try:
        client = as_user(world.officer_a)
        page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
        assert "<dd id='p'>张三</dd>" in page
        page = client.get(reverse("registry:household_detail", args=[household.pk]))
        assert "<p id='h'>x</p>" in page.content.decode()
    finally:
        panels._PERSON_PANELS.pop("p.html")
        panels._HOUSEHOLD_PANELS.pop("h.html")
