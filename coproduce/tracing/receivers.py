"""Tracing's answers to signals of the apps below it."""

from coproduce.tracing import services


def on_task_finished(sender, *, task, actor, **kwargs) -> None:
    """A finished tracing task counts as volunteer service (issue 6's service records)."""
    if task.kind == services.TASK_KIND:
        services.tracing_task_done(task=task, actor=actor)
