"""Concurrent writes on PostgreSQL: the last bed of a site, one case per person, one round."""

import threading

import pytest
from django.db import connections

from coproduce.core.errors import Conflict
from coproduce.regions.models import Region
from coproduce.tracing import services
from coproduce.tracing.models import Case, QuarantineOrder, QuarantineSite, Round
from coproduce.tracing.tests.conftest import at

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


def test_two_orders_for_the_last_place_let_exactly_one_in(world, clock_at):
    clock_at(at(12, 10))
    a, b = world.person("a"), world.person("b")
    site = services.site_create(
        name="Hotel", region=Region.objects.get(code="330111"), capacity=1, actor=None
    )

    def order(person):
        return lambda: services.order_create(
            person=person, kind="centralized", site=site, start_date=at(12, 0).date(), actor=None
        )

    assert _race(order(a), order(b)) == ["ok", "site_full"]
    assert QuarantineSite.objects.get().occupied == 1
    assert QuarantineOrder.objects.count() == 1


def test_two_reports_of_one_person_make_one_case(world, clock_at):
    clock_at(at(12, 10))
    person = world.person("p")

    def report():
        services.case_report(
            person=person, status="confirmed", onset_date=at(10, 0).date(), actor=None
        )

    assert _race(report, report) == ["case_open", "ok"]
    assert Case.objects.count() == 1


def test_two_officials_starting_a_round_at_once_make_one(world, clock_at):
    clock_at(at(12, 10))
    world.place("market")
    world.person("case")
    world.person("n")
    world.seen("case", "market", at(10, 10))
    world.seen("n", "market", at(10, 10, 5))
    case = services.case_report(
        person=world.people["case"], status="confirmed", onset_date=at(10, 0).date(), actor=None
    )

    def start():
        services.round_start(case=case, actor=None)

    outcomes = _race(start, start)
    assert outcomes in (["ok", "round_started"], ["ok", "ok"])
    # Whatever the interleaving, the contact has one task per round and no round number twice.
    assert Round.objects.filter(case=case, number=1).count() == 1
    assert case.contacts.get().trace_tasks.filter(round__number=1).count() == 1
