from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "coproduce.places"
    label = "places"
    verbose_name = "Places and place codes"
