"""Checkpoints of every kind in Fuyang, Yinzhou and Yuanqiao, with 24-hour shifts, three days of
scans (some stale, red, yellow or feverish) and residents' place-code visits before 2020-02-12.

The paper: Yinzhou had "more than 230" CBOs checking codes and temperatures 24 hours a day; the
demo scales that down tenfold, to 23 Yinzhou community teams each operating one checkpoint.
"""

import datetime as dt
from decimal import Decimal

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.checkpoints import services
from coproduce.checkpoints.models import Checkpoint
from coproduce.core import clock
from coproduce.core.errors import DomainError
from coproduce.demo.seed.base import FUYANG, YINZHOU, YUANQIAO
from coproduce.health_codes import selectors as hc_selectors
from coproduce.health_codes import services as hc
from coproduce.orgs.services import member_add, organization_create
from coproduce.regions.models import Region
from coproduce.volunteers.services import volunteer_register

YINZHOU_TEAMS = 23  # 230+ in the paper, scaled down tenfold
# One of the 16 volunteers who fill the Fuyang checkpoints' shifts (volunteer1..volunteer16).
LOGINS = [("volunteer1", "volunteer", FUYANG, "fuyang-community-volunteers")]
DAYS = (dt.date(2020, 2, 9), dt.date(2020, 2, 10), dt.date(2020, 2, 11))
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

FUYANG_CHECKPOINTS = [
    ("富阳高速入口 Fuyang Expressway Entrance", "expressway_entrance", 0),
    ("富阳火车站 Fuyang Railway Station", "railway_station", 0),
    ("1号小区大门 Residential Area 1 Gate", "residential_gate", 0),
    ("2号小区大门 Residential Area 2 Gate", "residential_gate", 1),
    ("村口卡点 Village Entrance", "village_entrance", 2),
    ("富春超市 Fuchun Supermarket", "supermarket", 4),
    ("富阳经济开发区企业门口 Enterprise Gate", "enterprise_gate", 5),
    ("富阳第一人民医院 Fuyang First People's Hospital", "hospital", 6),
    ("银泰广场 Intime Plaza", "other", 7),
]


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def run(ctx) -> None:
    rng, admin = ctx.rng, ctx.users["admin"]
    fuyang_org = ctx.orgs["fuyang-community-volunteers"]
    staff, coordinator = ctx.users["staff"], ctx.users["coordinator"]
    fuyang_areas = [Region.objects.get(code=c) for c in ctx.regions["fuyang_areas"][:8]]

    # Volunteers of the Fuyang team who fill the 24-hour plan (staff and volunteer logins too).
    volunteers = [staff, ctx.users["volunteer"]]
    for n in range(1, 17):
        user = user_create(
            username=f"volunteer{n}",
            password=ctx.password,
            check_password=False,
            actor=admin,
            first_name=f"志愿者{n}",
            roles=[RoleSpec("volunteer", FUYANG, fuyang_org.pk)],
        )
        member_add(organization=fuyang_org, user=user, actor=admin, kind="volunteer")
        # A volunteer profile, so that served shifts become service records and bank hours.
        volunteer_register(
            actor=user,
            user=user,
            name=f"志愿者{n}",
            home_region=Region.objects.get(code=FUYANG),
            organization=fuyang_org,
        )
        volunteers.append(user)

    checkpoints: list[tuple[Checkpoint, object]] = []
    clock.exercise_clock_set(moment=_at(DAYS[0], 6, 0), actor=admin)
    for name, kind, area in FUYANG_CHECKPOINTS:
        region = (
            fuyang_areas[area]
            if kind in {"residential_gate", "village_entrance"}
            else (Region.objects.get(code=FUYANG))
        )
        checkpoint = services.checkpoint_create(
            name=name,
            kind=kind,
            region=region,
            operator=fuyang_org,
            lat=Decimal("30.05") + Decimal(rng.randint(-200, 200)) / 10000,
            lon=Decimal("119.95") + Decimal(rng.randint(-200, 200)) / 10000,
            yellow_may_enter_own_gate=kind == "residential_gate",
            minimum_staff=2 if kind in {"expressway_entrance", "railway_station"} else 1,
            actor=coordinator,
        )
        checkpoints.append((checkpoint, staff))

    # Yinzhou: community teams, each operating the gate of its own village around the clock.
    yinzhou_areas = list(
        Region.objects.filter(
            path__startswith=Region.objects.get(code=YINZHOU).path, level="residential_area"
        ).order_by("code")
    ) or [Region.objects.get(code=YINZHOU)]
    kinds = ["residential_gate", "village_entrance", "supermarket", "enterprise_gate"]
    for n in range(YINZHOU_TEAMS):
        team = organization_create(
            slug=f"yinzhou-community-team-{n + 1}",
            name=f"Yinzhou Community Volunteer Team {n + 1}",
            name_zh=f"鄞州社区志愿服务队{n + 1}",
            category="volunteer_team",
            home_region=Region.objects.get(code=YINZHOU),
            actor=admin,
            verified=True,
        )
        kind = kinds[n % len(kinds)]
        checkpoint = services.checkpoint_create(
            name=f"鄞州{n + 1}号卡点 Yinzhou Checkpoint {n + 1}",
            kind=kind,
            region=yinzhou_areas[n % len(yinzhou_areas)],
            operator=team,
            actor=admin,
        )
        checkpoints.append((checkpoint, admin))
    # Yuanqiao (the 18-day lockdown): the Community Service Center guards its villages.
    yuanqiao_org = ctx.orgs["yuanqiao-community-service"]
    for k, code in enumerate(ctx.regions["yuanqiao_areas"][:4]):
        checkpoint = services.checkpoint_create(
            name=f"院桥{k + 1}村村口 Yuanqiao Village {k + 1} Entrance",
            kind="village_entrance" if k else "supermarket",
            region=Region.objects.get(code=code if k else YUANQIAO),
            operator=yuanqiao_org,
            actor=admin,
        )
        checkpoints.append((checkpoint, admin))

    # 24-hour plans for the demo days and the current one: three 8-hour shifts of two, filled
    # from the team with a few holes so that the coverage view has gaps to show.
    clock.exercise_clock_set(moment=_at(dt.date(2020, 2, 12), 10, 0), actor=admin)
    for checkpoint, _ in checkpoints[: len(FUYANG_CHECKPOINTS)]:
        for day in (*DAYS, dt.date(2020, 2, 12)):
            for shift in services.shift_plan_day(
                checkpoint=checkpoint, day=day, hours=8, capacity=2, actor=coordinator
            ):
                if rng.random() < 0.15:
                    continue  # nobody on this shift: a gap
                chosen = rng.sample(volunteers, 2 if rng.random() < 0.6 else 1)
                for user in chosen:
                    try:
                        assignment = services.shift_assign(
                            shift=shift, user=user, actor=coordinator
                        )
                    except DomainError:  # a double booking is simply skipped
                        continue
                    if day < dt.date(2020, 2, 12):
                        services.shift_complete(assignment=assignment, actor=coordinator)

    # Residents who are not green: those the health-code step put under orders (its contacts of
    # the demo case); only when there are none are a few orders imposed here.
    people = ctx.people
    colors = hc_selectors.colors_of(person_ids=[p.pk for p in people])
    if sum(1 for c in colors.values() if c != "green") < 10:
        for k, person in enumerate(people[40:70]):
            hc.condition_impose(
                person=person,
                kind="centralized_quarantine" if k < 10 else "home_quarantine",
                reason="close_contact" if k < 10 else "secondary_contact",
                starts_on=DAYS[0],
                actor=admin,
                source=f"demo.checkpoints.order:{person.pk}",
            )
        colors = hc_selectors.colors_of(person_ids=[p.pk for p in people])
    non_green = {pk: color for pk, color in colors.items() if color != "green"}
    # Non-green residents come to the gates more often than chance would bring them.
    regulars = [p for p in people if p.pk in non_green]

    # Three days of scans, uploaded at the end of each day as an offline device would.
    scans = visits = 0
    for day in DAYS:
        # Uploaded just after midnight, when the day's last scans lie behind the clock.
        clock.exercise_clock_set(moment=_at(day, 23, 59) + dt.timedelta(minutes=31), actor=admin)
        for index, (checkpoint, actor) in enumerate(checkpoints):
            per_day = 36 if index < len(FUYANG_CHECKPOINTS) else 12
            items = []
            for k in range(per_day):
                person = rng.choice(regulars) if rng.random() < 0.08 else rng.choice(people)
                hour = rng.choices(
                    range(24), weights=[1] * 6 + [6] * 4 + [4] * 8 + [5] * 4 + [2] * 2
                )[0]
                color = non_green.get(person.pk)
                kind = "card" if rng.random() < 0.15 else "live"
                # A few stale green tokens of people who are not green any more.
                shown = "green" if color and rng.random() < 0.3 else (color or "green")
                payload = hc.token_issue_for(
                    person=person, kind=kind, color=shown if kind == "live" else None
                ).payload
                temperature = Decimal("36.") + Decimal(rng.randint(0, 9)) / 10
                if rng.random() < 0.02:
                    temperature = Decimal("37.") + Decimal(rng.randint(4, 9)) / 10
                items.append(
                    services.ScanInput(
                        payload=payload,
                        direction="in" if rng.random() < 0.7 else "out",
                        device_id=f"demo-device-{checkpoint.pk}",
                        idempotency_key=f"{day.isoformat()}-{k}",
                        scanned_at=_at(day, hour, rng.randint(0, 59)),
                        temperature_c=temperature,
                    )
                )
            services.scan_record_batch(checkpoint=checkpoint, items=items, actor=actor)
            scans += len(items)
        # Residents record visits to the supermarket, station and plaza by their place codes.
        venues = [
            c.place for c, _ in checkpoints if c.kind in {"supermarket", "other", "railway_station"}
        ]
        for _ in range(60):
            person = rng.choice(people[:400])
            _, created = services.visit_record(
                person=person,
                place=rng.choice(venues),
                visited_at=_at(day, rng.randint(8, 20), rng.randint(0, 59)),
                actor=admin,
            )
            visits += created
    ctx.log.append(
        f"{len(checkpoints)} checkpoints (Fuyang {len(FUYANG_CHECKPOINTS)}, Yinzhou "
        f"{YINZHOU_TEAMS} teams = the paper's 230+ scaled 1:10, Yuanqiao 4), shifts, "
        f"{scans} scans and {visits} visits on {DAYS[0]}..{DAYS[-1]}"
    )
