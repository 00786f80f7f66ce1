from django.urls import path

from coproduce.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.home, name="home"),
    path("calls/", views.calls, name="calls"),
    path("records/", views.records, name="records"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:team_id>/members/", views.team_member_add, name="team_member_add"),
    path("records/confirmed/", views.confirmed_records, name="confirmed"),
    path("records/<int:record_id>/void/", views.record_void, name="record_void"),
    path("report/", views.report, name="report"),
]
