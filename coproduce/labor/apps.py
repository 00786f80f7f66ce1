from django.apps import AppConfig


class LaborConfig(AppConfig):
    name = "coproduce.labor"
    label = "labor"
    verbose_name = "Labor sharing"
