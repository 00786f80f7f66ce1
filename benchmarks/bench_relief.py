"""Benchmark the relief services over a database: allocation and ledger verification.

Run from the repository root (each scenario in a fresh process with its own SQLite database):

    .venv/bin/python benchmarks/bench_relief.py            # 10,000 requests / 1,000 lots, and x10
    .venv/bin/python benchmarks/bench_relief.py --quick    # the small scenario only

Measures ``stock_allocate`` (read open request lines and free lots, run the pure rule, write the
proposal) and ``ledger_verify`` (recompute the whole hash chain), with tracemalloc's peak of the
call and the process's ru_maxrss.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scenario(requests: int, lots: int, entries: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from coproduce.orgs.services import organization_create
    from coproduce.regions.models import Region
    from coproduce.regions.services import regions_import
    from coproduce.relief import services
    from coproduce.relief.models import (
        Item,
        LedgerEntry,
        LedgerHead,
        Lot,
        SupplyRequest,
        SupplyRequestLine,
        Warehouse,
    )
    from coproduce.relief.rules import chain_build, from_fen

    regions_import(
        text="code,name_zh,name_en,level,parent_code\n330000,浙江省,Zhejiang,province,\n"
    )
    province = Region.objects.get(code="330000")
    org = organization_create(
        name="Bench", category="charity", home_region=province, actor=None, slug="bench"
    )
    rng = random.Random(7)
    now = datetime(2020, 2, 1, tzinfo=UTC)
    items = [
        Item.objects.create(slug=f"bench-{i}", name=f"Item {i}", category="medical", unit="piece")
        for i in range(50)
    ]
    warehouses = [
        Warehouse.objects.create(organization=org, region=province, name=f"W{i}", created_at=now)
        for i in range(20)
    ]
    Lot.objects.bulk_create(
        Lot(
            item=rng.choice(items),
            warehouse=rng.choice(warehouses),
            code=f"L{i}",
            quantity=rng.randint(50, 5000),
            expires_on=date(2020, 2, 1) + timedelta(days=rng.randint(-3, 300))
            if rng.random() < 0.5
            else None,
            received_at=now,
        )
        for i in range(lots)
    )
    heads = SupplyRequest.objects.bulk_create(
        SupplyRequest(
            requester_kind=rng.choice(["hospital", "checkpoint", "community", "quarantine_site"]),
            requester_name=f"R{i}",
            region=province,
            priority=rng.randint(1, 4),
            needed_by=date(2020, 2, 1) + timedelta(days=rng.randint(0, 14)),
            created_at=now,
        )
        for i in range(requests)
    )
    SupplyRequestLine.objects.bulk_create(
        SupplyRequestLine(request=h, item=rng.choice(items), quantity=rng.randint(1, 500))
        for h in heads
    )
    # A ledger of `entries` donations, hashed as the service would.
    fields, rows = [], []
    for seq in range(1, entries + 1):
        e = LedgerEntry(
            seq=seq,
            book="money",
            kind="donation",
            at=now + timedelta(seconds=seq),
            organization=org,
            amount_fen=rng.randint(1, 10**7),
            ref=f"donation:{seq}",
        )
        rows.append(e)
        fields.append(services.entry_fields(e))
    chain = chain_build(fields)
    prev = "0" * 64
    for e, c in zip(rows, chain, strict=True):
        e.previous_hash, e.hash, prev = prev, c.hash, c.hash
    LedgerEntry.objects.bulk_create(rows, batch_size=2000)
    LedgerHead.objects.update_or_create(id=1, defaults={"seq": entries, "hash": prev})
    assert from_fen(1) is not None

    out = {"requests": requests, "lots": lots, "entries": entries}
    for name, call in (
        (
            "stock_allocate",
            lambda: services.stock_allocate(
                organization=org, region=province, actor=None, on=date(2020, 2, 1)
            ),
        ),
        ("ledger_verify", services.ledger_verify),
    ):
        started = time.perf_counter()
        result = call()
        out[f"{name}_s"] = time.perf_counter() - started
        tracemalloc.start()
        call()
        out[f"{name}_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        if name == "stock_allocate":
            out["lines"] = result.lines.count()
        else:
            assert result.ok
    out["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(scenario(*map(int, args.one.split(",")))))
        return
    sizes = [(10_000, 1_000, 10_000)] + ([] if args.quick else [(100_000, 10_000, 100_000)])
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as data:
            env = {**os.environ, "COPRODUCE_DATA_DIR": data}
            env.pop("COPRODUCE_DATABASE_URL", None)
            done = subprocess.run(
                [sys.executable, __file__, "--one", ",".join(map(str, size))],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs\n")
    print("| scenario | stock_allocate | peak | ledger_verify | peak | ru_maxrss |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['requests']:,} requests, {r['lots']:,} lots, {r['entries']:,} ledger entries "
            f"({r['lines']:,} lines proposed) | {r['stock_allocate_s'] * 1000:.0f} ms | "
            f"{r['stock_allocate_peak_mib']:.1f} MiB | {r['ledger_verify_s'] * 1000:.0f} ms | "
            f"{r['ledger_verify_peak_mib']:.1f} MiB | {r['maxrss_mib']:.0f} MiB |"
        )
    if len(results) == 2:
        a, b = results
        print(
            f"\nTenfold data: stock_allocate x{b['stock_allocate_s'] / a['stock_allocate_s']:.1f} "
            f"time, x{b['stock_allocate_peak_mib'] / a['stock_allocate_peak_mib']:.1f} memory; "
            f"ledger_verify x{b['ledger_verify_s'] / a['ledger_verify_s']:.1f} time, "
            f"x{b['ledger_verify_peak_mib'] / a['ledger_verify_peak_mib']:.1f} memory."
        )


if __name__ == "__main__":
    main()
