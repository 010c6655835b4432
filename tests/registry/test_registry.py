"""The registry: ID checks, encryption at rest, masking, audited reveals, search, history."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from tests.conftest import World, make_household, make_person, valid_id
from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.errors import DomainError, Forbidden
from zhenxing.core.web.filters import filter_queryset
from zhenxing.registry import selectors, services
from zhenxing.registry.filtersets import PersonFilterSet
from zhenxing.registry.models import Ethnicity, HouseholdMembership, Person
from zhenxing.registry.validators import IdNumberError, check_id_number


def test_id_numbers_are_normalised_before_checking() -> None:
    # Full-width digits, spaces and a lower-case x, as typed on a phone or pasted from Word.
    typed = " １１０１０５ １９４９１２３１ ００２x "
    assert check_id_number(typed).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("52020219850612001", "18"),  # 17 characters
        (valid_id()[:-1] + ("0" if valid_id()[-1] != "0" else "1"), "check digit"),
        (valid_id(region="520281", birth="20990101"), "future"),
        (valid_id(birth="19850230"), "does not exist"),
    ],
)
def test_bad_id_numbers_are_errors(number: str, reason: str) -> None:
    with translation.override("en"), pytest.raises(IdNumberError, match=reason):
        check_id_number(number)


def test_an_id_region_code_from_another_era_is_a_warning_only() -> None:
    # Born 1985 but carrying 盘州市's 2017 code: possible after a re-issue, so confirmable.
    checked = check_id_number(valid_id(region="520281", birth="19850612"))
    assert checked.warnings and "520281" in checked.warnings[0]
    assert check_id_number(valid_id(region="520202", birth="19850612")).warnings == ()
    assert check_id_number(valid_id(region="520222", birth="20050101")).warnings == ()


def test_a_warning_must_be_confirmed(world: World) -> None:
    household = make_household(world, "HA-001")
    number = valid_id(region="520281", birth="19850612")
    with pytest.raises(DomainError) as exc:
        make_person(world, household, "王五", 1, id_number=number)
    assert exc.value.code == "needs_confirmation"
    # The message says why (the holder's birth year) and how to confirm, on a form and in a file.
    message = str(exc.value.message)  # in the default language, Simplified Chinese
    assert "持证人出生的 1985 年" in message
    assert "我已对照身份证核实号码" in message and "“已核实”列" in message
    person = make_person(world, household, "王五", 1, id_number=number, confirm_warnings=True)
    assert person.birth_date == dt.date(1985, 6, 12) and person.sex == "M"


def test_duplicate_id_numbers_are_refused_without_saying_where(world: World) -> None:
    make_person(world, make_household(world, "HB-001", world.village_b), "甲", 1)
    with pytest.raises(DomainError) as exc:
        make_person(world, make_household(world, "HA-001"), "乙", 1)
    assert exc.value.code == "duplicate"
    assert "HB-001" not in str(exc.value.message)


def _database_dump() -> str:
    """Every row of every table, as text: what a dump of the database would contain."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_no_plaintext_id_number_or_phone_reaches_the_database(world: World) -> None:
    household = make_household(world, "HA-001")
    number = valid_id(seq=7)
    person = make_person(world, household, "赵六", 7, phone="13912345678")
    services.person_reveal(actor=world.city, person=person)
    dump = _database_dump()
    assert "赵六" in dump  # the dump is real
    assert number not in dump and number[6:] not in dump
    assert "13912345678" not in dump
    assert person.id_number_masked == number[:6] + "********" + number[-4:]
    assert person.phone_masked == "139****5678"


def test_the_keyed_hash_and_cipher_read_what_was_stored_before() -> None:
    """The one-shot HMAC and the per-column sealer give the hashes rows already carry (an
    HMAC-SHA256 of purpose, NUL, value) and open what ``encrypt`` sealed; each seal is new."""
    import hashlib
    import hmac

    from cryptography.exceptions import InvalidTag

    from zhenxing.core.sensitive import _keys, blind_index, decrypt, encrypt, sealer

    number = valid_id(seq=9)
    stored_way = hmac.new(
        _keys().mac, b"person.id_number\x00" + number.encode(), hashlib.sha256
    ).hexdigest()
    assert blind_index(number, purpose="person.id_number") == stored_way
    assert sealer("person.id_number").index(number) == stored_way
    sealed = sealer("person.phone").seal("13912345678")
    assert decrypt(sealed, purpose="person.phone") == "13912345678"
    assert sealed != encrypt("13912345678", purpose="person.phone")  # a fresh nonce each time
    with pytest.raises(InvalidTag):  # bound to another column: refused
        decrypt(sealed, purpose="person.id_number")


def test_masked_for_everyone_by_default_and_revealed_only_on_request(world: World, as_user) -> None:
    person = make_person(world, make_household(world, "HA-001"), "赵六", 7, phone="13912345678")
    number = valid_id(seq=7)
    for user in (world.grid_a, world.cadre_a, world.auditor):
        body = as_user(user).get("/api/v1/persons/", {"q": "赵六"}).json()
        assert body["items"][0]["id_number"] == number[:6] + "********" + number[-4:]
        assert body["items"][0]["phone"] == "139****5678"
    refused = as_user(world.grid_a).get(f"/api/v1/persons/{person.pk}", {"unmasked": "true"})
    assert refused.status_code == 403
    assert not AuditEntry.objects.filter(action="view_sensitive").exists()
    shown = as_user(world.cadre_a).get(f"/api/v1/persons/{person.pk}", {"unmasked": "true"})
    assert shown.json()["id_number"] == number and shown.json()["phone"] == "13912345678"
    entry = AuditEntry.objects.get(action="view_sensitive")
    assert entry.actor == world.cadre_a and entry.object_id == str(person.pk)
    assert number not in json.dumps(entry.changes)


@pytest.mark.parametrize("query", ["赵六", "趙六", "zl", "zhaoliu", "VALID_ID", "13912345678"])
def test_search_by_name_initials_id_number_or_phone(world: World, query: str) -> None:
    person = make_person(world, make_household(world, "HA-001"), "赵六", 7, phone="13912345678")
    make_person(world, make_household(world, "HA-002"), "钱七", 9, phone="13700000000")
    query = valid_id(seq=7) if query == "VALID_ID" else query
    persons = selectors.person_list(actor=world.officer_a)
    found = filter_queryset(PersonFilterSet, {"q": query}, persons, actor=world.officer_a)
    assert list(found) == [person]


def test_households_filter_by_village_and_checklist_gap(world: World, as_user) -> None:
    ha = make_household(world, "HA-001")
    hb = make_household(world, "HA-002", world.village_a2)
    services.household_update(actor=world.cadre_a, household=ha, water_secure=False)
    client = as_user(world.officer_a)
    by_village = client.get("/api/v1/households/", {"village": world.village_a2.code}).json()
    assert [h["number"] for h in by_village["items"]] == [hb.number]
    gaps = client.get("/api/v1/households/", {"gap": "water"}).json()
    assert [h["number"] for h in gaps["items"]] == ["HA-001"]
    assert gaps["items"][0]["checklist_gaps"] == ["water"]


def test_moving_a_person_keeps_the_history(world: World) -> None:
    ha, ha2 = make_household(world, "HA-001"), make_household(world, "HA-002")
    person = make_person(world, ha, "赵六", 7)
    services.person_move(
        actor=world.cadre_a,
        person=person,
        to_household=ha2,
        relation="spouse",
        on=dt.date(2024, 3, 1),
    )
    spans = list(HouseholdMembership.objects.filter(person=person).order_by("id"))
    assert [(s.household.number, s.left_on) for s in spans] == [
        ("HA-001", dt.date(2024, 3, 1)),
        ("HA-002", None),
    ]
    ha.refresh_from_db()
    assert ha.head is None
    assert AuditEntry.objects.filter(action="update", object_id=str(person.pk)).exists()


def test_split_and_merge(world: World) -> None:
    ha = make_household(world, "HA-001")
    head = make_person(world, ha, "父", 1)
    son = make_person(world, ha, "子", 3, relation="child")
    daughter_in_law = make_person(world, ha, "媳", 4, relation="child_in_law")
    new = services.household_split(
        actor=world.cadre_a,
        household=ha,
        persons=[son, daughter_in_law],
        new_number="HA-002",
        head=son,
    )
    assert new.head == son and new.members.count() == 2 and ha.members.count() == 1
    with pytest.raises(DomainError):
        services.household_split(
            actor=world.cadre_a, household=ha, persons=[head], new_number="HA-003", head=head
        )
    services.household_merge(actor=world.cadre_a, source=new, into=ha)
    assert ha.members.count() == 3 and new.members.count() == 0
    assert HouseholdMembership.objects.filter(person=son).count() == 3


def test_death_closes_membership_and_keeps_the_person(world: World) -> None:
    ha = make_household(world, "HA-001")
    person = make_person(world, ha, "赵六", 7)
    services.person_record_exit(
        actor=world.cadre_a, person=person, status="deceased", on=dt.date(2025, 1, 5)
    )
    person.refresh_from_db()
    assert person.status == "deceased"
    assert HouseholdMembership.objects.get(person=person).left_reason == "died"
    assert list(selectors.person_list(actor=world.cadre_a)) == []
    assert list(selectors.person_list(actor=world.cadre_a, include_inactive=True)) == [person]


def test_grid_workers_read_but_do_not_register(world: World) -> None:
    ha = make_household(world, "HA-001")
    with pytest.raises(Forbidden):
        services.person_register(
            actor=world.grid_a,
            household=ha,
            name="甲",
            id_number=valid_id(),
            ethnicity=Ethnicity.objects.get(code="01"),
            relation="head",
        )
    assert not Person.objects.exists()


def test_the_api_masks_for_a_token_client_too(world: World) -> None:
    make_person(world, make_household(world, "HA-001"), "赵六", 7)
    from tests.conftest import PASSWORD

    token = (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": "city", "password": PASSWORD},
            content_type="application/json",
        )
        .json()["token"]
    )
    body = (
        Client(headers={"Authorization": f"Bearer {token}"})
        .get("/api/v1/households/", {"village": world.village_a.code})
        .json()
    )
    assert body["count"] == 1 and body["items"][0]["head"] == "赵六"


def test_household_page_masks_and_the_reveal_button_is_audited(world: World, as_user) -> None:
    from django.urls import reverse

    ha = make_household(world, "HA-001")
    person = make_person(world, ha, "赵六", 7, phone="13912345678")
    number = valid_id(seq=7)
    grid_page = as_user(world.grid_a).get(reverse("registry:household_detail", args=[ha.pk]))
    body = grid_page.content.decode()
    assert person.id_number_masked in body and number not in body and "13912345678" not in body
    person_page = as_user(world.grid_a).get(reverse("registry:person_detail", args=[person.pk]))
    assert "hx-post" not in person_page.content.decode()  # no reveal button for grid workers
    assert (
        as_user(world.grid_a).post(reverse("registry:person_reveal", args=[person.pk])).status_code
        == 403
    )
    shown = as_user(world.cadre_a).post(reverse("registry:person_reveal", args=[person.pk]))
    assert number in shown.content.decode() and "13912345678" in shown.content.decode()
    assert AuditEntry.objects.filter(action="view_sensitive", actor=world.cadre_a).count() == 1
    # Once shown, the button reads "hide": it goes back to the masked page, recording nothing.
    hide = reverse("registry:person_detail", args=[person.pk])
    assert (
        f'href="{hide}" role="button" class="outline" id="hide-sensitive"' in shown.content.decode()
    )
    masked = as_user(world.cadre_a).get(hide).content.decode()
    assert number not in masked and person.id_number_masked in masked
    assert AuditEntry.objects.filter(action="view_sensitive", actor=world.cadre_a).count() == 1


def test_exports_are_masked_unless_asked_by_a_permitted_role(world: World, as_user) -> None:
    import io

    import openpyxl
    from django.urls import reverse

    make_person(world, make_household(world, "HA-001"), "赵六", 7, phone="13912345678")
    number = valid_id(seq=7)

    def cells(response) -> str:  # type: ignore[no-untyped-def]
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row)

    url = reverse("registry:household_export")
    masked = cells(as_user(world.auditor).get(url))
    assert "赵六" in masked and number not in masked and "139****5678" in masked
    assert as_user(world.auditor).get(url, {"unmasked": "1"}).status_code == 403
    clear = cells(as_user(world.cadre_a).get(url, {"unmasked": "1"}))
    assert number in clear and "13912345678" in clear
    entry = AuditEntry.objects.get(action="export_sensitive")
    assert entry.actor == world.cadre_a


def test_household_list_filters_and_query_count(world: World, as_user) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    for i in range(3):
        make_person(world, make_household(world, f"HA-00{i}"), f"人{i}", 2 * i + 1)
    client = as_user(world.officer_a)
    url = reverse("registry:household_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(3, 15):
        make_person(world, make_household(world, f"HA-0{i:02d}"), f"人{i}", 2 * i + 1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.context["households"].paginator.count == 15
    by_name = client.get(url, {"q": "人1"})
    assert {h.number for h in by_name.context["households"]} >= {"HA-001", "HA-010"}


def test_registering_through_the_pages_with_a_warning_to_confirm(world: World, as_user) -> None:
    from django.urls import reverse

    client = as_user(world.cadre_a)
    created = client.post(
        reverse("registry:household_create"),
        {
            "number": "HA-777",
            "village": world.village_a.code,
            "group": world.group_a.code,
            "address": "一组 12 号",
            "labour_count": 2,
            "water_secure": "false",
        },
    )
    assert created.status_code == 302
    household = world.village_a.households.get(number="HA-777")
    assert household.group == world.group_a and household.water_secure is False
    data = {
        "name": "王五",
        "id_number": valid_id(region="520281", birth="19850612", seq=5),
        "ethnicity": "07",
        "relation": "head",
        "health": "healthy",
        "phone": "139 1234 5678",
    }
    url = reverse("registry:person_create", args=[household.pk])
    warned = client.post(url, data)
    assert warned.status_code == 200 and warned.context["form"].errors["id_number"]
    assert not Person.objects.exists()
    confirmed = client.post(url, data | {"confirm_warnings": "on"})
    assert confirmed.status_code == 302
    person = Person.objects.get()
    assert person.ethnicity.name == "彝族" and person.phone_masked == "139****5678"
    household.refresh_from_db()
    assert household.head == person


def test_bad_household_input_is_a_form_error(world: World, as_user) -> None:
    from django.urls import reverse

    client = as_user(world.cadre_a)
    response = client.post(
        reverse("registry:household_create"),
        {
            "number": "HA-778",
            "village": world.village_a.code,
            "labour_count": 1,
            "registered_poor_year": 2019,
            "lifted_year": 2016,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["lifted_year"]
    assert not world.village_a.households.exists()
