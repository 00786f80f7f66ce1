"""Benchmark of the foundation (issue 2), on SQLite and PostgreSQL.

Measures: region import time (the Zhejiang file, and ten times as many rows); registering
residents through the service (rate by tranche up to --residents); and, under `coproduce serve`
with wrk as the load generator in a separate process, throughput and p50/p99 latency of
GET /api/v1/health and POST /api/v1/residents, with N and 10 N residents stored. Reports the peak
memory of the worker processes and of the in-process runs. Prints Markdown.

    .venv/bin/python benchmarks/bench_foundation.py --db both --residents 100000

Needs wrk (Debian: apt-get install wrk) and, for --db postgres, the server of .ci/run.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(env: dict, *args: str) -> str:
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def worker(env: dict, *args: str) -> dict:
    return json.loads(
        run(env, str(BIN / "python"), "benchmarks/_foundation_worker.py", *args)
        .strip()
        .splitlines()[-1]
    )


def tree_rss_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, summed."""
    total = 0
    pids = [pid] + [int(p) for p in run(os.environ.copy(), "pgrep", "-P", str(pid)).split()]
    for p in pids:
        status = Path(f"/proc/{p}/status").read_text()
        total += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return round(total / 1024, 1)


def wrk(url: str, *, seconds: int, connections: int, script: str | None = None, env=None) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        args[1:1] = ["-s", script]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


@contextmanager
def serving(env: dict, *, workers: int):
    """`coproduce serve` on a free port, answering /health; yields (base URL, server process)."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "coproduce"),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base, server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def serve_and_load(env: dict, *, seconds: int, workers: int, token: str, offset: int) -> dict:
    with serving(env, workers=workers) as (base, server):
        health = wrk(f"{base}/api/v1/health", seconds=seconds, connections=16)
        load_env = {**os.environ, "WRK_TOKEN": token, "WRK_OFFSET": str(offset)}
        register = wrk(
            f"{base}/api/v1/residents",
            seconds=seconds,
            connections=8,
            script=str(ROOT / "benchmarks" / "residents.lua"),
            env=load_env,
        )
        memory = tree_rss_mib(server.pid)
    return {"health": health, "register": register, "workers_peak_rss_mib": memory}


def bench(db: str, *, residents: int, seconds: int, workers: int) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"cp-bench-{db}-"))
    env = {**os.environ, "COPRODUCE_DATA_DIR": str(data_dir), "COPRODUCE_LOG_LEVEL": "WARNING"}
    name = f"cp_bench_{os.getpid()}"
    if db == "postgres":
        run(
            env,
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            f"CREATE DATABASE {name}",
        )
        env["COPRODUCE_DATABASE_URL"] = f"{PG}/{name}"
    try:
        run(env, str(BIN / "coproduce"), "migrate", "-v0")
        result = {"db": db, "regions": worker(env, "regions")}
        run(
            env,
            str(BIN / "coproduce"),
            "user",
            "create",
            "bench",
            "--role",
            "cbo_coordinator",
            "--region",
            "330111",
        )
        token = (
            run(env, str(BIN / "coproduce"), "token", "create", "bench").strip().splitlines()[-1]
        )
        small = residents // 10
        result["residents_small"] = worker(env, "residents", str(small), str(max(small // 5, 1)))
        result["http_small"] = serve_and_load(
            env, seconds=seconds, workers=workers, token=token, offset=0
        )
        result["residents_large"] = worker(
            env, "residents", str(residents), str(max(residents // 10, 1))
        )
        result["http_large"] = serve_and_load(
            env, seconds=seconds, workers=workers, token=token, offset=10**6
        )
        return result
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if db == "postgres":
            run(
                env,
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            )


def report(results: list[dict], args) -> str:
    lines = [
        f"Residents: {args.residents // 10:,} then {args.residents:,}; wrk -t2, {args.seconds} s per "
        f"run; `coproduce serve --workers {args.workers}`; {os.cpu_count()} cores.",
        "",
    ]
    lines += [
        "| database | region import (1,489 rows) | 10x rows (14,890) | import peak (traced / RSS) |",
        "|---|---|---|---|",
    ]
    for r in results:
        g = r["regions"]
        lines.append(
            f"| {r['db']} | {g['seconds_1x']} s | {g['seconds_10x']} s | "
            f"{g['traced_peak_mib']} / {g['maxrss_mib']} MiB |"
        )
    lines += [
        "",
        "| database | registrations/s via the service, first tranche | last tranche "
        "| total time to N | process peak RSS |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        s, big = r["residents_small"], r["residents_large"]
        lines.append(
            f"| {r['db']} | {s['marks'][0]['per_second'] if s['marks'] else s['per_second']} | "
            f"{big['marks'][-1]['per_second'] if big['marks'] else big['per_second']} | "
            f"{s['seconds'] + big['seconds']:.0f} s for {args.residents:,} | {big['maxrss_mib']} MiB |"
        )
    lines += [
        "",
        "| database | residents stored | endpoint | requests/s | p50 | p99 | non-2xx | workers' peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for label, key in (
            (f"{args.residents // 10:,}", "http_small"),
            (f"{args.residents:,}", "http_large"),
        ):
            h = r[key]
            for endpoint, m in (
                ("GET /api/v1/health", h["health"]),
                ("POST /api/v1/residents", h["register"]),
            ):
                lines.append(
                    f"| {r['db']} | {label} | {endpoint} | {m['rps']:.0f} | {m['p50_ms']} ms | "
                    f"{m['p99_ms']} ms | {m['errors']} | {h['workers_peak_rss_mib']} MiB |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = []
    for db in dbs:
        results.append(
            bench(db, residents=args.residents, seconds=args.seconds, workers=args.workers)
        )
        print(f"<!-- {db} done: " + json.dumps(results[-1]) + " -->", flush=True)
    print(report(results, args))
    print("\n<!-- raw: " + json.dumps(results) + " -->")


if __name__ == "__main__":
    main()
