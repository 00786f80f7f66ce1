"""Writes to field tasks: open (once per cause), assign, update; each audited."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.fieldwork.models import Task
from coproduce.fieldwork.rules import TRANSITIONS, TaskOutcome, TaskStatus, transition_problem
from coproduce.fieldwork.signals import task_finished

_STATUS_WORDS = {
    TaskStatus.OPEN: gettext_lazy("open"),
    TaskStatus.ASSIGNED: gettext_lazy("assigned"),
    TaskStatus.IN_PROGRESS: gettext_lazy("in progress"),
    TaskStatus.DONE: gettext_lazy("done"),
    TaskStatus.CANCELLED: gettext_lazy("cancelled"),
}


def _transition_words(current: TaskStatus, new: TaskStatus, outcome: TaskOutcome | None) -> str:
    """rules.transition_problem in the reader's words (a tracer acting on a stale page)."""
    if new not in TRANSITIONS[current]:
        return _("A task that is %(current)s cannot become %(new)s.") % {
            "current": _STATUS_WORDS[current],
            "new": _STATUS_WORDS[new],
        }
    if outcome is None:
        return _("A finished task needs an outcome.")
    return _("Only a finished task has an outcome.")


def task_open(
    *,
    kind: str,
    title: str,
    region,
    actor,
    person=None,
    organization=None,
    assignee=None,
    deadline: datetime | None = None,
    source: str = "",
    details: dict | None = None,
) -> Task:
    """Open a task; the same (kind, source) again returns the task already open for it."""
    if source and (existing := Task.objects.filter(kind=kind, source=source).first()):
        return existing
    now = clock.now()
    try:
        with transaction.atomic():
            task = Task.objects.create(
                kind=kind,
                title=title[:200],
                region=region,
                person=person,
                organization=organization,
                assignee=assignee,
                status=TaskStatus.ASSIGNED if (organization or assignee) else TaskStatus.OPEN,
                deadline=deadline,
                source=source,
                details=details or {},
                created_at=now,
                updated_at=now,
            )
            audit_record(
                actor=actor, action="fieldwork.task_open", target=task, details={"kind": kind}
            )
    except IntegrityError:
        # Two workers opened the same cause at once: the constraint kept one; answer with it.
        return Task.objects.get(kind=kind, source=source)
    return task


def task_update(
    *,
    task: Task,
    actor,
    status: str | None = None,
    outcome: str | None = None,
    note: str | None = None,
    organization=None,
    assignee=None,
) -> Task:
    """Move a task along (assigned, in progress, done with an outcome) or reassign it."""
    fields: dict[str, object] = {}
    try:
        new_status = TaskStatus(status) if status is not None else TaskStatus(task.status)
    except ValueError:
        raise ValidationFailed.field(
            "status", f"{status!r} is not one of {', '.join(TaskStatus)}."
        ) from None
    try:
        new_outcome = TaskOutcome(outcome) if outcome else None
    except ValueError:
        raise ValidationFailed.field(
            "outcome", f"{outcome!r} is not one of {', '.join(TaskOutcome)}."
        ) from None
    if status is not None or outcome is not None:
        if problem := transition_problem(
            current=TaskStatus(task.status), new=new_status, outcome=new_outcome
        ):
            raise ValidationFailed.field(
                "outcome" if "outcome" in problem else "status",
                _transition_words(TaskStatus(task.status), new_status, new_outcome),
            )
        fields["status"] = new_status.value
        fields["outcome"] = new_outcome.value if new_outcome else ""
    if note is not None:
        if len(note) > 2000:
            raise ValidationFailed.field("note", _("A note has at most 2000 characters."))
        fields["note"] = note
    if organization is not None:
        fields["organization"] = organization
    if assignee is not None:
        fields["assignee"] = assignee
    reassigned = organization is not None or assignee is not None
    if reassigned and task.status == TaskStatus.OPEN and "status" not in fields:
        fields["status"] = TaskStatus.ASSIGNED.value
    now = clock.now()
    with transaction.atomic():
        # The row is re-read under the write lock so that two tracers cannot both finish it.
        current = Task.objects.select_for_update().get(pk=task.pk)
        if current.status != task.status:
            raise Conflict(
                _("Someone else changed this task just now; reload it."), code="task_changed"
            )
        for key, value in fields.items():
            setattr(current, key, value)
        current.updated_at = now
        if fields.get("status") == TaskStatus.DONE:
            current.done_at, current.done_by = now, actor
        current.save()
        audit_record(
            actor=actor,
            action="fieldwork.task_update",
            target=current,
            details={
                k: (v if isinstance(v, str) else str(getattr(v, "pk", v)))
                for k, v in fields.items()
                if k != "note"
            },
        )
        if fields.get("status") == TaskStatus.DONE:
            transaction.on_commit(
                lambda: task_finished.send(Task, task=current, actor=actor), robust=False
            )
    return current
