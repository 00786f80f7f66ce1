"""In-process set-up of bench_care.py: a clinic, its doctor, residents with tokens, slots.

Run by bench_care.py in a subprocess with COPRODUCE_DATA_DIR / COPRODUCE_DATABASE_URL set.
    setup RESIDENTS CLIENT_RESIDENTS PAST_BOOKINGS  -> prints {"tokens": [[key, public_id]...]}
    day ROUND SLOTS                                  -> prints {"slots": [id, ...]} (a new day)
    check                                            -> prints {"double_booked": n, "booked": n}
"""

import json
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# This checkout's code, whichever checkout the virtual environment was installed from.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db.models import Count  # noqa: E402

from coproduce.accounts.models import User  # noqa: E402
from coproduce.accounts.services import RoleSpec, token_create, user_create  # noqa: E402
from coproduce.care import services  # noqa: E402
from coproduce.care.models import Booking, Slot  # noqa: E402
from coproduce.orgs.services import organization_create  # noqa: E402
from coproduce.people.models import Person  # noqa: E402
from coproduce.regions.models import Region  # noqa: E402
from coproduce.regions.services import regions_import  # noqa: E402

CST = ZoneInfo("Asia/Shanghai")
TREE = """code,name_zh,name_en,level,parent_code
330000,浙江省,Zhejiang,province,
331000,台州市,Taizhou,city,330000
331081,温岭市,Wenling,county,331000
331081001,太平街道,Taiping,township,331081
"""


def _doctor() -> User:
    return User.objects.get(username="bench-doctor")


def setup(residents: int, client_residents: int, past: int) -> dict:
    regions_import(text=TREE)
    county = Region.objects.get(code="331081")
    org = organization_create(
        name="Wenling Medical Association", category="medical", home_region=county,
        slug="wenling-medical", actor=None, verified=True,
    )  # fmt: skip
    doctor = user_create(
        username="bench-doctor", password=None, roles=[RoleSpec("clinician", "331081", org.pk)]
    )
    services.practitioner_register(
        user=doctor, organization=org, kind="clinician", display_name="Dr", actor=None
    )
    credential = services.credential_record(
        user=doctor, organization=org, kind="medical_licence", number="YS-1", issuer="ZJ",
        expires_on=date(2099, 1, 1), actor=None,
    )  # fmt: skip
    services.credential_verify(credential=credential, state="verified", actor=None)
    unusable = make_password(None)
    town = Region.objects.get(code="331081001")
    for start in range(0, residents, 5000):
        n = range(start, min(start + 5000, residents))
        users = User.objects.bulk_create(
            [User(username=f"r{i:07d}", password=unusable) for i in n if i < client_residents]
        )
        by_name = {u.username: u for u in users}
        Person.objects.bulk_create(
            [
                Person(
                    public_id=f"B{i:07d}",
                    national_id_hash=f"bench-{i}",
                    name=f"R{i}",
                    phone=f"1380{i:07d}",
                    home_region=town,
                    user=by_name.get(f"r{i:07d}"),
                )  # fmt: skip
                for i in n
            ]
        )
    # Earlier clinic days: `past` bookings already stored (the data grows with them).
    people = list(Person.objects.order_by("id").values_list("id", flat=True)[:past])
    for start in range(0, past, 5000):
        chunk = people[start : start + 5000]
        slots = Slot.objects.bulk_create(
            [
                Slot(
                    provider=doctor,
                    organization=org,
                    region=county,
                    service="clinic",
                    specialty="general",
                    mode="online",
                    starts_at=datetime(2020, 1, 1, tzinfo=CST)
                    + timedelta(minutes=20 * (start + k)),
                    ends_at=datetime(2020, 1, 1, tzinfo=CST)
                    + timedelta(minutes=20 * (start + k) + 20),
                )  # fmt: skip
                for k in range(len(chunk))
            ]
        )
        Booking.objects.bulk_create(
            [
                Booking(slot=s, resident_id=p, booked_by=doctor, status="attended")
                for s, p in zip(slots, chunk, strict=True)
            ]
        )
    tokens = []
    for person in Person.objects.filter(user__isnull=False).select_related("user"):
        _token, key = token_create(user=person.user, name="bench")
        tokens.append([key, person.public_id])
    return {"tokens": tokens}


def day(round_no: int, slots: int) -> dict:
    """One popular clinic day: `slots` 10-minute slots, all opening for booking at once."""
    doctor = _doctor()
    base = datetime(2030, 1, 1, 8, tzinfo=CST) + timedelta(days=round_no)
    ids = [
        services.slot_offer(
            actor=doctor,
            service="clinic",
            starts_at=base + timedelta(minutes=10 * k),
            ends_at=base + timedelta(minutes=10 * k + 10),
            specialty="respiratory",
            mode="online",
        ).pk  # fmt: skip
        for k in range(slots)
    ]
    return {"slots": ids}


def check() -> dict:
    doubled = (
        Booking.objects.filter(status__in=("booked", "attended", "no_show"))
        .values("slot")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "double_booked": doubled,
        "booked": Booking.objects.filter(status="booked").count(),
        "bookings_total": Booking.objects.count(),
    }


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = {"setup": setup, "day": day, "check": check}[command](*map(int, args))
    print(json.dumps(result))
