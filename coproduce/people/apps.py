from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "coproduce.people"
    label = "people"
    verbose_name = "People and households"
