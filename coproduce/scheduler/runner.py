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
from coproduce.scheduler.jobs import Job, job_table
from coproduce.scheduler.models import JobRun
from coproduce.scheduler.tasks import job_run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What a scheduler did with one due job."""

    job: str
    day: date
    # The run's status when this scheduler claimed it (succeeded, failed, running, enqueued),
    # or "taken" when another scheduler had claimed it first.
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
    """Claim and start every job due now on the platform's clock, once per job and local day."""
    outcomes = []
    for job in job_table():
        now = services.local_now()  # afresh for each job: the one before may have taken minutes
        day = now.date()
        ran = JobRun.objects.filter(job=job.name, day=day).exists()
        if not rules.job_due(at=job.at, now_local=now, ran_today=ran):
            continue
        run_id = services.job_claim(
            job=job, day=day, due_at=now, by=by or services.scheduler_name()
        )
        if run_id is None:
            outcomes.append(Outcome(job=job.name, day=day, state="taken"))
            continue
        outcomes.append(job_start(job=job, run_id=run_id))
    return outcomes


def next_wait(*, interval: float) -> float:
    """Seconds a long-running scheduler sleeps before it looks again (at most `interval`)."""
    return rules.wait_seconds(
        now_local=services.local_now(),
        next_runs=[status.next_run for status in services.jobs_status()],
        interval=interval,
    )
