from django.urls import path, re_path

from coproduce.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/", views.region_page, name="region"),
    re_path(
        r"^(?P<code>[0-9]{1,20})/(?P<panel>[a-z_]{1,40})\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
]
