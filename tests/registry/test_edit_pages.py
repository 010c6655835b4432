"""Editing a household and a person from their pages: offered to roles that may change them
(403 for the others, 404 for another region's), through the services, audited in the history
the pages show; bad input shows the reasons in the reader's language and writes nothing. The
ID number and phone are never shown in clear on the form: blank keeps them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from tests.conftest import World, make_household, make_person, valid_id
from zhenxing.core.accounts import roles
from zhenxing.core.accounts.roles import Role
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.errors import Forbidden
from zhenxing.core.sensitive import decrypt
from zhenxing.registry import services
from zhenxing.registry.models import Household, Person

HOUSEHOLD = {
    "group": "",
    "address": "沙坡村一组 3 号",
    "labour_count": "2",
    "registered_poor_year": "",
    "lifted_year": "",
    "monitoring_status": "",
    "food_secure": "",
    "clothing_secure": "",
    "education_secure": "",
    "medical_secure": "",
    "housing_secure": "",
    "water_secure": "",
    "checklist_checked_on": "",
}


@pytest.fixture
def family(world: World) -> dict[str, Any]:
    home = make_household(world, "HA-001")
    head = make_person(world, home, "张长春", 1)
    spouse = make_person(world, home, "李梅", 2, relation="spouse", phone="")
    other = make_household(world, "HB-001", village=world.village_b)
    stranger = make_person(world, other, "王芳", 3)
    return {"home": home, "head": head, "spouse": spouse, "other": other, "stranger": stranger}


def english(client: Any) -> Any:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def updates(obj: Any) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(
        action="update", content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
    return list(entries.order_by("pk"))


def person_form(person: Person, **changes: Any) -> dict[str, Any]:
    data = {
        "name": person.name,
        "id_number": "",
        "ethnicity": person.ethnicity.code,
        "relation": person.relation,
        "phone": "",
        "education": person.education,
        "health": person.health,
        "occupation": person.occupation,
    }
    return data | changes


# ---- who is offered the forms ------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "edit", "key"),
    [
        ("registry:household_detail", "registry:household_edit", "home"),
        ("registry:person_detail", "registry:person_edit", "head"),
    ],
)
def test_the_edit_link_and_page_are_for_roles_that_may_change(
    world: World, family: dict[str, Any], as_user: Any, page: str, edit: str, key: str
) -> None:
    obj = family[key]
    edit_url = reverse(edit, args=[obj.pk])
    for user in (world.cadre_a, world.officer_a, world.city):
        client = as_user(user)
        assert edit_url in client.get(reverse(page, args=[obj.pk])).content.decode()
        assert client.get(edit_url).status_code == 200
    for user in (world.grid_a, world.auditor):
        client = as_user(user)
        shown = client.get(reverse(page, args=[obj.pk]))
        assert shown.status_code == 200 and edit_url not in shown.content.decode()
        assert client.get(edit_url).status_code == 403
        assert client.post(edit_url, {}).status_code == 403
    # Another village's (for a cadre) or another township's object: as if it did not exist.
    other = family["other"] if key == "home" else family["stranger"]
    assert as_user(world.cadre_a).get(reverse(edit, args=[other.pk])).status_code == 404
    assert as_user(world.officer_a).post(reverse(edit, args=[other.pk]), {}).status_code == 404


# ---- households ----------------------------------------------------------------------------


def test_a_household_edit_lands_with_its_history(
    world: World, family: dict[str, Any], as_user: Any
) -> None:
    home = family["home"]
    client = english(as_user(world.cadre_a))
    form = client.get(reverse("registry:household_edit", args=[home.pk]))
    assert form.context["form"].initial["address"] == "沙坡村一组"
    data = HOUSEHOLD | {"group": world.group_a.code, "water_secure": "false", "labour_count": "3"}
    response = client.post(reverse("registry:household_edit", args=[home.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:household_detail", args=[home.pk])
    home.refresh_from_db()
    assert (home.group, home.labour_count, home.water_secure) == (world.group_a, 3, False)
    assert home.address == "沙坡村一组 3 号"
    (entry,) = updates(home)
    assert entry.actor == world.cadre_a
    assert entry.changes["labour_count"] == [0, 3]
    page = client.get(reverse("registry:household_detail", args=[home.pk])).content.decode()
    assert "HA-001 was saved." in page
    assert "labour force" in page and "safe drinking water" in page  # the history, labelled


def test_a_bad_household_edit_shows_why_and_writes_nothing(
    world: World, family: dict[str, Any], as_user: Any
) -> None:
    home = family["home"]
    edit = reverse("registry:household_edit", args=[home.pk])
    bad = HOUSEHOLD | {"registered_poor_year": "2018", "lifted_year": "2016"}
    response = english(as_user(world.cadre_a)).post(edit, bad)
    assert response.status_code == 200
    assert "A household is lifted out of poverty after it was registered poor." in (
        response.content.decode()
    )
    # Another village's group, in the default language (Simplified Chinese).
    elsewhere = as_user(world.city).post(edit, HOUSEHOLD | {"group": world.group_b.code})
    with translation.override("zh-hans"):
        expected = translation.gettext("The villager group is not in this village.")
    assert response.status_code == 200 and expected in elsewhere.content.decode()
    home.refresh_from_db()
    assert (home.registered_poor_year, home.group, home.address) == (None, None, "沙坡村一组")
    assert updates(home) == []


# ---- persons -------------------------------------------------------------------------------


def test_the_person_form_never_shows_the_id_number_or_phone_in_clear(
    world: World, family: dict[str, Any], as_user: Any
) -> None:
    head = family["head"]
    page = as_user(world.cadre_a).get(reverse("registry:person_edit", args=[head.pk]))
    body = page.content.decode()
    assert valid_id(seq=1) not in body and "13800000001" not in body
    assert head.id_number_masked in body and head.phone_masked in body  # "keep the current one"
    assert page.context["form"].initial.get("id_number") is None


def test_a_person_edit_with_blank_id_and_phone_keeps_them(
    world: World, family: dict[str, Any], as_user: Any
) -> None:
    head = family["head"]
    before = (head.id_number_hash, head.phone_hash)
    client = english(as_user(world.cadre_a))
    data = person_form(head, name="张长春 ", occupation="木匠", health="chronic")
    response = client.post(reverse("registry:person_edit", args=[head.pk]), data)
    assert response.status_code == 302
    head.refresh_from_db()
    assert (head.name, head.occupation, head.health) == ("张长春", "木匠", "chronic")
    assert (head.id_number_hash, head.phone_hash) == before
    (entry,) = updates(head)
    assert set(entry.changes) == {"occupation", "health"}
    page = client.get(reverse("registry:person_detail", args=[head.pk])).content.decode()
    assert "张长春 was saved." in page and "occupation" in page and "Chronic illness" in page


def test_a_new_id_number_and_phone_are_sealed_and_audited_masked(
    world: World, family: dict[str, Any], as_user: Any
) -> None:
    spouse = family["spouse"]
    number = valid_id(region="520202", birth="19790304", seq=12)
    data = person_form(spouse, id_number=number, phone="13912345678")
    response = as_user(world.cadre_a).post(reverse("registry:person_edit", args=[spouse.pk]), data)
    assert response.status_code == 302
    spouse.refresh_from_db()
    assert decrypt(spouse.id_number_encrypted, purpose=services.ID_PURPOSE) == number
    assert decrypt(spouse.phone_encrypted, purpose=services.PHONE_PURPOSE) == "13912345678"
    assert spouse.birth_date.isoformat() == "1979-03-04" and spouse.sex == "F"
    (entry,) = updates(spouse)
    assert entry.changes["id_number_masked"][1] == spouse.id_number_masked
    assert entry.changes["phone_masked"] == ["", spouse.phone_masked]
    assert number not in str(entry.changes) and "13912345678" not in str(entry.changes)


def test_removing_the_phone(world: World, family: dict[str, Any], as_user: Any) -> None:
    head = family["head"]
    data = person_form(head, remove_phone="on")
    as_user(world.cadre_a).post(reverse("registry:person_edit", args=[head.pk]), data)
    head.refresh_from_db()
    assert (head.phone_encrypted, head.phone_hash, head.phone_masked) == ("", "", "")


def test_an_era_warning_needs_the_confirmation_as_on_registration(
    world: World, family: dict[str, Any], as_user: Any
) -> None:
    spouse = family["spouse"]
    number = valid_id(region="520281", birth="19780612", seq=14)
    edit = reverse("registry:person_edit", args=[spouse.pk])
    client = english(as_user(world.cadre_a))
    response = client.post(edit, person_form(spouse, id_number=number))
    assert response.status_code == 200
    assert "was not in use in 1978" in response.content.decode()
    assert spouse.id_number_hash == Person.objects.get(pk=spouse.pk).id_number_hash
    confirmed = client.post(edit, person_form(spouse, id_number=number, confirm_warnings="on"))
    assert confirmed.status_code == 302
    assert Person.objects.get(pk=spouse.pk).id_number_masked.startswith("520281")


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"id_number": "5202021985"}, "id_number", "An ID number has 18 characters"),
        ({"id_number": valid_id(seq=3)}, "id_number", "already registered"),  # 王芳's
        ({"phone": "12345"}, "phone", "A phone number is 11 digits"),
        ({"phone": "13912345678", "remove_phone": "on"}, "phone", "not both"),
        ({"name": ""}, "name", "This field is required."),
        ({"relation": "head"}, "relation", "already has a head, 张长春"),
    ],
)
def test_a_bad_person_edit_shows_why_and_writes_nothing(
    world: World,
    family: dict[str, Any],
    as_user: Any,
    changes: dict[str, str],
    field: str,
    reason: str,
) -> None:
    spouse = family["spouse"]
    Person.objects.filter(pk=spouse.pk).update(phone_masked="139****0000")  # offers "remove"
    before = Person.objects.values().get(pk=spouse.pk)
    client = english(as_user(world.city))
    data = person_form(spouse, occupation="教师", **changes)
    response = client.post(reverse("registry:person_edit", args=[spouse.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert f'data-field="{field}"' in body and reason in body  # in English, the reader's
    assert Person.objects.values().get(pk=spouse.pk) == before
    assert updates(spouse) == []


def test_the_head_changes_with_the_relation_and_the_household_remembers(
    world: World, family: dict[str, Any], as_user: Any
) -> None:
    home, head, spouse = family["home"], family["head"], family["spouse"]
    client = as_user(world.cadre_a)
    client.post(
        reverse("registry:person_edit", args=[head.pk]), person_form(head, relation="spouse")
    )
    home.refresh_from_db()
    assert home.head is None
    client.post(
        reverse("registry:person_edit", args=[spouse.pk]), person_form(spouse, relation="head")
    )
    home.refresh_from_db()
    assert home.head == spouse
    assert spouse.memberships.get(left_on__isnull=True).relation == "head"
    assert [e.changes["head"] for e in updates(home)] == [[str(head), None], [None, str(spouse)]]


def test_a_role_that_may_not_unmask_edits_without_the_sensitive_fields(
    world: World, family: dict[str, Any], as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A role allowed to correct a person but not to see ID numbers in clear is not offered
    the ID number or phone, and the service refuses it a new one."""
    granted = roles.permissions_of

    def with_change(role: str) -> frozenset[str]:
        extra = {"registry.person.change"} if role == Role.GRID_WORKER else set()
        return granted(role) | extra

    monkeypatch.setattr(roles, "permissions_of", with_change)
    head = family["head"]
    client = as_user(world.grid_a)
    page = client.get(reverse("registry:person_edit", args=[head.pk]))
    assert page.status_code == 200
    assert not {"id_number", "phone", "remove_phone"} & set(page.context["form"].fields)
    data = person_form(head, occupation="木匠", id_number=valid_id(seq=21), phone="13900000000")
    assert client.post(reverse("registry:person_edit", args=[head.pk]), data).status_code == 302
    head.refresh_from_db()
    assert head.occupation == "木匠" and head.id_number_masked.endswith(valid_id(seq=1)[-4:])
    with pytest.raises(Forbidden):
        services.person_update(
            actor=world.grid_a,
            person=head,
            name=head.name,
            ethnicity=head.ethnicity,
            relation=head.relation,
            phone="13900000000",
        )


def test_a_person_is_added_from_the_household_page(
    world: World, family: dict[str, Any], as_user: Any
) -> None:
    home = family["home"]
    client = as_user(world.cadre_a)
    add = reverse("registry:person_create", args=[home.pk])
    assert add in client.get(reverse("registry:household_detail", args=[home.pk])).content.decode()
    data = person_form(family["spouse"], name="张小明", relation="child")
    data["id_number"] = valid_id(region="520222", birth="20100101", seq=31)
    assert client.post(add, data).status_code == 302
    assert Household.objects.get(pk=home.pk).members.filter(name="张小明").exists()
