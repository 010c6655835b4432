"""``/api/v1/persons`` and ``/api/v1/households``: the registry, scoped and masked."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zhenxing.core.api import (
    ObjectId,
    Pagination,
    api_list,
    api_object,
    api_require,
    api_user,
    filter_params,
)
from zhenxing.registry import selectors, services
from zhenxing.registry.filtersets import HouseholdFilterSet, PersonFilterSet
from zhenxing.registry.models import Household, Person

router = Router(tags=["registry"])

PersonParams = filter_params(PersonFilterSet)
HouseholdParams = filter_params(HouseholdFilterSet)


class MemberOut(Schema):
    """A member of a household, ID number and phone masked."""

    id: int
    name: str
    id_number: str
    phone: str
    sex: str
    birth_date: dt.date
    ethnicity: str
    relation: str
    status: str

    @staticmethod
    def resolve_id_number(obj: Person) -> str:
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj: Person) -> str:
        return obj.phone_masked

    @staticmethod
    def resolve_ethnicity(obj: Person) -> str:
        return obj.ethnicity.name


class PersonOut(MemberOut):
    """A person, ID number and phone masked (``520281********1234``, ``138****5678``), with
    the household and village they are registered in."""

    household: str
    village: str

    @staticmethod
    def resolve_household(obj: Person) -> str:
        return obj.household.number

    @staticmethod
    def resolve_village(obj: Person) -> str:
        return obj.household.village.code


class HouseholdOut(Schema):
    id: int
    number: str
    village: str
    group: str | None
    address: str
    head: str | None
    members: int
    registered_poor_year: int | None
    lifted_year: int | None
    monitoring_status: str
    checklist_gaps: list[str]

    @staticmethod
    def resolve_village(obj: Household) -> str:
        return obj.village.code

    @staticmethod
    def resolve_group(obj: Household) -> str | None:
        return obj.group.code if obj.group_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_head(obj: Household) -> str | None:
        return obj.head.name if obj.head_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_members(obj: Household) -> int:
        return int(getattr(obj, "member_count", 0))

    @staticmethod
    def resolve_checklist_gaps(obj: Household) -> list[str]:
        return [g.removesuffix("_secure") for g in obj.checklist_gaps]


class PersonDetailOut(Schema):
    """One person; ``id_number`` and ``phone`` in clear only when asked for and permitted."""

    id: int
    name: str
    id_number: str
    phone: str
    sex: str
    birth_date: dt.date
    ethnicity: str
    relation: str
    household: str
    village: str
    status: str


def _person_row(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "id_number": p.id_number_masked,
        "phone": p.phone_masked,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "ethnicity": p.ethnicity.name,
        "relation": p.relation,
        "household": p.household.number,
        "village": p.household.village.code,
        "status": p.status,
    }


class HouseholdDetailOut(HouseholdOut):
    """One household with its members (masked), registered members first."""

    labour_count: int
    member_list: list[MemberOut]


def _wants_clear(request: HttpRequest, unmasked: bool) -> bool:
    """Masked by default; ``?unmasked=true`` reveals, for a permitted role, audited per person."""
    if not unmasked:
        return False
    api_require(request, "registry.person.view_sensitive")
    return True


@router.get("/persons/", response=list[PersonOut], url_name="api_person_list")
@paginate(Pagination)
def list_persons(request: HttpRequest, filters: Query[PersonParams]) -> Any:  # type: ignore[valid-type]
    # Lists are always masked; a permitted role reveals one person at a time (audited).
    persons = selectors.person_list(actor=api_user(request))
    return api_list(request, PersonFilterSet, persons)


@router.get("/persons/{person_id}", response=PersonDetailOut, url_name="api_person_detail")
def get_person(request: HttpRequest, person_id: ObjectId, unmasked: bool = False) -> Any:
    person = api_object(
        Person.objects.select_related("household__village", "ethnicity"), request, pk=person_id
    )
    if _wants_clear(request, unmasked):
        revealed = services.person_reveal(actor=api_user(request), person=person)
        return _person_row(person) | revealed
    return _person_row(person)


class HouseholdPagination(Pagination):
    """The kernel's pagination, with each page's households' members counted (one query for
    the page, not a count over every household in scope)."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = selectors.with_member_counts(result["items"])
        return result


@router.get("/households/", response=list[HouseholdOut], url_name="api_household_list")
@paginate(HouseholdPagination)
def list_households(request: HttpRequest, filters: Query[HouseholdParams]) -> Any:  # type: ignore[valid-type]
    households = selectors.household_list(actor=api_user(request))
    return api_list(request, HouseholdFilterSet, households)


@router.get(
    "/households/{household_id}", response=HouseholdDetailOut, url_name="api_household_detail"
)
def get_household(request: HttpRequest, household_id: ObjectId) -> Any:
    """One household in the caller's scope with its members, masked (reveal one person at a
    time through ``/persons/{id}?unmasked=true``, audited)."""
    household = api_object(
        selectors.household_list(actor=api_user(request)), request, pk=household_id
    )
    selectors.with_member_counts([household])
    household.member_list = list(selectors.household_members(household=household))
    return household
