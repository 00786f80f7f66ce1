"""Background work of checkpoints (Django's tasks framework); tasks only call services."""

from django.tasks import task

from coproduce.checkpoints import retention


@task
def logs_purge_daily() -> dict:
    """Purge scans, visits and presences older than the retention (run nightly)."""
    return retention.logs_purge(actor=None).as_dict()


@task
def log_partitions_ahead_daily() -> dict:
    """Make the daily partitions of the presence log and the scans for the coming week
    (PostgreSQL only)."""
    return {"partitions": len(retention.log_partitions_ahead())}
