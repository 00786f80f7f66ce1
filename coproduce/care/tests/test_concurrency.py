"""Concurrent writes on PostgreSQL: two residents and the last slot, two counselors and one alert."""

import threading
from datetime import timedelta

import pytest
from django.db import connections

from conftest import FUYANG_AREA, valid_national_id
from coproduce.care.models import Alert, Booking
from coproduce.care.services import alert_acknowledge, booking_create, screening_record, slot_offer
from coproduce.care.tests.conftest import PHQ9_HIGH
from coproduce.core import clock
from coproduce.core.errors import Conflict
from coproduce.people.services import person_register

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def attempt(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


def test_two_residents_booking_the_last_slot_one_wins(clinician, resident):
    start = clock.now() + timedelta(days=1)
    slot = slot_offer(
        actor=clinician,
        service="clinic",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        specialty="general",
        mode="in_person",
    )
    people = [
        person_register(
            national_id=valid_national_id(100 + i),
            name=f"R{i}",
            phone=f"1380000010{i}",
            home_region=FUYANG_AREA,
            actor=resident,
        )
        for i in range(2)
    ]

    def book(person):
        return lambda: booking_create(slot=slot, resident=person, actor=resident, by_proxy=True)

    assert _race(book(people[0]), book(people[1])) == ["ok", "slot_taken"]
    assert Booking.objects.filter(slot=slot, status="booked").count() == 1


def test_two_counselors_acknowledging_one_alert_one_is_recorded(
    counselor, care_supervisor, other_counselor, on_duty
):
    from coproduce.care.models import Practitioner

    Practitioner.objects.filter(user=other_counselor).update(supervisor=care_supervisor)
    screening_record(actor=counselor, instrument="phq9", answers=PHQ9_HIGH)
    alert = Alert.objects.get()

    def ack(user):
        return lambda: alert_acknowledge(alert=Alert.objects.get(pk=alert.pk), actor=user)

    assert _race(ack(other_counselor), ack(care_supervisor)) == ["alert_taken", "ok"]
    alert.refresh_from_db()
    assert alert.state == "acknowledged"
    assert alert.acknowledged_by in (other_counselor, care_supervisor)
