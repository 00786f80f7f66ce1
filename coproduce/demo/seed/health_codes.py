"""Health codes of the Fuyang outbreak story (synthetic people, the paper's rules and dates).

Region risk levels as officials set them in early 2020 (Hubei high from the Wuhan lockdown of
2020-01-23; Wenzhou medium, then high from 2020-02-02; Taizhou medium); a confirmed case in
Fuyang on 2020-02-03 whose household and close contacts are red (centralized quarantine) and
whose contacts' contacts are yellow (home quarantine); arrivals who declared travel at
registration judged against the level in force on the travel day; daily reports filed day by day
on the exercise clock up to 2020-02-11, with a fever that restarted one count; an appeal waiting
and one corrected; the demo resident with a green code, reports, and an elderly parent managed
by proxy. Most residents stay green.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from coproduce.core.clock import exercise_clock_set
from coproduce.health_codes import services
from coproduce.people import rules as people_rules
from coproduce.people.models import Person
from coproduce.people.services import DeclarationInput, TravelInput, person_register
from coproduce.regions.models import Region
from coproduce.regions.services import region_risk_set, regions_import

SHANGHAI = ZoneInfo("Asia/Shanghai")
OUTSIDE = """code,name_zh,name_en,level,parent_code
420000,湖北省,Hubei Province,province,
420100,武汉市,Wuhan City,city,420000
"""
CASE_ON = dt.date(2020, 2, 3)
REPORTS_FROM, LAST_REPORT = dt.date(2020, 1, 29), dt.date(2020, 2, 11)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def _id(ctx, serial: int, area: str) -> str:
    first17 = f"{area[:6]}19{ctx.rng.randint(40, 99)}0{ctx.rng.randint(1, 9)}1{ctx.rng.randint(0, 9)}{serial % 1000:03d}"
    return first17 + people_rules.national_id_check_char(first17)


def run(ctx) -> None:
    official, admin = ctx.users["official"], ctx.users["admin"]
    regions_import(text=OUTSIDE, actor=admin)
    levels = [
        ("420000", "high", dt.date(2020, 1, 23), "Wuhan lockdown"),
        ("330300", "medium", dt.date(2020, 1, 25), ""),
        ("330300", "high", dt.date(2020, 2, 2), "local transmission"),
        ("331000", "medium", dt.date(2020, 2, 1), "Huangyan, Yuanqiao lockdown"),
        ("330100", "medium", dt.date(2020, 1, 30), ""),
    ]
    regions = {r.code: r for r in Region.objects.filter(code__in={c for c, *_ in levels})}
    for code, level, start, note in levels:
        actor = official if code == "330100" else admin
        region_risk_set(
            region=regions[code], level=level, effective_from=start, note=note, actor=actor
        )

    fuyang = [p for p in ctx.people if p.home_region_id.startswith("330111")]
    resident = ctx.people[0]
    # The index case's household and neighbours: close contacts (red) and their contacts (yellow).
    case = fuyang[40]
    # (ctx.people were made before their households: read the household from the database.)
    case.refresh_from_db()
    household = list(Person.objects.filter(household_id=case.household_id).exclude(pk=case.pk))
    close = household + [p for p in fuyang[60:72] if p.pk not in {h.pk for h in household}]
    secondary = fuyang[80:104]

    exercise_clock_set(moment=_at(REPORTS_FROM - dt.timedelta(days=1)), actor=admin)
    services.keys_rotate(actor=admin)
    # Arrivals who register with a declaration, judged on their travel days' risk levels.
    area = ctx.regions["fuyang_areas"][3]
    arriving = {
        dt.date(2020, 2, 2): [
            ("周建国", [("420100", dt.date(2020, 1, 24))]),  # Wuhan, high that day: red
            ("陈丽", [("420100", dt.date(2020, 1, 22))]),  # before the lockdown: low, green
        ],
        dt.date(2020, 2, 8): [
            ("吴明", [("330300", dt.date(2020, 1, 27))]),  # Wenzhou, medium that day: yellow
            ("郑秀英", [("330300", dt.date(2020, 1, 24))]),  # Wenzhou before Jan 25: green
        ],
    }
    arrivals = []

    # The resident's elderly mother, registered by proxy, managed by the resident with consent.
    mother = person_register(
        national_id=_id(ctx, 950, resident.home_region_id),
        name="王桂英",
        phone="",
        home_region=resident.home_region_id,
        actor=ctx.users["coordinator"],
    )
    services.proxy_grant(
        person=mother,
        user=ctx.users["resident"],
        relation="daughter",
        consent="given in person at the community office",
        actor=ctx.users["coordinator"],
    )

    fever_person = close[2] if len(close) > 2 else close[0]
    reporters = [resident, mother, *close, *secondary]
    day = REPORTS_FROM
    while day <= LAST_REPORT:
        exercise_clock_set(moment=_at(day), actor=admin)
        for name, travel in arriving.get(day, []):
            person = person_register(
                national_id=_id(ctx, 901 + len(arrivals), area),
                name=name,
                phone=f"1390000{901 + len(arrivals):04d}",
                home_region=area,
                actor=ctx.users["coordinator"],
                declaration=DeclarationInput(
                    travel=[TravelInput(region=r, date=d) for r, d in travel]
                ),
            )
            arrivals.append(person)
            if person.health_conditions.exists():
                reporters.append(person)
        if day == CASE_ON:
            services.condition_impose(
                person=case,
                kind="active_case",
                reason="confirmed_case",
                starts_on=CASE_ON,
                actor=official,
                source="demo.case:1",
                why="confirmed by the district CDC",
            )
            for p in close:
                services.condition_impose(
                    person=p,
                    kind="centralized_quarantine",
                    reason="close_contact",
                    starts_on=CASE_ON,
                    actor=official,
                    source=f"demo.order:{p.pk}",
                    why="round 1: close contact",
                )
        if day == CASE_ON + dt.timedelta(days=2):
            for p in secondary:
                services.condition_impose(
                    person=p,
                    kind="home_quarantine",
                    reason="secondary_contact",
                    starts_on=day,
                    actor=official,
                    source=f"demo.order:{p.pk}",
                    why="round 2: contact of a close contact",
                )
        for i, p in enumerate(reporters):
            if p is case or (p in secondary and day.day % 7 == i % 7 and i % 3 == 0):
                continue  # a few missed days break some yellow streaks
            fever = p is fever_person and day == dt.date(2020, 2, 8)
            services.report_file(
                person=p,
                report=services.ReportInput(
                    on=day,
                    temperature_c=Decimal("38.2" if fever else f"36.{ctx.rng.randint(2, 8)}"),
                    symptoms=["cough"] if fever else [],
                ),
                actor=ctx.users["resident"] if p in (resident, mother) else ctx.users["volunteer"],
                by_proxy=p is not resident,
            )
        day += dt.timedelta(days=1)

    # Appeals: one red contact disputes (waiting), one corrected with a recorded reason.
    exercise_clock_set(moment=_at(LAST_REPORT, 18), actor=admin)
    services.appeal_file(
        person=close[-1],
        reason="I was in Hangzhou city that whole week; my employer can confirm.",
        actor=ctx.users["volunteer"],
    )
    wrong = services.appeal_file(
        person=secondary[-1],
        reason="The contact named is my neighbour's son, not me; we share a surname.",
        actor=ctx.users["volunteer"],
    )
    services.appeal_decide(
        appeal=wrong,
        actor=official,
        outcome="corrected",
        decision="Checked with the tracing team: a different person with the same name.",
    )
    result = services.health_codes_recompute_all(actor=admin)
    ctx.log.append(
        f"health codes: {len(levels)} risk levels, 1 case, {len(close)} red and "
        f"{len(secondary)} yellow contacts, {len(arrivals)} arrivals judged on their travel days, "
        f"reports {REPORTS_FROM}..{LAST_REPORT}, 2 appeals; {result.people} codes"
    )
