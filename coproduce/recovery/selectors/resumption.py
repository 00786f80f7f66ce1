"""Reads of the kept resumption aggregates (definitions: rules.Resumption).

Every read sums the rows of `ResumptionTally` of one region (each region keeps its own rows,
its subtree's changes rolled up into them) dated on or before a day: at most one row a day, never
more with enterprises, reports or subregions (docs/benchmarks-recovery.md).
"""

from datetime import date, timedelta

from django.db.models import Sum
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core.errors import NotFound
from coproduce.recovery import rules
from coproduce.recovery.models import (
    BlockerTally,
    IndustrialPark,
    ParkOpenDelta,
    ResumptionTally,
)
from coproduce.regions.models import Region

FIELDS = (
    "parks_total",
    "parks_reopened",
    "enterprises_total",
    "enterprises_open",
    "workers_total",
    "workers_on_site",
    "capacity_weighted",
    "all_workers_total",
    "all_workers_on_site",
)
EMPTY = rules.Resumption(**dict.fromkeys(FIELDS, 0))


def _in_scope(scope: Scope, region: Region) -> None:
    if not scope.covers(region.path):
        raise NotFound(_("No region %(code)s in your scope.") % {"code": region.code})


def _rows(region: Region, industry: str, on: date):
    return ResumptionTally.objects.filter(region_id=region.code, industry=industry, date__lte=on)


def _of(values: dict) -> rules.Resumption:
    return rules.Resumption(**{f: int(values.get(f) or 0) for f in FIELDS})


def resumption_on(
    *, scope: Scope, region: Region, on: date, industry: str = ""
) -> rules.Resumption:
    """The resumption figures of a region subtree on a day (of one industry, or all)."""
    _in_scope(scope, region)
    return _of(_rows(region, industry, on).aggregate(**{f: Sum(f) for f in FIELDS}))


def resumption_series(
    *, scope: Scope, region: Region, start: date, end: date, industry: str = ""
) -> list[tuple[date, rules.Resumption]]:
    """The figures of each day from `start` to `end` (the trend): one grouped read, then sums."""
    _in_scope(scope, region)
    per_day = _rows(region, industry, end).values("date").annotate(**{f: Sum(f) for f in FIELDS})
    changes = sorted((row["date"], row) for row in per_day)
    running = dict.fromkeys(FIELDS, 0)
    out = []
    i = 0
    day = start
    while day <= end:
        while i < len(changes) and changes[i][0] <= day:
            for f in FIELDS:
                running[f] += int(changes[i][1][f] or 0)
            i += 1
        out.append((day, _of(running)))
        day += timedelta(days=1)
    return out


def resumption_by_child(
    *, scope: Scope, region: Region, on: date, industry: str = ""
) -> list[tuple[Region, rules.Resumption]]:
    """The figures of each child region of `region` (drilling down the tree)."""
    _in_scope(scope, region)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    per_region = (
        ResumptionTally.objects.filter(
            region_id__in=[c.code for c in children], industry=industry, date__lte=on
        )
        .values("region_id")
        .annotate(**{f: Sum(f) for f in FIELDS})
    )
    sums = {row["region_id"]: row for row in per_region}
    return [(c, _of(sums.get(c.code, {}))) for c in children]


def resumption_by_industry(
    *, scope: Scope, region: Region, on: date
) -> list[tuple[str, rules.Resumption]]:
    """The figures of each industry with enterprises in the region."""
    _in_scope(scope, region)
    rows = (
        ResumptionTally.objects.filter(region_id=region.code, date__lte=on)
        .exclude(industry="")
        .values("industry")
        .annotate(**{f: Sum(f) for f in FIELDS})
        .order_by("industry")
    )
    return [(row["industry"], _of(row)) for row in rows if row["enterprises_total"]]


def blockers_top(
    *, scope: Scope, region: Region, start: date, end: date, limit: int = 8
) -> list[tuple[str, int]]:
    """The blockers most reported in the region over the days, most first."""
    _in_scope(scope, region)
    rows = (
        BlockerTally.objects.filter(region_id=region.code, date__gte=start, date__lte=end)
        .values("blocker")
        .annotate(n=Sum("reports"))
        .order_by("-n", "blocker")[:limit]
    )
    return [(row["blocker"], int(row["n"])) for row in rows]


def park_table(*, scope: Scope, region: Region, on: date, limit: int = 200, offset: int = 0):
    """Parks of the region with their enterprises and enterprises open on the day."""
    _in_scope(scope, region)
    parks = list(
        IndustrialPark.objects.filter(region__path__startswith=region.path)
        .select_related("region")
        .order_by("name", "id")[offset : offset + limit]
    )
    sums = (
        ParkOpenDelta.objects.filter(park__in=parks, industry="", date__lte=on)
        .values("park_id")
        .annotate(open=Sum("enterprises_open"), total=Sum("enterprises_total"))
    )
    by_park = {row["park_id"]: row for row in sums}
    return [
        {
            "park": p,
            "enterprises_total": int(by_park.get(p.pk, {}).get("total") or 0),
            "enterprises_open": int(by_park.get(p.pk, {}).get("open") or 0),
        }
        for p in parks
    ]
