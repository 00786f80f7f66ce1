"""Checkpoints' kept figures: scans counted incrementally, hours staffed recounted.

Scans are the busiest log of the platform: they are counted from a high-water mark by the
background refresh (`core.tally.log_refresh`), never on the scan's own path.
"""

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum

from coproduce.checkpoints.models import Scan, ShiftAssignment
from coproduce.core import tally
from coproduce.core.metrics import CboRole

SCANS = "checkpoints.scans"
DENIALS = "checkpoints.denials"
FEVERS = "checkpoints.fevers"
HOURS = "checkpoints.hours_staffed"
CONTRIB_SCANS = f"contrib.{CboRole.TRACING}.scans."
CONTRIB_HOURS = f"contrib.{CboRole.TRACING}.checkpoint_hours."


def _scan_rows(lo: int, hi: int):
    """Scans of ids in (lo, hi] by region, local day and operating organization."""
    grouped = (
        Scan.objects.filter(id__gt=lo, id__lte=hi)
        .values(
            path=F("checkpoint__place__region__path"),
            day=tally.local_day("scanned_at"),
            org=F("checkpoint__place__operator_id"),
        )
        .annotate(
            n=Count("id"),
            denied=Count("id", filter=Q(decision="deny")),
            fevers=Count("id", filter=Q(fever=True)),
        )
        .order_by()
    )
    for row in grouped:
        yield SCANS, row["path"], row["day"], row["n"]
        yield DENIALS, row["path"], row["day"], row["denied"]
        yield FEVERS, row["path"], row["day"], row["fevers"]
        yield f"{CONTRIB_SCANS}{row['org'] or 0}", row["path"], row["day"], row["n"]


def _hours_rows():
    """Hours of every served shift assignment, by region, local day and operator."""
    grouped = (
        ShiftAssignment.objects.exclude(status=ShiftAssignment.Status.ABSENT)
        .values(
            path=F("shift__checkpoint__place__region__path"),
            day=tally.local_day("shift__starts_at"),
            org=F("shift__checkpoint__place__operator_id"),
        )
        .annotate(
            length=Sum(
                ExpressionWrapper(
                    F("shift__ends_at") - F("shift__starts_at"), output_field=DurationField()
                )
            )
        )
        .order_by()
    )
    for row in grouped:
        # Kept in minutes (core.tally: time in minutes, shown in hours).
        minutes = int(row["length"].total_seconds() // 60) if row["length"] else 0
        yield HOURS, row["path"], row["day"], minutes
        yield f"{CONTRIB_HOURS}{row['org'] or 0}", row["path"], row["day"], minutes


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Count new scans and recount hours staffed into the kept figures."""
    scans = tally.log_refresh(
        source="checkpoints.scans", model=Scan, rows_between=_scan_rows, settled=settled
    )
    hours = tally.tally_replace(prefix=(HOURS, CONTRIB_HOURS), rows=_hours_rows())
    tally.recount_done("checkpoints.hours")
    return {"scans": scans, "hour_rows": hours}
