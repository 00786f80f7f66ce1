from django.urls import path

from coproduce.stages import views

app_name = "stages"
urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/", views.home, name="region"),
    path("<str:code>/set/", views.stage_set, name="set"),
    path("<str:code>/suggestion/", views.suggestion_answer, name="suggestion"),
]
