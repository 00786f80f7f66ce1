"""The care pages: booking (also by proxy), the call log with the screening, alerts, slots,
records refused to everyone but their counselor or clinician and supervisors."""

from datetime import timedelta

import pytest
from django.test import Client

from coproduce.care.models import Alert, Booking, Consultation, Screening, Session, Slot
from coproduce.care.services import (
    booking_create,
    consultation_record,
    screening_record,
    slot_offer,
)
from coproduce.care.tests.conftest import PHQ9_HIGH
from coproduce.core import clock
from coproduce.core.models import AuditEvent
from coproduce.people.selectors import person_of_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _slot(provider, service="clinic", hours=24):
    start = clock.now() + timedelta(hours=hours)
    return slot_offer(
        actor=provider,
        service=service,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        specialty="general",
        mode="online",
    )


def test_counselor_logs_a_call_with_a_screening_from_one_page(counselor, on_duty):
    client = _client(counselor)
    assert client.get("/care/calls/new/").status_code == 200
    answers = {f"phq{n}": "1" for n in range(1, 9)} | {"phq9": "2"}
    r = client.post(
        "/care/calls/new/",
        {
            "group": "quarantined",
            "topic": "isolation",
            "channel": "hotline",
            "callback_phone": "13800001234",
            "instrument": "phq9",
            "outcome": "safety plan",
            "follow_up": "callback",
            "minutes": "12",
            **answers,
        },
    )
    session = Session.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/care/sessions/{session.pk}/"
    screening = Screening.objects.get()
    assert (screening.total, screening.risk, screening.escalated) == (10, "high", True)
    assert Alert.objects.get().on_duty == on_duty.counselor
    assert "13800001234" in client.get(r["Location"]).content.decode()


def test_call_page_refused_to_non_counselors(resident, county_official):
    assert _client(resident).get("/care/calls/new/").status_code == 403
    assert _client(county_official).get("/care/calls/new/").status_code == 403


def test_on_duty_counselor_sees_and_acknowledges_an_alert(counselor, other_counselor, on_duty):
    screening_record(actor=counselor, instrument="phq9", answers=PHQ9_HIGH)
    alert = Alert.objects.get()
    client = _client(other_counselor)
    assert f'data-alert="{alert.pk}"' in client.get("/care/").content.decode()
    assert client.get(f"/care/alerts/{alert.pk}/").status_code == 200
    client.post(f"/care/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    assert alert.acknowledged_by == other_counselor
    client.post(f"/care/alerts/{alert.pk}/follow-up/", {"outcome": "called back, safe"})
    alert.refresh_from_db()
    assert alert.state == "closed"


def test_resident_books_and_cancels_a_clinic_slot(clinician, resident):
    slot = _slot(clinician)
    client = _client(resident)
    assert f'data-slot="{slot.pk}"' in client.get("/care/").content.decode()
    client.post(f"/care/slots/{slot.pk}/book/", {"resident": ""})
    booking = Booking.objects.get()
    assert booking.resident == person_of_user(user=resident) and not booking.by_proxy
    client.post(f"/care/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_volunteer_books_by_proxy(clinician, resident, volunteer):
    """The volunteer finds the resident with the person picker (no id typed), then books."""
    slot = _slot(clinician)
    me = person_of_user(user=resident)
    client = _client(volunteer)
    home = client.get("/care/").content.decode()
    assert 'data-picker="person"' in home and "perm=care.proxy" in home
    found = client.get(
        "/people/pick/", {"perm": "care.proxy", "name": "resident", "resident_q": me.name}
    ).content.decode()
    assert f'data-person="{me.public_id}"' in found
    chosen = client.get(
        "/people/pick/", {"perm": "care.proxy", "name": "resident", "chosen": me.public_id}
    ).content.decode()
    assert f'name="resident" value="{me.public_id}"' in chosen
    client.post(f"/care/slots/{slot.pk}/book/", {"resident": me.public_id})
    booking = Booking.objects.get()
    assert booking.by_proxy and booking.resident == me and booking.booked_by == volunteer


def test_clinician_offers_and_withdraws_a_slot(clinician):
    client = _client(clinician)
    start = (clock.now() + timedelta(days=2)).astimezone(clock.local_zone())
    client.post(
        "/care/slots/",
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "minutes": "20",
            "specialty": "pediatrics",
            "mode": "in_person",
            "place": "Wenling clinic",
        },
    )
    slot = Slot.objects.get()
    assert slot.service == "clinic" and slot.ends_at - slot.starts_at == timedelta(minutes=20)
    client.post(f"/care/slots/{slot.pk}/cancel/")
    slot.refresh_from_db()
    assert slot.cancelled


def test_clinician_records_a_consultation_from_the_page(clinician, resident):
    booking = booking_create(
        slot=_slot(clinician), resident=person_of_user(user=resident), actor=resident
    )
    _client(clinician).post(
        f"/care/bookings/{booking.pk}/consultation/",
        {"summary": "fever gone, rest", "referral": "none", "referral_to": ""},
    )
    assert Consultation.objects.get().booking == booking


@pytest.fixture
def record_pages(counselor, clinician, resident):
    screening = screening_record(actor=counselor, instrument="gad7", answers=[1] * 7)
    from coproduce.care.services import session_log

    session, _ = session_log(actor=counselor, group="patient", topic="sleep")
    booking = booking_create(
        slot=_slot(clinician), resident=person_of_user(user=resident), actor=resident
    )
    consultation = consultation_record(booking=booking, summary="ok", actor=clinician)
    return [
        f"/care/sessions/{session.pk}/",
        f"/care/screenings/{screening.pk}/",
        f"/care/consultations/{consultation.pk}/",
    ]


@pytest.mark.parametrize(
    "who", ["county_official", "other_counselor", "province_admin", "outsider"]
)
def test_record_pages_are_404_to_everyone_else(record_pages, who, request):
    client = _client(request.getfixturevalue(who))
    for path in record_pages:
        assert client.get(path).status_code == 404, (who, path)


def test_record_pages_shown_to_owner_and_supervisor_and_audited(
    record_pages, counselor, care_supervisor, clinician
):
    for user, paths in (
        (counselor, record_pages[:2]),
        (care_supervisor, record_pages[:2]),
        (clinician, record_pages[2:]),
    ):
        client = _client(user)
        for path in paths:
            before = AuditEvent.objects.filter(actor=user).count()
            assert client.get(path).status_code == 200
            assert AuditEvent.objects.filter(actor=user).count() == before + 1


def test_counts_page_for_officials_only(counselor, county_official, resident):
    from coproduce.care.services import session_log

    session_log(actor=counselor, group="patient", topic="sleep")
    page = _client(county_official).get("/care/counts/")
    assert page.status_code == 200 and "&lt;5" in page.content.decode()
    assert _client(resident).get("/care/counts/").status_code == 403


def test_roster_page_shows_gaps_and_adds_a_shift(counselor, care_org):
    client = _client(counselor)
    assert "Not covered" in client.get("/care/roster/").content.decode()
    start = clock.now().astimezone(clock.local_zone()).replace(minute=0, second=0, microsecond=0)
    client.post(
        "/care/roster/",
        {"counselor": "counselor", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "hours": "24"},
    )
    page = client.get("/care/roster/").content.decode()
    assert "Covered around the clock" in page


def test_credentials_page_verify(county_official, counselor):
    from coproduce.care.models import Credential

    Credential.objects.filter(user=counselor).update(state="pending")
    cred = Credential.objects.get(user=counselor)
    client = _client(county_official)
    assert client.get("/care/credentials/").status_code == 200
    client.post(f"/care/credentials/{cred.pk}/verify/", {"state": "verified"})
    cred.refresh_from_db()
    assert cred.state == "verified" and cred.verified_by == county_official


def test_cases_pages(counselor, county_official):
    client = _client(counselor)
    r = client.post("/care/cases/", {"group": "health_worker", "needs": ["care", "counseling"]})
    assert r.status_code == 302
    case_url = r["Location"]
    client.post(f"{case_url}visits/", {"kind": "hospital", "note": "met at the ward"})
    client.post(f"{case_url}referrals/", {"to": "relief", "note": "masks"})
    page = client.get(case_url).content.decode()
    assert "met at the ward" in page
    assert _client(county_official).get(case_url).status_code == 404


def test_home_pages_in_both_languages(counselor, clinician, resident, county_official):
    for user in (counselor, clinician, resident, county_official):
        client = _client(user)
        assert client.get("/care/").status_code == 200
        assert client.get("/care/", headers={"accept-language": "zh-hans"}).status_code == 200
