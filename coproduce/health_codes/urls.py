from django.urls import path

from coproduce.health_codes import proxy_pages, risk_pages, views

app_name = "health_codes"
urlpatterns = [
    path("", views.my_code, name="mine"),
    path("report/", views.report, name="report"),
    path("register/", views.register, name="register"),
    path("appeal/", views.appeal_file, name="appeal"),
    path("family/", views.family, name="family"),
    path("officials/", views.officials, name="officials"),
    path("risk/", risk_pages.risk_levels, name="risk"),
    path("proxies/new/", proxy_pages.proxy_new, name="proxy_new"),
    path("appeals/<int:appeal_id>/", views.appeal_decide, name="appeal_decide"),
    path("people/<str:public_id>/", views.my_code, name="person_code"),
    path("people/<str:public_id>/report/", views.report, name="person_report"),
    path("people/<str:public_id>/appeal/", views.appeal_file, name="person_appeal"),
    path("people/<str:public_id>/card/", views.card, name="card"),
    path("people/<str:public_id>/history/", views.history, name="history"),
    path("people/<str:public_id>/conditions/new/", views.condition_new, name="condition_new"),
    path(
        "conditions/<int:condition_id>/lengthen/",
        views.condition_lengthen,
        name="condition_lengthen",
    ),
    path("conditions/<int:condition_id>/end/", views.condition_finish, name="condition_end"),
    path(
        "people/<str:public_id>/proxies/<str:username>/revoke/",
        views.proxy_revoke,
        name="proxy_revoke",
    ),
]
