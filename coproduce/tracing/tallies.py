"""Tracing's kept figures: confirmed cases by report day, progress by round, overdue tasks.

Cases and tasks change state (a suspected case is confirmed, a task is done), so they are
recounted by each refresh rather than counted once; they are few beside the logs.
"""

from django.db.models import Count, F, Q

from coproduce.core import clock, tally
from coproduce.core.metrics import CboRole
from coproduce.fieldwork.rules import TaskStatus
from coproduce.tracing.models import Case, TraceTask

CONFIRMED = "cases.confirmed"
# A recovered or deceased case had been confirmed: it stays on the curve of its report day.
CONFIRMED_STATUSES = (Case.Status.CONFIRMED, Case.Status.RECOVERED, Case.Status.DECEASED)
ROUNDS = "tracing.round."
OVERDUE = "tracing.overdue"
GAUGE = "tracing.state."
CONTRIB_TASKS = f"contrib.{CboRole.TRACING}.tasks_done."


def _case_rows():
    grouped = (
        Case.objects.filter(status__in=CONFIRMED_STATUSES)
        .values(path=F("region__path"), day=tally.local_day("reported_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        yield CONFIRMED, row["path"], row["day"], row["n"]


def _task_rows():
    """Trace tasks done, by the task's region, local day done and organization."""
    grouped = (
        TraceTask.objects.filter(task__status=TaskStatus.DONE, task__done_at__isnull=False)
        .values(
            path=F("task__region__path"),
            day=tally.local_day("task__done_at"),
            org=F("task__organization_id"),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        yield f"{CONTRIB_TASKS}{row['org'] or 0}", row["path"], row["day"], row["n"]


def _state_rows(now):
    """Trace tasks per round number (made, done, overdue), by region: a gauge of now."""
    open_late = Q(task__deadline__lt=now) & ~Q(
        task__status__in=[TaskStatus.DONE, TaskStatus.CANCELLED]
    )
    grouped = (
        TraceTask.objects.values(path=F("task__region__path"), number=F("round__number"))
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(task__status=TaskStatus.DONE)),
            overdue=Count("id", filter=open_late),
        )
        .order_by()
    )
    for row in grouped:
        prefix = f"{GAUGE}{ROUNDS}{row['number']}"
        yield f"{prefix}.tasks", row["path"], row["n"]
        yield f"{prefix}.done", row["path"], row["done"]
        yield f"{GAUGE}{OVERDUE}", row["path"], row["overdue"]


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Recount confirmed cases, trace tasks done and the rounds' progress."""
    now = clock.now()
    cases = tally.tally_replace(prefix=CONFIRMED, rows=_case_rows())
    tasks = tally.tally_replace(prefix=CONTRIB_TASKS, rows=_task_rows())
    state = tally.gauge(prefix=GAUGE, day=clock.local_date(now), rows=_state_rows(now))
    tally.recount_done("tracing")
    return {"case_rows": cases, "task_rows": tasks, "state_rows": state}
