from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "coproduce.tracing"
    label = "tracing"
    verbose_name = "Contact tracing and quarantine"

    def ready(self) -> None:
        from coproduce.fieldwork.signals import task_finished
        from coproduce.tracing import receivers

        task_finished.connect(receivers.on_task_finished, dispatch_uid="tracing.task_finished")
