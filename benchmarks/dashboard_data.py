"""Generate the data of the dashboard benchmark (bench_dashboard.py uses it).

    python benchmarks/dashboard_data.py --db sqlite   --events 1m    # 1M residents, 1M events
    python benchmarks/dashboard_data.py --db postgres --events 10m   # the same residents, 10M

Zhejiang's real tree (1,489 divisions down to townships); 1,000,000 residents spread over the
townships (their home region: a township here, where the product wants a community, because
only the rollup matters to the dashboard), half of them registered by proxy, each with a health
code (90% green, 7% yellow, 3% red); 2,000 confirmed cases over 60 days; one place per 500
events, spread over the townships; and the presence log over 28 days. All in SQL (INSERT ...
SELECT over generate_series on PostgreSQL, over a recursive CTE on SQLite), the presence
indexes dropped during a load and rebuilt after it.

One database per engine, kept under /tmp/dashbench (SQLite) or as PostgreSQL's
cp_dashboard_bench; `--events 10m` on a database that holds 1M adds the other 9M.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESIDENTS = 1_000_000
EVENTS = {"1m": 1_000_000, "10m": 10_000_000}
PLACES = 20_000
CASES = 2_000
DAYS = 28
BASE = "2020-01-15 00:00:00"  # UTC; the log covers 28 days from here
PRESENCE_INDEXES = {
    "presence_place_at_idx": "(place_id, at)",
    "presence_person_at_idx": "(person_id, at)",
    "presence_at_idx": "(at)",
}
PG_DB = "cp_dashboard_bench"


def configure(db: str) -> None:
    """Point Django at the benchmark database of this engine, then set it up."""
    data = Path(f"/tmp/dashbench/{db}")
    data.mkdir(parents=True, exist_ok=True)
    os.environ["COPRODUCE_DATA_DIR"] = str(data)
    if db == "sqlite":
        os.environ["COPRODUCE_DATABASE_URL"] = f"sqlite:///{data / 'bench.sqlite3'}"
    else:
        os.environ["COPRODUCE_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,)).fetchone():
                c.execute(f"CREATE DATABASE {PG_DB}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["COPRODUCE_EXERCISE"] = "1"
    import django

    django.setup()


def _sql(pg: bool):
    if pg:
        return {
            "series": lambda n: f"generate_series(1, {n}) AS s(i)",
            "cte": lambda n: "",
            "rnd": lambda n: f"floor(random() * {n})::bigint",
            "at": f"timestamptz '{BASE}+00' + (floor(random() * {DAYS * 86400}) || ' seconds')::interval",
            "now": "now()",
            "text": "i::text",
            "pad": "lpad(i::text, 9, '0')",
            "true": "true",
            "false": "false",
        }
    return {
        "series": lambda n: "s",
        "cte": lambda n: (
            f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "
        ),
        "rnd": lambda n: f"(abs(random()) % {n})",
        "at": f"datetime('{BASE}', '+' || (abs(random()) % {DAYS * 86400}) || ' seconds')",
        "now": "datetime('now')",
        "text": "i",
        "pad": "printf('%09d', i)",
        "true": "1",
        "false": "0",
    }


def present(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our table names
        return cur.fetchone()[0]


def _bulk_mode(pg: bool) -> None:
    from django.db import connection

    if not pg:
        connection.close()
        with connection.cursor() as cur:
            cur.execute("PRAGMA journal_mode=DELETE")
            cur.execute("PRAGMA journal_mode=OFF")
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-2000000")


def _normal_mode(pg: bool) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        if not pg:
            cur.execute("PRAGMA journal_mode=WAL")


def base(db: str, out=print) -> None:
    """The tree, the residents and their codes, the places and the cases (once)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from coproduce.regions.models import Region
    from coproduce.regions.services import regions_import

    if not Region.objects.exists():
        path = ROOT / "coproduce" / "regions" / "data" / "zhejiang_divisions.csv"
        regions_import(text=path.read_text(encoding="utf-8"))
    pg = db == "postgres"
    s = _sql(pg)
    towns = list(
        Region.objects.filter(level="township").order_by("code").values_list("code", flat=True)
    )
    t0 = time.perf_counter()
    _bulk_mode(pg)
    with connection.cursor() as cur:
        # The townships as a numbered table, so that row i lives in township (i mod n).
        cur.execute("DROP TABLE IF EXISTS bench_town")
        cur.execute("CREATE TABLE bench_town (n integer PRIMARY KEY, code varchar(20))")
        cur.executemany("INSERT INTO bench_town VALUES (%s, %s)", list(enumerate(towns)))
        n = len(towns)
        reported = (
            "timestamptz '2020-01-21 08:00+00' + ((i % 60) || ' days')::interval"
            if pg
            else "datetime('2020-01-21 08:00:00', '+' || (i % 60) || ' days')"
        )
        test_day = (
            "date '2020-01-21' + (i % 60)"
            if pg
            else "date('2020-01-21', '+' || (i % 60) || ' days')"
        )
        steps = {
            "people_person": s["cte"](RESIDENTS)
            + "INSERT INTO people_person (id, public_id, status, national_id_hash, "
            "national_id_last4, name, phone, home_region_id, by_proxy, note, created_at, "
            f"updated_at) SELECT i, 'B' || {s['pad']}, 'registered', 'h' || {s['pad']}, '0000', "
            f"'resident ' || {s['text']}, '', t.code, (i % 2 = 0), '', {s['now']}, {s['now']} "
            f"FROM {s['series'](RESIDENTS)} JOIN bench_town t ON t.n = i % {n}",
            "health_codes_healthcode": s["cte"](RESIDENTS)
            + "INSERT INTO health_codes_healthcode (person_id, color, changed_at, computed_on, "
            "green_on) SELECT i, CASE WHEN i % 100 < 3 THEN 'red' WHEN i % 100 < 10 THEN "
            f"'yellow' ELSE 'green' END, {s['now']}, '2020-02-12', NULL "
            f"FROM {s['series'](RESIDENTS)}",
            "places_place": s["cte"](PLACES)
            + "INSERT INTO places_place (id, code, name, kind, region_id, active, created_at) "
            f"SELECT i, 'P' || {s['pad']}, 'place ' || {s['text']}, 'venue', t.code, "
            f"{s['true']}, {s['now']} FROM {s['series'](PLACES)} JOIN bench_town t ON t.n = i % {n}",
            "tracing_case": s["cte"](CASES)
            + "INSERT INTO tracing_case (person_id, region_id, status, onset_date, test_date, "
            "reported_at, reporting_unit, cluster, created_at, updated_at) "
            f"SELECT i * 7, p.home_region_id, 'confirmed', NULL, {test_day}, {reported}, '', '', "
            f"{s['now']}, {s['now']} FROM {s['series'](CASES)} JOIN people_person p ON p.id = i * 7",
        }
        for table, sql in steps.items():
            if present(table):
                continue
            t1 = time.perf_counter()
            cur.execute(sql)
            out(f"  {table}: {present(table):,} rows in {time.perf_counter() - t1:.0f} s")
        if pg:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('people_person', 'id'), %s)", [RESIDENTS]
            )
            cur.execute("SELECT setval(pg_get_serial_sequence('places_place', 'id'), %s)", [PLACES])
    _normal_mode(pg)
    out(f"{db}: residents, codes, places, cases in {time.perf_counter() - t0:.0f} s")


def events(db: str, size: str, out=print) -> None:
    """Bring the presence log to `size` events (1M, then 10M by adding 9M)."""
    from django.db import connection

    pg = db == "postgres"
    s = _sql(pg)
    want, have = EVENTS[size], present("places_presence")
    if have >= want:
        out(f"{db}: {have:,} presence events already there")
        return
    add = want - have
    t0 = time.perf_counter()
    if pg:  # the log is partitioned by day there (issue 18): one partition per day of the log
        from coproduce.core.partitions import partitions_ensure

        first = date.fromisoformat(BASE[:10])
        partitions_ensure(
            table="places_presence", column="at", first=first, last=first + timedelta(days=DAYS)
        )
    _bulk_mode(pg)
    with connection.cursor() as cur:
        for name in PRESENCE_INDEXES:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        person, place = s["rnd"](RESIDENTS) + " + 1", s["rnd"](PLACES) + " + 1"
        cur.execute(
            s["cte"](add) + "INSERT INTO places_presence (person_id, place_id, at, kind, source) "
            f"SELECT {person}, {place}, {s['at']}, 'scan', 'b:{have}:' || {s['text']} "
            f"FROM {s['series'](add)}"
        )
        out(f"  presence: {add:,} rows in {time.perf_counter() - t0:.0f} s")
        t1 = time.perf_counter()
        for name, cols in PRESENCE_INDEXES.items():
            cur.execute(f"CREATE INDEX {name} ON places_presence {cols}")
        out(f"  indexes built in {time.perf_counter() - t1:.0f} s")
    _normal_mode(pg)
    out(f"{db}: {want:,} presence events, {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--events", choices=sorted(EVENTS), required=True)
    args = parser.parse_args()
    configure(args.db)
    base(args.db, out=lambda x: print(x, flush=True))
    events(args.db, args.events, out=lambda x: print(x, flush=True))
