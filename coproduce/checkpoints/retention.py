"""Retention of the scan and visit logs (PRODUCT.md 4: purged after 28 days, a setting).

Checkpoint scans, place-code visits and the presence log built from them are deleted once the
moment they record is older than `COPRODUCE_LOG_RETENTION_DAYS` on the platform's clock (the
exercise clock in a drill, so that a drill's logs age with its days). The nightly `logs-purge`
job (coproduce/scheduler) runs `logs_purge`; `coproduce logs-purge` runs it by hand.

What survives: a case's contacts keep their evidence as text (place code and name, both
times, the degree-1 person's public id) in `tracing.Contact`, which names no scan, visit or
presence row; a refresh of the contacts after the purge keeps the evidence the log can no
longer show (tracing.rules.contact_keep_purged_evidence). Statistics of a checkpoint's days
older than the retention are purged with the scans they count. Fever follow-up tasks name
their scan by a text source and stay.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from coproduce.checkpoints.models import Scan, Visit
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.partitions import partitions_ahead
from coproduce.core.purge import PURGE_CHUNK, rows_purge_before
from coproduce.places.services import presence_partitions_ahead, presence_purge


@dataclass(frozen=True)
class LogsPurged:
    """What one purge deleted: rows older than `before`, in `chunks` transactions."""

    before: datetime
    retention_days: int
    scans: int
    visits: int
    presences: int
    chunks: int

    def as_dict(self) -> dict:
        return {
            "before": self.before.isoformat(timespec="seconds"),
            "retention_days": self.retention_days,
            "scans": self.scans,
            "visits": self.visits,
            "presences": self.presences,
            "chunks": self.chunks,
        }


def log_retention() -> timedelta:
    """How long scans, visits and presences are kept (COPRODUCE_LOG_RETENTION_DAYS)."""
    return timedelta(days=settings.LOG_RETENTION_DAYS)


def logs_horizon(*, now: datetime | None = None) -> datetime:
    """The moment before which the logs are purged: the platform's now minus the retention."""
    return (now or clock.now()) - log_retention()


def logs_purge(*, actor=None, chunk: int = PURGE_CHUNK) -> LogsPurged:
    """Delete scans, visits and presences older than the retention, `chunk` rows per
    transaction (so that SQLite's one writer is never held long), and audit the run once."""
    before = logs_horizon()
    # The presence log first: it is what tracing searches, and what identifies people most.
    presences = presence_purge(before=before, chunk=chunk)
    scans = rows_purge_before(Scan, field="scanned_at", before=before, chunk=chunk)
    visits = rows_purge_before(Visit, field="visited_at", before=before, chunk=chunk)
    purged = LogsPurged(
        before=before,
        retention_days=settings.LOG_RETENTION_DAYS,
        scans=scans.deleted,
        visits=visits.deleted,
        presences=presences.deleted,
        chunks=presences.chunks + scans.chunks + visits.chunks,
    )
    audit_record(
        actor=actor,
        action="checkpoints.logs_purge",
        object_type="checkpoints.scan",
        object_id="*",
        details=purged.as_dict(),
    )
    return purged


def log_partitions_ahead(*, days: int = 7) -> list[str]:
    """Make the day partitions of the presence log and of the scans from yesterday to `days`
    ahead on the platform's clock (PostgreSQL; nothing on SQLite). The partitions made."""
    scans = partitions_ahead(table=Scan._meta.db_table, column="scanned_at", days=days)
    return presence_partitions_ahead(days=days) + scans
