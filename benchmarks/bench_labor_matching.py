"""Benchmark the labor matching engine (coproduce.labor.matching) over all of Zhejiang.

Run from the repository root:

    .venv/bin/python benchmarks/bench_labor_matching.py                 # 5,000 and 50,000
    .venv/bin/python benchmarks/bench_labor_matching.py --sizes 5000    # one size

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

from coproduce.labor import geo  # noqa: E402
from coproduce.labor.matching import Offer, candidate_pairs, match  # noqa: E402

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
    pairs_t, total_t, answer = [], [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        pi, _, _ = candidate_pairs(surpluses, shortages, max_distance_km=50)
        t1 = time.perf_counter()
        answer = match(surpluses, shortages, max_distance_km=50)
        t2 = time.perf_counter()
        pairs_t.append(t1 - t0)
        total_t.append(t2 - t1)
    return {
        "postings": n,
        "candidate_pairs": len(pi),
        "pairs_best_s": min(pairs_t),
        "match_best_s": min(total_t),
        "match_median_s": statistics.median(total_t),
        "matched_workers": answer.matched_workers,
        "offered": sum(s.workers for s in surpluses),
        "sought": sum(d.workers for d in shortages),
        "worker_km": answer.worker_km,
        "proposals": len(answer.proposals),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
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
    print("| postings | candidate pairs | pairs built (best) | match() best / median | "
          "matched / offered / sought workers | proposals | workers x km | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['postings']:,} | {r['candidate_pairs']:,} | {r['pairs_best_s']:.2f} s | "
            f"{r['match_best_s']:.2f} s / {r['match_median_s']:.2f} s | "
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
