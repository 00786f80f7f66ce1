"""Volunteer services: registration, calls and sign-ups, check-in/out, records, confirmation."""

from datetime import timedelta

import pytest

from conftest import FUYANG_AREA
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed
from coproduce.core.models import AuditEvent
from coproduce.regions.models import Region
from coproduce.volunteers import services
from coproduce.volunteers.models import Call, ServiceRecord, Signup
from coproduce.volunteers.tests.conftest import H, make_volunteer

pytestmark = pytest.mark.django_db


def test_coordinator_registers_a_volunteer_with_an_account_and_membership(coordinator, fuyang_org):
    profile = services.volunteer_register(
        actor=coordinator,
        name="Zhou Min",
        phone="13900000011",
        home_region=Region.objects.get(code=FUYANG_AREA),
        skills=["Driving", "driving", " first aid "],
        organization=fuyang_org,
    )
    assert profile.skills == ["driving", "first aid"]
    assert profile.user.role_assignments.filter(role="volunteer").exists()
    assert fuyang_org in profile.organizations.all()
    assert AuditEvent.objects.filter(action="volunteers.register").exists()


def test_an_official_who_volunteers_is_marked(county_official):
    profile = services.volunteer_register(
        actor=county_official,
        user=county_official,
        name="Official Xu",
        home_region=Region.objects.get(code=FUYANG_AREA),
    )
    assert profile.is_official


def test_registering_twice_is_a_conflict(vol, volunteer):
    with pytest.raises(Conflict):
        services.volunteer_register(
            actor=volunteer, user=volunteer, name="Again", home_region=vol.home_region
        )


def test_sign_up_books_a_place_and_the_last_place_goes_once(call, vol, fuyang_org):
    other = make_volunteer("li", fuyang_org)
    third = make_volunteer("wu", fuyang_org)
    services.signup_create(call=call, volunteer=vol, actor=vol.user)
    services.signup_create(call=call, volunteer=other, actor=other.user)
    with pytest.raises(Conflict) as refused:
        services.signup_create(call=call, volunteer=third, actor=third.user)
    assert refused.value.code == "call_full"
    assert Call.objects.get(pk=call.pk).taken == 2


def test_signing_up_twice_is_refused(call, vol):
    services.signup_create(call=call, volunteer=vol, actor=vol.user)
    with pytest.raises(Conflict) as refused:
        services.signup_create(call=call, volunteer=vol, actor=vol.user)
    assert refused.value.code == "already_signed_up"
    assert Signup.objects.count() == 1


def test_nobody_is_booked_twice_at_once(call, vol, coordinator, fuyang_org):
    overlapping = services.call_create(
        organization=fuyang_org,
        title="Deliveries",
        region=call.region,
        start=call.start + H,
        end=call.end + H,
        capacity=5,
        actor=coordinator,
    )
    services.signup_create(call=call, volunteer=vol, actor=vol.user)
    with pytest.raises(Conflict) as refused:
        services.signup_create(call=overlapping, volunteer=vol, actor=vol.user)
    assert refused.value.code == "double_booked"


def test_missing_skill_is_a_field_error(coordinator, fuyang_org, vol, now):
    call = services.call_create(
        organization=fuyang_org,
        title="Ambulance",
        region=vol.home_region,
        start=now + H,
        end=now + 3 * H,
        capacity=1,
        required_skills=["nursing"],
        actor=coordinator,
    )
    with pytest.raises(ValidationFailed) as refused:
        services.signup_create(call=call, volunteer=vol, actor=vol.user)
    assert "skills" in refused.value.fields


def test_cancelled_sign_up_returns_the_place(call, vol):
    signup = services.signup_create(call=call, volunteer=vol, actor=vol.user)
    services.signup_cancel(signup=signup, actor=vol.user)
    services.signup_cancel(signup=signup, actor=vol.user)  # twice: still one place returned
    assert Call.objects.get(pk=call.pk).taken == 0


def test_a_call_in_the_past_is_a_field_error(coordinator, fuyang_org, now):
    with pytest.raises(ValidationFailed) as refused:
        services.call_create(
            organization=fuyang_org,
            title="Late",
            region=Region.objects.get(code="330111"),
            start=now - H,
            end=now + H,
            capacity=1,
            actor=coordinator,
        )
    assert "start" in refused.value.fields
    assert Call.objects.count() == 0


def test_check_in_and_out_by_scanning_the_place_code(vol, gate_payload):
    record = services.check_in(volunteer=vol, payload=gate_payload, actor=vol.user)
    assert record.status == "checked_in" and record.activity == "checkpoint"
    with pytest.raises(Conflict):
        services.check_in(volunteer=vol, payload=gate_payload, actor=vol.user)
    ServiceRecord.objects.filter(pk=record.pk).update(start=record.start - 3 * H)
    record = services.check_out(volunteer=vol, payload=gate_payload, actor=vol.user)
    assert record.status == "pending" and 179 <= record.minutes <= 181


def test_check_out_elsewhere_is_refused(vol, gate_payload, yuhang_gate):
    services.check_in(volunteer=vol, payload=gate_payload, actor=vol.user)
    with pytest.raises(ValidationFailed):
        services.check_out(volunteer=vol, payload=f"CPP:{yuhang_gate.code}", actor=vol.user)


def test_a_forgotten_check_out_is_refused_as_too_long(vol, gate_payload):
    record = services.check_in(volunteer=vol, payload=gate_payload, actor=vol.user)
    ServiceRecord.objects.filter(pk=record.pk).update(start=record.start - 17 * H)
    with pytest.raises(ValidationFailed) as refused:
        services.check_out(volunteer=vol, payload=gate_payload, actor=vol.user)
    assert refused.value.code == "too_long"


def test_unknown_place_code_is_not_found(vol):
    from coproduce.core.errors import NotFound

    with pytest.raises(NotFound):
        services.check_in(volunteer=vol, payload="CPP:000000000000", actor=vol.user)


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (-2, -3, "end_before_start"),
        (-20, -2, "too_long"),
        (1, 3, "in_future"),
    ],
)
def test_implausible_records_are_refused_with_a_reason(vol, coordinator, now, start, end, code):
    with pytest.raises(ValidationFailed) as refused:
        services.service_record_create(
            volunteer=vol,
            start=now + start * H,
            end=now + end * H,
            activity="checkpoint",
            source="",
            actor=coordinator,
        )
    assert refused.value.code == code
    assert ServiceRecord.objects.count() == 0


def test_overlapping_record_is_refused(pending_record, vol, coordinator):
    with pytest.raises(ValidationFailed) as refused:
        services.service_record_create(
            volunteer=vol,
            start=pending_record.start + H,
            end=pending_record.end + H,
            activity="delivery",
            source="",
            actor=coordinator,
        )
    assert refused.value.code == "overlap"


def test_same_source_makes_one_record(vol, coordinator, now):
    args = dict(
        volunteer=vol,
        start=now - 5 * H,
        end=now - 1 * H,
        activity="checkpoint",
        source="checkpoints.shift:12",
        actor=coordinator,
    )
    first = services.service_record_create(**args)
    again = services.service_record_create(**args)
    assert first.pk == again.pk and ServiceRecord.objects.count() == 1


def test_a_record_counts_only_once_a_second_party_confirms(pending_record, vol, coordinator):
    with pytest.raises(PermissionDenied):
        services.service_record_confirm(record=pending_record, actor=vol.user)
    record = services.service_record_confirm(record=pending_record, actor=coordinator)
    services.service_record_confirm(record=pending_record, actor=coordinator)  # a double tap
    assert record.status == "confirmed" and record.minutes == 240
    # The bank (above this app) heard it once: one entry of 240 minutes on the account.
    entries = vol.bank_account.entries.all()
    assert [e.minutes for e in entries] == [240]
    assert entries[0].posting.key == f"earn:volunteers.service_record:{record.pk}"


def test_system_record_with_a_confirmer_earns_at_once(vol, checkpoint_staff, now):
    record = services.service_record_create(
        volunteer=vol,
        start=now - 9 * H,
        end=now - 1 * H,
        activity="checkpoint",
        source="checkpoints.shift:7",
        actor=checkpoint_staff,
        confirmed_by=checkpoint_staff,
    )
    assert record.status == "confirmed"
    assert vol.bank_account.balance == 480


def test_volunteer_cannot_confirm_their_own_system_record(vol, now):
    with pytest.raises(ValidationFailed):
        services.service_record_create(
            volunteer=vol,
            start=now - 3 * H,
            end=now - H,
            activity="tracing",
            source="tracing.task:1",
            actor=vol.user,
            confirmed_by=vol.user,
        )


def test_rejected_record_frees_the_time_and_earns_nothing(pending_record, vol, coordinator):
    services.service_record_reject(record=pending_record, actor=coordinator, reason="not seen")
    again = services.service_record_create(
        volunteer=vol,
        start=pending_record.start,
        end=pending_record.end - timedelta(minutes=30),
        activity="checkpoint",
        source="",
        actor=coordinator,
    )
    assert again.status == "pending"
    assert not ServiceRecord.objects.filter(status="confirmed").exists()


def test_voiding_a_confirmed_record_reverses_its_hours(
    pending_record, coordinator, county_official
):
    record = services.service_record_confirm(record=pending_record, actor=coordinator)
    services.service_record_void(record=record, actor=county_official, reason="double entry")
    record.refresh_from_db()
    assert record.status == "voided"
    assert record.volunteer.bank_account.balance == 0
    assert sorted(e.minutes for e in record.volunteer.bank_account.entries.all()) == [-240, 240]
