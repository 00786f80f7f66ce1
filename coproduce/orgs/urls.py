from django.urls import path

from coproduce.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
]
