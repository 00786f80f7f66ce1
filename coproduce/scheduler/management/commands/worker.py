"""`coproduce worker`: a task-queue worker (django-tasks-db's, on the platform's database)."""

from django.core.management.base import CommandError
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = (
        "Run the jobs enqueued on the database task queue (COPRODUCE_TASKS_BACKEND=database): "
        "start one or more on any machine that reaches the database. A job whose worker dies "
        "is reclaimed by the scheduler after COPRODUCE_JOB_RECLAIM_SECONDS and run again "
        "(docs/operations.md)."
    )

    def handle(self, *args, **options):
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "coproduce worker runs the database task queue: set "
                "COPRODUCE_TASKS_BACKEND=database for the scheduler and the workers. With the "
                "default (immediate) backend the scheduler runs its jobs itself."
            )
        options["reload"] = False
        super().handle(*args, **options)
