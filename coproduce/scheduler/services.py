"""Writes and reads of the scheduled runs: claiming a day's run and recording how it went.

The round that decides what is due and enqueues it is `runner.py`; the task that runs a claimed
job (in the scheduler, or on a queue's worker) is `tasks.job_run`, which calls `job_execute`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.db.models import F
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
                "attempts": 0,
                "heartbeat_at": None,
                "retry_at": None,
            }
        ],
        unique=("job", "day"),
        returning=("id",),
    )
    return rows[0][0] if rows else None


def job_enqueued(*, run_id: int, task_id: str, backend: str) -> JobRun:
    """Record the task a claimed (or retried) run was handed to; the run as it stands now."""
    JobRun.objects.filter(pk=run_id).update(task_id=task_id[:200], backend=backend[:100])
    # Conditional: with the immediate backend (or a fast worker) the run has finished already.
    JobRun.objects.filter(pk=run_id, status=JobRun.Status.CLAIMED).update(
        status=JobRun.Status.ENQUEUED
    )
    return JobRun.objects.get(pk=run_id)


def job_requeue(*, run_id: int) -> bool:
    """Take a run whose backoff has passed from `retrying` to `enqueued`, before handing it to
    the backend again; False when another scheduler took it first."""
    return bool(
        JobRun.objects.filter(pk=run_id, status=JobRun.Status.RETRYING).update(
            status=JobRun.Status.ENQUEUED, retry_at=None
        )
    )


def job_not_enqueued(*, run_id: int, error: str) -> JobRun:
    """Record that the task backend refused a claimed run: it has failed for the day."""
    log.error("scheduled job run %s could not be enqueued: %s", run_id, error)
    JobRun.objects.filter(pk=run_id).update(
        status=JobRun.Status.FAILED, finished_at=timezone.now(), error=f"not enqueued: {error}"
    )
    return JobRun.objects.get(pk=run_id)


def _attempt_failed(*, run: JobRun, attempt: int, error: str) -> str:
    """Record a failed attempt (only if the run is still at that attempt): `retrying` with the
    backoff's time while attempts remain, else `failed` (logged as an error). The new status,
    or "" when the run had moved on."""
    try:
        allowed = job_get(run.job).attempts
    except KeyError:  # a job removed from the table since
        allowed = attempt
    now = timezone.now()
    if attempt < allowed:
        delay = rules.retry_delay(attempt=attempt, base_seconds=settings.JOB_RETRY_SECONDS)
        changes = {
            "status": JobRun.Status.RETRYING,
            "retry_at": now + timedelta(seconds=delay),
            "error": error,
        }
        log.warning(
            "scheduled job %s (run %s) attempt %s of %s failed, retried in %.0f s: %s",
            run.job,
            run.pk,
            attempt,
            allowed,
            delay,
            error,
        )
    else:
        changes = {"status": JobRun.Status.FAILED, "finished_at": now, "error": error}
        log.error(
            "scheduled job %s (run %s) failed after %s attempts: %s",
            run.job,
            run.pk,
            attempt,
            error,
        )
    updated = JobRun.objects.filter(
        pk=run.pk, status=JobRun.Status.RUNNING, attempts=attempt
    ).update(**changes)
    return changes["status"] if updated else ""


class _Heartbeat(threading.Thread):
    """Writes a running attempt's heartbeat every quarter of the reclaim time until stopped."""

    def __init__(self, *, run_id: int, attempt: int) -> None:
        super().__init__(name=f"job-run-{run_id}-heartbeat", daemon=True)
        self.run_id, self.attempt, self.stopped = run_id, attempt, threading.Event()

    def run(self) -> None:
        every = settings.JOB_RECLAIM_SECONDS / 4
        try:
            while not self.stopped.wait(every):
                try:
                    JobRun.objects.filter(
                        pk=self.run_id, status=JobRun.Status.RUNNING, attempts=self.attempt
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    log.warning("heartbeat of job run %s not written", self.run_id, exc_info=True)
        finally:
            connection.close()


def job_execute(*, job: str, run_id: int) -> dict:
    """Run a claimed job's task here (in the scheduler, or on a queue's worker) and record it.

    An attempt starts once: a queue that delivers the task twice finds it started already.
    While it runs a thread writes its heartbeat, so that a run whose worker died is reclaimed
    (`runs_reclaim`); a failure is retried with backoff up to the job's attempts.
    """
    now = timezone.now()
    started = JobRun.objects.filter(
        pk=run_id, job=job, status__in=[JobRun.Status.CLAIMED, JobRun.Status.ENQUEUED]
    ).update(
        status=JobRun.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if not started:
        log.warning("scheduled job %s (run %s) was started already: not run again", job, run_id)
        return {}
    run = JobRun.objects.get(pk=run_id)
    heartbeat = _Heartbeat(run_id=run_id, attempt=run.attempts)
    heartbeat.start()
    try:
        result = job_get(job).task.call() or {}
    except Exception as exc:
        log.exception("scheduled job %s failed (attempt %s)", job, run.attempts)
        _attempt_failed(run=run, attempt=run.attempts, error=f"{type(exc).__name__}: {exc}")
        raise
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
    JobRun.objects.filter(pk=run_id, status=JobRun.Status.RUNNING, attempts=run.attempts).update(
        status=JobRun.Status.SUCCEEDED, finished_at=timezone.now(), result=result, error=""
    )
    return result


def runs_reclaim() -> list[JobRun]:
    """Reclaim the running runs whose worker has gone silent (killed, or cut off from the
    database) for COPRODUCE_JOB_RECLAIM_SECONDS: each becomes a failed attempt, retried with
    backoff or failed for good. The runs reclaimed."""
    now = timezone.now()
    reclaimed = []
    for run in JobRun.objects.filter(status=JobRun.Status.RUNNING):
        if not rules.run_lost(
            heartbeat=run.heartbeat_at, now=now, reclaim_seconds=settings.JOB_RECLAIM_SECONDS
        ):
            continue
        silent = (now - (run.heartbeat_at or run.started_at or now)).total_seconds()
        error = f"WorkerLost: no heartbeat for {silent:.0f} s (worker {run.task_id or '?'})"
        if _attempt_failed(run=run, attempt=run.attempts, error=error):
            _task_result_lost(run, error)
            reclaimed.append(run)
    return reclaimed


def _task_result_lost(run: JobRun, error: str) -> None:
    """Mark the queue's own record of a lost attempt failed, so that its admin agrees."""
    if not run.task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    with contextlib.suppress(ValidationError, ValueError):  # not a UUID: another backend's
        DBTaskResult.objects.filter(id=run.task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now(), traceback=error
        )


def runs_retry_due() -> list[JobRun]:
    """The runs waiting to be tried again whose backoff has passed."""
    return list(JobRun.objects.filter(status=JobRun.Status.RETRYING, retry_at__lte=timezone.now()))


def succeeded_on(day: date) -> set[str]:
    """The jobs that succeeded for a local day."""
    return set(
        JobRun.objects.filter(day=day, status=JobRun.Status.SUCCEEDED).values_list("job", flat=True)
    )


def jobs_overdue() -> list[Job]:
    """The jobs not succeeded today though their time plus their `overdue` has passed."""
    now = local_now()
    done = succeeded_on(now.date())
    return [
        job
        for job in job_table()
        if rules.job_overdue(
            at=job.at, overdue=job.overdue, now_local=now, succeeded_today=job.name in done
        )
    ]


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
