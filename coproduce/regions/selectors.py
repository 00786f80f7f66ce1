"""Reads of the region tree."""

from django.db.models import QuerySet

from coproduce.core.errors import NotFound
from coproduce.regions.models import Region


def region_get(*, code: str) -> Region:
    """One region by code, or NotFound."""
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise NotFound(f"No region has the code {code!r}.", code="region_not_found")
    return region


def region_children(*, region: Region) -> QuerySet[Region]:
    """The regions directly below `region`."""
    return Region.objects.filter(parent=region).order_by("code")


def region_subtree(*, region: Region) -> QuerySet[Region]:
    """`region` and every region below it: one indexed prefix query."""
    return Region.objects.filter(path__startswith=region.path)


def region_ancestors(*, region: Region) -> QuerySet[Region]:
    """The regions above `region`, from the top: read off its path, no walk."""
    codes = [c for c in region.path.split("/") if c and c != region.code]
    return Region.objects.filter(code__in=codes).order_by("depth")
