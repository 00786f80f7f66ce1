from django.urls import path

from coproduce.people import pickers, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("pick/", pickers.person_pick, name="pick"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("<str:public_id>/", views.person_detail, name="detail"),
]
