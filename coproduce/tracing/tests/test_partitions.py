"""The presence log partitioned by day on PostgreSQL: stored once, dropped by whole days, and
contact discovery reads each day's (place, at) index of only the days it asks for."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from coproduce.core.partitions import partitions_ensure, partitions_of
from coproduce.places.models import Presence
from coproduce.places.services import presence_purge, presence_record_many
from coproduce.tracing.discovery import near_query

from .conftest import at

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

TABLE = "places_presence"
FEB = [date(2020, 2, d) for d in range(1, 15)]


@pytest.fixture
def february(world):
    """Day partitions for 1-14 February 2020; two people seen at a shop every day."""
    partitions_ensure(table=TABLE, column="at", first=FEB[0], last=FEB[-1])
    world.person("a"), world.person("b"), world.place("shop")
    rows = [
        {
            "person_id": world.people[name].pk,
            "place_id": world.places["shop"].pk,
            "at": at(day.day, 10, minute),
            "kind": "visit",
            "source": f"test:{name}:{day}",
        }
        for day in FEB
        for minute, name in ((0, "a"), (20, "b"))
    ]
    presence_record_many(rows=rows)
    with connection.cursor() as cursor:
        # The test's one transaction: checked now, as a committed write would have been (a
        # table with foreign-key checks pending cannot be dropped).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return world, rows


def _partition_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text, count(*) FROM {TABLE} GROUP BY 1")
        return dict(cursor.fetchall())


def test_the_log_is_partitioned_by_day_and_a_resent_row_is_stored_once(february):
    world, rows = february
    assert set(FEB) <= set(partitions_of(TABLE))
    presence_record_many(rows=rows)  # a re-sent batch
    assert Presence.objects.count() == len(rows)
    held = _partition_rows()
    # Shanghai 10:00 is 02:00 UTC: each row in its own day's partition, none in the default.
    assert held["places_presence_p20200205"] == 2 and "places_presence_default" not in held


def test_retention_drops_whole_days(february):
    before = datetime(2020, 2, 10, tzinfo=UTC)
    purged = presence_purge(before=before)
    assert purged.deleted == 9 * 2
    days = partitions_of(TABLE)
    assert date(2020, 2, 9) not in days and date(2020, 2, 10) in days
    assert not Presence.objects.filter(at__lt=before).exists()
    assert Presence.objects.count() == 5 * 2


def test_rows_outside_the_days_made_wait_in_the_default_partition_until_their_day_is_made(world):
    world.person("a"), world.place("shop")
    row = {
        "person_id": world.people["a"].pk,
        "place_id": world.places["shop"].pk,
        "at": datetime(2031, 5, 1, 12, tzinfo=UTC),
        "kind": "visit",
        "source": "test:far",
    }
    presence_record_many(rows=[row])
    assert _partition_rows() == {"places_presence_default": 1}
    partitions_ensure(table=TABLE, column="at", first=date(2031, 5, 1), last=date(2031, 5, 1))
    assert _partition_rows() == {"places_presence_p20310501": 1}


def test_contact_discovery_stays_index_bound_across_partitions(february):
    world, _ = february
    shop = world.places["shop"].pk
    tolerance = timedelta(minutes=30)
    query = near_query(
        [(shop, at(3, 10) - tolerance, at(3, 10) + tolerance), (shop, at(7, 9), at(7, 11))]
    )
    with connection.cursor() as cursor:
        # With sequential scans priced out, a plan without an index to use would still show one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan
    assert "presence_p20200203" in plan and "presence_p20200207" in plan
    # Only the days asked for: the other twelve partitions are pruned.
    assert "presence_p20200205" not in plan and "places_presence_default" not in plan
    assert {r[0] for r in query} == {world.people["a"].pk, world.people["b"].pk}
