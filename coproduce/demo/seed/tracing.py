"""The Fuyang outbreak: cases, contacts found in the presence log, three rounds, quarantine.

The paper: community organizations teamed up with about 1,400 town and 1,600 village officers
to search Fuyang's 179 residential areas in three rounds for the contacts of patients. Scaled
down: the officers are teams (organizations) rather than accounts, one per township (24 teams,
"about 58 officers" each) and one per community (50 teams, "about 32 officers" each), with the
Fuyang Community Volunteer Association as the CBO; a handful of cases in two clusters; their
contacts found from visits and scans at eight places over 3-11 February 2020; three rounds for
the index case, each worked by the teams; contacts in quarantine, red (centralized) or yellow
(home). The platform clock walks through those days and ends at the demo's clock.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from coproduce.core.clock import exercise_clock_set
from coproduce.fieldwork import services as task_services
from coproduce.fieldwork.models import Task
from coproduce.orgs.services import organization_create
from coproduce.places.models import Presence
from coproduce.places.services import place_create, presence_record
from coproduce.regions.models import Region
from coproduce.tracing import services
from coproduce.tracing.models import Case, Contact

TZ = ZoneInfo("Asia/Shanghai")
FUYANG = "330111"
TOWN_OFFICERS, VILLAGE_OFFICERS = 1400, 1600  # the paper's figures for Fuyang
PLACES = [
    ("Fuchun Farmers' Market", "supermarket"),
    ("Lianhua Supermarket, Fuchun", "supermarket"),
    ("Yinhu Pharmacy", "venue"),
    ("Fuyang Bus Station", "railway_station"),
    ("Dongwu Noodle House", "venue"),
    ("Xindeng Village Entrance", "village_entrance"),
    ("Chunjiang Residential Gate", "residential_gate"),
    ("Fuyang First People's Hospital", "hospital"),
]


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 2, day, hour, minute, tzinfo=TZ)


def _clock(ctx, moment: datetime) -> None:
    exercise_clock_set(moment=moment, actor=ctx.users["admin"])


def _teams(ctx) -> int:
    admin = ctx.users["admin"]
    towns = list(Region.objects.filter(parent_id=FUYANG, level="township").order_by("code"))
    communities = list(
        Region.objects.filter(
            path__startswith=f"/330000/330100/{FUYANG}/", level="community"
        ).order_by("code")
    )
    for town in towns:
        organization_create(
            name=f"{town.name_en or town.name} Town Officers",
            name_zh=f"{town.name}镇街干部",
            category="government_unit",
            home_region=town,
            service_regions=[town],
            description=f"About {TOWN_OFFICERS // len(towns)} town officers (the paper: "
            f"{TOWN_OFFICERS} across Fuyang).",
            actor=admin,
            slug=f"town-officers-{town.code}",
            verified=True,
        )
    for community in communities:
        organization_create(
            name=f"{community.name_en or community.name} Village Officers",
            name_zh=f"{community.name}村社干部",
            category="government_unit",
            home_region=community,
            service_regions=[community],
            description=f"About {VILLAGE_OFFICERS // len(communities)} village officers (the "
            f"paper: {VILLAGE_OFFICERS} across Fuyang).",
            actor=admin,
            slug=f"village-officers-{community.code}",
            verified=True,
        )
    # The CBO volunteers serve all of Fuyang: tracing tasks go to them too.
    cbo = ctx.orgs["fuyang-community-volunteers"]
    cbo.service_regions.add(Region.objects.get(code=FUYANG))
    return len(towns) + len(communities)


def _presence(ctx, places) -> int:
    """Visits and scans of Fuyang residents at the eight places, 3-11 February."""
    rng = ctx.rng
    fuyang = [p for p in ctx.people if p.home_region_id.startswith(FUYANG)]
    visitors = fuyang[: max(60, int(len(fuyang) * 0.45))]
    count = 0
    for person in visitors:
        for _ in range(rng.randint(2, 6)):
            place = rng.choice(places)
            moment = _at(rng.randint(3, 11), rng.randint(7, 20), rng.randrange(0, 60, 5))
            kind = "scan" if place.kind != "venue" else "visit"
            presence_record(
                person=person,
                place=place,
                at=moment,
                kind=kind,
                source=f"demo:{person.pk}:{place.pk}:{moment.isoformat()}",
            )
            count += 1
    return count


def _work(ctx, case, *, reached: float, quarantined: float, leave_open: float = 0.0) -> None:
    """Teams work the open tracing tasks of a case: outcomes in the paper's spirit."""
    rng, tracer = ctx.rng, ctx.users["tracer"]
    tasks = Task.objects.filter(trace_task__round__case=case, status__in=["open", "assigned"])
    for task in tasks.order_by("id"):
        roll = rng.random()
        if roll < leave_open:
            continue
        if roll < leave_open + quarantined:
            outcome = "quarantined"
        elif roll < leave_open + quarantined + reached:
            outcome = "reached"
        else:
            outcome = rng.choice(["not_found", "refused"])
        task_services.task_update(task=task, actor=tracer, status="done", outcome=outcome)


def _busiest(people: dict, start: datetime, end: datetime) -> list:
    """These people, the most present between start and end first (ties by id)."""
    counts: dict[int, int] = {}
    for pid in Presence.objects.filter(
        at__gte=start, at__lte=end, person_id__in=list(people)
    ).values_list("person_id", flat=True):
        counts[pid] = counts.get(pid, 0) + 1
    return [people[pid] for pid, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def run(ctx) -> None:
    official, admin = ctx.users["official"], ctx.users["admin"]
    _clock(ctx, _at(3, 6))
    teams = _teams(ctx)
    fuyang = Region.objects.get(code=FUYANG)
    areas = ctx.regions["fuyang_areas"]
    places = [
        place_create(
            name=name, kind=kind, region=Region.objects.get(code=areas[i * 7]), actor=admin
        )
        for i, (name, kind) in enumerate(PLACES)
    ]
    events = _presence(ctx, places)
    sites = [
        services.site_create(
            name="Fuchun Hotel (centralized quarantine)",
            region=fuyang,
            capacity=int(80 * max(ctx.scale, 0.5)),
            actor=official,
        ),
        services.site_create(
            name="Yinhu Staff Dormitory",
            region=fuyang,
            capacity=int(40 * max(ctx.scale, 0.5)),
            actor=official,
        ),
    ]

    # The index case: symptoms on 5 February, isolated on the 7th; the busiest visitor then.
    by_pk = {p.pk: p for p in ctx.people}
    ranked = _busiest(by_pk, _at(3, 0), _at(7, 14))
    _clock(ctx, _at(7, 15))
    index = services.case_report(
        person=ranked[0],
        status="confirmed",
        onset_date=_at(5, 0).date(),
        test_date=_at(7, 0).date(),
        isolated_at=_at(7, 14),
        cluster="Fuyang-1",
        reporting_unit="Fuyang First People's Hospital",
        actor=official,
    )
    services.interview_contact_add(
        case=index,
        actor=ctx.users["tracer"],
        exposed_at=_at(6, 19),
        name="陈建国",
        home_region=areas[3],
        phone="13705710000",
        note="dinner guest named by the patient",
    )

    # Round 1 that afternoon: degree-1 contacts to the teams; most reached by the next day.
    _clock(ctx, _at(7, 16))
    services.round_start(case=index, actor=official)
    services.orders_for_contacts(case=index, actor=official)
    _clock(ctx, _at(8, 11))
    _work(ctx, index, reached=0.45, quarantined=0.4)

    # Round 2 the next evening: degree-2 contacts and the unreached of round 1.
    _clock(ctx, _at(8, 18))
    services.round_start(case=index, actor=official)

    # A contact of the index case falls ill: a second case of the cluster.
    contacts = list(index.contacts.filter(degree=1).select_related("person").order_by("id"))
    second = None
    if contacts:
        _clock(ctx, _at(9, 9))
        ill = _busiest({c.person_id: c.person for c in contacts}, _at(6, 0), _at(9, 8))
        second = services.case_report(
            person=(ill or [contacts[0].person])[0],
            status="confirmed",
            onset_date=_at(8, 0).date(),
            isolated_at=_at(9, 8),
            cluster="Fuyang-1",
            reporting_unit="Fuyang CDC",
            actor=official,
        )
        _clock(ctx, _at(9, 10))
        services.round_start(case=second, actor=official)
        services.orders_for_contacts(case=second, actor=official)
    _clock(ctx, _at(9, 12))
    _work(ctx, index, reached=0.5, quarantined=0.35)
    services.orders_for_contacts(case=index, actor=official)
    # Round 3 that night: a sweep of what remains.
    _clock(ctx, _at(9, 20))
    services.round_start(case=index, actor=official)
    if second is not None:
        _clock(ctx, _at(10, 9))
        _work(ctx, second, reached=0.5, quarantined=0.4)

    # A second cluster: a confirmed case and an asymptomatic one found by testing.
    _clock(ctx, _at(10, 11))
    taken = set(Case.objects.values_list("person_id", flat=True)) | set(
        Contact.objects.values_list("person_id", flat=True)
    )
    fresh = {pk: p for pk, p in by_pk.items() if pk not in taken}
    other = _busiest(fresh, _at(6, 0), _at(10, 9))[0]
    third = services.case_report(
        person=other,
        status="confirmed",
        onset_date=_at(8, 0).date(),
        isolated_at=_at(10, 9),
        cluster="Fuyang-2",
        reporting_unit="Fuyang CDC",
        actor=official,
    )
    services.round_start(case=third, actor=official)
    services.orders_for_contacts(case=third, actor=official)
    fresh.pop(other.pk, None)
    fourth_person = _busiest(fresh, _at(8, 0), _at(10, 10))[0]
    fourth = services.case_report(
        person=fourth_person,
        status="asymptomatic",
        test_date=_at(10, 0).date(),
        isolated_at=_at(10, 10),
        cluster="Fuyang-2",
        reporting_unit="Fuyang CDC",
        actor=official,
    )
    services.round_start(case=fourth, actor=official)
    _clock(ctx, _at(10, 15))
    _work(ctx, index, reached=0.5, quarantined=0.2, leave_open=0.25)
    # A suspected case not yet isolated: its window runs up to now.
    _clock(ctx, _at(11, 16))
    fresh.pop(fourth_person.pk, None)
    suspected = _busiest(fresh, _at(8, 0), _at(11, 16))[0]
    services.case_report(
        person=suspected,
        status="suspected",
        onset_date=_at(10, 0).date(),
        cluster="Fuyang-1",
        reporting_unit="Yinhu Fever Clinic",
        actor=official,
    )
    # A traveller from a high-risk region who is nobody's contact: quarantined by an official.
    fresh.pop(suspected.pk, None)
    traveller = next(p for p in reversed(ctx.people) if p.pk in fresh)
    _clock(ctx, _at(11, 17))
    order, _ = services.order_create(
        person=traveller,
        kind="centralized",
        site=sites[1],
        start_date=_at(11, 0).date(),
        reason="high_risk_travel",
        why="arrived from Wuhan on 10 February",
        actor=official,
    )
    services.order_adjust(
        order=order,
        actor=official,
        not_before=_at(26, 0).date(),
        why="fever in the household: lengthened to 26 February",
    )
    ctx.log.append(
        f"tracing: {teams} officer teams, {len(places)} places, {events} presence events, "
        f"5 cases, {index.contacts.count()} contacts of the index case, 3 rounds"
    )
