from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "coproduce.orgs"
    label = "orgs"
    verbose_name = "Organizations"
