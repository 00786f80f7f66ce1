from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "coproduce.regions"
    label = "regions"
    verbose_name = "Regions"
