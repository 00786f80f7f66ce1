from django.urls import path

from coproduce.relief import views
from coproduce.relief.views import staff

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
    path("money/", staff.money, name="money"),
    path("campaigns/new/", staff.campaign_new, name="campaign_new"),
    path("donations/new/", staff.donation_new, name="donation_new"),
    path("warehouses/", staff.warehouses, name="warehouses"),
    path("stock/", staff.stock, name="stock"),
    path("stock/receive/", staff.stock_receive, name="stock_receive"),
    path("stock/transfer/", staff.stock_transfer, name="stock_transfer"),
    path("stock/issue/", staff.stock_issue, name="stock_issue"),
    path("requests/", staff.requests, name="requests"),
    path("requests/new/", staff.request_new, name="request_new"),
    path("requests/<int:request_id>/cancel/", staff.request_cancel, name="request_cancel"),
    path("transparency/", views.transparency, name="transparency"),
    path("transparency/verify/", views.ledger_check, name="verify"),
    path("receipts/<str:key>/", views.receipt, name="receipt"),
]
