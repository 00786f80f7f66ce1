"""Background work of care (Django's tasks framework); tasks only call services."""

from django.tasks import task

from coproduce.care import services


@task
def care_escalate() -> dict:
    """Escalate overdue crisis alerts and clear expired callback numbers (every minute)."""
    return {**services.alerts_escalate(actor=None), **services.callbacks_purge(actor=None)}


@task
def care_reminders_daily() -> dict:
    """Remind residents of the next day's appointments (the scheduler's `care-reminders`)."""
    return services.bookings_remind(hours=24, actor=None)
