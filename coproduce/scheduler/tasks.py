"""Background work of the scheduler (Django's tasks framework); tasks only call services."""

from django.tasks import task

from coproduce.scheduler import services


@task
def job_run(job: str, run_id: int) -> dict:
    """Run one claimed daily job where the task backend runs it, and record how it went."""
    return services.job_execute(job=job, run_id=run_id)
