"""System check: COPRODUCE_SCHEDULE names only jobs of the table (a typo stops start-up)."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from coproduce.scheduler.jobs import job_table


@checks.register()
def schedule_names_jobs(app_configs=None, **kwargs):
    try:
        job_table()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="coproduce.scheduler.E001")]
    return []
