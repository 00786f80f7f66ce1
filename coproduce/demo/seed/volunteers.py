"""Volunteers and the Voluntary Bank: the paper's rescue teams, their shifts and hours, a bank.

The paper: Zhejiang mobilized 2.8 million volunteers, and 70 emergency rescue teams organized
12,800 of them for transport and security. The demo scales this down (and the report page says
so): the four rescue teams the paper names, with about 30 volunteers each (`--scale` changes it),
plus the Fuyang community volunteers of the demo logins, shifts from 2020-01-25 (the day after
Zhejiang's first-level response) to the demo day, and upcoming calls to sign up for.

Calls and sign-ups are made with the platform clock on 2020-01-24, before the shifts, and the
service records once the clock is on the demo day (2020-02-12 10:00), through the same services
as the pages, so every rule (capacity, double booking, 16 h, second-party confirmation) holds.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from coproduce.core.clock import exercise_clock_set
from coproduce.demo.seed.base import GIVEN, SURNAMES
from coproduce.places.services import place_create
from coproduce.regions.models import Region
from coproduce.timebank import services as bank
from coproduce.volunteers import services
from coproduce.volunteers.models import Activity

CST = ZoneInfo("Asia/Shanghai")
BEFORE = datetime(2020, 1, 24, 8, 0, tzinfo=CST)
DEMO_DAY = datetime(2020, 2, 12, 10, 0, tzinfo=CST)
# Calls still open at the demo's "now": (start, title, places). Night 22:00-06:00, morning
# 06:00-14:00 (they were swapped: the "night" shift ran 08:00-16:00).
UPCOMING_SHIFTS = [
    (datetime(2020, 2, 12, 22, 0, tzinfo=CST), "南门夜班 Night shift, south gate", 3),
    (datetime(2020, 2, 13, 6, 0, tzinfo=CST), "南门早班 Morning shift", 4),
]
FIRST_SHIFT_DAY = datetime(2020, 1, 25, tzinfo=CST)
# Records and postings are made an hour before the demo's "now" (the demo command sets the clock
# back to 10:00 after seeding): every entry is then in the past when the demo opens.
RECORDING = DEMO_DAY - timedelta(hours=1)

# slug -> (volunteers at scale 1, the team's name, its work: transport and security, the paper)
RESCUE_TEAMS = {
    "dishui-dolphin": (40, "海豚应急救援队 Dolphin team", Activity.TRANSPORT),
    "yueqing-blue-sky": (30, "蓝天救援队 Blue Sky team", Activity.SECURITY),
    "wenzhou-black-horse": (25, "黑马救援队 Black Horse team", Activity.TRANSPORT),
    "ouhai-sea-hawk": (25, "海鹰救援队 Sea Hawk team", Activity.SECURITY),
}
SKILLS = ["first aid", "driving", "disinfection", "logistics", "radio", "boat"]


def _clock(moment, ctx) -> None:
    if settings.COPRODUCE_EXERCISE:
        exercise_clock_set(moment=moment, actor=ctx.users["admin"])


def _home(org) -> Region:
    """A township below the organization's home region, else the region itself."""
    return Region.objects.filter(parent=org.home_region).order_by("code").first() or org.home_region


def _team(ctx, org, name, count, lead_actor, stats):
    home = _home(org)
    team = services.team_create(
        organization=org, name=name, region=org.home_region, actor=lead_actor
    )
    members = []
    for i in range(count):
        profile = services.volunteer_register(
            actor=lead_actor,
            organization=org,
            username=f"{org.slug[:20]}-{i + 1:03d}",
            name=_name(ctx),
            phone=f"139{ctx.rng.randint(10000000, 99999999)}",
            home_region=home,
            skills=ctx.rng.sample(SKILLS, ctx.rng.randint(1, 3)),
            availability=ctx.rng.choice(
                ["日间 days", "夜间 nights", "周末 weekends", "全天 any time"]
            ),
            is_official=ctx.rng.random() < 0.08,  # officials volunteer too, and are marked
        )
        services.team_member_add(team=team, volunteer=profile, actor=lead_actor)
        members.append(profile)
    stats["volunteers"] += count
    return team, members


def _name(ctx) -> str:
    return ctx.rng.choice(SURNAMES) + "".join(ctx.rng.choice(GIVEN) for _ in range(2))


def _shifts(ctx, org, team, members, place, activity, actor, stats, days=18):
    """Daily calls (one 8-hour shift a day) filled by the team; made while the clock is before."""
    booked = []
    for day in range(days):
        start = FIRST_SHIFT_DAY + timedelta(days=day, hours=ctx.rng.choice((8, 16)))
        call = services.call_create(
            organization=org,
            team=team,
            title=f"{team.name}: {Activity(activity).label} {start:%m-%d}",
            activity=activity,
            region=place.region,
            place=place,
            start=start,
            end=start + timedelta(hours=8),
            capacity=max(2, len(members) // 4),
            actor=actor,
        )
        stats["calls"] += 1
        for volunteer in ctx.rng.sample(members, min(len(members), call.capacity)):
            services.signup_create(call=call, volunteer=volunteer, actor=volunteer.user)
            booked.append((call, volunteer))
    return booked


def _records(ctx, booked, place, actor, confirmer, stats):
    """What was served, recorded once the clock is on the demo day; most confirmed."""
    for call, volunteer in booked:
        # Most check in a little late or leave a little early; the minutes are what they served.
        start = call.start + timedelta(minutes=ctx.rng.randint(0, 20))
        end = call.end - timedelta(minutes=ctx.rng.randint(0, 30))
        record = services.service_record_create(
            volunteer=volunteer,
            start=start,
            end=end,
            activity=call.activity,
            source=f"demo.shift:{call.pk}:{volunteer.pk}",
            actor=actor,
            place=place,
            organization=call.organization,
            call=call,
        )
        stats["records"] += 1
        if ctx.rng.random() < 0.9 or call.end < RECORDING - timedelta(days=3):
            services.service_record_confirm(record=record, actor=confirmer)
            stats["hours"] += record.minutes / 60


def run(ctx) -> None:
    admin, coordinator = ctx.users["admin"], ctx.users["coordinator"]
    stats = {"volunteers": 0, "calls": 0, "records": 0, "hours": 0.0}
    scale = max(ctx.scale, 0.1)
    _clock(BEFORE, ctx)
    teams = {}
    for slug, (count, name, activity) in RESCUE_TEAMS.items():
        org = ctx.orgs[slug]
        team, members = _team(ctx, org, name, max(4, int(count * scale)), admin, stats)
        place = place_create(
            name=f"{org.name_zh} 执勤点",
            kind="expressway_entrance" if activity == Activity.TRANSPORT else "village_entrance",
            region=_home(org),
            operator=org,
            actor=admin,
        )
        teams[slug] = (org, team, members, place, activity)
    fuyang_org = ctx.orgs["fuyang-community-volunteers"]
    fuyang_team, fuyang_members = _team(
        ctx,
        fuyang_org,
        "富春街道卡口队 Fuchun gate squad",
        max(4, int(20 * scale)),
        coordinator,
        stats,
    )
    area = Region.objects.get(code=ctx.regions["fuyang_areas"][0])
    gate = place_create(
        name="1号小区南门 Area 1 south gate",
        kind="residential_gate",
        region=area,
        operator=fuyang_org,
        actor=coordinator,
    )
    # The demo logins: the volunteer (Fuyang), and the county official who volunteers too.
    me = services.volunteer_register(
        actor=ctx.users["volunteer"],
        user=ctx.users["volunteer"],
        name="陈杰",
        phone="13900000001",
        home_region=area,
        skills=["first aid", "driving"],
        availability="夜间 nights",
        organization=fuyang_org,
    )
    official = services.volunteer_register(
        actor=ctx.users["official"],
        user=ctx.users["official"],
        name="徐明 (区卫健局)",
        home_region=area,
        skills=["logistics"],
        organization=fuyang_org,
    )
    services.team_member_add(team=fuyang_team, volunteer=me, actor=coordinator)
    services.team_member_add(team=fuyang_team, volunteer=official, actor=coordinator)

    # The clock moves forward only (BEFORE, then the demo day), so ledger times stay in order.
    work = [
        (_shifts(ctx, org, team, members, place, activity, admin, stats), place, admin, admin)
        for org, team, members, place, activity in teams.values()
    ]
    fuyang_shifts = _shifts(
        ctx,
        fuyang_org,
        fuyang_team,
        [*fuyang_members, me, official],
        gate,
        Activity.CHECKPOINT,
        coordinator,
        stats,
    )
    work.append((fuyang_shifts, gate, coordinator, ctx.users["staff"]))
    _clock(RECORDING, ctx)
    for booked, place, actor, confirmer in work:
        _records(ctx, booked, place, actor, confirmer, stats)
    # The demo volunteer has one shift awaiting confirmation (the coordinator's list shows it).
    services.service_record_create(
        volunteer=me,
        start=RECORDING - timedelta(hours=3, minutes=30),
        end=RECORDING - timedelta(minutes=30),
        activity=Activity.DELIVERY,
        source="demo.delivery:1",
        actor=coordinator,
        region=area,
        organization=fuyang_org,
        note="送菜到隔离户 groceries to households in quarantine",
    )
    stats["records"] += 1

    # Upcoming calls: tonight's and tomorrow morning's gate shifts with places left, so the
    # volunteer can sign up (the night shift starts at 22:00, the morning one at 06:00).
    for start, title, cap in UPCOMING_SHIFTS:
        call = services.call_create(
            organization=fuyang_org,
            team=fuyang_team,
            title=title,
            activity=Activity.CHECKPOINT,
            region=area,
            place=gate,
            start=start,
            end=start + timedelta(hours=8),
            capacity=cap,
            required_skills=["first aid"] if cap == 3 else [],
            actor=coordinator,
        )
        for volunteer in fuyang_members[: cap - 2]:
            if "first aid" in volunteer.skills or cap != 3:
                services.signup_create(call=call, volunteer=volunteer, actor=volunteer.user)
    _bank(ctx, me, fuyang_members)
    ctx.log.append(
        f"volunteers: {stats['volunteers'] + 2} in {len(teams) + 1} teams (the paper's 70 rescue "
        f"teams and 12,800 volunteers scaled down), {stats['calls']} shifts, "
        f"{stats['records']} service records, {stats['hours']:.0f} confirmed hours; "
        "a partner bank and a shop with offers and redemptions"
    )


def _bank(ctx, me, members) -> None:
    """The partner bank and a shop with offers; gifts to elderly neighbours; a few redemptions."""
    official = ctx.users["official"]
    fuyang = Region.objects.get(code="330111")
    partner_user = ctx.users["partner"]
    rural_bank = bank.partner_create(
        name="富阳农商银行 Fuyang Rural Commercial Bank",
        slug="fuyang-rural-bank",
        kind="bank",
        region=fuyang,
        staff=[partner_user],
        actor=official,
    )
    shop = bank.partner_create(
        name="富春生活超市 Fuchun Supermarket",
        slug="fuchun-supermarket",
        kind="shop",
        region=fuyang,
        staff=[partner_user],
        actor=official,
    )
    offers = [
        bank.offer_create(
            partner=rural_bank,
            title="贷款利率优惠0.5个百分点 Loan interest discount (0.5 point)",
            description="志愿服务满20小时 For 20 hours of service",
            price_minutes=20 * 60,
            actor=partner_user,
        ),
        bank.offer_create(
            partner=rural_bank,
            title="贷款优先审批 Priority loan review",
            price_minutes=10 * 60,
            actor=partner_user,
        ),
        bank.offer_create(
            partner=shop,
            title="生活物资券 Grocery voucher (RMB 50)",
            price_minutes=4 * 60,
            actor=partner_user,
        ),
    ]
    # Gifts: a few volunteers give hours to elderly neighbours (residents of their area).
    elders = [p for p in ctx.people[1:40] if p.status == "registered"][:5]
    givers = [m for m in members if bank.account_of_volunteer(volunteer=m).balance >= 120][:5]
    for giver, elder in zip(givers, elders, strict=False):
        bank.hours_give(
            source=bank.account_of_volunteer(volunteer=giver),
            target=bank.account_of_person(person=elder),
            minutes=120,
            key="demo",
            actor=giver.user,
            memo="给独居老人 to an elderly neighbour",
        )
    # Redemptions: confirmed, refused (hours returned) and one pending for the partner login.
    rich = [m for m in members if bank.account_of_volunteer(volunteer=m).balance >= 10 * 60]
    decisions = [True, True, False, None]
    for volunteer, decision in zip(rich, decisions, strict=False):
        redemption = bank.redemption_request(
            account=bank.account_of_volunteer(volunteer=volunteer),
            offer=offers[1],
            key="demo",
            actor=volunteer.user,
        )
        if decision is not None:
            bank.redemption_decide(
                redemption=redemption,
                accept=decision,
                actor=partner_user,
                note="" if decision else "资料不全 documents incomplete",
            )
    mine = bank.account_of_volunteer(volunteer=me)
    if mine.balance >= offers[2].price_minutes:
        bank.redemption_request(account=mine, offer=offers[2], key="demo", actor=me.user)
