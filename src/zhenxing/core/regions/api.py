"""``/api/v1/regions``: the jurisdiction tree, scoped to the caller."""

from typing import Annotated, Any, Literal, get_args

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhenxing.core.api import Pagination, api_list, api_object
from zhenxing.core.regions import selectors, services
from zhenxing.core.regions.filtersets import RegionFilterSet
from zhenxing.core.regions.models import CODE_LENGTH, NAME_MAX_LENGTH, Region, RegionKind

router = Router(tags=["regions"])

#: A division code as the schema documents it: at most the longest kind's digits (a longer
#: value is a 400 before any query, never a database error).
Code = Annotated[str, Field(min_length=1, max_length=max(CODE_LENGTH.values()))]
Kind = Literal["county", "township", "village", "community", "group"]
# The schema's kinds are the model's: a new kind must be added to both.
assert set(get_args(Kind)) == set(RegionKind.values), "regions.api.Kind is out of date"
# Names are checked by the service (length, control characters) with a message in the
# caller's language; the schema only keeps absurd sizes out.
Name = Annotated[str, Field(max_length=NAME_MAX_LENGTH * 4)]


class RegionOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]


class RegionIn(Schema):
    parent: Code
    code: Code
    name: Name
    kind: Kind


class RegionPatch(Schema):
    code: Code | None = None
    name: Name | None = None


class RegionParams(Schema):
    """:class:`RegionFilterSet`'s parameters. ``q`` has no length limit on purpose: a search
    longer than any name finds nothing (an empty page), it is not an error."""

    parent: Code | None = Field(None, description="parent code")
    kind: Kind | None = Field(None, description="kind")
    q: str | None = Field(None, description="name, pinyin or initials, either script")


@router.get("/", response=list[RegionOut], url_name="api_region_list")
@paginate(Pagination)
def list_regions(request: HttpRequest, filters: Query[RegionParams]) -> Any:
    return api_list(request, RegionFilterSet, selectors.region_list(actor=request.user))


@router.get("/{code}", response=RegionOut, url_name="api_region_detail")
def get_region(request: HttpRequest, code: Code) -> Any:
    return selectors.region_get(actor=request.user, code=code)


@router.post("/", response={201: RegionOut}, url_name="api_region_create")
def create_region(request: HttpRequest, payload: RegionIn) -> Any:
    parent = selectors.region_get(actor=request.user, code=payload.parent)
    region = services.region_create(
        actor=request.user, parent=parent, code=payload.code, name=payload.name, kind=payload.kind
    )
    return Status(201, region)


@router.patch("/{code}", response=RegionOut, url_name="api_region_update")
def update_region(request: HttpRequest, code: Code, payload: RegionPatch) -> Any:
    region = api_object(Region.objects.all(), request, "change", code=code)
    return services.region_update(
        actor=request.user, region=region, name=payload.name, code=payload.code
    )


@router.delete("/{code}", response={204: None}, url_name="api_region_delete")
def delete_region(request: HttpRequest, code: Code) -> Any:
    """Delete a region with no children, accounts or records: still referenced is 409."""
    region = api_object(Region.objects.all(), request, "delete", code=code)
    services.region_delete(actor=request.user, region=region)
    return Status(204, None)
