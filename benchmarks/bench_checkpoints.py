"""Benchmark of checkpoint scans (issue 4), on SQLite and PostgreSQL.

Under `coproduce serve`, with the load generators in separate processes: wrk on GET
/api/v1/health and on POST /api/v1/checkpoints/ID/scans (pre-generated health-code tokens read
from a file, a new idempotency key per request) in the same run, giving requests/s and p50/p99;
then a Python client posting 30 batches of 1,000 scans to .../scans/batch over --batch-clients
connections, 2 by default (scans stored per second). Each is measured with N residents and N scans stored, then again
with ten times as many, to show how the cost grows with the data; the peak memory of the
server's workers is reported. Prints Markdown.

    .venv/bin/python benchmarks/bench_checkpoints.py --db both --people 20000

Needs wrk (Debian: apt-get install wrk) and, for --db postgres, the server of .ci/run.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench_foundation import BIN, PG, ROOT, run, serving, tree_rss_mib, wrk


def worker(env: dict, *args: str) -> dict:
    out = run(env, str(BIN / "python"), "benchmarks/_checkpoints_worker.py", *args)
    return json.loads(out.strip().splitlines()[-1])


def serve_and_load(
    env: dict,
    *,
    seconds: int,
    workers: int,
    batch_clients: int,
    setup: dict,
    token: str,
    run_id: str,
    out: Path,
) -> dict:
    with serving(env, workers=workers) as (base, server):
        load_env = {
            **os.environ,
            "WRK_TOKEN": token,
            "WRK_TOKENS": str(out / "tokens.txt"),
            "WRK_CHECKPOINT": str(setup["checkpoint"]),
            "WRK_SCANNED_AT": setup["scanned_at"],
            "WRK_RUN": run_id,
        }
        # Warm the workers (imports, key cache) before measuring.
        wrk(f"{base}/api/v1/health", seconds=2, connections=8)
        health = wrk(f"{base}/api/v1/health", seconds=seconds, connections=16)
        scans = wrk(
            f"{base}/api/v1/checkpoints/{setup['checkpoint']}/scans",
            seconds=seconds,
            connections=16,
            script=str(ROOT / "benchmarks" / "scans.lua"),
            env=load_env,
        )
        batch = worker(
            env,
            "batches",
            base.rsplit(":", 1)[1],
            str(setup["checkpoint"]),
            token,
            str(out / "batches.jsonl"),
            str(batch_clients),
        )
        memory = tree_rss_mib(server.pid)
    return {"health": health, "scans": scans, "batch": batch, "workers_peak_rss_mib": memory}


def bench(db: str, *, people: int, seconds: int, workers: int, batch_clients: int) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"cp-bench-cp-{db}-"))
    env = {
        **os.environ,
        "COPRODUCE_DATA_DIR": str(data_dir),
        "COPRODUCE_LOG_LEVEL": "WARNING",
        # One staff token sends every request: the scan limits (core.ratelimit) still count
        # each request but are set far above what the load generators reach.
        "COPRODUCE_SCAN_RATE_PER_MINUTE": "1000000",
        "COPRODUCE_SCAN_BATCHES_PER_MINUTE": "100000",
    }
    name = f"cp_bench_cp_{os.getpid()}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
    if db == "postgres":
        run(env, *psql, f"CREATE DATABASE {name}")
        env["COPRODUCE_DATABASE_URL"] = f"{PG}/{name}"
    try:
        run(env, str(BIN / "coproduce"), "migrate", "-v0")
        result = {"db": db}
        small = worker(env, "setup", str(people // 10), "1", str(data_dir))
        token = small["token"]
        result["setup_small"] = small
        result["http_small"] = serve_and_load(
            env,
            seconds=seconds,
            workers=workers,
            batch_clients=batch_clients,
            setup=small,
            token=token,
            run_id="s",
            out=data_dir,
        )
        large = worker(env, "setup", str(people), "1", str(data_dir))
        result["setup_large"] = large
        result["http_large"] = serve_and_load(
            env,
            seconds=seconds,
            workers=workers,
            batch_clients=batch_clients,
            setup=large,
            token=token,
            run_id="l",
            out=data_dir,
        )
        return result
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if db == "postgres":
            run(env, *psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def report(results: list[dict], args) -> str:
    lines = [
        f"wrk -t2 -c16, {args.seconds} s per endpoint; `coproduce serve --workers {args.workers}`; "
        f"{os.cpu_count()} cores; load generators on the same machine; batches from "
        f"{args.batch_clients} concurrent clients.",
        "",
        "| database | residents / scans stored | endpoint | requests/s | p50 | p99 | non-2xx | workers' peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for key, setup_key in (("http_small", "setup_small"), ("http_large", "setup_large")):
            h, s = r[key], r[setup_key]
            size = f"{s['people']:,} / {s['scans']:,}"
            for endpoint, m in (
                ("GET /api/v1/health", h["health"]),
                ("POST .../scans", h["scans"]),
            ):
                lines.append(
                    f"| {r['db']} | {size} | {endpoint} | {m['rps']:.0f} | {m['p50_ms']} ms | "
                    f"{m['p99_ms']} ms | {m['errors']} | {h['workers_peak_rss_mib']} MiB |"
                )
    lines += [
        "",
        "| database | residents / scans stored | batch endpoint: scans stored/s | batch of 1,000 p50 | p99 | failed batches |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        for key, setup_key in (("http_small", "setup_small"), ("http_large", "setup_large")):
            b, s = r[key]["batch"], r[setup_key]
            lines.append(
                f"| {r['db']} | {s['people']:,} / {s['scans']:,} | {b['scans_per_second']:,} | "
                f"{b['batch_p50_ms']} ms | {b['batch_p99_ms']} ms | {b['errors']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--batch-clients", type=int, default=2, help="devices uploading batches at once"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [
        bench(
            db,
            people=args.people,
            seconds=args.seconds,
            workers=args.workers,
            batch_clients=args.batch_clients,
        )
        for db in dbs
    ]
    print(report(results, args))
    print("\n<!-- raw: " + json.dumps(results) + " -->")


if __name__ == "__main__":
    main()
