"""The tracing policy of this deployment: the rules' defaults overridden by settings."""

from datetime import timedelta

from django.conf import settings

from coproduce.core import clock
from coproduce.tracing.rules import TracingPolicy


def tracing_policy() -> TracingPolicy:
    """TracingPolicy from settings: co-presence minutes, days before onset, first-contact hours,
    the retention of the presence log."""
    return TracingPolicy(
        infectious_days_before=settings.TRACING_INFECTIOUS_DAYS_BEFORE,
        co_presence_tolerance=timedelta(minutes=settings.TRACING_CO_PRESENCE_MINUTES),
        first_contact_deadline=timedelta(hours=settings.TRACING_FIRST_CONTACT_HOURS),
        time_zone=clock.local_zone(),
        log_retention=timedelta(days=settings.LOG_RETENTION_DAYS),
    )
