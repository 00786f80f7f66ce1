"""The job table: every scheduled daily job, the task it runs and its local time, in one place.

Times are local wall-clock times in COPRODUCE_TIME_ZONE (Asia/Shanghai by default), on the
platform's clock; COPRODUCE_SCHEDULE moves them (`logs-purge=02:30`). docs/operations.md
explains each job and its time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.tasks import Task

from coproduce.checkpoints.tasks import log_partitions_ahead_daily, logs_purge_daily
from coproduce.health_codes.tasks import health_codes_recompute_daily
from coproduce.scheduler import rules
from coproduce.tracing.tasks import tracing_release_completed_daily


@dataclass(frozen=True)
class Job:
    """A daily job: its name, the task it runs, the local time it is due, what it does.

    The fields after `about` have defaults, so that a new job stays one line (add new fields
    with defaults too): `after` names jobs that must have succeeded today before this one
    starts; a failed attempt is retried with backoff up to `attempts` in all; a job not
    succeeded `overdue` after its time is reported (log error, back office).
    """

    name: str
    task: Task
    at: time
    about: str
    after: tuple[str, ...] = ()
    attempts: int = 3
    overdue: timedelta = timedelta(hours=2)


JOBS: tuple[Job, ...] = (
    # Orders start and end by date, and a missed daily report breaks a streak at midnight:
    # every code is recomputed for the new local day soon after it begins.
    Job(
        "health-codes-recompute",
        health_codes_recompute_daily,
        time(0, 5),
        "recompute every health code for the new local day",
    ),
    # A streak completes with a day's report (or on an order's not-before date); releasing
    # once a day, after the recompute, frees the sites' places for the day's new orders.
    # Officials can end an order at any time by hand.
    Job(
        "tracing-sweep",
        tracing_release_completed_daily,
        time(0, 30),
        "release quarantine orders whose report streak is complete, free their places",
        after=("health-codes-recompute",),
    ),
    # PostgreSQL: the presence log's and the scans' day partitions, a week ahead (nothing to do
    # on SQLite).
    Job(
        "partitions-ahead",
        log_partitions_ahead_daily,
        time(1, 0),
        "make the coming week's daily partitions of the presence log and the scans (PostgreSQL)",
    ),
    # Privacy (PRODUCT.md 4): at night, when checkpoints are quiet; deleted in chunks.
    Job(
        "logs-purge",
        logs_purge_daily,
        time(3, 0),
        "delete scans, visits and presences older than COPRODUCE_LOG_RETENTION_DAYS",
        after=("tracing-sweep",),
    ),
)


def job_table() -> tuple[Job, ...]:
    """The jobs with the times of COPRODUCE_SCHEDULE applied, in the order of their times."""
    try:
        times = rules.schedule_times(
            defaults={job.name: job.at for job in JOBS}, overrides=settings.SCHEDULE_TIMES
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"COPRODUCE_SCHEDULE: {exc}.") from None
    jobs = (replace(job, at=times[job.name]) for job in JOBS)
    return tuple(sorted(jobs, key=lambda job: (job.at, job.name)))


def job_get(name: str) -> Job:
    """One job of the table by name (KeyError when there is none)."""
    for job in job_table():
        if job.name == name:
            return job
    raise KeyError(name)
