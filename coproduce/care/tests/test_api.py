"""The care API: credentials, screenings and escalation, slots and bookings, records' access."""

from datetime import timedelta

import pytest

from coproduce.care.models import Alert, Booking, Credential, Screening
from coproduce.care.services import booking_create, consultation_record, slot_offer
from coproduce.care.tests.conftest import GAD7_SEVERE, PHQ9_HIGH, PHQ9_MILD
from coproduce.core import clock
from coproduce.core.models import AuditEvent
from coproduce.people.selectors import person_of_user

pytestmark = pytest.mark.django_db


def _slot(clinician, hours=24):
    start = clock.now() + timedelta(hours=hours)
    return slot_offer(
        actor=clinician,
        service="clinic",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        specialty="respiratory",
        mode="online",
    )


# --- credentials ----------------------------------------------------------------------------


def test_coordinator_records_and_official_verifies_a_credential(
    api_as, care_org, county_official, regions
):
    from conftest import _user
    from coproduce.accounts.services import RoleSpec

    coordinator = _user("care_coordinator", RoleSpec("cbo_coordinator", "330111", care_org.pk))
    newcomer = _user("newcomer", RoleSpec("counselor", "330111", care_org.pk))
    r = api_as(coordinator).post(
        "/care/credentials",
        {
            "user": "newcomer",
            "kind": "counseling_certificate",
            "number": "ZJ-2020-001",
            "issuer": "Zhejiang Psychological Association",
            "expires_on": "2099-12-31",
            "organization": care_org.slug,
        },
    )
    assert r.status_code == 201, r.json()
    cid = r.json()["id"]
    assert Credential.objects.get(pk=cid).state == "pending"
    r = api_as(county_official).post(f"/care/credentials/{cid}/verification", {"state": "verified"})
    assert r.status_code == 200 and r.json()["state"] == "verified"
    assert Credential.objects.get(pk=cid).verified_by == county_official
    assert newcomer  # recorded for the newcomer


def test_credentials_refused_outside_scope(
    api_as, care_org, counselor, other_official, outsider, coordinator
):
    body = {
        "user": "counselor",
        "kind": "counseling_certificate",
        "number": "X-1",
        "issuer": "Somebody",
        "expires_on": "2030-01-01",
    }
    # a coordinator of another organization, an outsider
    assert api_as(coordinator).post("/care/credentials", body).status_code == 403
    assert api_as(outsider).post("/care/credentials", body).status_code == 403
    cid = Credential.objects.get(user=counselor).pk
    assert (
        api_as(other_official)
        .post(f"/care/credentials/{cid}/verification", {"state": "rejected"})
        .status_code
        == 404
    )
    assert (
        api_as(counselor)
        .post(f"/care/credentials/{cid}/verification", {"state": "verified"})
        .status_code
        == 403
    )


def test_unverified_or_expired_credential_cannot_screen_or_offer_slots(
    api_as, counselor, clinician, settings
):
    Credential.objects.filter(user=counselor).update(state="pending")
    r = api_as(counselor).post("/care/screenings", {"instrument": "phq9", "answers": PHQ9_MILD})
    assert r.status_code == 403 and r.json()["error"]["code"] == "credential_required"
    Credential.objects.filter(user=clinician).update(expires_on=clock.today() - timedelta(days=1))
    start = clock.now() + timedelta(days=1)
    r = api_as(clinician).post(
        "/clinic/slots",
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=30)).isoformat(),
            "specialty": "general",
            "mode": "online",
        },
    )
    assert r.status_code == 403


# --- screenings and escalation ----------------------------------------------------------------


def test_screening_is_scored_and_mild_does_not_escalate(api_as, counselor, on_duty, outbox):
    r = api_as(counselor).post("/care/screenings", {"instrument": "phq9", "answers": PHQ9_MILD})
    assert r.status_code == 201
    assert {k: r.json()[k] for k in ("total", "severity", "risk", "escalated")} == {
        "total": 5,
        "severity": "mild",
        "risk": "low",
        "escalated": False,
    }
    assert not Alert.objects.exists() and outbox == []
    r = api_as(counselor).post("/care/screenings", {"instrument": "gad7", "answers": GAD7_SEVERE})
    assert (r.json()["severity"], r.json()["risk"]) == ("severe", "moderate")


def test_malformed_answers_are_422(api_as, counselor):
    r = api_as(counselor).post("/care/screenings", {"instrument": "phq9", "answers": [0, 1]})
    assert r.status_code == 422 and "answers" in r.json()["error"]["fields"]
    r = api_as(counselor).post("/care/screenings", {"instrument": "phq9", "answers": [5] * 9})
    assert r.status_code == 422


def test_item9_alerts_the_counselor_on_duty_at_once(
    api_as, counselor, other_counselor, on_duty, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = api_as(counselor).post("/care/screenings", {"instrument": "phq9", "answers": PHQ9_HIGH})
    assert r.json()["risk"] == "high" and r.json()["escalated"] is True
    alert = Alert.objects.get()
    assert alert.on_duty == other_counselor and alert.state == "open"
    assert alert.ack_deadline - alert.raised_at == timedelta(minutes=15)
    assert [m.kind for m in outbox] == ["care.alert"]
    assert outbox[0].to == other_counselor.care_practitioner.phone


def test_escalation_end_to_end_on_the_exercise_clock(
    api_as,
    settings,
    province_admin,
    counselor,
    other_counselor,
    care_supervisor,
    care_org,
    outbox,
    django_capture_on_commit_callbacks,
):
    from coproduce.care.models import Practitioner
    from coproduce.care.services import alerts_escalate, duty_shift_add
    from coproduce.core.clock import exercise_clock_set

    settings.COPRODUCE_EXERCISE = True
    settings.CARE_ACK_MINUTES = 15
    exercise_clock_set(
        moment=clock.now().replace(year=2020, month=3, day=2, hour=22), actor=province_admin
    )
    now = clock.now()
    Practitioner.objects.filter(user=other_counselor).update(supervisor=care_supervisor)
    duty_shift_add(
        organization=care_org,
        counselor=other_counselor,
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=6),
        actor=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = api_as(counselor).post(
            "/care/sessions",
            {
                "group": "quarantined",
                "topic": "low_mood",
                "callback_phone": "138 0000 1234",
                "outcome": "crisis plan agreed",
                "follow_up": "callback",
                "screening": {"instrument": "phq9", "answers": PHQ9_HIGH},
            },
        )
    assert r.status_code == 201, r.json()
    alert = Alert.objects.get()
    assert alert.on_duty == other_counselor
    # 14 minutes: not yet
    exercise_clock_set(moment=now + timedelta(minutes=14), actor=province_admin)
    assert alerts_escalate()["escalated"] == 0
    # 16 minutes without acknowledgement: to the supervisor
    exercise_clock_set(moment=now + timedelta(minutes=16), actor=province_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_escalate()["escalated"] == 1
    assert alerts_escalate()["escalated"] == 0  # once
    alert.refresh_from_db()
    assert alert.state == "escalated" and alert.escalated_to == care_supervisor
    assert [m.kind for m in outbox] == ["care.alert", "care.alert_escalated"]
    assert outbox[1].to == care_supervisor.care_practitioner.phone
    sup = api_as(care_supervisor)
    assert [a["id"] for a in sup.get("/care/alerts").json()] == [alert.pk]
    assert sup.post(f"/care/alerts/{alert.pk}/follow-up", {"outcome": "x"}).status_code == 409
    assert sup.post(f"/care/alerts/{alert.pk}/acknowledgement").status_code == 200
    r = sup.post(f"/care/alerts/{alert.pk}/follow-up", {"outcome": "called back, safe with family"})
    assert r.status_code == 200 and r.json()["state"] == "closed"
    alert.refresh_from_db()
    assert alert.followed_up_by == care_supervisor and alert.follow_up
    # the callback number has served its purpose
    assert alert.screening.session.callback_phone == ""


def test_nobody_on_duty_goes_straight_to_the_supervisor(
    api_as, counselor, care_supervisor, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api_as(counselor).post("/care/screenings", {"instrument": "phq9", "answers": PHQ9_HIGH})
    alert = Alert.objects.get()
    assert alert.on_duty is None and alert.escalated_to == care_supervisor
    assert [m.kind for m in outbox] == ["care.alert_escalated"]


def test_second_acknowledgement_is_a_conflict(
    api_as, counselor, other_counselor, care_supervisor, on_duty
):
    from coproduce.care.models import Practitioner

    Practitioner.objects.filter(user=other_counselor).update(supervisor=care_supervisor)
    api_as(counselor).post("/care/screenings", {"instrument": "phq9", "answers": PHQ9_HIGH})
    alert = Alert.objects.get()
    assert (
        api_as(other_counselor).post(f"/care/alerts/{alert.pk}/acknowledgement").status_code == 200
    )
    r = api_as(care_supervisor).post(f"/care/alerts/{alert.pk}/acknowledgement")
    assert r.status_code == 409
    alert.refresh_from_db()
    assert alert.acknowledged_by == other_counselor


def test_alert_refused_to_others(
    api_as, counselor, on_duty, county_official, province_admin, outsider, clinician
):
    api_as(counselor).post("/care/screenings", {"instrument": "phq9", "answers": PHQ9_HIGH})
    alert = Alert.objects.get()
    for user in (county_official, province_admin, outsider, clinician):
        assert api_as(user).post(f"/care/alerts/{alert.pk}/acknowledgement").status_code == 404


# --- access to records ------------------------------------------------------------------------


@pytest.fixture
def records(api_as, counselor, clinician, resident):
    session = (
        api_as(counselor)
        .post(
            "/care/sessions",
            {
                "group": "health_worker",
                "topic": "sleep",
                "outcome": "sleep hygiene",
                "screening": {"instrument": "gad7", "answers": GAD7_SEVERE},
            },
        )
        .json()
    )
    booking = booking_create(
        slot=_slot(clinician, hours=-0.5 + 1),
        resident=person_of_user(user=resident),
        actor=resident,
    )
    Booking.objects.filter(pk=booking.pk)  # booked
    consultation = consultation_record(booking=booking, summary="mild cough, rest", actor=clinician)
    return {
        "session": f"/care/sessions/{session['id']}",
        "screening": f"/care/screenings/{session['screening']['id']}",
        "consultation": f"/clinic/consultations/{consultation.pk}",
    }


def test_owner_and_supervisor_see_records_and_each_view_is_audited(
    api_as, records, counselor, care_supervisor, clinician
):
    for user, paths in (
        (counselor, ["session", "screening"]),
        (care_supervisor, ["session", "screening"]),
        (clinician, ["consultation"]),
    ):
        for name in paths:
            before = AuditEvent.objects.filter(actor=user, action__endswith="_view").count()
            assert api_as(user).get(records[name]).status_code == 200
            assert (
                AuditEvent.objects.filter(actor=user, action__endswith="_view").count()
                == before + 1
            )


@pytest.mark.parametrize(
    "who", ["county_official", "other_counselor", "province_admin", "outsider", "resident"]
)
def test_everyone_else_gets_404_for_every_record(api_as, records, who, request):
    user = request.getfixturevalue(who)
    for path in records.values():
        r = api_as(user).get(path)
        assert r.status_code == 404, (who, path, r.status_code)


def test_superuser_is_refused_too(api_as, records):
    from coproduce.accounts.models import User

    root = User.objects.create_superuser("root", password="x-long-password-1")
    for path in records.values():
        assert api_as(root).get(path).status_code == 404


def test_anonymous_is_401(api_as, records):
    assert api_as(None).get(records["screening"]).status_code == 401


# --- slots and bookings ------------------------------------------------------------------------


def test_clinician_offers_a_slot_and_resident_books_it_once(api_as, clinician, resident, regions):
    start = clock.now() + timedelta(days=1)
    r = api_as(clinician).post(
        "/clinic/slots",
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=20)).isoformat(),
            "specialty": "pediatrics",
            "mode": "in_person",
        },
    )
    assert r.status_code == 201
    slot = r.json()["id"]
    me = person_of_user(user=resident).public_id
    assert [s["id"] for s in api_as(resident).get("/clinic/slots").json()] == [slot]
    r = api_as(resident).post(f"/clinic/slots/{slot}/bookings", {"resident": me})
    assert r.status_code == 201 and r.json()["by_proxy"] is False
    r = api_as(resident).post(f"/clinic/slots/{slot}/bookings", {"resident": me})
    assert r.status_code == 409
    assert api_as(resident).get("/clinic/slots").json() == []


def test_cancelled_booking_frees_the_slot(api_as, clinician, resident, volunteer):
    slot = _slot(clinician)
    me = person_of_user(user=resident).public_id
    booking = api_as(resident).post(f"/clinic/slots/{slot.pk}/bookings", {"resident": me}).json()
    assert api_as(resident).post(f"/care/bookings/{booking['id']}/cancellation").status_code == 200
    # a volunteer of the area books it again for the resident, by proxy
    r = api_as(volunteer).post(f"/clinic/slots/{slot.pk}/bookings", {"resident": me})
    assert r.status_code == 201 and r.json()["by_proxy"] is True


def test_booking_for_someone_else_needs_a_proxy_in_scope(
    api_as, clinician, resident, outsider, regions
):
    from conftest import _user
    from coproduce.accounts.services import RoleSpec

    yuhang_volunteer = _user("yv", RoleSpec("volunteer", "330110"))
    slot = _slot(clinician)
    me = person_of_user(user=resident).public_id
    assert (
        api_as(outsider).post(f"/clinic/slots/{slot.pk}/bookings", {"resident": me}).status_code
        == 403
    )
    assert (
        api_as(yuhang_volunteer)
        .post(f"/clinic/slots/{slot.pk}/bookings", {"resident": me})
        .status_code
        == 404
    )


def test_only_a_clinician_offers_clinic_slots(api_as, counselor, resident, county_official):
    start = clock.now() + timedelta(days=1)
    body = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(minutes=20)).isoformat(),
        "specialty": "x",
        "mode": "online",
    }
    for user in (counselor, resident, county_official):
        assert api_as(user).post("/clinic/slots", body).status_code == 403


def test_no_show_and_feedback(api_as, clinician, resident):
    slot = _slot(clinician, hours=1)
    booking = booking_create(slot=slot, resident=person_of_user(user=resident), actor=resident)
    r = api_as(clinician).post(f"/care/bookings/{booking.pk}/attendance", {"status": "no_show"})
    assert r.status_code == 409  # not started yet
    Booking.objects.filter(pk=booking.pk).update()
    consultation_record(booking=booking, summary="seen early, online", actor=clinician)
    r = api_as(resident).post(f"/clinic/bookings/{booking.pk}/feedback", {"rating": 5})
    assert r.status_code == 200
    assert (
        api_as(resident).post(f"/clinic/bookings/{booking.pk}/feedback", {"rating": 4}).status_code
        == 409
    )


def test_reminders_once_for_the_next_day(
    clinician, resident, outbox, django_capture_on_commit_callbacks
):
    from coproduce.care.services import bookings_remind

    booking_create(
        slot=_slot(clinician, hours=20), resident=person_of_user(user=resident), actor=resident
    )
    booking_create(
        slot=_slot(clinician, hours=40), resident=person_of_user(user=resident), actor=resident
    )
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings_remind()["reminded"] == 1
    assert bookings_remind()["reminded"] == 0
    assert [m.kind for m in outbox] == ["care.reminder"]


# --- counts for officials -------------------------------------------------------------------


def test_officials_see_counts_only_with_small_counts_suppressed(
    api_as, counselor, county_official, other_official
):
    client = api_as(counselor)
    for _ in range(6):
        client.post("/care/sessions", {"group": "patient", "topic": "anxiety"})
    client.post(
        "/care/sessions",
        {
            "group": "family",
            "topic": "grief",
            "screening": {"instrument": "gad7", "answers": GAD7_SEVERE},
        },
    )
    r = api_as(county_official).get("/care/counts?region=330111")
    assert r.status_code == 200
    body = r.json()
    assert body["sessions_total"] == 7
    assert body["sessions_by_group"]["patient"] == 6
    assert body["sessions_by_group"]["family"] == "<5"
    assert body["sessions_by_group"]["other"] == "<5"  # zero too (core.suppression)
    assert body["screenings_by_severity"] == {"gad7:severe": "<5"}
    assert api_as(other_official).get("/care/counts?region=330111").status_code == 403
    assert api_as(counselor).get("/care/counts?region=330111").status_code == 403


# --- social work -------------------------------------------------------------------------------


def test_social_work_case_with_visit_and_referral(api_as, counselor, county_official):
    r = api_as(counselor).post(
        "/care/cases", {"group": "family", "needs": ["groceries", "counseling"]}
    )
    assert r.status_code == 201
    case = r.json()["id"]
    assert (
        api_as(counselor).post(f"/care/cases/{case}/visits", {"kind": "phone"}).status_code == 201
    )
    assert (
        api_as(counselor).post(f"/care/cases/{case}/referrals", {"to": "deliveries"}).status_code
        == 201
    )
    assert len(api_as(counselor).get(f"/care/cases/{case}").json()["referrals"]) == 1
    assert api_as(county_official).get(f"/care/cases/{case}").status_code == 404
    assert (
        api_as(county_official)
        .post("/care/cases", {"group": "family", "needs": ["money"]})
        .status_code
        == 403
    )


# --- organizations ------------------------------------------------------------------------------


def test_health_official_verifies_or_rejects_an_organization(
    api_as, county_official, other_official, coordinator, fuyang_org
):
    assert (
        api_as(other_official)
        .post(f"/organizations/{fuyang_org.slug}/verification", {"state": "verified"})
        .status_code
        == 404
    )
    assert (
        api_as(coordinator)
        .post(f"/organizations/{fuyang_org.slug}/verification", {"state": "verified"})
        .status_code
        == 403
    )
    r = api_as(county_official).post(
        f"/organizations/{fuyang_org.slug}/verification",
        {"state": "rejected", "note": "no registration"},
    )
    assert r.status_code == 200 and r.json()["verification"] == "suspended"
    r = api_as(county_official).post(
        f"/organizations/{fuyang_org.slug}/verification", {"state": "verified"}
    )
    assert r.json()["verification"] == "verified"
    assert (
        api_as(county_official)
        .post(f"/organizations/{fuyang_org.slug}/verification", {"state": "maybe"})
        .status_code
        == 422
    )


def test_screening_row_keeps_answers(counselor, api_as):
    sid = (
        api_as(counselor)
        .post("/care/screenings", {"instrument": "phq9", "answers": PHQ9_MILD})
        .json()["id"]
    )
    assert Screening.objects.get(pk=sid).answers == PHQ9_MILD


def test_care_escalate_command_runs_the_frequent_round(
    counselor, care_supervisor, on_duty, settings
):
    from io import StringIO

    from django.core.management import call_command

    from coproduce.care.services import screening_record
    from coproduce.core.clock import exercise_clock_set

    screening_record(actor=counselor, instrument="phq9", answers=PHQ9_HIGH)
    settings.COPRODUCE_EXERCISE = True
    exercise_clock_set(moment=clock.now() + timedelta(minutes=20), actor=None)
    out = StringIO()
    call_command("care_escalate", stdout=out)
    assert out.getvalue().startswith("1 alerts escalated")
    assert Alert.objects.get().state == "escalated"


def test_coordinator_registers_a_practitioner_and_residents_see_the_directory(
    api_as, care_org, coordinator, resident, care_supervisor, regions
):
    from conftest import _user
    from coproduce.accounts.services import RoleSpec

    care_coordinator = _user("cc", RoleSpec("cbo_coordinator", "330111", care_org.pk))
    _user("new_doctor", RoleSpec("clinician", "330111", care_org.pk))
    body = {
        "user": "new_doctor", "organization": care_org.slug, "kind": "clinician",
        "display_name": "Dr Chen", "languages": ["zh", "en"], "specialties": ["pediatrics"],
        "availability": "evenings", "supervisor": "care_supervisor",
    }  # fmt: skip
    assert api_as(coordinator).post("/care/practitioners", body).status_code == 403
    assert api_as(resident).post("/care/practitioners", body).status_code == 404
    assert api_as(care_coordinator).post("/care/practitioners", body).status_code == 201
    names = api_as(resident).get(f"/care/practitioners?organization={care_org.slug}").json()
    assert {"kind": "clinician", "name": "Dr Chen", "languages": ["zh", "en"],
            "specialties": ["pediatrics"], "availability": "evenings"} in names  # fmt: skip
