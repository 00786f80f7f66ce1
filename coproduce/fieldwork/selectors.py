"""Reads of field tasks, within the caller's scope."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core.errors import NotFound
from coproduce.fieldwork.models import Task
from coproduce.fieldwork.rules import TaskStatus


def task_list(
    *,
    scope: Scope,
    kind: str | None = None,
    status: str | None = None,
    overdue_at=None,
    mine=None,
) -> QuerySet[Task]:
    """Tasks in scope (by region and, for organization-bound roles, organization), soonest first."""
    qs = Task.objects.select_related("region", "person", "organization", "assignee").filter(
        scope.q(region_field="region", org_field="organization")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if overdue_at is not None:
        qs = qs.filter(deadline__lt=overdue_at).exclude(
            status__in=[TaskStatus.DONE, TaskStatus.CANCELLED]
        )
    if mine is not None:
        qs = qs.filter(assignee=mine)
    return qs.order_by("deadline", "id")


def task_get(*, task_id: int, scope: Scope) -> Task:
    """One task in scope, or NotFound."""
    task = task_list(scope=scope).filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("No such task in your scope."), code="task_not_found")
    return task
