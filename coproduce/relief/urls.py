from django.urls import path

from coproduce.relief import views

app_name = "relief"
urlpatterns = []
