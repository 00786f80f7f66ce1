from django.urls import path

from coproduce.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.home, name="home"),
    path("calls/", views.calls, name="calls"),
    path("records/", views.records, name="records"),
    path("report/", views.report, name="report"),
]
