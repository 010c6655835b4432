"""``/api/v1/regions``: the jurisdiction tree, scoped to the caller."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from zhenxing.core.errors import DomainError
from zhenxing.core.regions import selectors, services
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import get_for_user

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]


class RegionIn(Schema):
    parent: str
    code: str
    name: str
    kind: str


class RegionPatch(Schema):
    code: str | None = None
    name: str | None = None


@router.get("/", response=list[RegionOut], url_name="api_region_list")
@paginate(LimitOffsetPagination)
def list_regions(
    request: HttpRequest,
    parent: str | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> Any:
    if kind and kind not in RegionKind.values:
        raise DomainError(
            _("Unknown region kind: choose one of %(kinds)s.")
            % {"kinds": ", ".join(RegionKind.values)},
            field="kind",
        )
    return selectors.region_list(actor=request.user, parent=parent, kind=kind, q=q)


@router.get("/{code}", response=RegionOut, url_name="api_region_detail")
def get_region(request: HttpRequest, code: str) -> Any:
    return selectors.region_get(actor=request.user, code=code)


@router.post("/", response={201: RegionOut}, url_name="api_region_create")
def create_region(request: HttpRequest, payload: RegionIn) -> Any:
    parent = selectors.region_get(actor=request.user, code=payload.parent)
    region = services.region_create(
        actor=request.user, parent=parent, code=payload.code, name=payload.name, kind=payload.kind
    )
    return Status(201, region)


@router.patch("/{code}", response=RegionOut, url_name="api_region_update")
def update_region(request: HttpRequest, code: str, payload: RegionPatch) -> Any:
    region = get_for_user(Region.objects.all(), request.user, "change", code=code)
    return services.region_update(
        actor=request.user, region=region, name=payload.name, code=payload.code
    )


@router.delete("/{code}", response={204: None}, url_name="api_region_delete")
def delete_region(request: HttpRequest, code: str) -> Any:
    region = get_for_user(Region.objects.all(), request.user, "delete", code=code)
    services.region_delete(actor=request.user, region=region)
    return Status(204, None)
