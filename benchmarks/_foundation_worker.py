"""In-process parts of bench_foundation.py: region import and registrations through the service.

Run by bench_foundation.py in a subprocess with COPRODUCE_DATA_DIR / COPRODUCE_DATABASE_URL set;
prints one JSON object.
"""

import json
import os
import resource
import sys
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()

from pathlib import Path  # noqa: E402

from coproduce.people.models import Person  # noqa: E402
from coproduce.people.rules import national_id_check_char  # noqa: E402
from coproduce.people.services import person_register  # noqa: E402
from coproduce.regions.services import regions_import  # noqa: E402

CSV = (
    Path(__file__).resolve().parent.parent
    / "coproduce"
    / "regions"
    / "data"
    / "zhejiang_divisions.csv"
)
AREA = "330111001900"


def synthetic_tree(copies: int) -> str:
    """The Zhejiang file `copies` times over, under made-up province codes (10x = 14,890 rows)."""
    lines = CSV.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for c in range(copies):
        for line in lines[1:]:
            code, zh, en, level, parent = line.split(",")
            prefix = f"9{c:02d}"
            out.append(",".join([prefix + code, zh, en, level, prefix + parent if parent else ""]))
    return "\n".join(out) + "\n"


def national_id(i: int) -> str:
    # Area 330112 never clashes with the HTTP load's ids (330113+); a date and serial per i.
    year, rest = 1930 + i // 336000, i % 336000
    first17 = f"330112{year}{rest // 28000 + 1:02d}{rest % 28000 // 1000 + 1:02d}{i % 1000:03d}"
    return first17 + national_id_check_char(first17)


def regions() -> dict:
    tracemalloc.start()
    t = time.perf_counter()
    base = regions_import(text=CSV.read_text(encoding="utf-8"))
    one = time.perf_counter() - t
    regions_import(
        text="code,name_zh,name_en,level,parent_code\n"
        f"{AREA},基准社区,Benchmark Community,community,330111001\n"
    )
    text = synthetic_tree(10)
    t = time.perf_counter()
    big = regions_import(text=text)
    ten = time.perf_counter() - t
    _, traced = tracemalloc.get_traced_memory()
    return {
        "rows_1x": base.created,
        "seconds_1x": round(one, 3),
        "rows_10x": big.created,
        "seconds_10x": round(ten, 3),
        "traced_peak_mib": round(traced / 2**20, 1),
        "maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def residents(target: int, step: int) -> dict:
    start = Person.objects.count()
    marks = []
    t0 = t = time.perf_counter()
    for i in range(start, target):
        person_register(
            national_id=national_id(i),
            name="张伟",
            phone="13800000000",
            home_region=AREA,
            actor=None,
        )
        if (i + 1) % step == 0:
            now = time.perf_counter()
            marks.append({"residents": i + 1, "per_second": round(step / (now - t), 1)})
            t = now
    total = time.perf_counter() - t0
    return {
        "registered": max(target - start, 0),
        "seconds": round(total, 1),
        "per_second": round((target - start) / total, 1) if target > start and total else None,
        "marks": marks,
        "maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "regions":
        print(json.dumps(regions()))
    elif what == "residents":
        print(json.dumps(residents(int(sys.argv[2]), int(sys.argv[3]))))
