"""GET/PATCH /tasks: tracing and follow-up tasks in the caller's scope."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.api import Id, InputSchema, Limit, Offset
from coproduce.fieldwork import selectors, services
from coproduce.fieldwork.models import Task
from coproduce.fieldwork.rules import is_overdue

router = Router(tags=["tasks"])


class TaskOut(Schema):
    id: int
    kind: str
    title: str
    region: str
    person: str | None
    organization: str | None
    assignee: str | None
    status: str
    outcome: str
    deadline: datetime | None
    overdue: bool
    note: str
    details: dict


class TaskPatch(InputSchema):
    status: str | None = Field(default=None, max_length=20)
    outcome: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, max_length=4000)


def task_out(task: Task, now: datetime) -> dict:
    return {
        "id": task.pk,
        "kind": task.kind,
        "title": task.title,
        "region": task.region_id,
        "person": task.person.public_id if task.person_id else None,
        "organization": task.organization.slug if task.organization_id else None,
        "assignee": task.assignee.get_username() if task.assignee_id else None,
        "status": task.status,
        "outcome": task.outcome,
        "deadline": task.deadline,
        "overdue": is_overdue(status=task.status, deadline=task.deadline, now=now),
        "note": task.note,
        "details": task.details,
    }


@router.get("/tasks", response=list[TaskOut])
def task_list(
    request: HttpRequest,
    kind: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Tasks in the caller's scope, soonest deadline first; `overdue=true` for the late ones."""
    scope = authorize(request.user, "tasks.view")
    now = clock.now()
    tasks = selectors.task_list(
        scope=scope, kind=kind, status=status, overdue_at=now if overdue else None
    )
    return [task_out(t, now) for t in tasks[offset : offset + limit]]


@router.patch("/tasks/{task_id}", response=TaskOut)
def task_update(request: HttpRequest, task_id: Id, payload: TaskPatch):
    """Move a task along: in progress, done with an outcome (reached, quarantined, not found...)."""
    scope = authorize(request.user, "tasks.work")
    task = selectors.task_get(task_id=task_id, scope=scope)
    task = services.task_update(
        task=task, actor=request.user, **payload.model_dump(exclude_unset=True)
    )
    return task_out(task, clock.now())
