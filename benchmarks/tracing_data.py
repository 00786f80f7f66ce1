"""Generate the synthetic presence log of the tracing benchmark (bench_tracing.py uses it).

    python benchmarks/tracing_data.py --db sqlite   --size 10m   # 1M residents, 10M events
    python benchmarks/tracing_data.py --db postgres --size 1m    # 100k residents, 1M events

Each database lives in its own data directory under /tmp/i5bench (SQLite) or is the PostgreSQL
database cp_i5_bench_<size>; once generated it is kept and reused (a marker row says it is
complete). Generation runs inside the database: INSERT ... SELECT over a recursive CTE (SQLite)
or generate_series (PostgreSQL), with the presence indexes dropped during the load and built
afterwards, which is several times faster than maintaining them row by row.

Shape: residents scale with the log (10 events per resident over 28 days) and so do places
(one place per 500 events: 20,000 places for 10M events), so that a place sees about 0.75
events an hour in both sizes and the contacts per case stay comparable: what grows tenfold is
the log, the indexes and the residents, as when the platform serves a ten times larger city.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"10k": (1_000, 10_000), "1m": (100_000, 1_000_000), "10m": (1_000_000, 10_000_000)}
DAYS = 28
BASE = "2020-01-15 00:00:00"  # UTC; the log covers 28 days from here
AREA = "330111001001001"
PRESENCE_INDEXES = {
    "presence_place_at_idx": "(place_id, at)",
    "presence_person_at_idx": "(person_id, at)",
    "presence_at_idx": "(at)",
}


def configure(db: str, size: str) -> None:
    """Point Django at the benchmark database of this engine and size, then set it up."""
    data = Path(f"/tmp/i5bench/{db}-{size}")
    data.mkdir(parents=True, exist_ok=True)
    os.environ["COPRODUCE_DATA_DIR"] = str(data)
    if db == "sqlite":
        os.environ["COPRODUCE_DATABASE_URL"] = f"sqlite:///{data / 'bench.sqlite3'}"
    else:
        os.environ["COPRODUCE_DATABASE_URL"] = (
            f"postgres://postgres@127.0.0.1:5432/cp_i5_bench_{size}"
        )
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            exists = c.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (f"cp_i5_bench_{size}",)
            ).fetchone()
            if not exists:
                c.execute(f"CREATE DATABASE cp_i5_bench_{size}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def generated() -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM places_place WHERE code = 'BENCHDONE'")
        return cur.fetchone()[0] > 0


def generate(db: str, size: str, out=print) -> None:
    """Create the schema, then residents, places and the presence log, all in SQL."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if generated():
        out(f"{db}-{size}: already generated, reused")
        return
    residents, events = SIZES[size]
    places = events // 500
    from conftest import TREE  # the test tree: Fuyang's area 330111001001001 and Yuhang's
    from coproduce.regions.models import Region
    from coproduce.regions.services import regions_import

    if not Region.objects.exists():
        regions_import(text=TREE)
    t0 = time.perf_counter()
    pg = db == "postgres"
    if not pg:
        # A bulk load into a throwaway file: no journal, no fsync, and a page cache (2 GB) that
        # holds the table and its indexes, so that no page is spilled and written twice.
        connection.close()
        with connection.cursor() as cur:
            cur.execute("PRAGMA journal_mode=DELETE")
            cur.execute("PRAGMA journal_mode=OFF")
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-2000000")
    with connection.cursor() as cur:
        for name in PRESENCE_INDEXES:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        cur.execute("DELETE FROM places_presence")
        cur.execute("DELETE FROM people_person")
        cur.execute("DELETE FROM places_place")
        if pg:
            series = "generate_series(1, %d) AS s(i)"
            rnd = "floor(random() * %d)::bigint"
            at = f"timestamptz '{BASE}+00' + (floor(random() * {DAYS * 86400}) || ' seconds')::interval"
            now = "now()"
            text = "i::text"
            pad = "lpad(i::text, 9, '0')"
        else:
            series = "s"
            rnd = "(abs(random()) %% %d)"
            at = f"datetime('{BASE}', '+' || (abs(random()) % {DAYS * 86400}) || ' seconds')"
            now = "datetime('now')"
            text = "i"
            pad = "printf('%09d', i)"

        def cte(n: int) -> str:
            if pg:
                return ""
            return f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "

        cur.execute(
            cte(residents) + "INSERT INTO people_person (id, public_id, status, national_id_hash, "
            "national_id_last4, name, phone, home_region_id, by_proxy, note, created_at, "
            f"updated_at) SELECT i, 'B' || {pad}, 'unregistered', NULL, '', 'resident ' || {text}, "
            f"'', '{AREA}', false, '', {now}, {now} FROM " + (series % residents if pg else "s")
        )
        out(f"  residents: {residents:,} in {time.perf_counter() - t0:.0f} s")
        cur.execute(
            cte(places)
            + "INSERT INTO places_place (id, code, name, kind, region_id, active, created_at) "
            f"SELECT i, 'P' || {pad}, 'place ' || {text}, 'venue', '{AREA}', true, {now} FROM "
            + (series % places if pg else "s")
        )
        t1 = time.perf_counter()
        person = (rnd % residents) + " + 1"
        place = (rnd % places) + " + 1"
        cur.execute(
            cte(events) + "INSERT INTO places_presence (person_id, place_id, at, kind, source) "
            f"SELECT {person}, {place}, {at}, 'scan', 'b:' || {text} FROM "
            + (series % events if pg else "s")
        )
        out(f"  presence: {events:,} rows in {time.perf_counter() - t1:.0f} s")
        t2 = time.perf_counter()
        for name, cols in PRESENCE_INDEXES.items():
            cur.execute(f"CREATE INDEX {name} ON places_presence {cols}")
        out(f"  indexes built in {time.perf_counter() - t2:.0f} s")
        if pg:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('people_person', 'id'), %s)", [residents]
            )
            cur.execute("SELECT setval(pg_get_serial_sequence('places_place', 'id'), %s)", [places])
            cur.execute("ANALYZE")
        else:
            cur.execute("ANALYZE")
        cur.execute(
            "INSERT INTO places_place (code, name, kind, region_id, active, created_at) "
            f"VALUES ('BENCHDONE', 'marker', 'other', '{AREA}', false, {now})"
        )
    if not pg:
        with connection.cursor() as cur:
            cur.execute("PRAGMA journal_mode=WAL")
    out(f"{db}-{size}: generated in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    args = parser.parse_args()
    configure(args.db, args.size)
    generate(args.db, args.size, out=lambda s: print(s, flush=True))
