"""Daily partitions of the big logs on PostgreSQL (declarative range partitioning by time).

On PostgreSQL the presence log is a partitioned table (one partition per UTC day, named
`<table>_pYYYYMMDD`, plus a `<table>_default` partition for moments outside the days made so
far). Retention drops whole partitions instead of deleting rows one by one: dropping a day of
millions of rows is a catalogue change, not millions of index updates and dead tuples. The
scheduler's `partitions-ahead` job makes the coming days' partitions before they are needed.
SQLite keeps plain tables: every function here does nothing there.

Unique constraints of a partitioned table must include its partition key: the presence log's
`source` is unique together with its moment (`at`), which a re-sent scan or visit repeats.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection, transaction

_DAY = re.compile(r"_p(\d{8})$")


def partitioning() -> bool:
    """Whether the logs are partitioned here (PostgreSQL)."""
    return connection.vendor == "postgresql"


def _bound(day: date) -> str:
    return datetime.combine(day, time(0), tzinfo=UTC).isoformat()


def partition_name(table: str, day: date) -> str:
    """The partition of `table` that holds one UTC day."""
    return f"{table}_p{day:%Y%m%d}"


def partitions_of(table: str) -> dict[date, str]:
    """The day partitions of a partitioned table, by UTC day."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    days = {}
    for name in names:
        if match := _DAY.search(name):
            days[datetime.strptime(match.group(1), "%Y%m%d").date()] = name
    return days


def partitions_ensure(*, table: str, column: str, first: date, last: date) -> list[str]:
    """Make the day partitions of `table` from `first` to `last` (UTC days) that are missing;
    rows of those days waiting in the default partition move into them. The new partitions."""
    if not partitioning():
        return []
    have = partitions_of(table)
    quote = connection.ops.quote_name
    made = []
    day = first
    while day <= last:
        if day not in have:
            name = partition_name(table, day)
            low, high = _bound(day), _bound(day + timedelta(days=1))
            with transaction.atomic(), connection.cursor() as cursor:
                # Made apart, filled from the default partition, then attached: attaching a
                # range that the default partition still holds rows of is refused.
                cursor.execute(
                    f"CREATE TABLE {quote(name)} "
                    f"(LIKE {quote(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                )
                cursor.execute(
                    f"WITH moved AS (DELETE FROM {quote(table + '_default')} "
                    f"WHERE {quote(column)} >= %s AND {quote(column)} < %s RETURNING *) "
                    f"INSERT INTO {quote(name)} SELECT * FROM moved",
                    [low, high],
                )
                # DDL takes no bound parameters (server-side binding): the bounds are inlined,
                # ISO timestamps made here from dates.
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ATTACH PARTITION {quote(name)} "
                    f"FOR VALUES FROM ('{low}') TO ('{high}')"
                )
            made.append(name)
        day += timedelta(days=1)
    return made


def partitions_ahead(*, table: str, column: str, days: int) -> list[str]:
    """Make `table`'s day partitions from yesterday to `days` ahead on the platform's clock
    (the scheduler's `partitions-ahead` job); nothing on SQLite. The partitions made."""
    from coproduce.core import clock

    today = clock.now().astimezone(UTC).date()
    return partitions_ensure(
        table=table,
        column=column,
        first=today - timedelta(days=1),
        last=today + timedelta(days=days),
    )


def partitions_drop_before(*, table: str, before: datetime) -> tuple[int, int]:
    """Drop the day partitions of `table` wholly older than `before`: (partitions, rows)."""
    if not partitioning():
        return 0, 0
    quote = connection.ops.quote_name
    dropped = rows = 0
    for day, name in sorted(partitions_of(table).items()):
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)
        if end > before:
            break
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {quote(name)}")
            rows += cursor.fetchone()[0]
            # Detached first (PostgreSQL 14+ can do it without blocking writers to other days
            # with CONCURRENTLY, outside a transaction; a plain detach is a brief lock).
            cursor.execute(f"ALTER TABLE {quote(table)} DETACH PARTITION {quote(name)}")
            cursor.execute(f"DROP TABLE {quote(name)}")
        dropped += 1
    return dropped, rows


def table_partition_by_day(
    schema_editor, *, table: str, column: str, create: str, indexes: list[str], ahead: int
) -> None:
    """Turn a plain table into a partitioned one (a migration, PostgreSQL only): `create` is the
    CREATE TABLE of the partitioned table (its columns and constraints, with the partition key
    in every unique one), `indexes` its CREATE INDEX statements. The rows are copied over into
    day partitions (their days, and `ahead` days from now), ids and sequence kept."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.connection.ops.quote_name
    old = f"{table}_unpartitioned"
    execute = schema_editor.execute
    execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
    # Index and constraint names are the schema's: the old table's go first.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass "
            "AND NOT indisprimary AND NOT indisunique",
            [old],
        )
        for (index,) in cursor.fetchall():
            execute(f"DROP INDEX {index}")
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN "
            "('p', 'u')",
            [old],
        )
        for (constraint,) in cursor.fetchall():
            execute(
                f"ALTER TABLE {quote(old)} RENAME CONSTRAINT {quote(constraint)} "
                f"TO {quote(constraint + '_old')}"
            )
        cursor.execute(f"SELECT min({quote(column)}), max({quote(column)}) FROM {quote(old)}")
        low, high = cursor.fetchone()
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = current_schema() ORDER BY ordinal_position",
            [old],
        )
        columns = ", ".join(quote(row[0]) for row in cursor.fetchall())
    execute(create)
    for statement in indexes:
        execute(statement)
    execute(f"CREATE TABLE {quote(table + '_default')} PARTITION OF {quote(table)} DEFAULT")
    today = datetime.now(UTC).date()
    days = {today + timedelta(days=n) for n in range(-1, ahead + 1)}
    if low is not None and (high - low) <= timedelta(days=400):
        day = low.astimezone(UTC).date()
        while day <= high.astimezone(UTC).date():
            days.add(day)
            day += timedelta(days=1)
    for day in sorted(days):
        name = partition_name(table, day)
        execute(
            f"CREATE TABLE {quote(name)} PARTITION OF {quote(table)} "
            f"FOR VALUES FROM ('{_bound(day)}') TO ('{_bound(day + timedelta(days=1))}')"
        )
    execute(
        f"INSERT INTO {quote(table)} ({columns}) OVERRIDING SYSTEM VALUE "
        f"SELECT {columns} FROM {quote(old)}"
    )
    execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"COALESCE((SELECT max(id) FROM {quote(table)}), 0) + 1, false)"
    )
    execute(f"DROP TABLE {quote(old)}")
