"""Benchmark the pure relief and time-bank rules: allocation and ledger postings.

Run from the repository root:

    python benchmarks/bench_allocation.py            # all scenarios, Markdown table on stdout
    python benchmarks/bench_allocation.py --quick    # fewer repetitions

Each scenario runs in its own Python process, so that its peak resident memory (ru_maxrss) is
its own; inside it the rule runs ``--repeat`` times for the timing (median and best), then once
more under tracemalloc for the peak of Python allocations made by the rule itself.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coproduce.relief.rules import (  # noqa: E402
    DemandRequest,
    Priority,
    RequesterKind,
    StockLot,
    allocation_propose,
)
from coproduce.timebank.rules import (  # noqa: E402
    ISSUANCE_ACCOUNT,
    Account,
    AccountKind,
    Entry,
    MemoryLedger,
    Posting,
    PostingKind,
    statement_build,
)

ON = date(2020, 2, 1)
T0 = datetime(2020, 1, 25, tzinfo=UTC)
ITEMS = 50  # catalog items with open demand: masks, suits, goggles, ... (PRODUCT.md 3.6)


def allocation_data(n_requests: int, n_lots: int, seed: int = 7):
    """Open requests and lots over ITEMS items; stock covers about 70% of demand, some expired."""
    rnd = random.Random(seed)
    requests = [
        DemandRequest(
            request_id=f"r{i:07d}",
            item=f"item-{rnd.randrange(ITEMS):02d}",
            quantity=rnd.randint(1, 500),
            priority=rnd.choice(list(Priority)),
            needed_by=ON + timedelta(days=rnd.randint(-3, 14)),
            requester_kind=rnd.choice(list(RequesterKind)),
        )
        for i in range(n_requests)
    ]
    demand = sum(r.quantity for r in requests)
    mean_lot = max(1, int(0.7 * demand / n_lots))
    lots = [
        StockLot(
            lot_id=f"l{i:06d}",
            warehouse=f"wh-{rnd.randrange(20):02d}",
            item=f"item-{rnd.randrange(ITEMS):02d}",
            quantity=rnd.randint(0, 2 * mean_lot),
            expires_on=None if rnd.random() < 0.5 else ON + timedelta(days=rnd.randint(-30, 365)),
        )
        for i in range(n_lots)
    ]
    return lots, requests


def ledger_postings(n: int, seed: int = 11) -> list[Posting]:
    """A mix like the Voluntary Bank's: 60% earn, 25% gifts, 15% redemptions, 1,000 holders."""
    rnd = random.Random(seed)
    volunteers = [Account(AccountKind.VOLUNTEER, f"v{i}") for i in range(800)]
    residents = [Account(AccountKind.RESIDENT, f"r{i}") for i in range(200)]
    partners = [Account(AccountKind.PARTNER, f"p{i}") for i in range(5)]
    holders = volunteers + residents
    postings = []
    for i in range(n):
        at = T0 + timedelta(minutes=i)
        x = rnd.random()
        minutes = rnd.randint(15, 240)
        if x < 0.6:
            kind, src, dst = PostingKind.EARN, ISSUANCE_ACCOUNT, rnd.choice(volunteers)
        elif x < 0.85:
            kind, src, dst = PostingKind.GIFT, rnd.choice(volunteers), rnd.choice(holders)
            minutes //= 4
        else:
            kind, src, dst = PostingKind.REDEEM, rnd.choice(holders), rnd.choice(partners)
            minutes //= 2
        if src == dst:
            dst = residents[0] if src != residents[0] else residents[1]
        postings.append(
            Posting(
                key=f"k{i}",
                kind=kind,
                entries=(Entry(src, -minutes), Entry(dst, minutes)),
                at=at,
                reference=f"rec{i}",
            )
        )
    return postings


def _measure(fn, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median_s": statistics.median(times),
        "best_s": min(times),
        "tracemalloc_peak_mb": peak / 2**20,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
    }


def scenario(name: str, repeat: int) -> dict:
    """Run one scenario in this process and return its measurements."""
    if name.startswith("alloc-"):
        n_requests, n_lots = {"alloc-10k": (10_000, 1_000), "alloc-100k": (100_000, 10_000)}[name]
        lots, requests = allocation_data(n_requests, n_lots)
        result = {}

        def run():
            result["p"] = allocation_propose(lots=lots, requests=requests, on=ON)

        out = _measure(run, repeat)
        p = result["p"]
        out.update(
            what=f"allocation_propose: {n_requests:,} requests over {n_lots:,} lots",
            lines=len(p.lines),
            per_second=n_requests / out["median_s"],
            unit="requests/s",
        )
        return out
    if name == "ledger-apply":
        postings = ledger_postings(50_000)
        holder = {}

        def run():
            ledger = MemoryLedger()
            for posting in postings:
                ledger.apply(posting)
            holder["ledger"] = ledger

        out = _measure(run, repeat)
        applied = len(holder["ledger"].postings)
        out.update(
            what=f"posting_apply: {len(postings):,} postings ({applied:,} applied, "
            "the rest refused for balance)",
            per_second=len(postings) / out["median_s"],
            unit="postings/s",
        )
        return out
    if name == "statement":
        # One volunteer's account with 10,000 entries among 30,000 postings.
        alice = Account(AccountKind.VOLUNTEER, "alice")
        bob = Account(AccountKind.VOLUNTEER, "bob")
        postings = []
        for i in range(30_000):
            who = alice if i % 3 == 0 else bob
            postings.append(
                Posting(
                    key=f"k{i}",
                    kind=PostingKind.EARN,
                    entries=(Entry(ISSUANCE_ACCOUNT, -60), Entry(who, 60)),
                    at=T0 + timedelta(minutes=i),
                    reference=f"rec{i}",
                )
            )
        start, end = T0 + timedelta(minutes=3_000), T0 + timedelta(minutes=27_000)
        holder = {}

        def run():
            holder["s"] = statement_build(account=alice, postings=postings, start=start, end=end)

        out = _measure(run, repeat)
        out.update(
            what="statement_build: one account with 10,000 entries (of 30,000 postings)",
            lines=len(holder["s"].lines),
            per_second=10_000 / out["median_s"],
            unit="entries/s",
        )
        return out
    raise SystemExit(f"unknown scenario {name}")


SCENARIOS = ["alloc-10k", "alloc-100k", "ledger-apply", "statement"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=SCENARIOS, help="run one scenario, print JSON")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="3 repetitions")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    if args.scenario:
        print(json.dumps(scenario(args.scenario, repeat)))
        return
    results = {}
    for name in SCENARIOS:
        proc = subprocess.run(
            [sys.executable, __file__, "--scenario", name, "--repeat", str(repeat)],
            check=True,
            capture_output=True,
            text=True,
        )
        results[name] = json.loads(proc.stdout)
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{repeat} runs per scenario, median (best)\n"
    )
    print("| scenario | time per run | throughput | tracemalloc peak | ru_maxrss |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in results.values():
        print(
            f"| {r['what']} | {r['median_s'] * 1000:,.1f} ms ({r['best_s'] * 1000:,.1f}) | "
            f"{r['per_second']:,.0f} {r['unit']} | {r['tracemalloc_peak_mb']:.1f} MiB | "
            f"{r['maxrss_mb']:.0f} MiB |"
        )
    small, big = results["alloc-10k"], results["alloc-100k"]
    print(
        f"\nTenfold data (100,000 requests over 10,000 lots) costs "
        f"{big['median_s'] / small['median_s']:.1f}x the time and "
        f"{big['tracemalloc_peak_mb'] / small['tracemalloc_peak_mb']:.1f}x the traced memory."
    )


if __name__ == "__main__":
    main()
