"""Demo households and residents (zhenxing.registry.demo) on a slice of the demo city."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from zhenxing.core.audit.models import AuditEntry
from zhenxing.core.regions.loaders import divisions_load, upsert_regions
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.sensitive import decrypt
from zhenxing.demo.management.commands.demo import Command
from zhenxing.demo.regions import demo_region_specs
from zhenxing.registry import services
from zhenxing.registry.demo import SCALES, demo_registry_load
from zhenxing.registry.models import (
    Ethnicity,
    Household,
    HouseholdIncome,
    HouseholdMembership,
    Person,
    Relation,
)
from zhenxing.registry.services import ID_PURPOSE, PHONE_PURPOSE
from zhenxing.registry.validators import check_id_number

TODAY = dt.date(2026, 6, 30)
# Three villages of 保基苗族彝族乡: Han, Miao and Yi, and a few others.
TOWNSHIP = "520281214"


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _era_code(birth: dt.date) -> str:
    return "520202" if birth.year < 1999 else "520222" if birth.year < 2017 else "520281"


@pytest.fixture
def villages(db: None) -> list[Region]:
    """The county and its townships, then three demo villages with their villager groups."""
    divisions_load(actor="test", county_code="520281")
    county = Region.objects.get(code="520281")
    specs = demo_region_specs(county)
    chosen = [
        code
        for code, _name, kind, parent in specs
        if kind == RegionKind.VILLAGE and parent == TOWNSHIP
    ][:3]
    upsert_regions(
        actor="test",
        specs=[s for s in specs if s[0] in chosen or (s[3] in chosen)],
    )
    return list(Region.objects.filter(code__in=chosen).order_by("code"))


def _load(villages: list[Region], **kwargs: object) -> dict[str, object]:
    return demo_registry_load(
        scale="small",
        village_codes=[v.code for v in villages],
        today=TODAY,
        **kwargs,  # type: ignore[arg-type]
    )


def _clear(person: Person) -> tuple[str, str]:
    phone = decrypt(person.phone_encrypted, purpose=PHONE_PURPOSE) if person.phone_encrypted else ""
    return decrypt(person.id_number_encrypted, purpose=ID_PURPOSE), phone


def test_fills_the_chosen_villages_only_with_numbered_households(villages: list[Region]) -> None:
    result = _load(villages)
    assert result["villages"] == 3 and result["skipped"] == 0
    assert result["households"] == Household.objects.count() > 0
    assert result["persons"] == Person.objects.count() > result["households"]
    assert set(Household.objects.values_list("village__code", flat=True)) == {
        v.code for v in villages
    }
    for village in villages:
        groups = village.children.filter(kind=RegionKind.GROUP)
        per_group = Counter(
            Household.objects.filter(village=village).values_list("group_id", flat=True)
        )
        # Small scale: 2 to 4 households in every villager group.
        assert set(per_group) == set(groups.values_list("pk", flat=True))
        low, high = SCALES["small"]
        assert all(low <= n <= high for n in per_group.values())
        numbers = sorted(Household.objects.filter(village=village).values_list("number", flat=True))
        assert numbers == [f"{village.code}{i:04d}" for i in range(1, len(numbers) + 1)]
    for household in Household.objects.all():
        assert household.county_code == "520281"
        assert household.address.startswith(household.village.parent.name + household.village.name)


def test_every_id_number_is_valid_for_its_era_and_matches_sex_and_birth(
    villages: list[Region],
) -> None:
    _load(villages)
    seen = set()
    persons = list(Person.objects.all())
    assert len(persons) > 50
    for person in persons:
        number, phone = _clear(person)
        checked = check_id_number(number)
        assert checked.warnings == (), number
        assert number[:6] == _era_code(person.birth_date)
        assert checked.birth_date == person.birth_date
        assert checked.sex == person.sex
        assert person.id_number_masked == number[:6] + "********" + number[-4:]
        assert person.id_number_hash == services.sensitive_columns(number, "")["id_number_hash"]
        assert person.county_code == "520281"
        assert person.search_text.startswith(person.name + " ")
        if phone:
            assert re.fullmatch(r"1[358]\d{9}", phone)
            assert person.phone_masked == phone[:3] + "****" + phone[-4:]
            assert _age(person.birth_date, TODAY) >= 18
        seen.add(number)
    assert len(seen) == len(persons)


def test_households_have_one_head_and_plausible_generations(villages: list[Region]) -> None:
    _load(villages)
    households = Household.objects.prefetch_related("members")
    sizes = []
    for household in households:
        members = list(household.members.all())
        sizes.append(len(members))
        assert 1 <= len(members) <= 7
        heads = [m for m in members if m.relation == Relation.HEAD]
        assert len(heads) == 1 and household.head_id == heads[0].pk
        head = heads[0]
        spouses = [m for m in members if m.relation == Relation.SPOUSE]
        assert len(spouses) <= 1 and all(s.sex != head.sex for s in spouses)
        children = [m for m in members if m.relation == Relation.CHILD]
        for child in children:
            for parent in [head, *spouses]:
                assert 20 <= _age(parent.birth_date, child.birth_date) <= 45
            assert child.name[0] == head.name[0]  # children take the head's surname
        for parent in (m for m in members if m.relation == Relation.PARENT):
            assert 20 <= _age(parent.birth_date, head.birth_date) <= 45
        in_laws = [m for m in members if m.relation == Relation.CHILD_IN_LAW]
        for grandchild in (m for m in members if m.relation == Relation.GRANDCHILD):
            assert any(20 <= _age(c.birth_date, grandchild.birth_date) <= 45 for c in children)
            assert in_laws
            assert all(20 <= _age(c.birth_date, grandchild.birth_date) <= 45 for c in in_laws)
        assert all(m.birth_date <= TODAY for m in members)
    assert 3.3 <= sum(sizes) / len(sizes) <= 4.8
    # One open "registered" membership per person, in the person's household.
    memberships = HouseholdMembership.objects.filter(left_on__isnull=True)
    assert memberships.count() == Person.objects.count()
    for membership in memberships.select_related("person"):
        assert membership.household_id == membership.person.household_id
        assert membership.relation == membership.person.relation
        assert membership.joined_reason == "registered"
        assert membership.joined_on >= membership.person.birth_date


def test_ethnic_mix_names_poverty_and_incomes_look_like_panzhou(villages: list[Region]) -> None:
    _load(villages)
    codes = Counter(Person.objects.values_list("ethnicity__code", flat=True))
    assert set(codes) <= {"01", "03", "06", "07", "09", "14"}
    assert codes["01"] > 0 and len(set(codes) - {"01"}) >= 2  # Han and at least two minorities
    assert all(len(name) in (2, 3) for name in Person.objects.values_list("name", flat=True))

    households = list(Household.objects.all())
    for h in households:
        if h.lifted_year is not None:
            assert h.registered_poor_year is not None
            assert 2014 <= h.registered_poor_year < h.lifted_year <= 2020
        elif h.registered_poor_year is not None:
            assert 2014 <= h.registered_poor_year <= 2019
        assert h.checklist_checked_on is not None
        assert TODAY - dt.timedelta(days=365) < h.checklist_checked_on <= TODAY
        assert all(getattr(h, name) in (True, False) for name in Household.CHECKLIST)
        assert h.monitoring_status in ("", "unstable", "marginal", "sudden")
    assert any(h.registered_poor_year for h in households)
    checks = [getattr(h, name) for h in households for name in Household.CHECKLIST]
    assert sum(checks) / len(checks) > 0.9

    incomes = HouseholdIncome.objects.all()
    assert incomes.count() == 4 * len(households)
    assert set(incomes.values_list("year", flat=True)) == {2022, 2023, 2024, 2025}
    for income in incomes:
        assert isinstance(income.income_per_head, Decimal)
        assert income.income_per_head == income.income_per_head.quantize(Decimal("0.01"))
        assert Decimal(1000) < income.income_per_head < Decimal(100000)


def test_no_plaintext_id_number_or_phone_anywhere_in_the_database(
    villages: list[Region],
) -> None:
    _load(villages)
    clear = [_clear(p) for p in Person.objects.all()]
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(repr(row) for row in cursor.fetchall())
    dump = "\n".join(chunks)
    assert Person.objects.first().name in dump  # the dump is real
    phones = [phone for _number, phone in clear if phone]
    assert phones
    for number, phone in clear:
        assert number not in dump and number[6:] not in dump
        if phone:
            assert phone not in dump


def test_running_again_adds_nothing(villages: list[Region]) -> None:
    first = _load(villages)
    counts = [
        m.objects.count()
        for m in (Household, Person, HouseholdMembership, HouseholdIncome, AuditEntry)
    ]
    again = _load(villages)
    assert again["villages"] == 0 and again["skipped"] == 3
    assert again["households"] == again["persons"] == 0
    assert counts == [
        m.objects.count()
        for m in (Household, Person, HouseholdMembership, HouseholdIncome, AuditEntry)
    ]
    assert first["households"] == counts[0]


def test_every_household_and_person_has_a_create_audit_row(villages: list[Region]) -> None:
    _load(villages)
    entries = AuditEntry.objects.filter(actor_label="demo", action="create")
    for model in (Household, Person):
        content_type = ContentType.objects.get_for_model(model)
        audited = Counter(
            entries.filter(content_type=content_type).values_list("object_id", flat=True)
        )
        assert set(audited) == {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert set(audited.values()) == {1}
    assert len(set(entries.values_list("request_id", flat=True))) == 1
    person = Person.objects.filter(phone_hash__gt="").first()
    entry = entries.get(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    )
    assert entry.region_code == person.household.village.code
    assert entry.changes["id_number_masked"] == [None, person.id_number_masked]
    number, phone = _clear(person)
    assert number not in str(entry.changes) and phone not in str(entry.changes)
    household = person.household
    head_entry = entries.get(
        content_type=ContentType.objects.get_for_model(Household), object_id=str(household.pk)
    )
    assert head_entry.changes["head"] == [None, str(household.head)]


def _fingerprint() -> list[tuple[object, ...]]:
    return list(
        Person.objects.order_by("household__number", "id").values_list(
            "household__number", "name", "birth_date", "sex", "id_number_hash", "phone_hash"
        )
    )


def _wipe() -> None:
    Household.objects.update(head=None)
    HouseholdIncome.objects.all().delete()
    HouseholdMembership.objects.all().delete()
    Person.objects.all().delete()
    Household.objects.all().delete()


def test_same_seed_same_people_other_seed_other_people(villages: list[Region]) -> None:
    _load(villages[:1])
    first = _fingerprint()
    _wipe()
    _load(villages[:1])
    assert _fingerprint() == first
    _wipe()
    _load(villages[:1], seed=1)
    other = _fingerprint()
    assert other != first
    assert not {row[4] for row in other} & {row[4] for row in first}


def test_an_id_number_already_registered_elsewhere_is_not_reused(
    villages: list[Region],
) -> None:
    target, elsewhere = villages[0], villages[1]
    _load([target])
    taken = Person.objects.order_by("id").first()
    number, _phone = _clear(taken)
    _wipe()
    # A real resident of another village already holds that number.
    household = Household.objects.create(number="REAL-1", village=elsewhere)
    Person.objects.create(
        household=household,
        name="王实",
        sex=check_id_number(number).sex,
        birth_date=check_id_number(number).birth_date,
        ethnicity=Ethnicity.objects.get(code="01"),
        relation=Relation.HEAD,
        **services.sensitive_columns(number, ""),
    )
    result = _load([target])
    assert result["villages"] == 1
    twin = Person.objects.exclude(household=household).order_by("id").first()
    twin_number, _ = _clear(twin)
    assert twin.name == taken.name and twin.birth_date == taken.birth_date
    assert twin_number != number
    assert twin_number[:14] == number[:14]
    assert int(twin_number[16]) % 2 == int(number[16]) % 2  # same sex
    assert check_id_number(twin_number).warnings == ()


def test_full_scale_fills_a_village_with_hundreds_of_households(villages: list[Region]) -> None:
    result = demo_registry_load(scale="full", village_codes=[villages[0].code], today=TODAY)
    groups = villages[0].children.filter(kind=RegionKind.GROUP).count()
    assert 70 * groups <= result["households"] <= 108 * groups
    persons = Person.objects.count()
    assert 3.6 <= persons / result["households"] <= 4.4
    adults = Person.objects.filter(birth_date__lte=dt.date(TODAY.year - 18, TODAY.month, 1))
    with_phone = adults.exclude(phone_hash="").count() / adults.count()
    assert 0.6 <= with_phone <= 0.8
    households = Household.objects.annotate(n=Count("members"))
    poor = households.filter(registered_poor_year__isnull=False).count() / households.count()
    assert 0.18 <= poor <= 0.32
    lifted = HouseholdIncome.objects.filter(year=2025, household__lifted_year__isnull=False)
    never = HouseholdIncome.objects.filter(year=2025, household__registered_poor_year__isnull=True)
    mean = lambda qs: sum(i.income_per_head for i in qs) / qs.count()  # noqa: E731
    assert mean(lifted) < mean(never)
    assert HouseholdIncome.objects.filter(income_per_head__lt=8700).exists()
    assert Household.objects.exclude(monitoring_status="").exists()


def test_the_demo_command_takes_a_scale(db: None) -> None:
    parser = Command().create_parser("zhenxing", "demo")
    assert parser.parse_args([]).scale == "small"
    assert parser.parse_args(["--scale", "full"]).scale == "full"
    with pytest.raises(CommandError):
        parser.parse_args(["--scale", "huge"])


def test_the_demo_command_with_scale_none_writes_no_households(
    db: None, tmp_path: object, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    monkeypatch.setenv("ZHENXING_DEMO_PASSWORD", "demo-password-for-tests")
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("demo", "--scale", "none", stdout=out)
    assert "Registry: skipped" in out.getvalue()
    assert not Household.objects.exists()
    assert Region.objects.filter(kind=RegionKind.VILLAGE).count() >= 447


def test_an_unknown_scale_is_refused(villages: list[Region]) -> None:
    with pytest.raises(ValueError):
        demo_registry_load(scale="huge", village_codes=[villages[0].code])
    assert not Household.objects.exists()


def test_city_wide_the_mix_is_about_three_quarters_han_and_households_average_four() -> None:
    """Generated without the database, for villages spread over all 27 townships."""
    import csv
    import random

    from zhenxing.core.regions.loaders import DATA_DIR
    from zhenxing.registry import demo

    with (DATA_DIR / "townships-guizhou.csv").open(encoding="utf-8") as fh:
        townships = [row["name"] for row in csv.DictReader(fh) if row["countyCode"] == "520281"]
    assert len(townships) == 27
    ethnic, sizes = Counter[str](), []
    for i in range(540):
        rng = random.Random(i)
        mix = demo._village_mix(rng, townships[i % 27])
        for _ in range(20):
            members = demo._household_members(rng, TODAY, mix)
            sizes.append(len(members))
            ethnic.update(m.ethnicity for m in members)
    han = ethnic["01"] / sum(ethnic.values())
    assert 0.68 <= han <= 0.82, han
    assert {"03", "06", "07", "09", "14"} <= set(ethnic)
    assert 3.7 <= sum(sizes) / len(sizes) <= 4.3
    assert min(sizes) == 1 and max(sizes) == 7
