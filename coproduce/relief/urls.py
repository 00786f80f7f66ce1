from django.urls import path

from coproduce.relief import views

app_name = "relief"
urlpatterns = [
    path("", views.home, name="home"),
    path("allocations/propose/", views.allocation_action, {"action": "propose"}, name="propose"),
    path(
        "allocations/<int:allocation_id>/<str:action>/",
        views.allocation_action,
        name="allocation_action",
    ),
    path("dispatches/<int:line_id>/receipt/", views.receipt_confirm, name="receipt_confirm"),
    path("transparency/", views.transparency, name="transparency"),
    path("transparency/verify/", views.ledger_check, name="verify"),
    path("receipts/<str:key>/", views.receipt, name="receipt"),
]
