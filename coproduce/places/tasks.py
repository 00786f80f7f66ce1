"""Background work of places (Django's tasks framework); tasks only call services."""

from django.tasks import task

from coproduce.places import services


@task
def presence_partitions_ahead_daily() -> dict:
    """Make the presence log's day partitions for the coming week (PostgreSQL only)."""
    return {"partitions": len(services.presence_partitions_ahead())}
