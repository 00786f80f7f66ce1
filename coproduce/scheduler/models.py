"""The record of scheduled runs: one row per job and local day, inserted to claim the run."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One daily run of a scheduled job; the unique (job, day) makes it run once per local day.

    A scheduler claims the run by inserting the row (the insert that loses a race does nothing),
    then hands the job to the task backend; the task records its start, end and result here.
    """

    class Status(models.TextChoices):
        # Claimed by a scheduler, not yet handed to the task backend.
        CLAIMED = "claimed", _("claimed")
        # Handed to a task queue; a worker has not started it yet.
        ENQUEUED = "enqueued", _("enqueued")
        RUNNING = "running", _("running")
        # An attempt failed (or its worker died): waiting for `retry_at`, then enqueued again.
        RETRYING = "retrying", _("retrying")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    job = models.CharField(max_length=64)
    # The local calendar day (COPRODUCE_TIME_ZONE, on the platform's clock) the run is for.
    day = models.DateField()
    # When it was due on the platform's clock (the exercise clock in a drill).
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    # Record-keeping times are real time, like the audit trail's.
    claimed_at = models.DateTimeField()
    # The scheduler that claimed it: host name and process id.
    claimed_by = models.CharField(max_length=200, blank=True)
    # The task backend's id of the enqueued task, and the backend's alias.
    task_id = models.CharField(max_length=200, blank=True)
    backend = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the job's task returned (counts), or why it failed.
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # Attempts started so far; the running attempt's worker writes its heartbeat every few
    # seconds (real time): a run silent for COPRODUCE_JOB_RECLAIM_SECONDS is reclaimed.
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When a run in `retrying` is enqueued again (real time).
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="job_run_once_per_day"),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "claimed",
                        "enqueued",
                        "running",
                        "retrying",
                        "succeeded",
                        "failed",
                    ]
                ),
                name="job_run_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "day"], name="job_run_status_day_idx")]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%Y-%m-%d} ({self.status})"
