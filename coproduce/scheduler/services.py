"""Writes and reads of the scheduled runs: claiming a day's run and recording how it went.

The round that decides what is due and enqueues it is `runner.py`; the task that runs a claimed
job (in the scheduler, or on a queue's worker) is `tasks.job_run`, which calls `job_execute`.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from coproduce.core import clock
from coproduce.core.models import ExerciseClock
from coproduce.core.sql import insert_rows
from coproduce.scheduler import rules
from coproduce.scheduler.jobs import Job, job_get, job_table
from coproduce.scheduler.models import JobRun

log = logging.getLogger(__name__)

# An exercise clock this far from real time means the database holds a drill's (or the demo's)
# days: a scheduler on real time would recompute codes and purge logs for today's real date.
EXERCISE_DRIFT = timedelta(hours=1)


@dataclass(frozen=True)
class JobStatus:
    """One line of `coproduce scheduler --list`: a job, its next run and its latest run."""

    job: Job
    # Now, when the job is due; else the local moment it will be.
    next_run: datetime
    due: bool
    last: JobRun | None


def scheduler_name() -> str:
    """How a scheduler names itself in the runs it claims: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def local_now() -> datetime:
    """The platform's clock in the deployment's zone (the exercise clock in a drill)."""
    return clock.now().astimezone(clock.local_zone())


def exercise_clock_drift() -> timedelta | None:
    """The stored exercise clock's distance from real time when drills are off and it is far
    from it (the database holds a drill's or the demo's days); None when there is no danger."""
    if settings.COPRODUCE_EXERCISE:
        return None
    offset = ExerciseClock.objects.filter(id=1).values_list("offset_seconds", flat=True).first()
    if offset is None or abs(offset) < EXERCISE_DRIFT.total_seconds():
        return None
    return timedelta(seconds=offset)


def job_claim(*, job: Job, day: date, due_at: datetime, by: str) -> int | None:
    """Claim a job's run for a local day by inserting its row; None when a run is there already.

    The insert and the unique (job, day) are the whole protocol: of two schedulers inserting at
    once, PostgreSQL makes the second wait for the first and then skip its row (ON CONFLICT DO
    NOTHING); SQLite lets one writer in at a time.
    """
    rows = insert_rows(
        JobRun,
        [
            {
                "job": job.name,
                "day": day,
                "due_at": due_at,
                "status": JobRun.Status.CLAIMED.value,
                "claimed_at": timezone.now(),
                "claimed_by": by[:200],
                "task_id": "",
                "backend": "",
                "started_at": None,
                "finished_at": None,
                "result": {},
                "error": "",
            }
        ],
        unique=("job", "day"),
        returning=("id",),
    )
    return rows[0][0] if rows else None


def job_enqueued(*, run_id: int, task_id: str, backend: str) -> JobRun:
    """Record the task a claimed run was handed to; the run as it stands now."""
    JobRun.objects.filter(pk=run_id).update(task_id=task_id[:200], backend=backend[:100])
    # Conditional: with the immediate backend (or a fast worker) the run has finished already.
    JobRun.objects.filter(pk=run_id, status=JobRun.Status.CLAIMED).update(
        status=JobRun.Status.ENQUEUED
    )
    return JobRun.objects.get(pk=run_id)


def job_not_enqueued(*, run_id: int, error: str) -> JobRun:
    """Record that the task backend refused a claimed run: it has failed for the day."""
    JobRun.objects.filter(pk=run_id).update(
        status=JobRun.Status.FAILED, finished_at=timezone.now(), error=f"not enqueued: {error}"
    )
    return JobRun.objects.get(pk=run_id)


def job_execute(*, job: str, run_id: int) -> dict:
    """Run a claimed job's task here (in the scheduler, or on a queue's worker) and record it.

    A run starts once: a queue that delivers the task twice finds it started already.
    """
    started = JobRun.objects.filter(
        pk=run_id, job=job, status__in=[JobRun.Status.CLAIMED, JobRun.Status.ENQUEUED]
    ).update(status=JobRun.Status.RUNNING, started_at=timezone.now())
    if not started:
        log.warning("scheduled job %s (run %s) was started already: not run again", job, run_id)
        return {}
    try:
        result = job_get(job).task.call() or {}
    except Exception as exc:
        log.exception("scheduled job %s failed", job)
        JobRun.objects.filter(pk=run_id).update(
            status=JobRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}",
        )
        raise
    JobRun.objects.filter(pk=run_id).update(
        status=JobRun.Status.SUCCEEDED, finished_at=timezone.now(), result=result
    )
    return result


def jobs_status() -> list[JobStatus]:
    """Each job with its next run (local, on the platform's clock) and its latest run."""
    now = local_now()
    today = set(JobRun.objects.filter(day=now.date()).values_list("job", flat=True))
    return [
        JobStatus(
            job=job,
            next_run=rules.job_next_run(at=job.at, now_local=now, ran_today=job.name in today),
            due=rules.job_due(at=job.at, now_local=now, ran_today=job.name in today),
            last=JobRun.objects.filter(job=job.name).order_by("-claimed_at", "-id").first(),
        )
        for job in job_table()
    ]
