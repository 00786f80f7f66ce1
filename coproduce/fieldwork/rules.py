"""Rules of field tasks: the states a task moves through and when it is overdue."""

from datetime import datetime
from enum import StrEnum


class TaskStatus(StrEnum):
    """Where a task stands (PRODUCT.md 3.4)."""

    OPEN = "open"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class TaskOutcome(StrEnum):
    """How a finished task ended."""

    REACHED = "reached"
    QUARANTINED = "quarantined"
    NOT_FOUND = "not_found"
    REFUSED = "refused"
    DELIVERED = "delivered"
    RESOLVED = "resolved"


# status -> the statuses it may move to; done and cancelled are final.
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.OPEN: frozenset(
        {TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED}
    ),
    TaskStatus.ASSIGNED: frozenset(
        {
            TaskStatus.OPEN,
            TaskStatus.ASSIGNED,
            TaskStatus.IN_PROGRESS,
            TaskStatus.DONE,
            TaskStatus.CANCELLED,
        }
    ),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.ASSIGNED, TaskStatus.DONE, TaskStatus.CANCELLED}),
    TaskStatus.DONE: frozenset(),
    TaskStatus.CANCELLED: frozenset(),
}


def transition_problem(
    *, current: TaskStatus, new: TaskStatus, outcome: TaskOutcome | None
) -> str | None:
    """Why a task may not move from `current` to `new` (with `outcome`), or None when it may."""
    if new not in TRANSITIONS[current]:
        return f"A task that is {current} cannot become {new}."
    if new == TaskStatus.DONE and outcome is None:
        return "A finished task needs an outcome."
    if new != TaskStatus.DONE and outcome is not None:
        return "Only a finished task has an outcome."
    return None


def is_overdue(*, status: TaskStatus, deadline: datetime | None, now: datetime) -> bool:
    """Whether an unfinished task has passed its deadline."""
    return (
        deadline is not None
        and status not in {TaskStatus.DONE, TaskStatus.CANCELLED}
        and now > deadline
    )
