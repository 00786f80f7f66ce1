from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "coproduce.volunteers"
    label = "volunteers"
    verbose_name = "Volunteers, teams, calls and service records"
