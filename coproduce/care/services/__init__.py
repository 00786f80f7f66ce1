"""Writes of care, one module per part: practitioners and credentials, counseling (sessions,
screenings, crisis alerts), the clinic and appointments, social work. Re-exported here."""

from coproduce.care.services.clinic import (
    booking_cancel,
    booking_create,
    booking_mark,
    bookings_remind,
    consultation_feedback,
    consultation_record,
    slot_cancel,
    slot_offer,
)
from coproduce.care.services.counseling import (
    ScreeningInput,
    alert_acknowledge,
    alert_follow_up,
    alerts_escalate,
    callbacks_purge,
    screening_record,
    session_log,
)
from coproduce.care.services.practitioners import (
    credential_record,
    credential_verify,
    duty_shift_add,
    practitioner_active,
    practitioner_register,
)
from coproduce.care.services.social_work import case_close, case_open, case_refer, case_visit

__all__ = [
    "ScreeningInput",
    "alert_acknowledge",
    "alert_follow_up",
    "alerts_escalate",
    "booking_cancel",
    "booking_create",
    "booking_mark",
    "bookings_remind",
    "callbacks_purge",
    "case_close",
    "case_open",
    "case_refer",
    "case_visit",
    "consultation_feedback",
    "consultation_record",
    "credential_record",
    "credential_verify",
    "duty_shift_add",
    "practitioner_active",
    "practitioner_register",
    "screening_record",
    "session_log",
    "slot_cancel",
    "slot_offer",
]
