"""Province scale (issue 18, docs/scale.md): the partitioned presence log and scans per second
against one PostgreSQL with 1, 2 and 4 `coproduce serve` processes. Prints Markdown.

    .venv/bin/python benchmarks/bench_scale.py presence --rows 50000000 --days 28
    .venv/bin/python benchmarks/bench_scale.py serve --workers 1 2 4 --seconds 15

`presence` migrates a new database (the log partitioned by day), fills it with set-based SQL
(generate_series, one INSERT per day, foreign-key triggers off for the load), then times
contact discovery (tracing.discovery.near_query: 200 place/time ranges, and one) and the
retention of one day (dropping its partition) against the same purge by row deletion.
`serve` runs bench_checkpoints' scan load (wrk, one health-code token per request) against
`coproduce serve --workers N` on one PostgreSQL database.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_foundation import BIN, PG, ROOT, free_port, tree_rss_mib, wrk

CLI = [str(BIN / "python"), "-m", "coproduce.cli"]  # this checkout's code


def _run(env, *args) -> str:
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _database(prefix: str) -> tuple[dict, str]:
    name = f"{prefix}_{os.getpid()}"
    _run(os.environ, "psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}")
    data_dir = tempfile.mkdtemp(prefix="cp-bench-scale-")
    env = {
        **os.environ,
        "COPRODUCE_DATA_DIR": data_dir,
        "COPRODUCE_DATABASE_URL": f"{PG}/{name}",
        "COPRODUCE_LOG_LEVEL": "WARNING",
        "COPRODUCE_SCAN_RATE_PER_MINUTE": "1000000",
        "COPRODUCE_SCAN_BATCHES_PER_MINUTE": "100000",
    }
    _run(env, *CLI, "migrate", "-v0")
    return env, name


def _drop(name: str) -> None:
    _run(
        os.environ,
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-qc",
        f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
    )


PRESENCE = r"""
import json, random, sys, time
from datetime import UTC, date, datetime, timedelta
import django
django.setup()
from django.db import connection
from coproduce.core.partitions import partitions_drop_before, partitions_ensure
from coproduce.tracing.discovery import near_query

rows, days = int(sys.argv[1]), int(sys.argv[2])
places, people = 20000, 1000000
first = date(2020, 1, 13)
last = first + timedelta(days=days - 1)
out = {"rows": rows, "days": days, "places": places, "people": people}
partitions_ensure(table="places_presence", column="at", first=first, last=last)
per_day = rows // days
started = time.monotonic()
with connection.cursor() as c:
    c.execute("SET session_replication_role = replica")  # no FK triggers: ids are synthetic
    for d in range(days):
        day = datetime.combine(first + timedelta(days=d), datetime.min.time(), tzinfo=UTC)
        c.execute(
            "INSERT INTO places_presence (person_id, place_id, at, kind, source) "
            "SELECT 1 + (random() * %s)::bigint, 1 + (g %% %s), "
            "%s + (g::float8 / %s) * interval '1 day', 'scan', 'b' || %s || ':' || g "
            "FROM generate_series(0, %s - 1) g",
            [people - 1, places, day, per_day, d, per_day],
        )
    c.execute("SET session_replication_role = DEFAULT")
    out["load_s"] = round(time.monotonic() - started, 1)
    out["load_rows_per_s"] = round(per_day * days / out["load_s"])
    c.execute("ANALYZE places_presence")
    c.execute("SELECT pg_total_relation_size(inhrelid) FROM pg_inherits "
              "WHERE inhparent = 'places_presence'::regclass")
    out["size_mib"] = round(sum(r[0] for r in c.fetchall()) / 2**20)

rng = random.Random(1)
def ranges(n):
    mid = datetime.combine(first + timedelta(days=days // 2), datetime.min.time(), tzinfo=UTC)
    out = []
    for _ in range(n):
        t = mid + timedelta(minutes=rng.randint(0, 60 * 24 * 5))
        out.append((rng.randint(1, places), t - timedelta(minutes=30), t + timedelta(minutes=30)))
    return out
for n in (1, 200):
    timings, found = [], 0
    for _ in range(5):
        q = near_query(ranges(n))
        t0 = time.monotonic(); found = len(list(q)); timings.append(time.monotonic() - t0)
    out[f"discovery_{n}_ranges_ms"] = round(sorted(timings)[2] * 1000, 1)
    out[f"discovery_{n}_ranges_rows"] = found
with connection.cursor() as c:
    sql, params = near_query(ranges(3)).query.sql_with_params()
    c.execute("EXPLAIN " + sql, params)
    plan = "\n".join(r[0] for r in c.fetchall())
out["plan_uses_index"] = "Index" in plan and "Seq Scan" not in plan
out["plan_partitions"] = plan.count("places_presence_p")
# Retention: one day by dropping its partition, then the first hours of the next by deleting
# rows (5,000 a chunk), the SQLite way: a whole day of rows would take an hour at 50 M.
hours = int(sys.argv[3])
t0 = time.monotonic()
dropped, dropped_rows = partitions_drop_before(
    table="places_presence",
    before=datetime.combine(first + timedelta(days=1), datetime.min.time(), tzinfo=UTC),
)
out["drop_day_s"] = round(time.monotonic() - t0, 2)
out["drop_day_rows"] = dropped_rows
from coproduce.core.purge import rows_purge_before
from coproduce.places.models import Presence
t0 = time.monotonic()
purged = rows_purge_before(
    Presence, field="at",
    before=datetime.combine(first + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    + timedelta(hours=hours),
)
out["delete_hours"] = hours
out["delete_s"] = round(time.monotonic() - t0, 2)
out["delete_rows"] = purged.deleted
out["delete_day_s_estimate"] = round(out["delete_s"] * per_day / max(purged.deleted, 1), 1)
import resource
out["python_peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
"""


def presence(args) -> dict:
    env, name = _database("cp_bench_scale_p")
    try:
        env["DJANGO_SETTINGS_MODULE"] = "config.settings"
        done = _run(
            env,
            str(BIN / "python"),
            "-c",
            PRESENCE,
            str(args.rows),
            str(args.days),
            str(args.delete_hours),
        )
        return json.loads(done.strip().splitlines()[-1])
    finally:
        _drop(name)


def _serving(env, workers: int):
    port = free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            subprocess.run(
                ["curl", "-fs", f"{base}/api/v1/health"], check=True, capture_output=True
            )
            break
        except subprocess.CalledProcessError:
            time.sleep(0.5)
    return base, server


def _pg_cpu_seconds() -> float:
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if "(postgres)" in stat:
            fields = stat.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


PARTITIONS = r"""
import sys
from datetime import UTC, datetime, timedelta
import django
django.setup()
from coproduce.core.partitions import partitions_ensure, partitions_of
days = int(sys.argv[1])
today = datetime.now(UTC).date()
for table, column in (("places_presence", "at"), ("checkpoints_scan", "scanned_at")):
    partitions_ensure(table=table, column=column, first=today - timedelta(days=days - 8),
                      last=today + timedelta(days=7))
print(len(partitions_of("checkpoints_scan")))
"""


def serve(args) -> list[dict]:
    env, name = _database("cp_bench_scale_s")
    results = []
    try:
        out = Path(env["COPRODUCE_DATA_DIR"])
        setup = json.loads(
            _run(
                env,
                str(BIN / "python"),
                "benchmarks/_checkpoints_worker.py",
                "setup",
                str(args.people),
                "1",
                str(out),
            )
            .strip()
            .splitlines()[-1]
        )
        # A province's steady state: the retention's days behind and a week ahead, in both logs'
        # partitions (a scan's key probe reads one index per day).
        made = _run(
            {**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            str(BIN / "python"),
            "-c",
            PARTITIONS,
            str(args.partitions),
        )
        for workers in args.workers:
            base, server = _serving(env, workers)
            try:
                load_env = {
                    **os.environ,
                    "WRK_TOKEN": setup["token"],
                    "WRK_TOKENS": str(out / "tokens.txt"),
                    "WRK_CHECKPOINT": str(setup["checkpoint"]),
                    "WRK_SCANNED_AT": setup["scanned_at"],
                    "WRK_RUN": f"w{workers}",
                }
                url = f"{base}/api/v1/checkpoints/{setup['checkpoint']}/scans"
                script = str(ROOT / "benchmarks" / "scans.lua")
                wrk(url, seconds=2, connections=8, script=script, env=load_env)  # warm up
                cpu0, t0 = _pg_cpu_seconds(), time.monotonic()
                m = wrk(url, seconds=args.seconds, connections=16, script=script, env=load_env)
                pg_share = (_pg_cpu_seconds() - cpu0) / (time.monotonic() - t0)
                results.append(
                    {
                        "workers": workers,
                        "scan_partitions": int(made.strip().splitlines()[-1]),
                        **m,
                        "postgres_cpu_cores": round(pg_share, 2),
                        "rss_mib": tree_rss_mib(server.pid),
                        "load": os.getloadavg()[0],
                    }
                )
            finally:
                server.terminate()
                server.wait(timeout=60)
        return results
    finally:
        _drop(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("presence")
    p.add_argument("--rows", type=int, default=50_000_000)
    p.add_argument("--days", type=int, default=28)
    p.add_argument("--delete-hours", type=int, default=2)
    s = sub.add_parser("serve")
    s.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    s.add_argument("--seconds", type=int, default=15)
    s.add_argument("--people", type=int, default=2000)
    s.add_argument("--partitions", type=int, default=36, help="days of partitions in each log")
    args = parser.parse_args()
    started = time.monotonic()
    result = presence(args) if args.what == "presence" else serve(args)
    print(json.dumps(result, indent=1))
    print(f"# {time.monotonic() - started:.0f} s, load average {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()
