from django.urls import path

from coproduce.deliveries import views

app_name = "deliveries"
urlpatterns = []
