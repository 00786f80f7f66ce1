from django.urls import path

from coproduce.recovery import views

app_name = "recovery"
urlpatterns = [
    path("", views.home, name="home"),
    path("enterprises/<int:enterprise_id>/", views.enterprise, name="enterprise"),
    path("enterprises/<int:enterprise_id>/report/", views.enterprise_report, name="report"),
    path("resumption/", views.resumption, name="resumption"),
    path("associations/<slug:slug>/", views.association, name="association"),
    path("associations/<slug:slug>/purchases/", views.procurement_new, name="procurement_new"),
    path("associations/<slug:slug>/rent-relief/", views.relief_new, name="relief_new"),
    path("purchases/<int:procurement_id>/", views.procurement, name="procurement"),
    path("purchases/<int:procurement_id>/need/", views.procurement_need, name="need"),
    path("purchases/<int:procurement_id>/quote/", views.procurement_quote, name="quote"),
    path("purchases/<int:procurement_id>/award/", views.procurement_award, name="award"),
    path("purchases/<int:procurement_id>/order/", views.procurement_order, name="order"),
    path("purchases/<int:procurement_id>/delivery/", views.procurement_deliver, name="deliver"),
    path("purchases/<int:procurement_id>/receipt/", views.procurement_receipt, name="receipt"),
    path("board/", views.board, name="board"),
    path("board/post/", views.board_post, name="board_post"),
    path("board/matches/<int:match_id>/", views.board_accept, name="board_accept"),
    path("board/posts/<int:post_id>/close/", views.board_close, name="board_close"),
    path("services/", views.member_services, name="services"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<int:request_id>/", views.service_update, name="service_update"),
    path("rent-relief/<int:program_id>/beneficiary/", views.relief_beneficiary, name="beneficiary"),
]
