from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "coproduce.fieldwork"
    label = "fieldwork"
    verbose_name = "Field tasks"
