"""Tasks for teams in the field: calls, visits, follow-ups, deliveries."""

from django.conf import settings
from django.db import models

from coproduce.core.choices import choices_of
from coproduce.fieldwork.rules import TaskOutcome, TaskStatus


class Task(models.Model):
    """One piece of fieldwork about a person or place, for a team (organization) or a person."""

    Status = choices_of("Status", TaskStatus)
    Outcome = choices_of("Outcome", TaskOutcome)

    kind = models.CharField(
        max_length=40, db_index=True, help_text="e.g. fever_follow_up, trace_contact"
    )
    title = models.CharField(max_length=200)
    # The residential area (or larger region) where the work is: scope and grouping follow it.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=TaskStatus.OPEN)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    note = models.TextField(blank=True)
    # What opened it ("health_codes.report:42"), so that a repeated cause opens no second task.
    source = models.CharField(max_length=80, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="task_status_deadline_idx"),
            models.Index(fields=["region", "status"], name="task_region_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source"],
                condition=~models.Q(source=""),
                name="task_one_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done", outcome__gt="")
                | (~models.Q(status="done") & models.Q(outcome="")),
                name="task_outcome_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title} ({self.status})"
