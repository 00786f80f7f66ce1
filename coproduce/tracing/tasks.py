"""Background work of tracing (Django's tasks framework); tasks only call services."""

from django.tasks import task

from coproduce.tracing import services


@task
def tracing_release_completed_daily() -> dict:
    """Release the orders whose report streak is complete (run after the codes' recompute)."""
    return {"released": services.orders_release_completed(actor=None)}
