from django.urls import path

from coproduce.care import views

app_name = "care"
urlpatterns = [
    path("", views.home, name="home"),
    path("calls/new/", views.call_new, name="call_new"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("screenings/<int:screening_id>/", views.screening_detail, name="screening"),
    path("consultations/<int:consultation_id>/", views.consultation_detail, name="consultation"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/follow-up/", views.alert_follow_up, name="alert_follow_up"),
    path("slots/", views.slot_offer, name="slot_offer"),
    path("slots/<int:slot_id>/cancel/", views.slot_cancel, name="slot_cancel"),
    path("slots/<int:slot_id>/book/", views.slot_book, name="slot_book"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/attendance/", views.booking_mark, name="booking_mark"),
    path(
        "bookings/<int:booking_id>/consultation/",
        views.consultation_record,
        name="consultation_record",
    ),
    path("bookings/<int:booking_id>/feedback/", views.consultation_feedback, name="feedback"),
    path("roster/", views.roster, name="roster"),
    path("credentials/", views.credentials, name="credentials"),
    path(
        "credentials/<int:credential_id>/verify/", views.credential_verify, name="credential_verify"
    ),
    path("counts/", views.counts, name="counts"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/visits/", views.case_visit, name="case_visit"),
    path("cases/<int:case_id>/referrals/", views.case_refer, name="case_refer"),
]
