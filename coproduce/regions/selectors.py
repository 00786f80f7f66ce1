"""Reads of the region tree."""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.core.errors import NotFound
from coproduce.regions.models import Region, RegionRiskLevel


def region_get(*, code: str) -> Region:
    """One region by code, or NotFound."""
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise NotFound(
            _("No region has the code %(code)r.") % {"code": code}, code="region_not_found"
        )
    return region


def region_root() -> Region | None:
    """The top of the tree (the province), or None before any import."""
    return Region.objects.filter(parent__isnull=True).order_by("code").first()


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


def risk_history(*, region: Region) -> QuerySet:
    """Every risk level set for `region`, newest effective date first (public, like a map)."""
    return RegionRiskLevel.objects.filter(region=region).select_related("set_by")


def risk_at(*, region_code: str, on: date) -> str:
    """The risk level in force for a region on a day: its own or its nearest ancestor's, else low.

    The most specific setting wins, so that an official can mark one district of a high-risk city
    differently; a region nobody rated is low.
    """
    region = Region.objects.filter(code=region_code).only("path").first()
    if region is None:
        return RegionRiskLevel.Levels.LOW
    return risk_levels_at(paths={region_code: region.path}, on=on)[region_code]


def risk_levels_at(*, paths: dict[str, str], on: date) -> dict[str, str]:
    """risk_at for many regions at once (code -> path given): one query."""
    codes = {c for path in paths.values() for c in path.strip("/").split("/")}
    rows = (
        RegionRiskLevel.objects.filter(region_id__in=codes, effective_from__lte=on)
        .order_by("region_id", "-effective_from", "-id")
        .values_list("region_id", "level")
    )
    current: dict[str, str] = {}
    for code, level in rows:
        current.setdefault(code, level)  # the first row per region is the one in force
    out = {}
    for code, path in paths.items():
        chain = path.strip("/").split("/")
        out[code] = next(
            (current[c] for c in reversed(chain) if c in current), RegionRiskLevel.Levels.LOW
        )
    return out
