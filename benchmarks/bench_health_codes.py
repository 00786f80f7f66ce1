"""Benchmark: recomputing the health codes of N residents (the daily task), on SQLite.

Each size runs in a fresh process over a fresh SQLite file (COPRODUCE_DATA_DIR in a temporary
directory): migrate, bulk-insert N people across 179 residential areas, give 10% of them a
condition (5% centralized from 10 days ago, 4% home from 5 days ago, 1% an active case) with a
daily report for every day since (one in twenty abnormal), then time
`services.health_codes_recompute_all` twice: the first run creates every HealthCode row, the
next is the steady state of the daily task (a clock one day later, so codes change). Reports
the time, the rate, tracemalloc's peak and the process's peak resident memory. Prints Markdown.

    .venv/bin/python benchmarks/bench_health_codes.py              # 10,000 and 100,000
    .venv/bin/python benchmarks/bench_health_codes.py --sizes 1000  # a smoke run
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(n: int) -> dict:
    import datetime as dt
    import random
    import resource
    import time
    import tracemalloc
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from coproduce.core.clock import exercise_clock_set
    from coproduce.health_codes import services
    from coproduce.health_codes.models import Condition, HealthReport
    from coproduce.people.models import Person
    from coproduce.regions.models import Region

    call_command("migrate", verbosity=0)
    rng = random.Random(2020)
    Region.objects.create(code="1", name="P", level="province", path="/1/", depth=0)
    areas = [
        Region(
            code=f"1{i:04d}",
            name=f"A{i}",
            level="residential_area",
            path=f"/1/1{i:04d}/",
            depth=1,
            parent_id="1",
        )
        for i in range(179)
    ]
    Region.objects.bulk_create(areas)
    now = timezone.now()
    Person.objects.bulk_create(
        [
            Person(
                public_id=f"B{i:015d}",
                national_id_hash=f"{i:064d}",
                name=f"P{i}",
                home_region_id=areas[i % 179].code,
                created_at=now,
                updated_at=now,
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    today = dt.date(2020, 2, 12)
    ids = list(Person.objects.values_list("pk", flat=True))
    conditions, reports = [], []
    for pk in rng.sample(ids, n // 10):
        roll = rng.random()
        if roll < 0.5:
            kind, reason, start = (
                "centralized_quarantine",
                "close_contact",
                today - dt.timedelta(10),
            )
        elif roll < 0.9:
            kind, reason, start = "home_quarantine", "secondary_contact", today - dt.timedelta(5)
        else:
            kind, reason, start = "active_case", "confirmed_case", today - dt.timedelta(3)
        conditions.append(
            Condition(
                person_id=pk,
                kind=kind,
                reason=reason,
                starts_on=start,
                source=f"bench:{pk}",
                created_at=now,
            )
        )
        day = start
        while day < today:
            abnormal = rng.random() < 0.05
            reports.append(
                HealthReport(
                    person_id=pk,
                    on=day,
                    filed_at=now,
                    abnormal=abnormal,
                    temperature_c=Decimal("37.8" if abnormal else "36.5"),
                )
            )
            day += dt.timedelta(1)
    Condition.objects.bulk_create(conditions, batch_size=5000)
    HealthReport.objects.bulk_create(reports, batch_size=5000)

    shanghai = ZoneInfo("Asia/Shanghai")
    out = {"n": n, "conditions": len(conditions), "reports": len(reports)}
    for label, day in (("first", today), ("daily", today + dt.timedelta(1))):
        exercise_clock_set(
            moment=dt.datetime(day.year, day.month, day.day, 1, tzinfo=shanghai), actor=None
        )
        started, cpu = time.perf_counter(), time.process_time()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            cProfile.runctx(
                "services.health_codes_recompute_all()", globals(), locals(), sort="cumulative"
            )
        result = services.health_codes_recompute_all()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        # Memory in a separate run: tracemalloc slows Python down several times.
        tracemalloc.start()
        services.health_codes_recompute_all()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        out[label] = {
            "seconds": round(seconds, 2),
            "cpu": round(cpu, 2),
            "per_second": round(n / seconds),
            "changed": result.changed,
            "created": result.created,
            "tracemalloc_peak_mib": round(peak / 2**20, 1),
        }
    out["maxrss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as data:
            env = {
                **os.environ,
                "COPRODUCE_DATA_DIR": data,
                "COPRODUCE_EXERCISE": "1",
                "COPRODUCE_DATABASE_URL": f"sqlite:///{data}/bench.sqlite3",
            }
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(n)],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(
        "| residents | with conditions | reports | run | seconds (CPU) | codes/s | changed | "
        "tracemalloc peak | process peak RSS |"
    )
    print("| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        for label in ("first", "daily"):
            x = r[label]
            print(
                f"| {r['n']:,} | {r['conditions']:,} | {r['reports']:,} | {label} | "
                f"{x['seconds']} ({x['cpu']}) | {x['per_second']:,} | {x['changed']:,} | "
                f"{x['tracemalloc_peak_mib']} MiB | {r['maxrss_mib']} MiB |"
            )


if __name__ == "__main__":
    main()
