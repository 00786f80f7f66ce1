"""The log purge (PRODUCT.md 4): scans, visits and presences older than the retention go, in
chunks, with one audit event per run; everything newer stays."""

import datetime as dt
import io
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.checkpoints import retention
from coproduce.checkpoints.models import Scan, Visit
from coproduce.checkpoints.services import ScanInput, scan_record, visit_record
from coproduce.checkpoints.tasks import logs_purge_daily
from coproduce.checkpoints.tests.conftest import NOW, live
from coproduce.core import clock
from coproduce.core.models import AuditEvent
from coproduce.places.models import Presence

pytestmark = pytest.mark.django_db

_keys = itertools.count(1)


def _scan(checkpoint, person, at: dt.datetime, actor) -> Scan:
    """A scan of `person` at `at`, uploaded through the service when the clock said so."""
    clock.exercise_clock_set(moment=at, actor=None)
    answer = scan_record(
        checkpoint=checkpoint,
        item=ScanInput(
            payload=live(person),
            direction="in",
            device_id="device-r",
            idempotency_key=f"r-{next(_keys)}",
            scanned_at=at,
            temperature_c=Decimal("36.6"),
        ),
        actor=actor,
    )
    return Scan.objects.get(pk=answer.scan_id)


def _visit(checkpoint, person, at: dt.datetime, actor) -> Visit:
    clock.exercise_clock_set(moment=at, actor=None)
    visit, _ = visit_record(person=person, place=checkpoint.place, visited_at=at, actor=actor)
    return visit


def _rows(model, field: str, ats: list[dt.datetime], **values) -> None:
    """Bare rows of a log at these moments (for counting chunks: no services needed)."""
    model.objects.bulk_create([model(**{field: at}, **values) for at in ats])


@pytest.fixture
def logs(checkpoint, person, checkpoint_staff):
    """Scans and visits of one resident from 40 days to 1 hour before NOW (with presences)."""
    resident = person(1)
    ages = {
        "40 days": dt.timedelta(days=40),
        "28 days and 2 minutes": dt.timedelta(days=28, minutes=2),
        "27 days 23 hours 58 minutes": dt.timedelta(days=27, hours=23, minutes=58),
        "1 hour": dt.timedelta(hours=1),
    }
    scans = {
        label: _scan(checkpoint, resident, NOW - age, checkpoint_staff)
        for label, age in ages.items()
    }
    # A minute after each scan: the resident scanned the gate's place code on the way in.
    visits = {
        label: _visit(checkpoint, resident, NOW - age + dt.timedelta(minutes=1), None)
        for label, age in ages.items()
    }
    clock.exercise_clock_set(moment=NOW, actor=None)
    return scans, visits


def test_the_purge_deletes_what_is_older_than_28_days_and_nothing_newer(logs):
    scans, visits = logs
    assert Presence.objects.count() == 8  # a presence per scan of a known person and per visit

    purged = retention.logs_purge(actor=None)

    old = ("40 days", "28 days and 2 minutes")
    assert (purged.scans, purged.visits, purged.presences) == (2, 2, 4)
    assert set(Scan.objects.values_list("pk", flat=True)) == {
        s.pk for label, s in scans.items() if label not in old
    }
    assert set(Visit.objects.values_list("pk", flat=True)) == {
        v.pk for label, v in visits.items() if label not in old
    }
    horizon = NOW - dt.timedelta(days=28)
    assert Presence.objects.count() == 4
    assert not Presence.objects.filter(at__lt=horizon).exists()
    assert not Scan.objects.filter(scanned_at__lt=horizon).exists()
    # What is left is exactly what is newer than the retention.
    assert Scan.objects.filter(scanned_at__gte=horizon).count() == 2


def test_each_run_is_audited_once_with_its_counts(logs):
    retention.logs_purge(actor=None)
    retention.logs_purge(actor=None)  # nothing left to delete: still one event for the run
    events = list(AuditEvent.objects.filter(action="checkpoints.logs_purge").order_by("id"))
    assert len(events) == 2
    first, second = (e.details for e in events)
    assert first["scans"] == 2 and first["visits"] == 2 and first["presences"] == 4
    assert first["retention_days"] == 28
    assert dt.datetime.fromisoformat(first["before"]) < NOW - dt.timedelta(days=28) + dt.timedelta(
        minutes=1
    )
    assert (second["scans"], second["visits"], second["presences"], second["chunks"]) == (
        0,
        0,
        0,
        0,
    )


def test_the_retention_is_a_setting(logs, settings):
    settings.LOG_RETENTION_DAYS = 1
    purged = retention.logs_purge(actor=None)
    assert (purged.scans, purged.visits) == (3, 3)
    assert Scan.objects.count() == 1 and Visit.objects.count() == 1
    assert purged.retention_days == 1


def test_the_purge_follows_the_platform_clock(logs):
    """In a drill the exercise clock moves the horizon: 30 days on, everything is old."""
    clock.exercise_clock_set(moment=NOW + dt.timedelta(days=30), actor=None)
    retention.logs_purge(actor=None)
    assert not Scan.objects.exists() and not Visit.objects.exists()
    assert not Presence.objects.exists()


def test_large_purges_go_in_chunks_each_its_own_statement(checkpoint, person):
    resident = person(1)
    old = [NOW - dt.timedelta(days=29, minutes=i) for i in range(7)]
    new = [NOW - dt.timedelta(days=1, minutes=i) for i in range(2)]
    scan = {
        "checkpoint": checkpoint,
        "device_id": "d",
        "fingerprint": "f",
        "verification": "valid",
        "decision": "pass",
        "direction": "in",
        "received_at": NOW,
    }
    Scan.objects.bulk_create(
        [Scan(scanned_at=at, idempotency_key=f"k{i}", **scan) for i, at in enumerate(old + new)]
    )
    _rows(Visit, "visited_at", old + new, person=resident, place=checkpoint.place, received_at=NOW)
    Presence.objects.bulk_create(
        [
            Presence(person=resident, place=checkpoint.place, at=at, kind="visit", source=f"s{i}")
            for i, at in enumerate(old + new)
        ]
    )

    with CaptureQueriesContext(connection) as queries:
        purged = retention.logs_purge(actor=None, chunk=3)

    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    for table in ("checkpoints_scan", "checkpoints_visit", "places_presence"):
        # 7 rows, 3 per chunk: 3 + 3 + 1, the last short chunk ending the loop.
        assert sum(f'"{table}"' in sql for sql in deletes) == 3, table
    assert (purged.scans, purged.visits, purged.presences, purged.chunks) == (7, 7, 7, 9)
    assert Scan.objects.count() == Visit.objects.count() == Presence.objects.count() == 2


def test_the_purge_runs_as_a_task_and_a_command(logs):
    result = logs_purge_daily.enqueue()
    assert result.return_value["scans"] == 2 and result.return_value["presences"] == 4
    out = io.StringIO()
    call_command("logs_purge", stdout=out)
    assert "0 scans, 0 visits, 0 presences" in out.getvalue()
