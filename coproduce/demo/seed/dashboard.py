"""The province's epidemic curve: confirmed cases reported across Zhejiang, 21 January - March 2020.

The paper's figures 1 and 3: new confirmed cases rose from 21 January, peaked at the end of
the month and fell through February to single figures, the cumulative curve flattening at about
1,200 by March. Scaled down (a quarter at scale 1, like the demo's residents), the cases are
reported through tracing's service on the exercise clock, each in a county of a city weighted by
that city's share of Zhejiang's cases, and the dashboards' kept figures are then refreshed. The
clock ends at the demo's clock again. Fuyang's own outbreak (tracing step) comes on top.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coproduce.core.clock import exercise_clock_set
from coproduce.core.errors import Conflict
from coproduce.demo.seed.base import _name, _national_id
from coproduce.people.services import person_register
from coproduce.regions.models import Region
from coproduce.regions.services import regions_import
from coproduce.scheduler.figures import tallies_refresh
from coproduce.tracing import services

TZ = ZoneInfo("Asia/Shanghai")
START = date(2020, 1, 21)
# New confirmed cases a day in Zhejiang from 21 January (the shape of the paper's figure 1). At
# a quarter of them the last reported case falls on 16 February: 14 quiet days make the platform
# suggest stage 3 on 1 March (stages step).
DAILY = [
    5, 5, 17, 16, 19, 42, 24, 45, 123, 128, 59, 60, 63, 62, 63, 34, 66, 48, 37, 25,
    16, 26, 11, 10, 10, 7, 8, 1, 1, 2, 2, 1, 1, 0, 1, 2, 0, 1, 0, 1,
    0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
]  # fmt: skip
# Each city's share of the province's cases (Wenzhou was hit hardest).
CITIES = {
    "330300": 504, "330100": 169, "330200": 157, "331000": 146, "330600": 42,
    "330700": 55, "330400": 46, "330500": 10, "330800": 36, "331100": 17, "330900": 10,
}  # fmt: skip
SHARE = 0.25  # of the real counts, at scale 1
# The demo's clock (seed.DEMO_NOW), where the step leaves it.
DEMO_CLOCK = datetime(2020, 2, 12, 10, 0, tzinfo=TZ)


def _homes(ctx) -> dict[str, list[str]]:
    """Per city, one community in each county where a case can live (residents live in a
    community or residential area): the county's first, or a synthetic one made here."""
    rows = ["code,name_zh,name_en,level,parent_code"]
    homes: dict[str, list[str]] = {}
    for city in CITIES:
        homes[city] = []
        for county in Region.objects.filter(parent_id=city, level="county").order_by("code"):
            community = (
                Region.objects.filter(path__startswith=county.path, level="community")
                .order_by("code")
                .first()
            )
            if community is not None:
                homes[city].append(community.code)
                continue
            town = Region.objects.filter(parent=county).order_by("code").first()
            if town is None:
                continue
            code = f"{town.code}900"
            rows.append(
                f"{code},{town.name}居民社区,{town.name_en or town.name} Residents,community,{town.code}"
            )
            homes[city].append(code)
    if len(rows) > 1:
        regions_import(text="\n".join(rows) + "\n", actor=ctx.users["admin"])
    return homes


def run(ctx) -> None:
    admin = ctx.users["admin"]
    homes = _homes(ctx)
    cities, weights = list(CITIES), list(CITIES.values())
    serial, reported = 600, 0
    for offset, real in enumerate(DAILY):
        day = START + timedelta(days=offset)
        n = round(real * SHARE * ctx.scale)
        if not n:
            continue
        exercise_clock_set(moment=datetime.combine(day, time(16), tzinfo=TZ), actor=admin)
        for _ in range(n):
            home = ctx.rng.choice(homes[ctx.rng.choices(cities, weights)[0]])
            person = None
            while person is None:
                serial += 1
                try:
                    person = person_register(
                        national_id=_national_id(ctx, serial, home[:6]),
                        name=_name(ctx),
                        phone=f"137{serial:08d}",
                        home_region=home,
                        actor=admin,
                    )
                except Conflict:  # the same synthetic ID twice: draw another
                    continue
            services.case_report(
                person=person,
                status="confirmed",
                onset_date=day - timedelta(days=ctx.rng.randint(2, 6)),
                test_date=day,
                reporting_unit="County CDC",
                actor=admin,
            )
            reported += 1
    exercise_clock_set(moment=DEMO_CLOCK, actor=admin)
    tallies_refresh(settled=True)
    ctx.log.append(
        f"dashboard: {reported} confirmed cases across Zhejiang, 21 January - March 2020; "
        "kept figures refreshed"
    )
