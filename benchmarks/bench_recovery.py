"""Benchmark the resumption aggregates: the province's figures on one date over N enterprises
with D days of reports each, and at ten times the enterprises, on SQLite and PostgreSQL.

Run from the repository root (each scenario in a fresh process and a throwaway database):

    .venv/bin/python benchmarks/bench_recovery.py --db both            # 10,000 x 30 days, and x10
    .venv/bin/python benchmarks/bench_recovery.py --db sqlite --quick  # 10,000 only

The data: Zhejiang's divisions; enterprises spread over its 1,387 townships, 80% of them in
parks (one park per 13 enterprises, 777 for 10,000); one report per enterprise per day, opening
and ramping up over the days. Reports are written in bulk and the kept aggregates built once by
`aggregates_rebuild` (the services keep them the same way report by report; the tests check the
two agree). Then it times, 30 times each: `resumption_on` for the province on the last day (the
figure the issue asks for), the same for one industry, the child regions, the 30-day trend, and
filing one report through the service (which updates the kept aggregates in its transaction).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
INDUSTRIES = [
    "footwear_leather",
    "clothing",
    "glass",
    "metal_products",
    "machinery",
    "electronics",
    "textiles",
    "chemicals",
    "food",
    "plastics",
    "other",
]


def _time(fn, runs=30):
    fn()  # warm: compiled statements, caches
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
    }


def scenario(enterprises: int, days: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from coproduce.accounts.permissions import scope_for
    from coproduce.accounts.services import user_create
    from coproduce.recovery.models import (
        Enterprise,
        IndustrialPark,
        ResumptionReport,
        ResumptionTally,
    )
    from coproduce.recovery.selectors.resumption import (
        resumption_by_child,
        resumption_on,
        resumption_series,
    )
    from coproduce.recovery.services import resumption_report_create
    from coproduce.recovery.services.aggregates import aggregates_rebuild
    from coproduce.regions.models import Region
    from coproduce.regions.services import regions_import

    rng = random.Random(13)
    regions_import(text=(ROOT / "coproduce/regions/data/zhejiang_divisions.csv").read_text())
    townships = list(Region.objects.filter(level="township").values_list("code", "parent_id"))
    by_county: dict[str, list[str]] = {}
    for code, county in townships:
        by_county.setdefault(county, []).append(code)
    admin = user_create(
        username="bench", password="x" * 20, roles=[], check_password=False, is_superuser=True
    )
    t0 = time.perf_counter()
    parks = IndustrialPark.objects.bulk_create(
        [
            IndustrialPark(name=f"P{i}", region_id=townships[i % len(townships)][1])
            for i in range(enterprises // 13)
        ],
        batch_size=2000,
    )
    ents = []
    for i in range(enterprises):
        park = parks[i % len(parks)] if rng.random() < 0.8 else None
        region = (
            rng.choice(townships)[0]
            if park is None
            else next((c for c, p in townships if p == park.region_id), townships[0][0])
        )
        ents.append(
            Enterprise(
                name=f"E{i}",
                industry=rng.choice(INDUSTRIES),
                size_class="micro",
                workers_total=rng.randint(5, 80),
                region_id=region,
                park=park,
            )
        )
    ents = Enterprise.objects.bulk_create(ents, batch_size=2000)
    first = date(2020, 1, 28)
    last = first + timedelta(days=days - 1)
    # One report per enterprise per day, written by the database itself (INSERT ... SELECT): an
    # enterprise opens on a day of its own and ramps up from 30% of its workers to all of them.
    table, ents_table = ResumptionReport._meta.db_table, Enterprise._meta.db_table
    opens = f"((e.id * 7919) %% {days + 1})"
    if connection.vendor == "postgresql":
        sql = (
            f"INSERT INTO {table} (enterprise_id, date, open, workers_on_site, capacity_pct, blockers, note, created_at) "
            f"SELECT e.id, %s::date + k, k >= {opens}, "
            f"CASE WHEN k >= {opens} THEN floor(e.workers_total * LEAST(1.0, 0.3 + 0.7 * k / {days}))::int ELSE 0 END, "
            f"NULL, CASE WHEN (e.id + k) %% 10 = 0 THEN '[\"raw_materials\"]'::jsonb ELSE '[]'::jsonb END, '', now() "
            f"FROM {ents_table} e CROSS JOIN generate_series(0, {days - 1}) AS k"
        )
        params = [first]
    else:
        sql = (
            f"WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < {days - 1}) "
            f"INSERT INTO {table} (enterprise_id, date, open, workers_on_site, capacity_pct, blockers, note, created_at) "
            f"SELECT e.id, date(%s, '+' || k || ' days'), k >= {opens}, "
            f"CASE WHEN k >= {opens} THEN CAST(e.workers_total * MIN(1.0, 0.3 + 0.7 * k / {days}.0) AS INTEGER) ELSE 0 END, "
            f"NULL, CASE WHEN (e.id + k) %% 10 = 0 THEN '[\"raw_materials\"]' ELSE '[]' END, '', datetime('now') "
            f"FROM {ents_table} e, d"
        )
        params = [first.isoformat()]
    with connection.cursor() as c:
        c.execute(sql, params)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    rebuilt = aggregates_rebuild()
    rebuild_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")

    scope = scope_for(admin, "recovery.aggregates")
    province = Region.objects.get(code="330000")
    tracemalloc.start()
    figures = resumption_on(scope=scope, region=province, on=last)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out = {
        "db": connection.vendor,
        "enterprises": enterprises,
        "reports": ResumptionReport.objects.count(),
        "tally_rows": ResumptionTally.objects.count(),
        "load_s": round(load_s, 1),
        "rebuild_s": round(rebuild_s, 1),
        "rebuilt": rebuilt,
        "province_on_date": _time(lambda: resumption_on(scope=scope, region=province, on=last)),
        "province_one_industry": _time(
            lambda: resumption_on(scope=scope, region=province, on=last, industry="glass")
        ),
        "children_of_province": _time(
            lambda: resumption_by_child(scope=scope, region=province, on=last)
        ),
        "trend_30_days": _time(
            lambda: resumption_series(scope=scope, region=province, start=first, end=last)
        ),
        "query_peak_kib": round(peak / 1024, 1),
        "parks_reopened_pct": str(figures.parks_reopened_pct),
        "production_resumption_pct": str(figures.production_resumption_pct),
    }
    pending = iter(rng.sample(ents, 40))

    def report():
        e = next(pending)
        resumption_report_create(
            actor=admin,
            enterprise_id=e.pk,
            date=last + timedelta(days=1),
            open=True,
            workers_on_site=e.workers_total // 2,
            today=last + timedelta(days=1),
        )

    out["report_write"] = _time(report, runs=30)
    out["maxrss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="the base size only, not x10")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        n, d = map(int, args.one.split(","))
        print(json.dumps(scenario(n, d)))
        return
    sizes = [args.enterprises] + ([] if args.quick else [args.enterprises * 10])
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"python {platform.python_version()}, load average {os.getloadavg()}")
    results = []
    for db in dbs:
        for n in sizes:
            env = dict(os.environ)
            with tempfile.TemporaryDirectory() as tmp:
                name = f"bench_recovery_{os.getpid()}_{n}"
                env["COPRODUCE_DATA_DIR"] = tmp
                env["COPRODUCE_DATABASE_URL"] = (
                    f"sqlite:///{tmp}/bench.sqlite3" if db == "sqlite" else f"{PG}/{name}"
                )
                if db == "postgres":
                    subprocess.run(
                        [
                            "psql",
                            "-h",
                            "127.0.0.1",
                            "-U",
                            "postgres",
                            "-qc",
                            f"CREATE DATABASE {name}",
                        ],
                        check=True,
                    )
                try:
                    done = subprocess.run(
                        [sys.executable, __file__, "--one", f"{n},{args.days}"],
                        env=env,
                        capture_output=True,
                        text=True,
                        check=True,
                        cwd=ROOT,
                    )
                finally:
                    if db == "postgres":
                        subprocess.run(
                            [
                                "psql",
                                "-h",
                                "127.0.0.1",
                                "-U",
                                "postgres",
                                "-qc",
                                f"DROP DATABASE IF EXISTS {name}",
                            ],
                            check=False,
                        )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["load_after"] = os.getloadavg()
            results.append(result)
            print(json.dumps(result), flush=True)
    print(
        "\n| db | enterprises | reports | tally rows | province on a date (median / p95 ms) | one industry | child regions | 30-day trend | one report written | query peak KiB | max RSS MiB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:

        def f(k, r=r):
            return f"{r[k]['median_ms']} / {r[k]['p95_ms']}"

        print(
            f"| {r['db']} | {r['enterprises']:,} | {r['reports']:,} | {r['tally_rows']:,} | {f('province_on_date')} | "
            f"{f('province_one_industry')} | {f('children_of_province')} | {f('trend_30_days')} | {f('report_write')} | "
            f"{r['query_peak_kib']} | {r['maxrss_mib']} |"
        )


if __name__ == "__main__":
    main()
