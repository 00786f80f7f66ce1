from django.urls import path

from coproduce.checkpoints import views

app_name = "checkpoints"
urlpatterns = [
    path("", views.checkpoint_list, name="list"),
    path("stats/", views.region_stats, name="region_stats"),
    path("visit/", views.visit, name="visit"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("<int:checkpoint_id>/manifest.webmanifest", views.manifest, name="manifest"),
    path("<int:checkpoint_id>/", views.checkpoint_detail, name="detail"),
    path("<int:checkpoint_id>/place-code/", views.place_code, name="place_code"),
    path("<int:checkpoint_id>/scanner/", views.scanner, name="scanner"),
    path("<int:checkpoint_id>/shifts/", views.shifts, name="shifts"),
    path("<int:checkpoint_id>/stats/", views.checkpoint_stats, name="stats"),
]
