from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "coproduce.recovery"
    label = "recovery"
    verbose_name = "Enterprise recovery"
