"""Benchmark of the Voluntary Clinic's booking (issue 15) under `coproduce serve`.

One popular clinic day: 50 slots open at once and many clients race for them, each a resident
with their own API token booking for themselves (POST /api/v1/clinic/slots/{id}/bookings). A
client picks a slot it has not seen taken, at random; a 409 tells it the slot is gone and it
tries another, until every slot of the day is taken. Several days are run one after another.
Measures: bookings per second (successful), attempts per second, p50/p99 latency of all
attempts, 409s, and that no slot holds two active bookings (checked in the database); the peak
memory of the server's workers; the same with ten times the residents and stored bookings.

    .venv/bin/python benchmarks/bench_care.py --db both --clients 64 --days 10

The load generator is Python threads with keep-alive connections (http.client) in this process:
the race needs per-client state (which slots it saw taken), which wrk's Lua scripts cannot share
between connections. It costs CPU on the same machine as the server; the figures say so.
"""

import argparse
import http.client
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_foundation import BIN, PG, ROOT, free_port, run, tree_rss_mib  # noqa: E402

# `python -m coproduce.cli` from this checkout: the console script would run the checkout the
# virtual environment was installed from.
CLI = [str(BIN / "python"), "-m", "coproduce.cli"]

SLOTS_PER_DAY = 50


@contextmanager
def serving(env: dict, *, workers: int):
    """`coproduce serve` on a free port, answering /health; yields (base URL, server process)."""
    port = free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", str(workers), "--no-access-log"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base, server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def worker(env: dict, *args) -> dict:
    out = run(env, str(BIN / "python"), "benchmarks/_care_worker.py", *map(str, args))
    return json.loads(out.strip().splitlines()[-1])


def race(base: str, slots: list[int], tokens: list[list[str]], clients: int) -> dict:
    """`clients` threads race for `slots`; returns latencies and outcomes."""
    host, port = base.removeprefix("http://").split(":")
    taken: set[int] = set()
    lock = threading.Lock()
    latencies: list[float] = []
    outcomes = {"201": 0, "409": 0, "other": 0}
    residents = iter(random.sample(tokens, len(tokens)))

    def client() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        rng = random.Random()
        while True:
            with lock:
                free = [s for s in slots if s not in taken]
                if not free:
                    break
                try:
                    key, public_id = next(residents)
                except StopIteration:
                    break
            slot = rng.choice(free)
            body = json.dumps({"resident": public_id})
            while True:
                t = time.perf_counter()
                conn.request(
                    "POST",
                    f"/api/v1/clinic/slots/{slot}/bookings",
                    body=body,
                    headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
                )
                answer = conn.getresponse()
                answer.read()
                elapsed = time.perf_counter() - t
                with lock:
                    latencies.append(elapsed)
                    if answer.status in (201, 409):
                        outcomes[str(answer.status)] += 1
                        taken.add(slot)
                    else:
                        outcomes["other"] += 1
                    free = [s for s in slots if s not in taken]
                if answer.status == 201 or not free:
                    break
                slot = rng.choice(free)  # taken: the same resident tries another slot
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"seconds": time.perf_counter() - start, "latencies": latencies, **outcomes}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000, 1)


def bench(db: str, *, residents: int, past: int, clients: int, days: int, workers: int) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"cp-bench-care-{db}-"))
    env = {**os.environ, "COPRODUCE_DATA_DIR": str(data_dir), "COPRODUCE_LOG_LEVEL": "WARNING"}
    name = f"cp_bench_care_{os.getpid()}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
    if db == "postgres":
        run(env, *psql, f"CREATE DATABASE {name}")
        env["COPRODUCE_DATABASE_URL"] = f"{PG}/{name}"
    try:
        run(env, *CLI, "migrate", "-v0")
        t = time.perf_counter()
        tokens = worker(env, "setup", residents, clients * 40, past)["tokens"]
        setup_s = time.perf_counter() - t
        day_slots = [worker(env, "day", d, SLOTS_PER_DAY)["slots"] for d in range(days)]
        totals = {"seconds": 0.0, "latencies": [], "201": 0, "409": 0, "other": 0}
        with serving(env, workers=workers) as (base, server):
            for slots in day_slots:
                # enough residents that every slot of the day is taken
                wanting = min(len(tokens), max(clients * 4, SLOTS_PER_DAY * 3))
                result = race(base, slots, random.sample(tokens, wanting), clients)
                for k in ("seconds", "201", "409", "other"):
                    totals[k] += result[k]
                totals["latencies"] += result["latencies"]
            memory = tree_rss_mib(server.pid)
        check = worker(env, "check")
        attempts = len(totals["latencies"])
        return {
            "db": db,
            "residents": residents,
            "past_bookings": past,
            "setup_s": round(setup_s, 1),
            "bookings": totals["201"],
            "expected": days * SLOTS_PER_DAY,
            "conflicts": totals["409"],
            "other": totals["other"],
            "bookings_per_s": round(totals["201"] / totals["seconds"], 1),
            "attempts_per_s": round(attempts / totals["seconds"], 1),
            "p50_ms": percentile(totals["latencies"], 0.50),
            "p99_ms": percentile(totals["latencies"], 0.99),
            "double_booked": check["double_booked"],
            "workers_peak_rss_mib": memory,
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if db == "postgres":
            run(env, *psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--residents", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = []
    for db in dbs:
        for factor in (1, 10):
            rows.append(
                bench(
                    db,
                    residents=args.residents * factor,
                    past=args.residents * factor // 2,
                    clients=args.clients,
                    days=args.days,
                    workers=args.workers,
                )
            )
    print(
        f"{args.clients} clients racing for {SLOTS_PER_DAY} slots a day, {args.days} days; "
        f"`coproduce serve --workers {args.workers}`; {os.cpu_count()} cores; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; bench process peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB.\n"
    )
    print(
        "| database | residents / stored bookings | bookings (of) | 409s | other | bookings/s "
        "| attempts/s | p50 ms | p99 ms | double-booked slots | workers' peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['db']} | {r['residents']:,} / {r['past_bookings']:,} | {r['bookings']} "
            f"({r['expected']}) | {r['conflicts']} | {r['other']} | {r['bookings_per_s']} "
            f"| {r['attempts_per_s']} | {r['p50_ms']} | {r['p99_ms']} | {r['double_booked']} "
            f"| {r['workers_peak_rss_mib']} MiB |"
        )


if __name__ == "__main__":
    main()
