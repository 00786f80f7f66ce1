"""The region tree: /regions/{code} and /regions/{code}/children (public, like a map)."""

from django.http import HttpRequest
from ninja import Router, Schema

from coproduce.regions.models import Region
from coproduce.regions.selectors import region_children, region_get

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    parent: str | None


def region_out(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "name_en": region.name_en,
        "level": region.level,
        "parent": region.parent_id,
    }


@router.get("/regions/{code}", response=RegionOut, auth=None)
def region_detail(request: HttpRequest, code: str):
    """One region."""
    return region_out(region_get(code=code))


@router.get("/regions/{code}/children", response=list[RegionOut], auth=None)
def region_children_list(request: HttpRequest, code: str):
    """The regions directly below one region."""
    return [region_out(r) for r in region_children(region=region_get(code=code))]
