"""Keeping the resumption aggregates (models.ResumptionTally, ParkOpenDelta, BlockerTally).

Called inside the transaction of the service that changes an enterprise, a park or a report, so
that the kept figures never disagree with the records. Reading them is selectors/resumption.py.
"""

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

# The date of the totals (enterprises, workers, parks): before any report.
TOTALS_DATE = date(1, 1, 1)


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


def _industry_keys(enterprise: Enterprise) -> tuple[str, str]:
    return ("", enterprise.industry)


def park_added(*, park: IndustrialPark) -> None:
    """A new park counts in its region's parks."""
    bump(
        ResumptionTally,
        {"region_id": park.region_id, "industry": "", "date": TOTALS_DATE},
        {"parks_total": 1},
    )


def enterprise_added(*, enterprise: Enterprise) -> None:
    """A new enterprise counts in its region's totals (closed until it reports) and its park's."""
    in_park = enterprise.park_id is not None
    for industry in _industry_keys(enterprise):
        bump(
            ResumptionTally,
            {"region_id": enterprise.region_id, "industry": industry, "date": TOTALS_DATE},
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
            bump(
                ResumptionTally,
                {"region_id": park.region_id, "industry": enterprise.industry, "date": TOTALS_DATE},
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
    if change == rules.EnterpriseState():
        return
    in_park = enterprise.park_id is not None
    spans = [(start, 1)] + ([(end, -1)] if end is not None else [])
    for day, sign in spans:
        for industry in _industry_keys(enterprise):
            bump(
                ResumptionTally,
                {"region_id": enterprise.region_id, "industry": industry, "date": day},
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
                bump(
                    ResumptionTally,
                    {"region_id": park.region_id, "industry": industry, "date": day},
                    {"parks_reopened": diff},
                )


def blockers_reported(*, enterprise: Enterprise, day: date, blockers: list[str]) -> None:
    """Count a report's blockers on its date in the enterprise's region."""
    for blocker in blockers:
        bump(
            BlockerTally,
            {"region_id": enterprise.region_id, "date": day, "blocker": blocker},
            {"reports": 1},
        )
