"""In-process parts of bench_checkpoints.py: data set-up (people, codes, earlier scans), the
tokens and batch bodies the load generators send, and an HTTP client for the batch endpoint.

Run by bench_checkpoints.py in a subprocess with COPRODUCE_DATA_DIR / COPRODUCE_DATABASE_URL set;
prints one JSON object.
"""

import http.client
import json
import os
import random
import resource
import secrets
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup(people: int, scans_per_person: int, out_dir: str) -> dict:
    """Grow the data to `people` residents (2% not green) and `people * scans_per_person` scans."""
    import django

    django.setup()
    from pathlib import Path

    from coproduce.accounts.services import RoleSpec, token_create, user_create
    from coproduce.checkpoints.models import Checkpoint, Scan
    from coproduce.checkpoints.services import checkpoint_create
    from coproduce.core import clock
    from coproduce.health_codes import services as hc
    from coproduce.health_codes.models import HealthCode
    from coproduce.orgs.services import member_add, organization_create
    from coproduce.people.models import Person
    from coproduce.regions.models import Region
    from coproduce.regions.services import regions_import

    started = time.perf_counter()
    area_code = "330111001901001"
    if not Region.objects.filter(code=area_code).exists():
        regions_import(
            text="code,name_zh,name_en,level,parent_code\n"
            "330000,浙江省,Zhejiang,province,\n330100,杭州市,Hangzhou,city,330000\n"
            "330111,富阳区,Fuyang,county,330100\n330111001,富春街道,Fuchun,township,330111\n"
            "330111001901,基准社区,Bench Community,community,330111001\n"
            f"{area_code},基准小区,Bench Area,residential_area,330111001901\n"
        )
    area = Region.objects.get(code=area_code)
    checkpoint = Checkpoint.objects.first()
    token = None
    if checkpoint is None:
        org = organization_create(
            name="Bench Volunteers",
            category="volunteer_team",
            home_region=Region.objects.get(code="330111"),
            actor=None,
            slug="bench",
            verified=True,
        )
        checkpoint = checkpoint_create(
            name="Bench gate", kind="supermarket", region=area, operator=org, actor=None
        )
        user = user_create(
            username="bench",
            password=None,
            roles=[RoleSpec("checkpoint_staff", "330111", org.pk)],
            check_password=False,
        )
        member_add(organization=org, user=user, kind="volunteer", actor=None)
        _, token = token_create(user=user, name="bench")
    have = Person.objects.count()
    now = clock.now()
    rows = []
    for i in range(have, people):
        rows.append(
            Person(
                public_id=secrets.token_hex(8).upper(),
                national_id_hash=secrets.token_hex(32),
                national_id_last4=f"{i % 10000:04d}",
                name="张伟",
                home_region=area,
            )
        )
        if len(rows) == 5000:
            Person.objects.bulk_create(rows)
            rows = []
    Person.objects.bulk_create(rows)
    # 2% of the new people are under an order (red or yellow), as codes materialized by issue 3.
    new_ids = list(Person.objects.filter(pk__gt=0).order_by("pk").values_list("pk", flat=True))
    new_ids = new_ids[have:]
    codes = [
        HealthCode(
            person_id=pk,
            color="red" if k % 2 else "yellow",
            changed_at=now,
            computed_on=now.date(),
        )
        for k, pk in enumerate(new_ids[::50])
    ]
    HealthCode.objects.bulk_create(codes, batch_size=5000)
    # Earlier scans: the table grows with the data, as it would over a day or two.
    target = people * scans_per_person
    existing = Scan.objects.count()
    ids = random.Random(1).choices(new_ids or [1], k=min(target - existing, 10**7))
    batch = []
    for n, pk in enumerate(ids):
        batch.append(
            Scan(
                checkpoint=checkpoint,
                device_id="history",
                idempotency_key=f"h{existing + n}",
                fingerprint="0" * 64,
                person_id=pk,
                subject="",
                verification="valid",
                color="green",
                decision="pass",
                reasons=[],
                direction="in",
                scanned_at=now,
                received_at=now,
            )
        )
        if len(batch) == 10000:
            Scan.objects.bulk_create(batch)
            batch = []
    Scan.objects.bulk_create(batch)
    # 2,000 live codes of random people (some of them red or yellow now), for the load.
    sample = Person.objects.order_by("?")[:2000]
    payloads = [hc.token_issue_for(person=p, kind="live", color="green").payload for p in sample]
    out = Path(out_dir)
    (out / "tokens.txt").write_text("\n".join(payloads) + "\n")
    # Batch bodies of 1,000 scans each, every key new, for the batch endpoint.
    scanned_at = clock.now().isoformat()
    bodies = []
    for b in range(30):
        scans = [
            {
                "payload": payloads[(b * 1000 + i) % len(payloads)],
                "temperature_c": "36.6",
                "direction": "in",
                "device_id": f"batch-{people}-{b}",
                "scanned_at": scanned_at,
                "idempotency_key": f"k{i}",
            }
            for i in range(1000)
        ]
        bodies.append(json.dumps({"scans": scans}))
    (out / "batches.jsonl").write_text("\n".join(bodies) + "\n")
    return {
        "checkpoint": checkpoint.pk,
        "token": token,
        "people": Person.objects.count(),
        "scans": Scan.objects.count(),
        "seconds": round(time.perf_counter() - started, 1),
        "scanned_at": scanned_at,
        "maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def batches(port: int, checkpoint: int, token: str, path: str, concurrency: int) -> dict:
    """POST the pre-built batch bodies with `concurrency` connections; scans stored per second."""
    with open(path) as f:
        bodies = f.read().splitlines()
    lock = threading.Lock()
    latencies, stored, errors = [], [0], [0]

    def worker(mine):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for body in mine:
            t = time.perf_counter()
            conn.request(
                "POST",
                f"/api/v1/checkpoints/{checkpoint}/scans/batch",
                body=body,
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            )
            answer = conn.getresponse()
            data = answer.read()
            with lock:
                latencies.append(time.perf_counter() - t)
                if answer.status == 200:
                    results = json.loads(data)["results"]
                    stored[0] += sum(1 for r in results if r["status"] == 200)
                else:
                    errors[0] += 1
        conn.close()

    threads = [
        threading.Thread(target=worker, args=(bodies[i::concurrency],)) for i in range(concurrency)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "batches": len(bodies),
        "scans_stored": stored[0],
        "errors": errors[0],
        "seconds": round(elapsed, 2),
        "scans_per_second": round(stored[0] / elapsed),
        "batch_p50_ms": round(latencies[len(latencies) // 2] * 1000),
        "batch_p99_ms": round(
            latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        ),
    }


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "setup":
        print(json.dumps(setup(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])))
    elif what == "batches":
        port, checkpoint, token, path, concurrency = sys.argv[2:7]
        print(json.dumps(batches(int(port), int(checkpoint), token, path, int(concurrency))))
