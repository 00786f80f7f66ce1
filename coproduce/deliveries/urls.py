from django.urls import path

from coproduce.deliveries import views

app_name = "deliveries"
urlpatterns = [
    path("", views.home, name="home"),
    path("orders/", views.order_place, name="order_place"),
    path("orders/for/", views.order_for, name="order_for"),
    path("orders/<int:order_id>/deliver/", views.order_deliver, name="order_deliver"),
    path("runs/", views.run_create, name="run_create"),
    path("runs/all/", views.runs, name="runs"),
    path("runs/mine/", views.my_runs, name="my_runs"),
    path("runs/<int:run_id>/assign/", views.run_assign, name="run_assign"),
    path("orders/<int:order_id>/feedback/", views.feedback, name="feedback"),
    path("report/", views.report, name="report"),
]
