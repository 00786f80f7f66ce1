"""Deleting old rows of a log in chunks, so that a large purge never holds the write lock long.

SQLite has one writer at a time: a single DELETE of a month of scans (millions of rows) would
keep every scan, report and sign-in of the platform waiting for it. Deleting the oldest rows a
chunk at a time, each chunk its own transaction, lets other writers in between chunks.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction

from coproduce.core.partitions import partitions_drop_before

# Rows per transaction: a short hold of SQLite's write lock, and few transactions for a month.
PURGE_CHUNK = 5000


@dataclass(frozen=True)
class Purged:
    """How many rows a purge deleted, in how many transactions (chunks that deleted rows)."""

    deleted: int
    chunks: int


def rows_purge_before(
    model: type[models.Model], *, field: str, before: datetime, chunk: int = PURGE_CHUNK
) -> Purged:
    """Delete `model`'s rows whose `field` is earlier than `before`. A table partitioned by day
    (PostgreSQL, core/partitions.py; `field` its partition key) first loses its wholly older
    days by dropping their partitions, each counted as a chunk. The rest goes oldest first,
    `chunk` rows per transaction. The field should be indexed (each chunk is one range read of
    it). Call it outside a transaction: inside one, each chunk is a savepoint and the lock is
    held to the end.
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    chunks, deleted = partitions_drop_before(table=model._meta.db_table, before=before)
    manager = model._base_manager
    while True:
        oldest = manager.filter(**{f"{field}__lt": before}).order_by(field).values("pk")[:chunk]
        with transaction.atomic():
            # One statement (DELETE ... WHERE pk IN (SELECT ... LIMIT n)): these logs have no
            # rows that point at them, so Django deletes without loading them first.
            count, _ = manager.filter(pk__in=oldest).delete()
        if not count:
            break
        deleted += count
        chunks += 1
        if count < chunk:
            break
    return Purged(deleted=deleted, chunks=chunks)
