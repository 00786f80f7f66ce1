"""Benchmark the dashboards over 1M residents and 1M or 10M presence events (docs/benchmarks-dashboard.md).

    python benchmarks/dashboard_data.py --db sqlite --events 1m     # the data, once
    python benchmarks/bench_dashboard.py --db sqlite --label 1m      # then this

What it measures, on the database dashboard_data.py made:
1. the refresh of the kept figures after the load (the presence log counted from its
   high-water mark; residents, codes and cases recounted);
2. every panel of the province's dashboard (330000) and of one county's (Fuyang, 330111):
   `selectors.panel_compute` for the 28 days of the log, 40 times each after one warm-up,
   p50 and p95 in ms, with the number of queries; Table 1 regenerated, and the public figures;
3. the recount of the gauges over every resident (codes, registrations), which the scheduler
   runs every 10 minutes;
4. the freshness lag under write load: a writer inserts presence rows (batches of 50, about
   500 a second, as checkpoint uploads would) while the scheduler's refresh runs every
   `--interval` seconds; the lag of a row is the time from its insert to the end of the refresh
   that counted it.
Prints Markdown and writes /tmp/dashbench/results-DB-LABEL.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dashboard_data import PLACES, RESIDENTS, configure, present  # noqa: E402

REGIONS = {"province": "330000", "county": "330111"}


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def timed(fn, runs):
    from django.db import connection, reset_queries

    fn()  # warm
    times, queries = [], 0
    for _ in range(runs):
        reset_queries()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        queries = len(connection.queries)
    return {"p50": statistics.median(times), "p95": pct(times, 0.95), "queries": queries}


def panels(runs: int) -> dict:
    from django.conf import settings

    from coproduce.accounts.permissions import Scope
    from coproduce.core.metrics import Period
    from coproduce.dashboard import selectors
    from coproduce.regions.selectors import region_get

    settings.DEBUG = True  # counts queries
    period = Period(date(2020, 1, 15), date(2020, 2, 11))
    scope = Scope(everywhere=True, grants=())
    out = {}
    for name, code in REGIONS.items():
        region = region_get(code=code)
        rows = {}
        for panel in selectors.panel_sources():
            rows[panel] = timed(
                lambda panel=panel, region=region: selectors.panel_compute(
                    scope=scope, region=region, period=period, panel=panel
                ),
                runs,
            )
        rows["coproduction"] = timed(
            lambda region=region: selectors.coproduction_compute(region=region, period=period),
            runs,
        )
        rows["public"] = timed(lambda region=region: selectors.public_region(region=region), runs)
        out[name] = rows
    settings.DEBUG = False
    return out


def freshness(db: str, seconds: float, interval: float) -> dict:
    """Writer thread at ~500 rows/s; refreshes every `interval` s; lag per batch."""
    from django.db import connection

    from coproduce.core.models import TallyMark
    from coproduce.scheduler.figures import tallies_refresh

    batches: list[tuple[int, float]] = []  # (highest id of the batch, wall time of its commit)
    stop = threading.Event()
    errors = []

    def writer():
        from django.db import connection as conn

        rng = random.Random(7)
        n = 0
        try:
            while not stop.is_set():
                rows = []
                for _ in range(50):
                    n += 1
                    rows.append(
                        (
                            rng.randint(1, RESIDENTS),
                            rng.randint(1, PLACES),
                            "2020-02-11 02:00:00+00:00",
                            "scan",
                            f"w:{time.time_ns()}:{n}",
                        )
                    )
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO places_presence (person_id, place_id, at, kind, source) "
                        "VALUES (%s, %s, %s, %s, %s)",
                        rows,
                    )
                    cur.execute("SELECT max(id) FROM places_presence")
                    top = cur.fetchone()[0]
                batches.append((top, time.perf_counter()))
                time.sleep(0.1)
        except Exception as exc:  # noqa: BLE001 - reported in the results
            errors.append(repr(exc))
        finally:
            conn.close()

    tallies_refresh(settled=True)
    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    refreshes, lags = [], []
    counted_upto = TallyMark.objects.get(source="places.presences").last_id
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        time.sleep(interval)
        t0 = time.perf_counter()
        tallies_refresh(gauges=False)  # as the scheduler's minute refresh (gauges: 10 minutes)
        done = time.perf_counter()
        refreshes.append(done - t0)
        last = TallyMark.objects.get(source="places.presences").last_id
        lags += [done - at for top, at in batches if counted_upto < top <= last]
        counted_upto = last
    stop.set()
    thread.join()
    connection.close()
    return {
        "interval_s": interval,
        "rows_written": 50 * len(batches),
        "rows_per_s": round(50 * len(batches) / seconds),
        "refresh_s_p50": statistics.median(refreshes),
        "refresh_s_max": max(refreshes),
        "lag_s_p50": statistics.median(lags) if lags else None,
        "lag_s_p95": pct(lags, 0.95) if lags else None,
        "lag_s_max": max(lags) if lags else None,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--label", default="")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--interval", type=float, default=10)
    parser.add_argument(
        "--skip-backfill",
        action="store_true",
        help="mark the presence log counted up to its newest row instead of counting it (the "
        "one-time backfill of a grown log; the panels then read the tallies as they were)",
    )
    args = parser.parse_args()
    configure(args.db)
    from coproduce.scheduler.figures import tallies_refresh

    events = present("places_presence")
    if args.skip_backfill:
        from django.db.models import Max

        from coproduce.core.models import TallyMark
        from coproduce.places.models import Presence

        top = Presence.objects.aggregate(m=Max("pk"))["m"]
        TallyMark.objects.filter(source="places.presences").update(last_id=top, seen_id=top)
    t0 = time.perf_counter()
    counted = tallies_refresh(settled=True)
    refresh = time.perf_counter() - t0
    t0 = time.perf_counter()
    gauges = {k: v for k, v in tallies_refresh(settled=True).items() if "gauges" in k}
    gauge_refresh = time.perf_counter() - t0
    result = {
        "gauge_refresh_s": gauge_refresh,
        "gauges": gauges,
        "db": args.db,
        "events": events,
        "residents": present("people_person"),
        "tally_rows": present("core_tally"),
        "refresh_after_load_s": refresh,
        "refresh_counted": counted,
        "panels": panels(args.runs),
        "freshness": freshness(args.db, args.seconds, args.interval),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load": Path("/proc/loadavg").read_text().split()[:3],
    }
    Path(f"/tmp/dashbench/results-{args.db}-{args.label or events}.json").write_text(
        json.dumps(result, indent=2, default=str)
    )
    print(f"## {args.db}, {events:,} presence events, {result['residents']:,} residents")
    print(f"refresh after the load: {refresh:.1f} s; tally rows {result['tally_rows']:,}")
    print(f"refresh by module: {json.dumps(counted)}")
    print(f"a refresh with the gauges: {gauge_refresh:.1f} s: {json.dumps(gauges)}")
    print("| region | panel | p50 ms | p95 ms | queries |\n| --- | --- | --- | --- | --- |")
    for region, rows in result["panels"].items():
        for panel, r in rows.items():
            print(f"| {region} | {panel} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} |")
    print(f"freshness: {json.dumps(result['freshness'])}")
    print(f"peak RSS {result['peak_rss_mb']:.0f} MB; load {' '.join(result['load'])}")


if __name__ == "__main__":
    main()
