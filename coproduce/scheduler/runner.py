"""The scheduler's round: the jobs due now on the platform's clock, claimed and enqueued.

Any number of schedulers may run (two machines, a cron line beside a long-running one): each
claims a due job by inserting its (job, day) row, and the unique constraint lets exactly one
insert through; the others move on. The winner enqueues the job through Django's tasks
framework, so a deployment with a task queue runs it on its workers; with the immediate backend
it runs inline, in the scheduler's process, before the round goes on to the next job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from coproduce.scheduler import rules, services
from coproduce.scheduler.jobs import Job, job_get, job_table
from coproduce.scheduler.models import JobRun
from coproduce.scheduler.tasks import job_run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What a scheduler did with one due job."""

    job: str
    day: date
    # The run's status when this scheduler claimed it (succeeded, failed, running, enqueued,
    # retrying), "taken" when another scheduler had claimed it first, or "reclaimed" when its
    # worker had died.
    state: str
    result: dict = field(default_factory=dict)
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.state == JobRun.Status.FAILED


def job_start(*, job: Job, run_id: int) -> Outcome:
    """Hand a claimed run to the task backend (where the immediate backend runs it at once)."""
    task = job_run.using(
        backend=job.task.backend, queue_name=job.task.queue_name, priority=job.task.priority
    )
    try:
        result = task.enqueue(job.name, run_id)
    except Exception as exc:  # noqa: BLE001 - a backend that refuses: recorded as failed
        log.exception("scheduled job %s could not be enqueued", job.name)
        run = services.job_not_enqueued(run_id=run_id, error=f"{type(exc).__name__}: {exc}")
    else:
        run = services.job_enqueued(run_id=run_id, task_id=result.id, backend=result.backend)
    return Outcome(job=job.name, day=run.day, state=run.status, result=run.result, error=run.error)


def jobs_run_due(*, by: str = "") -> list[Outcome]:
    """One round: reclaim runs whose worker died, enqueue again the failed attempts whose
    backoff has passed, then claim and start every job due now on the platform's clock (once
    per job and local day) whose dependencies have succeeded today; report overdue jobs."""
    outcomes = []
    for run in services.runs_reclaim():
        outcomes.append(
            Outcome(job=run.job, day=run.day, state="reclaimed", error="its worker went silent")
        )
    for run in services.runs_retry_due():
        try:
            job = job_get(run.job)
        except KeyError:
            continue
        if services.job_requeue(run_id=run.pk):  # another scheduler may have taken it
            outcomes.append(job_start(job=job, run_id=run.pk))
    # In the order of the times, again while a pass starts something: a job moved before the
    # one it comes after (COPRODUCE_SCHEDULE) runs in the same round once that one succeeded
    # inline; on a queue it waits for the next round.
    pending = list(job_table())
    while pending:
        waiting = []
        for job in pending:
            now = services.local_now()  # afresh for each job: the one before may take minutes
            day = now.date()
            ran = JobRun.objects.filter(job=job.name, day=day).exists()
            if not rules.job_due(at=job.at, now_local=now, ran_today=ran):
                continue
            if not rules.dependencies_met(
                after=job.after, succeeded_today=services.succeeded_on(day)
            ):
                waiting.append(job)  # recompute, then sweep, then purge
                continue
            run_id = services.job_claim(
                job=job, day=day, due_at=now, by=by or services.scheduler_name()
            )
            if run_id is None:
                outcomes.append(Outcome(job=job.name, day=day, state="taken"))
                continue
            outcomes.append(job_start(job=job, run_id=run_id))
        pending = waiting if len(waiting) < len(pending) else []
    overdue_report()
    return outcomes


# (job, day) already reported overdue by this process: one error line each, not one a round.
_reported: set[tuple[str, date]] = set()


def overdue_report() -> list[str]:
    """Log an error, once per process, for each job overdue today; their names."""
    names = []
    today = services.local_now().date()
    for job in services.jobs_overdue():
        names.append(job.name)
        if (job.name, today) not in _reported:
            _reported.add((job.name, today))
            log.error(
                "scheduled job %s is overdue: not succeeded by %s + %s (see the back office, "
                "Scheduled jobs > Job runs)",
                job.name,
                job.at.strftime("%H:%M"),
                job.overdue,
            )
    return names


def next_wait(*, interval: float) -> float:
    """Seconds a long-running scheduler sleeps before it looks again (at most `interval`)."""
    return rules.wait_seconds(
        now_local=services.local_now(),
        next_runs=[status.next_run for status in services.jobs_status()],
        interval=interval,
    )
