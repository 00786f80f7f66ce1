"""Checkpoint scans partitioned by day on PostgreSQL (issue 18, point 3): each day's scans in
their own partition, a re-sent scan stored once, a key reused on another day refused as before,
retention by whole days, and a checkpoint's day read from that day's partition only."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from coproduce.checkpoints.models import Scan
from coproduce.checkpoints.retention import log_partitions_ahead
from coproduce.checkpoints.tests.conftest import NOW, live, scan_body
from coproduce.core.partitions import partitions_of
from coproduce.core.purge import rows_purge_before
from coproduce.places.models import Presence

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

TABLE = "checkpoints_scan"


def scan(client, checkpoint, body):
    return client.post(f"/checkpoints/{checkpoint.pk}/scans", body)


def _partition_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text, count(*) FROM {TABLE} GROUP BY 1")
        return dict(cursor.fetchall())


@pytest.fixture
def days():
    """The scans' partitions around the exercise clock's day (2020-02-12), as the job makes."""
    log_partitions_ahead(days=2)
    return partitions_of(TABLE)


def test_scans_are_partitioned_by_day_and_each_lands_in_its_day(
    days, api_as, checkpoint_staff, checkpoint, person
):
    assert {date(2020, 2, 11), date(2020, 2, 12), date(2020, 2, 14)} <= set(days)
    client = api_as(checkpoint_staff)
    yesterday = (NOW - timedelta(days=1)).isoformat()
    assert scan(client, checkpoint, scan_body(live(person(1)))).status_code == 200
    assert (
        scan(client, checkpoint, scan_body(live(person(2)), scanned_at=yesterday)).status_code
        == 200
    )
    # Shanghai 10:00 is 02:00 UTC: each scan in its own day's partition, none in the default.
    assert _partition_rows() == {"checkpoints_scan_p20200212": 1, "checkpoints_scan_p20200211": 1}


def test_a_resent_scan_is_stored_once_and_a_key_reused_on_another_day_is_refused(
    days, api_as, checkpoint_staff, checkpoint, person
):
    client = api_as(checkpoint_staff)
    someone = person(3)
    yesterday = (NOW - timedelta(days=1)).isoformat()
    body = scan_body(live(someone), idempotency_key="k-1", scanned_at=yesterday)
    first = scan(client, checkpoint, body)
    again = scan(client, checkpoint, body)
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["scan_id"] == first.json()["scan_id"]
    # The same key for a scan of today: a partition the first scan is not in, still refused,
    # by the plain path and by the fever path (which opens a task in the same transaction).
    for temperature in ("36.6", "38.5"):
        other = scan(
            client,
            checkpoint,
            scan_body(live(someone), idempotency_key="k-1", temperature_c=temperature),
        )
        assert other.status_code == 409, other.content
        assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Scan.objects.count() == 1 and Presence.objects.count() == 1


def test_a_batch_reusing_a_key_of_another_day_gets_a_conflict_for_that_item_alone(
    days, api_as, checkpoint_staff, checkpoint, person
):
    client = api_as(checkpoint_staff)
    yesterday = (NOW - timedelta(days=1)).isoformat()
    old = scan_body(live(person(4)), idempotency_key="b-1", scanned_at=yesterday)
    assert scan(client, checkpoint, old).status_code == 200
    items = [
        scan_body(live(person(5)), idempotency_key="b-1"),  # reused, today
        scan_body(live(person(6)), idempotency_key="b-2"),
        old,  # the first scan sent again
    ]
    answer = client.post(f"/checkpoints/{checkpoint.pk}/scans/batch", {"scans": items})
    assert answer.status_code == 200, answer.content
    results = answer.json()["results"]
    assert results[0]["error"]["code"] == "idempotency_key_reused"
    assert results[1]["replayed"] is False and results[2]["replayed"] is True
    assert Scan.objects.count() == 2


def test_retention_drops_the_scans_of_whole_days(
    days, api_as, checkpoint_staff, checkpoint, person
):
    client = api_as(checkpoint_staff)
    for serial, back in ((7, 1), (8, 0)):
        moment = (NOW - timedelta(days=back)).isoformat()
        assert (
            scan(client, checkpoint, scan_body(live(person(serial)), scanned_at=moment)).status_code
            == 200
        )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a table with pending checks can't drop
    purged = rows_purge_before(Scan, field="scanned_at", before=datetime(2020, 2, 12, tzinfo=UTC))
    assert purged.deleted == 1 and purged.chunks >= 1
    assert date(2020, 2, 11) not in partitions_of(TABLE)
    assert list(Scan.objects.values_list("scanned_at__date", flat=True)) == [date(2020, 2, 12)]


def test_a_checkpoints_day_reads_that_days_partition_only(days, checkpoint):
    query = Scan.objects.filter(
        checkpoint=checkpoint,
        scanned_at__gte=datetime(2020, 2, 12, tzinfo=UTC),
        scanned_at__lt=datetime(2020, 2, 13, tzinfo=UTC),
    ).values_list("id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan and "checkpoints_scan_p20200212" in plan
    assert "checkpoints_scan_p20200211" not in plan and "checkpoints_scan_default" not in plan
