from django.contrib.auth import views as auth_views
from django.urls import path

from coproduce.accounts import pickers, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("regions/pick/", pickers.region_pick, name="region_pick"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
