"""Benchmark the labor matching engine (coproduce.labor.matching) over all of Zhejiang.

Run from the repository root:

    .venv/bin/python benchmarks/bench_labor_matching.py                 # 5,000 and 50,000
    .venv/bin/python benchmarks/bench_labor_matching.py --sizes 5000    # one size
    .venv/bin/python benchmarks/bench_labor_matching.py --service       # the whole run on SQLite

With --service, each size gets a fresh SQLite database (temporary data directory): Zhejiang's
regions, one enterprise per posting and the postings are bulk-inserted, then the service
``labor.services.matching_run`` is timed over the province: read the open postings and the
workers held by pending proposals, solve, store the run (inputs as JSON) and its proposals.

Postings: half surplus, half shortage, 20 skills, 1-30 workers each, periods of 3-30 days in
February-March 2020, placed at a random one of Zhejiang's 90 county centroids (from the map
package, as a posting without coordinates is) moved by up to ~10 km, every enterprise its own.
Each size runs in its own process (peak resident memory is its own): the candidate-pair build
and the OR-Tools solve are timed separately, best and median of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coproduce.labor.matching import Offer, candidate_pairs, match  # noqa: E402
from coproduce.regions import geo  # noqa: E402

DIVISIONS = ROOT / "coproduce" / "regions" / "data" / "zhejiang_divisions.csv"
SKILLS = 20


def postings(n: int, seed: int = 14):
    """n postings (half each side) over Zhejiang's counties."""
    rnd = random.Random(seed)
    counties = [
        line.split(",")[0] for line in DIVISIONS.read_text().splitlines() if ",county," in line
    ]
    places = [geo.centroid(code) for code in counties]
    base = date(2020, 2, 10)
    side = []
    for k in range(n):
        lat, lon = rnd.choice(places)
        start = base + timedelta(days=rnd.randrange(20))
        side.append(
            Offer(
                id=k,
                enterprise=k,
                skill=f"skill-{rnd.randrange(SKILLS):02d}",
                workers=rnd.randint(1, 30),
                start=start,
                end=start + timedelta(days=rnd.randint(3, 30)),
                lat=lat + rnd.uniform(-0.09, 0.09),
                lon=lon + rnd.uniform(-0.09, 0.09),
            )
        )
    return side[: n // 2], side[n // 2 :]


def one(n: int, repeat: int) -> dict:
    surpluses, shortages = postings(n)
    pairs_t, total_t, cpu_t, answer = [], [], [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        pi, _, _ = candidate_pairs(surpluses, shortages, max_distance_km=50)
        t1, c1 = time.perf_counter(), time.process_time()
        answer = match(surpluses, shortages, max_distance_km=50)
        t2, c2 = time.perf_counter(), time.process_time()
        cpu_t.append(c2 - c1)
        pairs_t.append(t1 - t0)
        total_t.append(t2 - t1)
    return {
        "postings": n,
        "candidate_pairs": len(pi),
        "pairs_best_s": min(pairs_t),
        "match_best_s": min(total_t),
        "match_median_s": statistics.median(total_t),
        "match_cpu_s": min(cpu_t),
        "matched_workers": answer.matched_workers,
        "offered": sum(s.workers for s in surpluses),
        "sought": sum(d.workers for d in shortages),
        "worker_km": answer.worker_km,
        "proposals": len(answer.proposals),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def service(n: int) -> dict:
    """Time labor.services.matching_run over n postings in a fresh SQLite database."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from decimal import Decimal

    from coproduce.accounts.services import RoleSpec, user_create
    from coproduce.labor import services as labor
    from coproduce.labor.models import Posting, Skill
    from coproduce.recovery.models import Enterprise
    from coproduce.regions.services import regions_import

    regions_import(text=DIVISIONS.read_text(encoding="utf-8"))
    admin = user_create(
        username="bench", password=None, roles=[RoleSpec("admin", "330000")], is_superuser=True
    )
    skills = list(Skill.objects.order_by("id"))[:SKILLS]
    surpluses, shortages = postings(n)
    rnd = random.Random(3)
    counties = [
        line.split(",")[0] for line in DIVISIONS.read_text().splitlines() if ",county," in line
    ]
    centres = {code: geo.centroid(code) for code in counties}

    def nearest(lat, lon):
        return min(centres, key=lambda c: (centres[c][0] - lat) ** 2 + (centres[c][1] - lon) ** 2)

    offers = [(o, "surplus") for o in surpluses] + [(o, "shortage") for o in shortages]
    places = [nearest(o.lat, o.lon) for o, _ in offers]
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"E{k}",
            industry="machinery",
            size_class="small",
            workers_total=100,
            region_id=places[k],
            lat=Decimal(f"{o.lat:.6f}"),
            lon=Decimal(f"{o.lon:.6f}"),
        )
        for k, (o, _) in enumerate(offers)
    )
    ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
    Posting.objects.bulk_create(
        (
            Posting(
                enterprise_id=ids[k],
                kind=kind,
                skill=skills[int(o.skill[-2:]) % len(skills)],
                workers=o.workers,
                start_date=o.start,
                end_date=o.end,
                county_id=places[k],
                lat=Decimal(f"{o.lat:.6f}"),
                lon=Decimal(f"{o.lon:.6f}"),
                place_source="enterprise",
            )
            for k, (o, kind) in enumerate(offers)
        ),
        batch_size=2000,
    )
    del rnd
    from coproduce.core import clock

    # The postings start on 2020-02-10: run as on that day (the exercise clock is off here).
    clock_today = clock.today
    clock.today = lambda: date(2020, 2, 10)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        run = labor.matching_run(actor=admin, region_code="330000")
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        clock.today = clock_today
    return {
        "postings": n,
        "service_s": elapsed,
        "service_cpu_s": cpu,
        "solve_ms": run.solve_ms,
        "matched_workers": run.matched_workers,
        "proposals": run.proposals.count(),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main_service(sizes) -> None:
    import os
    import tempfile

    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as data:
            env = {**os.environ, "COPRODUCE_DATA_DIR": data}
            env.pop("COPRODUCE_DATABASE_URL", None)
            out = subprocess.run(
                [sys.executable, __file__, "--service-one", str(n)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        "| postings (SQLite) | matching_run wall (read, solve, store) | its CPU time | "
        "of which solve (wall) | matched workers | proposals | peak RSS |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['postings']:,} | {r['service_s']:.2f} s | {r['service_cpu_s']:.2f} s | "
            f"{r['solve_ms'] / 1000:.2f} s | "
            f"{r['matched_workers']:,} | {r['proposals']:,} | {r['peak_rss_mib']:.0f} MiB |"
        )
    if len(rows) == 2:
        a, b = rows
        print(
            f"\nGrowth: matching_run x{b['service_s'] / a['service_s']:.1f}, "
            f"peak RSS x{b['peak_rss_mib'] / a['peak_rss_mib']:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--service", action="store_true")
    parser.add_argument("--service-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.service_one:
        print(json.dumps(service(args.service_one)))
        return
    if args.service:
        main_service([int(x) for x in args.sizes.split(",")])
        return
    if args.one:
        print(json.dumps(one(args.one, args.repeat)))
        return
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(out.stdout))
    print(
        "| postings | candidate pairs | pairs built (best) | match() best / median | CPU | "
        "matched / offered / sought workers | proposals | workers x km | peak RSS |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['postings']:,} | {r['candidate_pairs']:,} | {r['pairs_best_s']:.2f} s | "
            f"{r['match_best_s']:.2f} s / {r['match_median_s']:.2f} s | {r['match_cpu_s']:.2f} s | "
            f"{r['matched_workers']:,} / {r['offered']:,} / {r['sought']:,} | "
            f"{r['proposals']:,} | {r['worker_km']:,.0f} | {r['peak_rss_mib']:.0f} MiB |"
        )
    if len(rows) == 2:
        a, b = rows
        print(
            f"\nGrowth {a['postings']:,} -> {b['postings']:,} postings: match() x"
            f"{b['match_best_s'] / a['match_best_s']:.1f}, candidate pairs x"
            f"{b['candidate_pairs'] / a['candidate_pairs']:.1f}, peak RSS x"
            f"{b['peak_rss_mib'] / a['peak_rss_mib']:.1f}"
        )


if __name__ == "__main__":
    main()
