"""Benchmark contact discovery and rounds over a synthetic presence log (docs/benchmarks-tracing.md).

    python benchmarks/bench_tracing.py                       # sqlite and postgres, 1M and 10M
    python benchmarks/bench_tracing.py --db sqlite --size 1m # one combination

The databases come from benchmarks/tracing_data.py (generated once, kept under /tmp/i5bench and
as PostgreSQL databases cp_i5_bench_<size>). Each combination runs in its own process, so that
its peak resident memory is its own. Inside, in one transaction rolled back at the end (the
generated log stays as it was):

1. a "busy" case: 20 presences of one resident at random places in a 5-day infectious window;
   contact discovery (coproduce.tracing.discovery.contacts_compute: the indexed two-phase read
   and the pure rule) timed cold and then warm (median of 5), with its query count;
2. the query plan (EXPLAIN) of the co-presence read, which must use presence_place_at_idx;
3. the yardstick: the same degree-1 and degree-2 contacts by one hand-written SQL query
   (self-joins of the presence log), timed the same way; both must find the same people;
4. a case with exactly 50 first-degree contacts (at a place of its own), and its three rounds
   (services.round_start: refresh, select, group, tasks), the tasks of each round finished
   between rounds (80% reached, 20% not found).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2020, 2, 12, 10, tzinfo=TZ)
WINDOW = (datetime(2020, 2, 3, tzinfo=TZ), datetime(2020, 2, 8, 12, tzinfo=TZ))


class Rollback(Exception):
    pass


def _timed(fn, repeat=5):
    t0 = time.perf_counter()
    first = fn()
    cold = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return first, cold, statistics.median(times), min(times)


def yardstick_sql(vendor: str) -> str:
    """Degree 1 and 2 by hand: self-joins over (person, at) and (place, at)."""
    if vendor == "postgresql":
        lo, hi = "c.at - interval '30 minutes'", "c.at + interval '30 minutes'"
        slo, shi = "s.at - interval '30 minutes'", "s.at + interval '30 minutes'"
        later = "GREATEST(c.at, p.at)"
    else:
        lo, hi = "datetime(c.at, '-30 minutes')", "datetime(c.at, '+30 minutes')"
        slo, shi = "datetime(s.at, '-30 minutes')", "datetime(s.at, '+30 minutes')"
        later = "MAX(c.at, p.at)"
    return f"""
WITH d1 AS (
  SELECT p.person_id, MIN({later}) AS exposed
  FROM places_presence c
  JOIN places_presence p ON p.place_id = c.place_id AND p.at BETWEEN {lo} AND {hi}
  WHERE c.person_id = %(case)s AND c.at BETWEEN %(start)s AND %(end)s
    AND p.person_id <> %(case)s
  GROUP BY p.person_id
), d2 AS (
  SELECT DISTINCT q.person_id
  FROM d1
  JOIN places_presence s ON s.person_id = d1.person_id AND s.at > d1.exposed
  JOIN places_presence q ON q.place_id = s.place_id AND q.at BETWEEN {slo} AND {shi}
  WHERE q.person_id <> %(case)s AND q.person_id NOT IN (SELECT person_id FROM d1)
)
SELECT person_id, 1 FROM d1 UNION ALL SELECT person_id, 2 FROM d2
"""


def run_one(db: str, size: str) -> dict:
    import tracing_data

    tracing_data.configure(db, size)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    if not tracing_data.generated():
        raise SystemExit(f"{db}-{size}: generate it first (benchmarks/tracing_data.py)")
    from django.conf import settings

    settings.COPRODUCE_EXERCISE = True
    from coproduce.core import clock
    from coproduce.fieldwork import services as task_services
    from coproduce.fieldwork.models import Task
    from coproduce.orgs.services import organization_create
    from coproduce.places.models import Place, Presence
    from coproduce.regions.models import Region
    from coproduce.tracing import discovery, services
    from coproduce.tracing.models import Case
    from coproduce.tracing.policy import tracing_policy

    residents, events = tracing_data.SIZES[size]
    places = events // 500
    result = {"db": db, "size": size, "residents": residents, "events": events}
    result["events_in_log"] = Presence.objects.count()
    policy = tracing_policy()
    try:
        with transaction.atomic():
            clock.exercise_clock_set(moment=NOW, actor=None)
            import random

            rnd = random.Random(5)
            case_person = 7  # any resident: their own presences are added below
            span = int((WINDOW[1] - WINDOW[0]).total_seconds())
            Presence.objects.bulk_create(
                Presence(
                    person_id=case_person,
                    place_id=rnd.randint(1, places),
                    at=(WINDOW[0] + timedelta(seconds=rnd.randrange(span))).astimezone(UTC),
                    kind="scan",
                    source=f"bench:case:{i}",
                )
                for i in range(20)
            )
            case = Case.objects.create(
                person_id=case_person,
                region_id=tracing_data.AREA,
                status="confirmed",
                onset_date=datetime(2020, 2, 5).date(),
                isolated_at=WINDOW[1],
                reported_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )

            def discover():
                return discovery.contacts_compute(
                    case=case, household=[], interviews=[], now=NOW, policy=policy
                )

            with CaptureQueriesContext(connection) as queries:
                found = discover()
            result["discovery_queries"] = len(queries)
            found, cold, warm, best = _timed(discover)
            tracemalloc.start()
            discover()
            result["discovery_tracemalloc_peak_mb"] = round(
                tracemalloc.get_traced_memory()[1] / 2**20, 2
            )
            tracemalloc.stop()
            by_degree = discovery.degree_counts(found.contacts)
            result.update(
                discovery_cold_s=round(cold, 4),
                discovery_median_s=round(warm, 4),
                discovery_best_s=round(best, 4),
                degree1=by_degree.get(1, 0),
                degree2=by_degree.get(2, 0),
                events_read=found.events_read,
            )
            # The plan of the co-presence read (one merged range per source presence).
            own = discovery.presence_of(
                person_ids=[case_person], after=WINDOW[0] - timedelta(seconds=1), until=WINDOW[1]
            )
            ranges = [
                (pl, at - timedelta(minutes=30), at + timedelta(minutes=30)) for _, pl, at in own
            ]
            result["plan_near"] = discovery.near_query(ranges[:3]).explain()
            result["plan_own"] = (
                Presence.objects.filter(person_id=case_person, at__gt=WINDOW[0], at__lte=WINDOW[1])
                .values_list("person_id", "place_id", "at")
                .explain()
            )

            # The yardstick: the same contacts in one hand-written query.
            sql = yardstick_sql(connection.vendor)
            params = {
                "case": case_person,
                "start": WINDOW[0].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                "end": WINDOW[1].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            }
            if connection.vendor == "postgresql":
                params["start"], params["end"] = WINDOW[0], WINDOW[1]

            def by_hand():
                with connection.cursor() as cur:
                    cur.execute(sql, params)
                    return cur.fetchall()

            rows, cold, warm, best = _timed(by_hand)
            result.update(
                sql_cold_s=round(cold, 4), sql_median_s=round(warm, 4), sql_best_s=round(best, 4)
            )
            hand = {(int(p), d) for p, d in rows}
            orm = {(int(c.person), c.degree) for c in found.contacts}
            result["same_contacts_as_sql"] = hand == orm
            if hand != orm:
                result["diff"] = [sorted(hand - orm)[:10], sorted(orm - hand)[:10]]

            # A case with exactly 50 first-degree contacts, at a place of its own; 3 rounds.
            area = Region.objects.get(code=tracing_data.AREA)
            organization_create(
                name="Bench Village Officers",
                category="government_unit",
                home_region=area,
                service_regions=[area],
                actor=None,
                slug="bench-officers",
                verified=True,
            )
            place = Place.objects.create(
                code="BENCHPLACE", name="bench place", kind="venue", region=area
            )
            meet = datetime(2020, 2, 6, 11, tzinfo=TZ)
            others = rnd.sample(range(100, residents), 50)
            rows = [
                Presence(person_id=11, place_id=place.pk, at=meet, kind="visit", source="bench:c50")
            ]
            rows += [
                Presence(
                    person_id=p,
                    place_id=place.pk,
                    at=meet + timedelta(minutes=i % 25),
                    kind="visit",
                    source=f"bench:c50:{p}",
                )
                for i, p in enumerate(others)
            ]
            Presence.objects.bulk_create(rows)
            case50 = Case.objects.create(
                person_id=11,
                region_id=tracing_data.AREA,
                status="confirmed",
                onset_date=datetime(2020, 2, 6).date(),
                isolated_at=meet + timedelta(hours=2),
                reported_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
            rounds = []
            for number in (1, 2, 3):
                t0 = time.perf_counter()
                round_, created = services.round_start(case=case50, actor=None)
                elapsed = time.perf_counter() - t0
                rounds.append(
                    {"round": round_.number, "tasks": created, "seconds": round(elapsed, 4)}
                )
                for i, task in enumerate(
                    Task.objects.filter(trace_task__round=round_).order_by("id")
                ):
                    task_services.task_update(
                        task=task,
                        actor=None,
                        status="done",
                        outcome="not_found" if i % 5 == 4 else "reached",
                    )
                clock.exercise_clock_set(moment=NOW + timedelta(days=number), actor=None)
            result["case50_degree1"] = case50.contacts.filter(degree=1).count()
            result["case50_degree2"] = case50.contacts.filter(degree=2).count()
            result["rounds"] = rounds
            raise Rollback
    except Rollback:
        pass
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def markdown(results: list[dict]) -> str:
    lines = [
        "| db | log | residents | discovery cold / median (s) | hand SQL cold / median (s) "
        "| same contacts | queries | degree 1 / 2 | events read | 3 rounds, 50 contacts (s) "
        "| tasks per round | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        rounds = r["rounds"]
        lines.append(
            f"| {r['db']} | {r['events_in_log']:,} | {r['residents']:,} "
            f"| {r['discovery_cold_s']} / {r['discovery_median_s']} "
            f"| {r['sql_cold_s']} / {r['sql_median_s']} | {r['same_contacts_as_sql']} "
            f"| {r['discovery_queries']} | {r['degree1']} / {r['degree2']} | {r['events_read']} "
            f"| {' + '.join(str(x['seconds']) for x in rounds)} "
            f"| {' / '.join(str(x['tasks']) for x in rounds)} | {r['peak_rss_mb']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"])
    parser.add_argument("--size", choices=["10k", "1m", "10m"])
    parser.add_argument("--one", action="store_true", help="run in this process, print JSON")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.db, args.size), default=str))
        return
    combos = [
        (d, s)
        for d in ([args.db] if args.db else ["sqlite", "postgres"])
        for s in ([args.size] if args.size else ["1m", "10m"])
    ]
    results = []
    for db, size in combos:
        out = subprocess.run(
            [sys.executable, __file__, "--db", db, "--size", size, "--one"],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(f"{db}-{size} failed:\n{out.stderr[-3000:]}", file=sys.stderr)
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}"
    )
    print(markdown(results))
    for r in results:
        print(f"\n{r['db']} {r['size']} plan of the co-presence read:\n{r['plan_near']}")
        print(f"{r['db']} {r['size']} plan of the case's own presences:\n{r['plan_own']}")
        if "diff" in r:
            print("DIFF", r["diff"])
    Path("/tmp/i5bench/results.json").write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
