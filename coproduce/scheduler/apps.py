from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "coproduce.scheduler"
    label = "scheduler"
    verbose_name = "Scheduled jobs"

    def ready(self) -> None:
        from coproduce.scheduler import checks  # noqa: F401 - registers the system check
