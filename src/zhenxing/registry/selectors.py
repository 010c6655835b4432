"""Reads of the registry, always scoped to the reader."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, When
from django.urls import reverse
from django.utils.translation import gettext as _

from zhenxing.core.accounts.roles import Role
from zhenxing.core.regions.models import RegionKind
from zhenxing.core.sensitive import blind_index, decrypt, normalise_id_number, normalise_phone
from zhenxing.core.text import normalise_query
from zhenxing.core.waiting import WaitingItem
from zhenxing.registry.models import Ethnicity, Household, Person, PersonStatus, Relation, Sex
from zhenxing.registry.services import ID_PURPOSE, PHONE_PURPOSE

# ---- a person by ID number: the one place the keyed hash is looked up -------------------------

_ID_CHUNK = 900  # below SQLite's 999 bound parameters


def id_number_hash(number: str) -> str:
    """The keyed hash (blind index) of an ID number, normalised first (spaces, lower-case x):
    how a person is found by ID number without the number being stored in clear."""
    return blind_index(normalise_id_number(number), purpose=ID_PURPOSE)


def person_by_id_number(*, actor: Any, number: str) -> Person | None:
    """The registered person with this full ID number inside ``actor``'s scope, else None: a
    number registered out of scope reads as unknown, so a lookup cannot probe the registry."""
    return (
        Person.objects.visible_to(actor)
        .filter(id_number_hash=id_number_hash(number))
        .select_related("household", "household__village", "ethnicity")
        .first()
    )


def persons_by_id_hash(*, actor: Any, hashes: Iterable[str]) -> dict[str, Person]:
    """ID-number hash → person, for the persons inside ``actor``'s scope (the bulk form of
    ``person_by_id_number``, for importers): a number registered elsewhere is left out."""
    items = list(set(hashes))
    found: dict[str, Person] = {}
    for start in range(0, len(items), _ID_CHUNK):
        chunk = items[start : start + _ID_CHUNK]
        for person in Person.objects.visible_to(actor).filter(id_number_hash__in=chunk):
            found[person.id_number_hash] = person
    return found


def person_search_q(q: str) -> Q:
    """Full ID number or phone by keyed hash, otherwise name (either script) or initials."""
    return _by_keyed_hash(q) or Q(search_text__contains=normalise_query(q))


def _by_keyed_hash(q: str) -> Q | None:
    """The query as a full ID number or phone, looked up by keyed hash; None if it is neither."""
    id_number = normalise_id_number(q)
    if len(id_number) == 18 and id_number[:17].isdigit():
        return Q(id_number_hash=id_number_hash(id_number))
    phone = normalise_phone(q)
    if len(phone) >= 7 and phone == q.strip().replace(" ", "").replace("-", ""):
        return Q(phone_hash=blind_index(phone, purpose=PHONE_PURPOSE))
    return None


#: SQLite's trigram index of the persons' search text (registry migration 0009).
TRIGRAM_TABLE = "registry_person_trigram"


def trigram_matches(word: str, limit: int) -> list[int] | None:
    """The ids of up to ``limit`` persons whose search text contains ``word`` (normalised),
    from SQLite's FTS5 trigram index (migration 0009), in the index's order; None where the
    index cannot answer and the search text is read instead.

    A millisecond for a name at the city's 1.2 million persons, where reading every search
    text took a quarter of a second; the limit is applied inside the index, so a broad word
    ("wang") stops at the first matches instead of collecting a hundred thousand. The index
    cannot answer a word under three characters (no trigram; SQLite 3.40's table even answers
    a two-character CJK ``LIKE`` with nothing) or one holding a ``LIKE`` wildcard (it would be
    read as a pattern). PostgreSQL plans ``contains`` on its own trigram index (0010)."""
    if connection.vendor != "sqlite" or len(word) < 3 or any(c in word for c in "%_\\"):
        return None
    if not _has_trigram_table():
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE search_text LIKE %s LIMIT %s",  # noqa: S608
            [f"%{word}%", limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _has_trigram_table() -> bool:
    """Whether migration 0009 made the trigram table (a SQLite without FTS5 has none)."""
    key = connection.settings_dict.get("NAME")
    if key not in _TRIGRAM_TABLES:
        _TRIGRAM_TABLES[key] = TRIGRAM_TABLE in connection.introspection.table_names()
    return _TRIGRAM_TABLES[key]


_TRIGRAM_TABLES: dict[Any, bool] = {}


#: A search reads at most this many matching persons (one pass over the persons' search index)
#: and ranks exact matches first; a broader query (one letter over the whole city) shows the
#: households of the first ones and says so, rather than ordering half the city's households.
SEARCH_IDS_LIMIT = 2000


@dataclass(frozen=True)
class HouseholdSearch:
    households: QuerySet[Household]
    truncated: bool  # more persons matched than SEARCH_IDS_LIMIT


def household_search(qs: QuerySet[Household], q: str, *, actor: Any = None) -> HouseholdSearch:
    """``qs`` narrowed to a household number, or to households with a member found by full ID
    number, phone (keyed hashes) or name (either script, pinyin or initials): the same search
    box as the persons'. Exact matches come first (the number itself, then a member whose name,
    full pinyin or initials are the query), then the rest by number.

    For an ``actor`` below the county the members are looked for inside their scope only (a
    village's few thousand persons, not the city's 1.2 million); the households themselves are
    scoped by the caller either way, so for the county the narrower lookup would only add a
    join. For the county a name is looked up in SQLite's trigram index (``trigram_matches``;
    PostgreSQL's planner uses its own); otherwise the members' (household, search text) pairs
    are read from one index (``person_search``) in one pass, which inside a village or a
    township is quicker than collecting a broad word's matches city-wide. The page and its
    count then look up households by id."""
    key = q.strip()
    region = getattr(actor, "region", None)
    below_county = region is not None and region.kind != RegionKind.COUNTY
    word = normalise_query(key)
    by_hash = _by_keyed_hash(key)
    ids = None if below_county or by_hash else trigram_matches(word, SEARCH_IDS_LIMIT + 1)
    if ids is not None:  # the whole city, through the trigram index
        members = Person.objects.filter(pk__in=ids)
    else:
        persons = Person.objects.visible_to(actor) if below_county else Person.objects.all()
        members = persons.filter(by_hash or Q(search_text__contains=word))
    # No order: the first matches the index yields (a sort would read every match first).
    found = list(
        members.order_by().values_list("household_id", "search_text")[: SEARCH_IDS_LIMIT + 1]
    )
    truncated = len(found) > SEARCH_IDS_LIMIT
    exact = {pk for pk, text in found[:SEARCH_IDS_LIMIT] if word in text.split()}
    households = (
        qs.filter(Q(number=key) | Q(pk__in={pk for pk, _t in found[:SEARCH_IDS_LIMIT]}))
        .annotate(
            search_rank=Case(
                When(number=key, then=0),
                When(pk__in=exact, then=1),
                default=2,
                output_field=IntegerField(),
            )
        )
        .order_by("search_rank", "number")
    )
    return HouseholdSearch(households, truncated)


def person_list(*, actor: Any, include_inactive: bool = False) -> QuerySet[Person]:
    """Persons in ``actor``'s scope (registered ones unless ``include_inactive``), with what a
    list shows; ``registry.filtersets.PersonFilterSet`` narrows them."""
    qs = Person.objects.visible_to(actor).select_related(
        "household", "household__village", "ethnicity"
    )
    if not include_inactive:
        qs = qs.filter(status=PersonStatus.ACTIVE)
    return qs.order_by("household__number", "id")


def household_list(*, actor: Any) -> QuerySet[Household]:
    """Households in ``actor``'s scope; ``registry.filtersets.HouseholdFilterSet`` narrows them
    (page, API and export alike). Members are counted per page (``with_member_counts``), not
    here: counting every member of the city's 300,000 households on each request (and again
    for the paginator's total) took seconds.

    Ordered by village (its code) and then number: both databases then walk the villages in
    code order and each village's households by the (village, number) index and stop after
    a page; ordered by number alone, SQLite joined and sorted all 300,000 of the city's
    households for every page (220 ms -> 1 ms)."""
    qs = Household.objects.visible_to(actor).select_related("village", "group", "head")
    return qs.order_by("village__code", "number", "pk")


def with_member_counts(households: Iterable[Household]) -> list[Household]:
    """``households`` (one page) with ``member_count``, their active members, set on each:
    one GROUP BY over the page's persons."""
    page = list(households)
    counts = dict(
        Person.objects.filter(household__in=[h.pk for h in page], status=PersonStatus.ACTIVE)
        .values_list("household_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for household in page:
        household.member_count = counts.get(household.pk, 0)  # type: ignore[attr-defined]
    return page


def household_members(*, household: Household) -> QuerySet[Person]:
    """A household's members (registered first), for its page and its API detail: the
    household itself was looked up inside the reader's scope."""
    return household.members.select_related("ethnicity").order_by("status", "id")


def persons_of_households(*, actor: Any, households: QuerySet[Household]) -> QuerySet[Person]:
    """The persons of ``households`` (already filtered) in ``actor``'s scope, for the export."""
    return (
        Person.objects.visible_to(actor)
        .filter(household__in=households.values("pk"))
        .select_related("household", "household__village", "household__group", "ethnicity")
        .order_by("household__number", "id")
    )


#: Households read per round trip of the export (and their persons in one more query).
EXPORT_CHUNK = 2000


def household_export_rows(
    *, actor: Any, households: QuerySet[Household], unmasked: bool = False
) -> Iterator[dict[str, Any]]:
    """One row per person of ``households`` (already filtered and scoped), in household-number
    order, masked unless ``unmasked`` (the caller checked the permission and audited it).

    Built for the city's whole registry (1.2 million persons): households are walked in
    number order by keyset, ``EXPORT_CHUNK`` at a time, and each chunk's persons read in one
    more query as plain tuples, so the first rows leave at once instead of after a sort of
    every person in the city, and no model instance or per-row translation is made (a
    ``get_FOO_display`` call costs more than the rest of the row)."""
    labels = {
        name: {value: str(label) for value, label in choices.choices}
        for name, choices in (("sex", Sex), ("relation", Relation), ("status", PersonStatus))
    }
    ethnic_names = ethnicity_names()
    walk = households.order_by("number", "pk").values_list(
        "pk", "number", "village__name", "group__name"
    )
    after: tuple[str, int] | None = None
    while True:
        chunk_qs = walk
        if after is not None:
            chunk_qs = walk.filter(Q(number__gt=after[0]) | Q(number=after[0], pk__gt=after[1]))
        chunk = list(chunk_qs[:EXPORT_CHUNK])
        if not chunk:
            return
        after = (chunk[-1][1], chunk[-1][0])
        members: dict[int, list[tuple[Any, ...]]] = {}
        persons = (
            Person.objects.visible_to(actor)
            .filter(household_id__in=[row[0] for row in chunk])
            .order_by("household_id", "id")
            .values_list(
                "household_id",
                "name",
                "id_number_masked",
                "id_number_encrypted" if unmasked else "id_number_masked",
                "sex",
                "birth_date",
                "ethnicity_id",
                "relation",
                "phone_masked",
                "phone_encrypted" if unmasked else "phone_masked",
                "status",
            )
        )
        for person in persons:
            members.setdefault(person[0], []).append(person)
        for pk, number, village, group in chunk:
            for p in members.get(pk, ()):
                if unmasked:
                    id_number = decrypt(p[3], purpose=ID_PURPOSE)
                    phone = decrypt(p[9], purpose=PHONE_PURPOSE) if p[9] else ""
                else:
                    id_number, phone = p[2], p[8]
                yield {
                    "household": number,
                    "village": village,
                    "group": group or "",
                    "name": p[1],
                    "id_number": id_number,
                    "sex": labels["sex"].get(p[4], p[4]),
                    "birth_date": p[5],
                    "ethnicity": ethnic_names.get(p[6], ""),
                    "relation": labels["relation"].get(p[7], p[7]),
                    "phone": phone,
                    "status": labels["status"].get(p[10], p[10]),
                }


# ---- reads other apps make (economy: members' shares, the demo) ------------------------------


def household_in_scope(
    *, actor: Any, pk: int | None = None, number: str | None = None
) -> Household | None:
    """One household inside ``actor``'s scope, by id or by its number (None if there is none
    there): for other apps, which reach the registry only through its selectors."""
    qs = Household.objects.visible_to(actor)
    if pk is not None:
        qs = qs.filter(pk=pk)
    if number is not None:
        qs = qs.filter(number=number.strip())
    if pk is None and number is None:
        return None
    return qs.select_related("village").first()


def household_sizes(*, village_ids: Any) -> QuerySet[Any]:
    """``(id, village id, village code, number, active members)`` of each household with at
    least one active member in the villages: for the operator's loaders (the demo), unscoped."""
    return (
        Household.objects.filter(village_id__in=village_ids)
        .annotate(size=Count("members", filter=Q(members__status=PersonStatus.ACTIVE)))
        .filter(size__gt=0)
        .values_list("pk", "village_id", "village__code", "number", "size")
    )


# ---- reads the party app makes ----------------------------------------------------------------


def person_in_scope(*, actor: Any, pk: int, for_update: bool = False) -> Person | None:
    """One person inside ``actor``'s scope (None outside it: the caller refuses it as not
    found), optionally locked for the caller's transaction: for other apps' services, which
    may not read registry models."""
    qs = Person.objects.visible_to(actor).filter(pk=pk)
    return (qs.select_for_update() if for_update else qs).first()


def person_is_registered(person: Person) -> bool:
    """Whether the person is still on the register (not moved away, not deceased)."""
    return bool(person.status == PersonStatus.ACTIVE)


def residents_exist(*, village_kinds: Any) -> bool:
    """Whether any person is registered in a village of these kinds (the operator's loaders)."""
    return Person.objects.filter(household__village__kind__in=village_kinds).exists()


def adult_residents_of_township(
    *, township_id: int, village_kinds: Any, born_by: Any
) -> QuerySet[Any]:
    """``(id, name, sex, birth date, education, group id, village id)`` of the active residents
    born by ``born_by`` in the township's villages, by id: for the operator's loaders (the
    demo), unscoped."""
    return (
        Person.objects.filter(
            status=PersonStatus.ACTIVE,
            household__village__parent_id=township_id,
            household__village__kind__in=village_kinds,
            birth_date__lte=born_by,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "sex",
            "birth_date",
            "education",
            "household__group_id",
            "household__village_id",
        )
    )


# ---- the home page (core.waiting) -------------------------------------------------------------


def households_of_area(*, actor: Any) -> list[WaitingItem]:
    """A grid worker's households: their area's count (one village's, through the household's
    village index) and the household list narrowed to it. Other roles' homes show their
    region's figures instead."""
    region = getattr(actor, "region", None)
    if getattr(actor, "role", "") != Role.GRID_WORKER or region is None:
        return []
    return [
        WaitingItem(
            "households",
            _("Households in %(region)s") % {"region": region.name},
            Household.objects.visible_to(actor).count(),
            f"{reverse('registry:household_list')}?village={region.code}",
        )
    ]


def ethnicity_names() -> dict[int, str]:
    """The 56 ethnic groups' names by key (a catalogue: reports group by the key and name the
    groups from this, rather than join the catalogue into a count over persons)."""
    return dict(Ethnicity.objects.values_list("pk", "name"))


# ---- for grid management (grid app) -----------------------------------------------------------


def household_ids_by_number(*, village_id: int, numbers: Iterable[str]) -> dict[str, int]:
    """The ids of a village's households by number (the numbers not found are missing)."""
    wanted = list(dict.fromkeys(numbers))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        found.update(
            Household.objects.filter(
                village_id=village_id, number__in=wanted[start : start + 500]
            ).values_list("number", "pk")
        )
    return found


def household_points(*, village_id: int) -> list[tuple[int, str, Any, Any]]:
    """``(id, number, latitude, longitude)`` of a village's households that have a position."""
    return list(
        Household.objects.filter(village_id=village_id, latitude__isnull=False)
        .order_by("pk")
        .values_list("pk", "number", "latitude", "longitude")
    )


def household_ids_of_village(*, village_id: int) -> list[int]:
    return list(Household.objects.filter(village_id=village_id).values_list("pk", flat=True))


def household_cards(*, ids: Iterable[int]) -> dict[int, Household]:
    """Households by id with their head (a grid worker's list: number, head, checklist)."""
    return {
        h.pk: h for h in Household.objects.filter(pk__in=list(ids)).select_related("head", "group")
    }


def household_members_brief(*, household_id: int) -> list[tuple[str, str, Any, str]]:
    """A household's current members for the phone's card: name, relation, birth date,
    health (never an ID number or phone)."""
    rows = (
        Person.objects.filter(household_id=household_id, status=PersonStatus.ACTIVE)
        .order_by("birth_date")
        .only("name", "relation", "birth_date", "health")
    )
    return [(p.name, p.get_relation_display(), p.birth_date, p.get_health_display()) for p in rows]
