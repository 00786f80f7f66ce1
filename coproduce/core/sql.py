"""Plain SQL for the few hot paths where compiling an ORM statement costs more than running it.

On the project's 2-core machine Django compiles a simple filtered query in about 1 ms and runs
it in about 0.05 ms; a `bulk_create` of 1,000 rows of 20 columns spends about 150 ms preparing
values one by one. A checkpoint scan is written many times a second, so its statements are
built here once per model and database and run through Django's own connection (same
transaction, same savepoints, same query logging) with values adapted as the ORM would.

Three tools: `insert_rows` (multi-row INSERT, optionally skipping rows that break a unique
constraint and returning what was inserted; on PostgreSQL the rows go as one JSON document),
`insert_with_dependents` (a row and the rows naming its new id in one round trip on PostgreSQL)
and `CompiledQuery` (a read written with the ORM, compiled to SQL once and run again with new
values, optionally kept a second per process).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import uuid
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from time import monotonic
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

# Field types whose Python values the drivers take as they are (ints, strings, booleans, None).
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def _identity(value: Any, connection) -> Any:
    return value


def _datetime(value: Any, connection) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _json_default(value: Any) -> Any:
    """Values the json module does not know, as PostgreSQL reads them from text."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot go into a JSON row")


@cache
def _field(model: type[models.Model], name: str) -> models.Field:
    return next(f for f in model._meta.concrete_fields if name in (f.attname, f.name))


@cache
def _adapter(model: type[models.Model], attname: str) -> Callable[[Any, Any], Any]:
    """How a value of one field goes to the driver (what `get_db_prep_save` would give)."""
    field = _field(model, attname)
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return _identity
    if kind == "DateTimeField":
        return _datetime
    return field.get_db_prep_save


@cache
def _columns(model: type[models.Model], names: tuple[str, ...], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return ", ".join(quote(_field(model, n).column) for n in names)


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    unique: Sequence[str] = (),
    absent: Sequence[str] = (),
    returning: Sequence[str] = (),
    using: str = "default",
) -> list[tuple]:
    """Insert `rows` (dicts keyed by field attname, all with the same keys) in multi-row INSERTs.

    With `unique` (the fields of a unique constraint), a row that would break it is skipped
    (ON CONFLICT DO NOTHING) and, being skipped, returns nothing: the caller learns which rows
    were new from `returning` (field names whose values come back for each inserted row, in no
    promised order). Defaults, `auto_now` and `save()` are not applied: give every column.

    `absent` (PostgreSQL only): a row is skipped too when a stored row has the same values of
    these fields. A partitioned table's unique constraints must hold the partition key; `absent`
    probes the other partitions for a key that must stay unique without it (not atomic across
    partitions: two concurrent rows differing in the partition key may both go in).
    """
    if not rows:
        return []
    connection = connections[using]
    if absent and connection.vendor != "postgresql":
        raise ImproperlyConfigured("insert_rows(absent=...) is for PostgreSQL's partitioned tables")
    names = tuple(rows[0])
    adapters = [_adapter(model, n) for n in names]
    table = connection.ops.quote_name(model._meta.db_table)
    head = f"INSERT INTO {table} ({_columns(model, names, using)}) VALUES "
    tail = ""
    if unique:
        tail += f" ON CONFLICT ({_columns(model, tuple(unique), using)}) DO NOTHING"
    if returning:
        tail += f" RETURNING {_columns(model, tuple(returning), using)}"
    if connection.vendor == "postgresql" and (len(rows) > 1 or absent):
        # The rows as one JSON document that the server turns back into typed rows: the
        # statement stays short and the values are encoded by the json module's C encoder (the
        # driver would parse 20,000 placeholders, or quote 20,000 array items, in Python).
        quote = connection.ops.quote_name
        record = ", ".join(
            f"{quote(_field(model, n).column)} {_field(model, n).db_type(connection)}"
            for n in names
        )
        columns = [_field(model, n).column for n in names]
        document = json.dumps(
            [dict(zip(columns, (row[n] for n in names), strict=True)) for row in rows],
            default=_json_default,
            ensure_ascii=False,
        )
        where = ""
        if absent:
            where = (
                f" WHERE NOT EXISTS (SELECT 1 FROM {table} AS x WHERE "
                + " AND ".join(
                    f"x.{quote(_field(model, n).column)} = r.{quote(_field(model, n).column)}"
                    for n in absent
                )
                + ")"
            )
        sql = (
            f"{head.removesuffix(' VALUES ')} SELECT {_columns(model, names, using)} "
            f"FROM json_to_recordset(%s::json) AS r({record}){where}{tail}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [document])
            return [tuple(r) for r in cursor.fetchall()] if returning else []
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    limit = connection.features.max_query_params or 65535
    per_statement = max(1, min(1000, limit // len(names)))
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [
                adapt(row[name], connection)
                for row in chunk
                for name, adapt in zip(names, adapters, strict=True)
            ]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                out.extend(tuple(r) for r in cursor.fetchall())
    return out


class CompiledQuery:
    """A read written with the ORM, compiled to SQL once per database connection and then run
    with new values: the queryset's own SQL and converters (aware datetimes, JSON...), without
    paying the compile on every request.

    `build` takes keyword arguments and returns a `values_list` queryset of a fixed shape (no
    `__in` lists, whose length changes the SQL); `samples` gives each argument a value that is
    unlikely to occur in the query otherwise (it marks where the argument goes)::

        TOKEN = CompiledQuery(
            lambda digest: ApiToken.objects.filter(key_hash=digest).values_list("pk"),
            digest="\x00digest",
        )
        TOKEN.rows(digest=...)

    With `fresh_for` (seconds), rows are kept per process and values for that long: a read on
    every request (the caller's token, a checkpoint) then costs no query, and a change made in
    another process shows within that time. Changes in this process show at once when the
    models named in `forget_on` are saved or deleted (signals), and `forget_all` (tests) drops
    every kept row.
    """

    _instances: weakref.WeakSet[CompiledQuery] = weakref.WeakSet()
    # Kept rows per query at most (the oldest go first); a worker serves a few devices.
    MAX_KEPT = 10_000

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        fresh_for: float = 0.0,
        forget_on: Sequence[type[models.Model]] = (),
        **samples: Any,
    ) -> None:
        self._build = build
        self._samples = samples
        self._fresh_for = fresh_for
        self._kept: dict[tuple, tuple[float, list[tuple]]] = {}
        CompiledQuery._instances.add(self)
        for model in forget_on:
            for signal in (post_save, post_delete):
                signal.connect(self._forget_signal, sender=model, weak=False)

    def _forget_signal(self, **kwargs: Any) -> None:
        self.forget()

    def forget(self) -> None:
        """Drop the rows kept by this query: the next read goes to the database."""
        self._kept.clear()

    @classmethod
    def forget_all(cls) -> None:
        """Drop the rows kept by every query (tests: the database rolled back under them)."""
        for query in list(cls._instances):
            query.forget()

    def _compile(self, using: str) -> tuple:
        connection = connections[using]
        compiler = self._build(**self._samples).query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = {}
        for name, sample in self._samples.items():
            where = [i for i, p in enumerate(params) if p == sample]
            if not where:
                raise ImproperlyConfigured(f"{name!r} does not reach the query's parameters.")
            slots[name] = where
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        compiled = (sql, list(params), slots, compiler, converters)
        # Kept on the connection object: each thread has its own, and the converters use it.
        connection.__dict__.setdefault("_coproduce_compiled", {})[self] = compiled
        return compiled

    def rows(self, using: str = "default", **values: Any) -> list[tuple]:
        """The rows for these values, converted as the ORM would convert them."""
        if self._fresh_for:
            key = (using, *values.items())
            kept = self._kept.get(key)
            now = monotonic()
            if kept is not None and now - kept[0] < self._fresh_for:
                return kept[1]
            rows = self._read(using, values)
            if len(self._kept) >= self.MAX_KEPT:
                self._kept.pop(next(iter(self._kept)))
            self._kept[key] = (now, rows)
            return rows
        return self._read(using, values)

    def _read(self, using: str, values: dict[str, Any]) -> list[tuple]:
        connection = connections[using]
        compiled = connection.__dict__.get("_coproduce_compiled", {}).get(self) or self._compile(
            using
        )
        sql, params, slots, compiler, converters = compiled
        params = list(params)
        for name, where in slots.items():
            for i in where:
                params[i] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(r) for r in compiler.apply_converters(rows, converters)]
        return rows


@dataclass(frozen=True)
class NewId:
    """In a dependent row of `insert_with_dependents`: the new id of the first row, as an
    integer, or as text after `prefix` (a source such as "checkpoints.scan:17")."""

    prefix: str | None = None


def insert_with_dependents(
    model: type[models.Model],
    row: Mapping[str, Any],
    *,
    unique: Sequence[str],
    absent: Sequence[str] = (),
    dependents: Sequence[tuple[type[models.Model], Mapping[str, Any]]],
    using: str = "default",
) -> int | None:
    """Insert one row, skipped if it breaks `unique`, and, only if it was inserted, rows that
    name its new id (`NewId` values): all or nothing. Returns the new id, or None when skipped.
    `absent` (PostgreSQL only) skips it too when a stored row has the same values of these
    fields, as in `insert_rows`.

    PostgreSQL does it in one statement (data-modifying CTEs), which is atomic by itself: one
    round trip instead of BEGIN, an INSERT per row and COMMIT. Other databases get a
    transaction of plain INSERTs.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        if absent:
            raise ImproperlyConfigured(
                "insert_with_dependents(absent=...) is for PostgreSQL's partitioned tables"
            )
        with transaction.atomic(using=using):
            inserted = insert_rows(model, [row], unique=unique, returning=("id",), using=using)
            if not inserted:
                return None
            ((new_id,),) = inserted
            for dependent, values in dependents:
                concrete = {
                    name: (
                        (new_id if value.prefix is None else f"{value.prefix}{new_id}")
                        if isinstance(value, NewId)
                        else value
                    )
                    for name, value in values.items()
                }
                insert_rows(dependent, [concrete], using=using)
            return new_id
    quote = connection.ops.quote_name
    names = tuple(row)
    params: list[Any] = [_adapter(model, n)(row[n], connection) for n in names]
    table = quote(model._meta.db_table)
    if absent:
        # INSERT ... SELECT typed values WHERE NOT EXISTS (a stored row with the same `absent`).
        values = "SELECT " + ", ".join(f"%s::{_field(model, n).db_type(connection)}" for n in names)
        values += (
            f" WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE "
            + " AND ".join(f"{quote(_field(model, n).column)} = %s" for n in absent)
            + ")"
        )
        params += [_adapter(model, n)(row[n], connection) for n in absent]
    else:
        values = f"VALUES ({', '.join(['%s'] * len(names))})"
    parts = [
        f"{quote('new')} AS (INSERT INTO {table} ({_columns(model, names, using)}) {values} "
        f"ON CONFLICT ({_columns(model, tuple(unique), using)}) DO NOTHING RETURNING id)"
    ]
    for k, (dependent, values) in enumerate(dependents):
        select = []
        for name, value in values.items():
            db_type = _field(dependent, name).db_type(connection)
            if isinstance(value, NewId):
                if value.prefix is None:
                    select.append(f"{quote('new')}.id")
                else:
                    select.append(f"(%s || {quote('new')}.id::text)::{db_type}")
                    params.append(value.prefix)
            else:
                select.append(f"%s::{db_type}")
                params.append(_adapter(dependent, name)(value, connection))
        parts.append(
            f"{quote(f'd{k}')} AS (INSERT INTO {quote(dependent._meta.db_table)} "
            f"({_columns(dependent, tuple(values), using)}) "
            f"SELECT {', '.join(select)} FROM {quote('new')})"
        )
    sql = "WITH " + ", ".join(parts) + f" SELECT id FROM {quote('new')}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return found[0] if found else None
