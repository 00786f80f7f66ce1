from django.apps import AppConfig


class HealthCodesConfig(AppConfig):
    name = "coproduce.health_codes"
    label = "health_codes"
    verbose_name = "Health codes"

    def ready(self) -> None:
        from coproduce.health_codes import receivers
        from coproduce.people.signals import person_registered, persons_merged

        person_registered.connect(receivers.on_person_registered, dispatch_uid="hc_registered")
        persons_merged.connect(receivers.on_persons_merged, dispatch_uid="hc_merged")
