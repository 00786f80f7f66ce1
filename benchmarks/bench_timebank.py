"""Benchmark the Voluntary Bank on the database: postings per second and a 10,000-entry statement.

Run from the repository root (a throwaway SQLite database in a temporary directory):

    .venv/bin/python benchmarks/bench_timebank.py            # 2,000 postings, 10,000 entries
    .venv/bin/python benchmarks/bench_timebank.py --scale 10 # ten times the data

Each scenario reports time, throughput, the peak of Python allocations (tracemalloc) and the
process's peak resident memory (ru_maxrss). Postings go through `services.posting_record` (lock,
rule, insert, conditional balance update, audit event): the full write path of a gift.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("COPRODUCE_DATA_DIR", tempfile.mkdtemp(prefix="bench-timebank-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from coproduce.timebank import selectors, services  # noqa: E402
from coproduce.timebank.models import Account, Entry, Posting  # noqa: E402


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def holders(n: int) -> list[Account]:
    now = datetime.now(UTC)
    Account.objects.bulk_create(
        [
            Account(kind="volunteer", key=f"B{i:09d}", balance=100_000, created_at=now)
            for i in range(n)
        ]
    )
    issuance = services.account_issuance()
    accounts = list(Account.objects.filter(kind="volunteer").order_by("pk"))
    # Opening balances as one earn each, so that entries and balances agree.
    postings = Posting.objects.bulk_create(
        [
            Posting(key=f"open:{a.key}", kind="earn", at=now, reference=f"bench:{a.pk}")
            for a in accounts
        ]
    )
    Entry.objects.bulk_create(
        [
            e
            for p, a in zip(postings, accounts, strict=True)
            for e in (
                Entry(posting=p, account=issuance, minutes=-100_000, at=now),
                Entry(posting=p, account=a, minutes=100_000, at=now),
            )
        ]
    )
    Account.objects.filter(pk=issuance.pk).update(balance=-100_000 * len(accounts))
    return accounts


def bench_postings(n: int) -> dict:
    accounts = holders(200)
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        source, target = accounts[i % 200], accounts[(i * 7 + 1) % 200]
        if source.pk == target.pk:
            target = accounts[(i + 1) % 200]
        services.hours_give(source=source, target=target, minutes=30, key=f"b{i}", actor=None)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "n": n,
        "seconds": elapsed,
        "cpu": cpu,
        "per_second": n / elapsed,
        "per_cpu_second": n / cpu,
        "traced_mib": peak / 2**20,
    }


def bench_statement(n_entries: int) -> dict:
    """One volunteer with n entries among 3n postings; the statement over most of the period."""
    t0 = datetime(2020, 1, 25, tzinfo=UTC)
    me = Account.objects.create(kind="volunteer", key="BME", created_at=t0)
    other = Account.objects.create(kind="resident", key="BOTHER", created_at=t0)
    postings = Posting.objects.bulk_create(
        [
            Posting(key=f"s{i}", kind="gift", at=t0 + timedelta(minutes=i))
            for i in range(3 * n_entries)
        ],
        batch_size=5000,
    )
    entries = []
    for i, p in enumerate(postings):
        if i % 3 == 0:
            entries += [
                Entry(posting=p, account=me, minutes=60, at=p.at),
                Entry(posting=p, account=other, minutes=-60, at=p.at),
            ]
    Entry.objects.bulk_create(entries, batch_size=5000)
    start = t0 + timedelta(minutes=n_entries // 10)
    end = t0 + timedelta(minutes=3 * n_entries)
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    statement = selectors.statement_get(account=me, start=start, end=end)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert statement.closing == 60 * n_entries, statement.closing
    return {
        "n": n_entries,
        "lines": len(statement.lines),
        "seconds": elapsed,
        "cpu": cpu,
        "per_second": n_entries / elapsed,
        "traced_mib": peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1, help="multiply the data (10: tenfold)")
    parser.add_argument("--postings", type=int, default=500)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    postings = bench_postings(args.postings * args.scale)
    statement = bench_statement(args.entries * args.scale)
    print(f"database: {connection.vendor}; scale {args.scale}")
    print(
        f"posting_record (gift, full write path): {postings['n']:,} postings in "
        f"{postings['seconds']:.2f} s = {postings['per_second']:,.0f}/s "
        f"(CPU {postings['cpu']:.2f} s = {postings['per_cpu_second']:,.0f}/CPU-s), "
        f"traced peak {postings['traced_mib']:.1f} MiB"
    )
    print(
        f"statement_get: {statement['n']:,} entries ({statement['lines']:,} in the period) in "
        f"{statement['seconds'] * 1000:.0f} ms (CPU {statement['cpu'] * 1000:.0f} ms), traced peak {statement['traced_mib']:.1f} MiB"
    )
    print(
        f"ru_maxrss {peak_rss_mib():.0f} MiB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"check: balances equal entries: {_check()}")


def _check() -> bool:
    return all(
        a.balance == selectors.entries_sum(account=a)
        for a in Account.objects.filter(kind="volunteer").order_by("pk")[:50]
    )


if __name__ == "__main__":
    main()
