"""Deliveries: Yuanqiao's 18-day lockdown adding up to the paper's totals, and a Fuyang order.

The paper: community organizations delivered 38,151.5 kg of pork, 76,850 kg of vegetables,
11,347.5 kg of eggs, 27,950 kg of rice and 1,734 bottles of cooking oil, worth RMB 2,861,329, to
the people of Yuanqiao during an 18-day lockdown. Our assumptions (the paper gives neither): the
lockdown ran 2020-01-26 to 2020-02-12, and prices were fixed for its length at the catalog's
reference prices (pork 48.00, vegetables 7.70, eggs 12.00, rice 5.94 per kg, oil 78.50 a bottle),
with which the quantities come to exactly RMB 2,861,329. About 154 tonnes of food in 18 days is
about 2.9 kg a day for each of 3,000 households (our assumption, the paper gives no count): the
demo's Yuanqiao has that many households at full scale (fewer at a smaller scale, and says so),
most of them known by address only, and each receives one delivery of its share during the
lockdown (it was one order per household and day for a dozen households: 600 kg a day each).
The totals are split as evenly as whole half-kilograms allow over the orders, placed by the
Yuanqiao Township Community Service Center as proxy, carried on one run per village and day by
its volunteers, each delivered against the household's handover code.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.core.clock import exercise_clock_set
from coproduce.deliveries import services
from coproduce.demo.seed import base
from coproduce.orgs.services import member_add
from coproduce.people.models import Household
from coproduce.people.services import household_create, person_register
from coproduce.regions.models import Region
from coproduce.relief.models import Item

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOCKDOWN_START, LOCKDOWN_DAYS = date(2020, 1, 26), 18
# item -> (total in the item's unit, price per unit): the paper's totals, our fixed prices.
YUANQIAO_TOTALS = {
    "pork": (Decimal("38151.5"), Decimal("48.00")),
    "vegetables": (Decimal("76850"), Decimal("7.70")),
    "eggs": (Decimal("11347.5"), Decimal("12.00")),
    "rice": (Decimal("27950"), Decimal("5.94")),
    "cooking-oil": (Decimal("1734"), Decimal("78.50")),
}
YUANQIAO_VALUE = Decimal("2861329")
# Households served at full scale: the food comes to about 2.9 kg per household and day.
YUANQIAO_HOUSEHOLDS = 3000
LOGINS = [  # username, role, region, organization
    ("yuanqiao", "cbo_coordinator", base.YUANQIAO, "yuanqiao-community-service"),
    ("courier", "volunteer", base.YUANQIAO, "yuanqiao-community-service"),
]


def _moment(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def yuanqiao_households(scale: float, villages: int = 6) -> int:
    """How many households the demo's Yuanqiao serves: 3,000 at full scale, and at least one per
    village and day of the lockdown, so that every village has a run every day."""
    return max(round(YUANQIAO_HOUSEHOLDS * scale), villages * LOCKDOWN_DAYS)


def _households(ctx, areas: list[str], actor) -> dict[str, list[Household]]:
    """Each Yuanqiao village's households: the base step's, then addresses only up to its share."""
    found: dict[str, list[Household]] = {}
    per_village = -(-yuanqiao_households(ctx.scale, len(areas)) // len(areas))
    for serial, code in enumerate(areas):
        households = list(Household.objects.filter(region_id=code).order_by("id"))
        if not households:
            person = person_register(
                national_id=base._national_id(ctx, 900 + serial, code[:6]),
                name=base._name(ctx),
                phone=f"1380000{serial:04d}",
                home_region=code,
                actor=actor,
            )
            households = [
                household_create(
                    region=Region.objects.get(code=code),
                    label=f"{serial + 1}号",
                    members=[person],
                    actor=actor,
                )
            ]
        region = Region.objects.get(code=code)
        for n in range(len(households), per_village):
            households.append(
                household_create(region=region, label=f"{n + 1}号", members=[], actor=actor)
            )
        found[code] = households[:per_village]
    return found


def run(ctx) -> None:
    admin = ctx.users["admin"]
    org = ctx.orgs["yuanqiao-community-service"]
    for username, role, region, slug in LOGINS:
        ctx.users[username] = user_create(
            username=username,
            password=ctx.password,
            check_password=False,
            actor=admin,
            roles=[RoleSpec(role, region, ctx.orgs[slug].pk)],
        )
        member_add(organization=org, user=ctx.users[username], actor=admin, kind="staff")
    coordinator, courier = ctx.users["yuanqiao"], ctx.users["courier"]
    areas = ctx.regions.get("yuanqiao_areas") or list(
        Region.objects.filter(code__startswith=base.YUANQIAO, level="residential_area")
        .order_by("code")
        .values_list("code", flat=True)
    )
    exercise_clock_set(moment=_moment(LOCKDOWN_START, 7), actor=admin)
    households = _households(ctx, areas, coordinator)
    # One delivery per household during the lockdown: a village's households take turns, day
    # after day, so that each village has a run every day.
    slots = [(n % LOCKDOWN_DAYS, code, h) for code in areas for n, h in enumerate(households[code])]
    items = {i.slug: i for i in Item.objects.filter(slug__in=YUANQIAO_TOTALS)}
    shares = {}  # item -> per-order quantities in quanta (even split, remainder to the first)
    for slug, (total, _) in YUANQIAO_TOTALS.items():
        quanta = int(total / items[slug].quantum)
        per, extra = divmod(quanta, len(slots))
        shares[slug] = [per + (1 if i < extra else 0) for i in range(len(slots))]

    orders = 0
    for day_index in range(LOCKDOWN_DAYS):
        day = LOCKDOWN_START + timedelta(days=day_index)
        exercise_clock_set(moment=_moment(day, 7), actor=admin)
        placed = []
        for n, (d, _area, household) in enumerate(slots):
            if d != day_index:
                continue
            lines = [
                services.LineInput(
                    item=slug,
                    quantity=shares[slug][n] * items[slug].quantum,
                    unit_price=price,
                )
                for slug, (_, price) in YUANQIAO_TOTALS.items()
                if shares[slug][n]
            ]
            placed.append(
                services.order_place(
                    household=household,
                    kind="groceries",
                    lines=lines,
                    by_proxy=True,
                    needed_on=day,
                    actor=coordinator,
                    idempotency_key=f"demo-yuanqiao-{day_index}-{household.pk}",
                )
            )
        exercise_clock_set(moment=_moment(day, 9), actor=admin)
        for code in areas:
            run_ = services.run_create(
                region=Region.objects.get(code=code),
                on=day,
                organization=org,
                assignee=courier,
                actor=coordinator,
            )
            for order in run_.orders.all():
                services.order_deliver(
                    order=order, handover_code=order.handover_code, actor=courier
                )
                orders += 1
        if day_index % 6 == 5:
            placed[0].refresh_from_db()
            services.feedback_give(
                order=placed[0], rating=5, comment="送得很及时，谢谢志愿者", actor=coordinator
            )

    # In Fuyang: the demo resident's household asks for medicine (waiting for a run).
    resident_person = ctx.people[0]
    if resident_person.household_id is None:
        household_create(
            region=resident_person.home_region,
            label="3幢1单元502",
            members=[resident_person],
            actor=ctx.users["coordinator"],
        )
        resident_person.refresh_from_db()
    exercise_clock_set(moment=_moment(date(2020, 2, 12), 8), actor=admin)
    services.order_place(
        household=resident_person.household,
        for_person=resident_person,
        kind="medicine",
        lines=[
            services.LineInput(
                description="布洛芬缓释胶囊", quantity=1, unit_price=Decimal("24.80"), unit="box"
            )
        ],
        by_proxy=False,
        needed_on=date(2020, 2, 12),
        note="请放在门口",
        actor=ctx.users["resident"],
    )
    ctx.log.append(
        f"deliveries: Yuanqiao, {LOCKDOWN_DAYS} days, {orders} orders in {len(areas)} villages, "
        f"worth RMB {YUANQIAO_VALUE:,}"
    )
