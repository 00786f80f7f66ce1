"""URL wiring: the API, the admin, the language switch and each app's pages."""

from django.contrib import admin
from django.urls import include, path

from config.api import api
from coproduce.dashboard import views as dashboard_views
from coproduce.regions import views as regions_views

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Dashboards (issue 16): anonymous visitors get the public figures at `/`, others their home.
    path("", dashboard_views.landing, name="landing"),
    path("public/regions/<str:code>/", dashboard_views.public_region, name="public_region"),
    path("", include("coproduce.accounts.urls")),
    path(
        "regions/<str:code>/children.geojson",
        regions_views.children_geojson,
        name="region_children_geojson",
    ),
    path("people/", include("coproduce.people.urls")),
    path("organizations/", include("coproduce.orgs.urls")),
    path("codes/", include("coproduce.health_codes.urls")),
    path("relief/", include("coproduce.relief.urls")),
    path("deliveries/", include("coproduce.deliveries.urls")),
    path("volunteers/", include("coproduce.volunteers.urls")),
    path("timebank/", include("coproduce.timebank.urls")),
    path("tracing/", include("coproduce.tracing.urls")),
    path("checkpoints/", include("coproduce.checkpoints.urls")),
    path("recovery/", include("coproduce.recovery.urls")),
    path("labor/", include("coproduce.labor.urls")),
    path("care/", include("coproduce.care.urls")),
    path("stages/", include("coproduce.stages.urls")),
    path("dashboard/", include("coproduce.dashboard.urls")),
]
