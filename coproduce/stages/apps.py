from django.apps import AppConfig


class StagesConfig(AppConfig):
    name = "coproduce.stages"
    label = "stages"
    verbose_name = "Response stages"
