"""Background work of care (Django's tasks framework); tasks only call services."""

from django.tasks import task

from coproduce.care import services


@task
def care_escalate() -> dict:
    """The frequent round of care (`coproduce care-escalate`, every minute): escalate overdue
    crisis alerts, remind residents of appointments in the next 24 hours (once each), clear
    expired callback numbers."""
    return {
        **services.alerts_escalate(actor=None),
        **services.bookings_remind(hours=24, actor=None),
        **services.callbacks_purge(actor=None),
    }
