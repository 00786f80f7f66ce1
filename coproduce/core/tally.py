"""Kept figures (`Tally`): written by background refreshes, read by the apps' `metrics.py`.

A tally row is one key's value for one region and one local day. A record counts at its own
region and at every region above it (its materialized path names them), so any region's figure
for a period is one index range read, however many records lie below it.

Two ways to keep them:
- **Incremental** (`tally_add`, with a `TallyMark` high-water mark): append-only logs (scans,
  presences, daily reports) are counted from the last id seen; each refresh adds only the new
  rows. A purge of old log rows leaves the counts (aggregates name nobody).
- **Recount** (`tally_replace`): records whose state changes (a case confirmed, a task done, a
  stock level) are recounted by region and day and their rows replaced in one transaction.
  Gauges (a level now, not a flow per day) are written for the refresh's day only (`gauge`),
  with a marker row so that a region whose level fell to nothing reads 0, not an old value.

Keys are plain strings: `"<app>.<figure>"`, and `"contrib.<role>.<measure>.<org id or 0>"` for
the work done for a CBO role of Table 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import Max, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from coproduce.core import clock
from coproduce.core.metrics import CboRole, Contribution, Metric, Point
from coproduce.core.models import Tally, TallyMark

ZERO = Decimal(0)
ONE_DAY = timedelta(days=1)
# Before any record: the start of a "since the beginning" sum.
EPOCH = date(2000, 1, 1)
# The region code of a gauge's marker rows: the days on which a gauge was written.
EVERYWHERE = "*"
_CHUNK = 500


def path_codes(path: str) -> list[str]:
    """The region codes of a materialized path (`/330000/330100/330111/`), from the top."""
    return [code for code in path.split("/") if code]


def rollup(rows: Iterable[tuple[str, str, date, object]]) -> dict[tuple[str, str, date], Decimal]:
    """(key, region path, day, value) rows summed at each region and every region above it."""
    totals: dict[tuple[str, str, date], Decimal] = defaultdict(lambda: ZERO)
    for key, path, day, value in rows:
        if not value or day is None or not path:
            continue
        for code in path_codes(path):
            totals[(code, key, day)] += Decimal(value)
    return totals


def _upsert(totals: dict[tuple[str, str, date], Decimal], *, add: bool) -> None:
    table = Tally._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in ("region", "key", "day", "value"))
    new = "excluded." + qn("value")
    value = f"{qn(table)}.{qn('value')} + {new}" if add else new
    items = [(r, k, d, v) for (r, k, d), v in totals.items()]
    with connection.cursor() as cursor:
        for i in range(0, len(items), _CHUNK):
            chunk = items[i : i + _CHUNK]
            marks = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params = [p for row in chunk for p in (row[0], row[1], row[2], str(row[3]))]
            cursor.execute(
                f"INSERT INTO {qn(table)} ({cols}) VALUES {marks} "  # noqa: S608 - names are ours
                f"ON CONFLICT ({qn('region')}, {qn('key')}, {qn('day')}) "
                f"DO UPDATE SET {qn('value')} = {value}",
                params,
            )


def tally_add(rows: Iterable[tuple[str, str, date, object]]) -> int:
    """Add (key, region path, day, amount) rows to the kept figures; how many rows changed."""
    totals = rollup(rows)
    _upsert(totals, add=True)
    return len(totals)


def tally_replace(
    *, prefix: str | tuple[str, ...], rows: Iterable[tuple[str, str, date, object]]
) -> int:
    """Recount: every kept figure whose key starts with `prefix` becomes exactly `rows`."""
    totals = rollup(rows)
    prefixes = (prefix,) if isinstance(prefix, str) else prefix
    match = models.Q()
    for p in prefixes:
        match |= models.Q(key__startswith=p)
    with transaction.atomic():
        Tally.objects.filter(match).exclude(region=EVERYWHERE).delete()
        _upsert(totals, add=False)
    return len(totals)


def gauge(*, prefix: str, day: date, rows: Iterable[tuple[str, str, object]]) -> int:
    """Write a gauge's levels on `day`: (key, region path, level) rows replace that day's."""
    totals = rollup((key, path, day, value) for key, path, value in rows)
    totals[(EVERYWHERE, prefix, day)] = Decimal(1)
    with transaction.atomic():
        Tally.objects.filter(key__startswith=prefix, day=day).delete()
        _upsert(totals, add=False)
    return len(totals)


# Reads: index range reads on (region, key, day).


def tally_sums(*, keys: Iterable[str], region: str, start: date, end: date) -> dict[str, Decimal]:
    """Each key's total over the days from start to end (0 where nothing was counted)."""
    keys = list(keys)
    found = dict(
        Tally.objects.filter(region=region, key__in=keys, day__gte=start, day__lte=end)
        .values("key")
        .annotate(total=Sum("value"))
        .values_list("key", "total")
    )
    return {key: found.get(key) or ZERO for key in keys}


def tally_series(*, key: str, region: str, start: date, end: date) -> dict[date, Decimal]:
    """One key's value per day from start to end (days without a row are absent)."""
    return dict(
        Tally.objects.filter(region=region, key=key, day__gte=start, day__lte=end).values_list(
            "day", "value"
        )
    )


def tally_prefix_sums(*, prefix: str, region: str, start: date, end: date) -> dict[str, Decimal]:
    """Totals over the period of every key that starts with `prefix` (for open-ended keys)."""
    return dict(
        Tally.objects.filter(region=region, key__startswith=prefix, day__gte=start, day__lte=end)
        .values("key")
        .annotate(total=Sum("value"))
        .values_list("key", "total")
    )


def gauge_levels(*, prefix: str, keys: Iterable[str], region: str, on: date) -> dict[str, Decimal]:
    """A gauge's levels as last written on or before `on` (0 for keys it did not write)."""
    keys = list(keys)
    day = Tally.objects.filter(region=EVERYWHERE, key=prefix, day__lte=on).aggregate(d=Max("day"))[
        "d"
    ]
    if day is None:
        return dict.fromkeys(keys, ZERO)
    found = dict(
        Tally.objects.filter(region=region, key__in=keys, day=day).values_list("key", "value")
    )
    return {key: found.get(key) or ZERO for key in keys}


def gauge_day(*, prefix: str, on: date) -> date | None:
    """The day a gauge was last written on or before `on` (None: never)."""
    return Tally.objects.filter(region=EVERYWHERE, key=prefix, day__lte=on).aggregate(d=Max("day"))[
        "d"
    ]


# High-water marks of incremental sources.


def local_day(field: str) -> TruncDate:
    """The local calendar day (COPRODUCE_TIME_ZONE) of a time field, in SQL."""
    return TruncDate(field, tzinfo=clock.local_zone())


def log_refresh(
    *,
    source: str,
    model: type[models.Model],
    rows_between: Callable[[int, int], Iterable[tuple[str, str, date, object]]],
    settled: bool = False,
    batch: int = 50_000,
) -> int:
    """Count an append-only log's new rows into the kept figures; how many ids were passed.

    Each refresh counts the ids up to the highest one seen at the refresh before (those have
    all committed by now) and remembers today's highest for the next; `settled=True` counts up
    to today's highest at once, for when nothing is writing (the demo's seeding, tests).
    `rows_between(lo, hi)` gives the (key, region path, day, amount) rows of ids in (lo, hi].
    Batches of `batch` ids, each in its own transaction with its mark, so that a crash loses
    nothing and counts nothing twice.
    """
    mark, _ = TallyMark.objects.get_or_create(source=source)
    newest = model.objects.aggregate(m=Max("pk"))["m"] or 0
    upto = newest if settled else mark.seen_id
    last = mark.last_id
    while last < upto:
        hi = min(last + batch, upto)
        with transaction.atomic():
            tally_add(rows_between(last, hi))
            TallyMark.objects.filter(source=source).update(last_id=hi)
        last = hi
    TallyMark.objects.filter(source=source).update(
        seen_id=max(newest, last), refreshed_at=timezone.now()
    )
    return last - mark.last_id


def recount_done(source: str) -> None:
    """Record that a recounted source was refreshed now."""
    TallyMark.objects.update_or_create(source=source, defaults={"refreshed_at": timezone.now()})


def refreshed_at(sources: Iterable[str]) -> dict[str, object]:
    """When each source was last refreshed (for the dashboard's freshness line)."""
    return dict(
        TallyMark.objects.filter(source__in=list(sources)).values_list("source", "refreshed_at")
    )


def as_number(value: Decimal, unit: str = "count") -> int | Decimal:
    """A kept value as the metric wants it: whole counts as int, money and hours as Decimal.

    Time is kept in whole minutes (exact however many rows add up) and shown in hours.
    """
    value = Decimal(value)
    if unit in {"count", "people"}:
        return int(value)
    if unit == "hours":
        value = value / 60
    return value.quantize(Decimal("0.01"))


def series(*, key: str, region: str, period, unit: str = "count") -> tuple:
    """One key's value on every day of the period (0 where nothing was counted), as Points."""
    values = tally_series(key=key, region=region, start=period.start, end=period.end)
    return tuple(Point(day, as_number(values.get(day, ZERO), unit)) for day in period.dates())


def role_of(prefix: str):
    """The CBO role named by a contribution key's prefix (`contrib.<role>.<measure>.`)."""
    return CboRole(prefix.split(".")[1])


def contributions(*, prefix: str, measure: str, unit: str, region: str, period, link: str) -> list:
    """The Contributions kept under a `contrib.<role>.<measure>.` prefix, one per organization."""
    sums = tally_prefix_sums(prefix=prefix, region=region, start=period.start, end=period.end)
    return [
        Contribution(
            role=role_of(prefix),
            organization_id=int(key.removeprefix(prefix)) or None,
            measure=measure,
            amount=as_number(amount, unit),
            link=link,
        )
        for key, amount in sums.items()
        if amount
    ]


def flow_metrics(*, figures, region: str, period) -> list:
    """Metrics of counts per day: (tally key, metric key, label, unit, link) each, with series."""
    totals = tally_sums(
        keys=[f[0] for f in figures], region=region, start=period.start, end=period.end
    )
    return [
        Metric(
            key=key,
            label=label,
            value=as_number(totals[tkey], unit),
            unit=unit,
            series=series(key=tkey, region=region, period=period, unit=unit),
            link=link,
        )
        for tkey, key, label, unit, link in figures
    ]


def gauge_metrics(*, prefix: str, figures, region: str, on: date) -> list:
    """Metrics of levels as last written on or before `on`: (tally key, key, label, unit, link)."""
    levels = gauge_levels(prefix=prefix, keys=[f[0] for f in figures], region=region, on=on)
    return [
        Metric(key=key, label=label, value=as_number(levels[tkey], unit), unit=unit, link=link)
        for tkey, key, label, unit, link in figures
    ]
