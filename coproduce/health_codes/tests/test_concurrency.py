"""Concurrent writes about one person on PostgreSQL: nothing duplicated, nothing lost.

SQLite serializes writers (IMMEDIATE transactions), so these races only mean something on
PostgreSQL; on SQLite they are skipped with the reason (root conftest).
"""

import threading
from decimal import Decimal

import pytest
from django.db import connections

from coproduce.core import clock
from coproduce.core.errors import Conflict
from coproduce.health_codes import services
from coproduce.health_codes.models import Appeal, Condition, ConditionChange, HealthReport

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


def _race(work, n=2) -> list[str]:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run(i):
        try:
            barrier.wait(timeout=10)
            outcomes.append(work(i))
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


def test_two_reports_for_one_day_at_once_store_exactly_one(register):
    person = register(1)
    today = clock.today()

    def report(i):
        services.report_file(
            person=person,
            report=services.ReportInput(on=today, temperature_c=Decimal("36.5"), symptoms=[]),
            actor=None,
            by_proxy=False,
        )
        return "created"

    assert _race(report) == ["conflict", "created"]
    assert HealthReport.objects.count() == 1


def test_one_order_imposed_twice_at_once_is_stored_once(register):
    person = register(1)

    def impose(i):
        c = services.condition_impose(
            person=person,
            kind="home_quarantine",
            reason="secondary_contact",
            starts_on=clock.today(),
            actor=None,
            source="tracing.order:99",
        )
        return f"condition {c.pk}"

    outcomes = _race(impose)
    assert len(set(outcomes)) == 1
    assert Condition.objects.count() == 1 and ConditionChange.objects.count() == 1
    assert person.health_code.__class__.objects.get(pk=person.pk).color == "yellow"


def test_two_officials_deciding_one_appeal_at_once_one_wins(register):
    person = register(1)
    services.condition_impose(
        person=person,
        kind="centralized_quarantine",
        reason="close_contact",
        starts_on=clock.today(),
        actor=None,
        source="tracing.order:5",
    )
    appeal = services.appeal_file(person=person, reason="not me", actor=None)

    def decide(i):
        services.appeal_decide(
            appeal=appeal,
            actor=None,
            outcome="corrected" if i else "refused",
            decision=f"decision {i}",
        )
        return "decided"

    assert _race(decide) == ["conflict", "decided"]
    assert Appeal.objects.get().status in {"corrected", "refused"}
