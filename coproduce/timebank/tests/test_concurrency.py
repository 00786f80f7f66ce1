"""Races on PostgreSQL: many sign-ups for the last place, two redemptions of the same hours.

SQLite serializes writers (IMMEDIATE transactions), so these only mean something on PostgreSQL;
the suite skips them on SQLite (conftest.py, postgres_only).
"""

import threading

import pytest
from django.db import connection

from coproduce.core.errors import Conflict
from coproduce.timebank import services
from coproduce.timebank.models import Account, Redemption
from coproduce.volunteers import services as volunteer_services
from coproduce.volunteers.models import Call, Signup
from coproduce.volunteers.tests.conftest import make_volunteer

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def race(workers):
    """Run the callables at once; answer what each returned or raised."""
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(i, work):
        try:
            barrier.wait()
            results[i] = work()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_many_simultaneous_sign_ups_for_the_last_place(call, vol, fuyang_org):
    Call.objects.filter(pk=call.pk).update(capacity=1)
    volunteers = [make_volunteer(f"v{i}", fuyang_org) for i in range(8)]
    results = race(
        [
            lambda v=v: volunteer_services.signup_create(call=call, volunteer=v, actor=v.user)
            for v in volunteers
        ]
    )
    assert sum(isinstance(r, Signup) for r in results) == 1
    assert all(isinstance(r, Signup | Conflict) for r in results), results
    assert Call.objects.get(pk=call.pk).taken == 1
    assert Signup.objects.filter(call=call, status="active").count() == 1


def test_one_volunteer_signing_up_for_two_overlapping_calls_at_once(
    call, vol, coordinator, fuyang_org
):
    other = volunteer_services.call_create(
        organization=fuyang_org,
        title="Overlapping",
        region=call.region,
        start=call.start,
        end=call.end,
        capacity=5,
        actor=coordinator,
    )
    results = race(
        [
            lambda c=c: volunteer_services.signup_create(call=c, volunteer=vol, actor=vol.user)
            for c in (call, other)
        ]
    )
    assert sum(isinstance(r, Signup) for r in results) == 1, results


def test_simultaneous_redemptions_of_the_same_hours(pending_record, coordinator, regions):
    volunteer_services.service_record_confirm(record=pending_record, actor=coordinator)
    account = services.account_of_volunteer(volunteer=pending_record.volunteer)
    partner = services.partner_create(
        name="Bank", kind="bank", region=regions["330111"], actor=None
    )
    offers = [
        services.offer_create(partner=partner, title=f"Offer {i}", price_minutes=240, actor=None)
        for i in range(4)
    ]
    results = race(
        [
            lambda o=o: services.redemption_request(
                account=account, offer=o, key=f"k{o.pk}", actor=None
            )
            for o in offers
        ]
    )
    assert sum(isinstance(r, Redemption) for r in results) == 1, results
    assert all(isinstance(r, Redemption | Conflict) for r in results), results
    assert Account.objects.get(pk=account.pk).balance == 0


def test_the_same_posting_sent_twice_at_once_is_stored_once(pending_record, coordinator, resident):
    volunteer_services.service_record_confirm(record=pending_record, actor=coordinator)
    source = services.account_of_volunteer(volunteer=pending_record.volunteer)
    target = services.account_of_person(person=resident.person)
    results = race(
        [
            lambda: services.hours_give(
                source=source, target=target, minutes=60, key="same", actor=None
            )
            for _ in range(4)
        ]
    )
    assert len({r.pk for r in results}) == 1, results
    assert Account.objects.get(pk=target.pk).balance == 60
