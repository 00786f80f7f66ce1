"""Keeping the resumption aggregates (models.ResumptionTally, ParkOpenDelta, BlockerTally).

Called inside the transaction of the service that changes an enterprise, a park or a report, so
that the kept figures never disagree with the records. Reading them is selectors/resumption.py.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from coproduce.recovery import rules
from coproduce.recovery.models import (
    BlockerTally,
    Enterprise,
    IndustrialPark,
    ParkOpenDelta,
    ResumptionTally,
)
from coproduce.regions.models import Region

# The date of the totals (enterprises, workers, parks): before any report.
TOTALS_DATE = date(1, 1, 1)

# Inside `aggregates_deferred`: the services leave the kept figures alone, rebuilt at the end.
_deferred: ContextVar[bool] = ContextVar("recovery_aggregates_deferred", default=False)


@contextmanager
def aggregates_deferred(*, actor=None) -> Iterator[None]:
    """For a bulk load (the demo's 777 parks and their reports, an import): inside, the services
    validate, store and audit as always but do not keep the aggregates row by row (each report
    updates a dozen rows); leaving the block rebuilds them once from the records, in the same
    transaction. Nothing is rebuilt when the block raises: the caller's transaction rolls back."""
    with transaction.atomic():
        token = _deferred.set(True)
        try:
            yield
        finally:
            _deferred.reset(token)
        aggregates_rebuild(actor=actor)


def bump(model, key: dict, deltas: dict) -> None:
    """Add `deltas` to the row of `model` with `key`, creating it when absent."""
    deltas = {k: v for k, v in deltas.items() if v}
    if not deltas:
        return
    changes = {k: F(k) + v for k, v in deltas.items()}
    if model.objects.filter(**key).update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **deltas)
    except IntegrityError:  # created meanwhile by a concurrent transaction
        model.objects.filter(**key).update(**changes)


def region_codes(path: str) -> list[str]:
    """A region and its ancestors, from its path ("/330000/330100/330110/"): each keeps its own
    rows, so a region's figures are read from its rows alone, never from its subtree's."""
    return [code for code in path.split("/") if code]


def _codes_of(region_id: str) -> list[str]:
    return region_codes(Region.objects.values_list("path", flat=True).get(pk=region_id))


def bump_regions(model, region_id: str, key: dict, deltas: dict) -> None:
    """`bump` the rows of a region and of each of its ancestors."""
    for code in _codes_of(region_id):
        bump(model, {"region_id": code, **key}, deltas)


def _industry_keys(enterprise: Enterprise) -> tuple[str, str]:
    return ("", enterprise.industry)


def park_added(*, park: IndustrialPark) -> None:
    """A new park counts in its region's parks."""
    if _deferred.get():
        return
    bump_regions(
        ResumptionTally,
        park.region_id,
        {"industry": "", "date": TOTALS_DATE},
        {"parks_total": 1},
    )


def enterprise_added(*, enterprise: Enterprise) -> None:
    """A new enterprise counts in its region's totals (closed until it reports) and its park's."""
    if _deferred.get():
        return
    in_park = enterprise.park_id is not None
    for industry in _industry_keys(enterprise):
        bump_regions(
            ResumptionTally,
            enterprise.region_id,
            {"industry": industry, "date": TOTALS_DATE},
            {
                "enterprises_total": 1,
                "all_workers_total": enterprise.workers_total,
                "workers_total": enterprise.workers_total if in_park else 0,
            },
        )
    if in_park:
        park = IndustrialPark.objects.select_for_update().get(pk=enterprise.park_id)
        key = {"park_id": park.pk, "industry": enterprise.industry, "date": TOTALS_DATE}
        first_of_industry = not ParkOpenDelta.objects.filter(
            park_id=park.pk, industry=enterprise.industry
        ).exists()
        bump(ParkOpenDelta, key, {"enterprises_total": 1})
        bump(ParkOpenDelta, {**key, "industry": ""}, {"enterprises_total": 1})
        if first_of_industry:
            bump_regions(
                ResumptionTally,
                park.region_id,
                {"industry": enterprise.industry, "date": TOTALS_DATE},
                {"parks_total": 1},
            )


def state_changed(
    *,
    enterprise: Enterprise,
    change: rules.EnterpriseState,
    start: date,
    end: date | None,
) -> None:
    """An enterprise's state changed by `change` from `start` until `end` (excluded; None: for
    good): add it on `start` and take it back on `end`."""
    if change == rules.EnterpriseState() or _deferred.get():
        return
    in_park = enterprise.park_id is not None
    spans = [(start, 1)] + ([(end, -1)] if end is not None else [])
    for day, sign in spans:
        for industry in _industry_keys(enterprise):
            bump_regions(
                ResumptionTally,
                enterprise.region_id,
                {"industry": industry, "date": day},
                {
                    "enterprises_open": sign * change.open,
                    "all_workers_on_site": sign * change.workers_on_site,
                    "workers_on_site": sign * change.workers_on_site if in_park else 0,
                    "capacity_weighted": sign * change.capacity_weighted if in_park else 0,
                },
            )
    if in_park and change.open:
        park = IndustrialPark.objects.select_for_update().get(pk=enterprise.park_id)
        for industry in _industry_keys(enterprise):
            rows = ParkOpenDelta.objects.filter(park_id=park.pk, industry=industry)
            before = [(d, n) for d, n in rows.values_list("date", "enterprises_open")]
            moves = [(day, sign * change.open) for day, sign in spans]
            after = before + moves
            steps_before = rules.indicator_steps(before)
            steps_after = rules.indicator_steps(after)
            for day, sign in spans:
                bump(
                    ParkOpenDelta,
                    {"park_id": park.pk, "industry": industry, "date": day},
                    {"enterprises_open": sign * change.open},
                )
            for day in set(steps_before) | set(steps_after):
                diff = steps_after.get(day, 0) - steps_before.get(day, 0)
                bump_regions(
                    ResumptionTally,
                    park.region_id,
                    {"industry": industry, "date": day},
                    {"parks_reopened": diff},
                )


def blockers_reported(*, enterprise: Enterprise, day: date, blockers: list[str]) -> None:
    """Count a report's blockers on its date in the enterprise's region."""
    if _deferred.get():
        return
    for blocker in blockers:
        bump_regions(
            BlockerTally,
            enterprise.region_id,
            {"date": day, "blocker": blocker},
            {"reports": 1},
        )


def aggregates_rebuild(*, actor=None) -> dict[str, int]:
    """Recompute every kept aggregate from the records (enterprises, parks, reports), replacing
    the kept rows: for a restore or an import that bypassed the services. Reads the reports once,
    in enterprise and date order; memory grows with regions × industries × dates and parks ×
    dates, not with reports."""
    tally: dict[tuple, dict[str, int]] = {}
    park_open: dict[tuple, dict[str, int]] = {}
    blockers: dict[tuple, int] = {}

    def add(store, key, **deltas):
        row = store.setdefault(key, {})
        for k, v in deltas.items():
            if v:
                row[k] = row.get(k, 0) + v

    paths = dict(Region.objects.values_list("code", "path"))
    codes = {code: region_codes(path) for code, path in paths.items()}
    parks = dict(IndustrialPark.objects.values_list("pk", "region_id"))
    for region_id in parks.values():
        add(tally, (region_id, "", TOTALS_DATE), parks_total=1)
    enterprises = {}
    first_of_industry = set()
    for pk, region_id, industry, park_id, workers in Enterprise.objects.values_list(
        "pk", "region_id", "industry", "park_id", "workers_total"
    ).iterator(chunk_size=5000):
        enterprises[pk] = (region_id, industry, park_id, workers)
        for ind in ("", industry):
            add(
                tally,
                (region_id, ind, TOTALS_DATE),
                enterprises_total=1,
                all_workers_total=workers,
                workers_total=workers if park_id else 0,
            )
        if park_id:
            for ind in ("", industry):
                add(park_open, (park_id, ind, TOTALS_DATE), enterprises_total=1)
            if (park_id, industry) not in first_of_industry:
                first_of_industry.add((park_id, industry))
                add(tally, (parks[park_id], industry, TOTALS_DATE), parks_total=1)

    from coproduce.recovery.models import ResumptionReport

    current, before = None, rules.CLOSED
    rows = ResumptionReport.objects.order_by("enterprise_id", "date").values_list(
        "enterprise_id", "date", "open", "workers_on_site", "capacity_pct", "blockers"
    )
    for ent_id, day, is_open, on_site, capacity, named in rows.iterator(chunk_size=5000):
        region_id, industry, park_id, workers = enterprises[ent_id]
        if ent_id != current:
            current, before = ent_id, rules.CLOSED
        state = rules.enterprise_state(
            figures=rules.ReportFigures(is_open, on_site, capacity), workers_total=workers
        )
        change = state.minus(before)
        before = state
        for ind in ("", industry):
            add(
                tally,
                (region_id, ind, day),
                enterprises_open=change.open,
                all_workers_on_site=change.workers_on_site,
                workers_on_site=change.workers_on_site if park_id else 0,
                capacity_weighted=change.capacity_weighted if park_id else 0,
            )
            if park_id and change.open:
                add(park_open, (park_id, ind, day), enterprises_open=change.open)
        for blocker in named or ():
            blockers[(region_id, day, blocker)] = blockers.get((region_id, day, blocker), 0) + 1

    by_park: dict[tuple, list] = {}
    for (park_id, ind, day), row in park_open.items():
        by_park.setdefault((park_id, ind), []).append((day, row.get("enterprises_open", 0)))
    for (park_id, ind), deltas in by_park.items():
        for day, step in rules.indicator_steps(deltas).items():
            add(tally, (parks[park_id], ind, day), parks_reopened=step)

    with transaction.atomic():
        ResumptionTally.objects.all().delete()
        ParkOpenDelta.objects.all().delete()
        BlockerTally.objects.all().delete()
        ResumptionTally.objects.bulk_create(
            (
                ResumptionTally(region_id=code, industry=i, date=d, **v)
                for (code, i, d), v in _rolled_up(tally, codes).items()
                if any(v.values())
            ),
            batch_size=2000,
        )
        ParkOpenDelta.objects.bulk_create(
            (
                ParkOpenDelta(park_id=p, industry=i, date=d, **v)
                for (p, i, d), v in park_open.items()
                if v
            ),
            batch_size=2000,
        )
        BlockerTally.objects.bulk_create(
            (
                BlockerTally(region_id=code, date=d, blocker=b, reports=n)
                for (code, d, b), n in _rolled_up_counts(blockers, codes).items()
            ),
            batch_size=2000,
        )
        if actor is not None:
            from coproduce.core.audit import audit_record

            audit_record(
                actor=actor,
                action="recovery.aggregates.rebuild",
                object_type="recovery.resumptiontally",
                details={"rows": len(tally)},
            )
    return {"tally": len(tally), "parks": len(park_open), "blockers": len(blockers)}


def _rolled_up(tally: dict, codes: dict) -> dict:
    """Rows keyed by (region, ...) added into the rows of each region's ancestors too."""
    out: dict[tuple, dict[str, int]] = {}
    for (region_id, *rest), values in tally.items():
        for code in codes[region_id]:
            row = out.setdefault((code, *rest), {})
            for k, v in values.items():
                row[k] = row.get(k, 0) + v
    return out


def _rolled_up_counts(counts: dict, codes: dict) -> dict:
    out: dict[tuple, int] = {}
    for (region_id, *rest), n in counts.items():
        for code in codes[region_id]:
            out[(code, *rest)] = out.get((code, *rest), 0) + n
    return out
