from django.urls import path

from coproduce.timebank import views

app_name = "timebank"
urlpatterns = [
    path("", views.home, name="home"),
    path("statement/", views.statement, name="statement"),
    path("partner/", views.partner, name="partner"),
]
