"""Donations and supplies: the paper's campaign and province-wide figures, requests allocated.

The paper (PRODUCT.md 5): one online campaign raised RMB 10 million within 24 hours of
2020-01-25; by 2020-02-12 Zhejiang's charities had raised RMB 1.557 billion and collected
15,356,300 surgical masks, 704,000 protective suits, 139,700 pairs of goggles, 33,700 pairs of shoe
covers and other materials worth RMB 239 million.

Aggregated (and said so in each entry's donor and note): the province-wide money beyond the
campaign is entered as one "aggregate" donation per day and organization; the goods as a few
large gifts in kind per item. The campaign's 24 hours are itemized as 96 gifts, one per quarter
hour. The split between the Charity Federation and the Red Cross is ours (the paper gives totals).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.core.clock import exercise_clock_set
from coproduce.orgs.services import member_add
from coproduce.regions.models import Region
from coproduce.relief import services
from coproduce.relief.models import Item

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAMPAIGN_START = datetime(2020, 1, 25, 0, 0, tzinfo=SHANGHAI)
CAMPAIGN_GOAL = Decimal("10000000")
PROVINCE_RAISED = Decimal("1557000000")  # by 2020-02-12
GOODS = {  # item -> (quantity, value in RMB): the paper's quantities, our reference values
    "surgical-mask": (15356300, None),
    "protective-suit": (704000, None),
    "goggles": (139700, None),
    "shoe-covers": (33700, None),
    "other-materials": (1, Decimal("239000000")),
}
LOGINS = [  # username, role, region, organization
    ("charity", "cbo_coordinator", "330000", "zhejiang-charity-federation"),
    ("redcross", "cbo_coordinator", "330000", "zhejiang-red-cross"),
]


def _at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def run(ctx) -> None:
    admin = ctx.users["admin"]
    for username, role, region, org in LOGINS:
        ctx.users[username] = user_create(
            username=username,
            password=ctx.password,
            check_password=False,
            actor=admin,
            roles=[RoleSpec(role, region, ctx.orgs[org].pk)],
        )
        member_add(organization=ctx.orgs[org], user=ctx.users[username], actor=admin, kind="staff")
    charity, redcross = ctx.orgs["zhejiang-charity-federation"], ctx.orgs["zhejiang-red-cross"]
    by_charity, by_redcross = ctx.users["charity"], ctx.users["redcross"]
    province, hangzhou = Region.objects.get(code="330000"), Region.objects.get(code="330100")
    items = {i.slug: i for i in Item.objects.all()}

    # The online campaign: 96 gifts, one per quarter hour of 2020-01-25, exactly RMB 10 million.
    exercise_clock_set(moment=_at("2020-01-26", 12), actor=admin)
    campaign = services.campaign_create(
        organization=charity,
        region=province,
        slug="charity-online-2020",
        title="Fight the epidemic together: online campaign",
        description="The Provincial Charity Federation's online appeal of 25 January 2020.",
        goal=CAMPAIGN_GOAL,
        starts_at=CAMPAIGN_START,
        actor=by_charity,
    )
    ctx.campaign = campaign
    fen = _split(int(CAMPAIGN_GOAL * 100), 96)
    for i, amount in enumerate(fen):
        services.donation_record(
            organization=charity,
            campaign=campaign,
            amount=Decimal(amount) / 100,
            channel="online",
            donor_kind="aggregate",
            donor_name=f"Online donors, {15 * i // 60:02d}:{15 * i % 60:02d}-{15 * (i + 1) // 60:02d}:{15 * (i + 1) % 60:02d}",
            received_at=CAMPAIGN_START + timedelta(minutes=15 * i + 14),
            note="aggregate of the online gifts of one quarter hour",
            actor=by_charity,
        )
    # The rest of the province's RMB 1.557 billion: one aggregate per day and organization.
    exercise_clock_set(moment=_at("2020-02-12", 9), actor=admin)
    rest = int((PROVINCE_RAISED - CAMPAIGN_GOAL) * 100)
    days = [(CAMPAIGN_START + timedelta(days=d)).date().isoformat() for d in range(18)]
    for org, who, share in ((charity, by_charity, 0.6), (redcross, by_redcross, 0.4)):
        part = int(rest * share) if org is charity else rest - int(rest * 0.6)
        for day, amount in zip(days, _split(part, len(days)), strict=True):
            services.donation_record(
                organization=org,
                amount=Decimal(amount) / 100,
                channel="bank",
                donor_kind="aggregate",
                donor_name="Donors of the day (aggregate)",
                received_at=_at(day, 20),
                note="aggregate of the day's gifts from enterprises and individuals",
                actor=who,
            )

    # Goods: warehouses, gifts in kind in lots (masks in two lots with expiry dates).
    depots = {
        "charity": services.warehouse_create(
            organization=charity,
            region=hangzhou,
            name="Charity Federation depot, Hangzhou",
            actor=by_charity,
        ),
        "redcross": services.warehouse_create(
            organization=redcross,
            region=hangzhou,
            name="Red Cross depot, Hangzhou",
            actor=by_redcross,
        ),
        "taizhou": services.warehouse_create(
            organization=redcross,
            region=Region.objects.get(code="331000"),
            name="Red Cross depot, Taizhou",
            actor=by_redcross,
        ),
    }
    pairs = ((depots["charity"], by_charity, "C"), (depots["redcross"], by_redcross, "R"))
    for slug, (quantity, value) in GOODS.items():
        if value is not None:  # a value-only aggregate, received once
            services.stock_receive(
                warehouse=depots["charity"],
                item=items[slug],
                quantity=Decimal(quantity),
                value=value,
                lot_code=f"{slug.upper()}-2020-02",
                donor_kind="aggregate",
                donor_name="Enterprises and individuals (aggregate)",
                received_at=_at("2020-02-10", 15),
                actor=by_charity,
            )
            continue
        for (depot, who, key), part in zip(pairs, _split(quantity, 2), strict=True):
            services.stock_receive(
                warehouse=depot,
                item=items[slug],
                quantity=Decimal(part),
                lot_code=f"{slug.upper()}-{key}-2020-02",
                # The Red Cross's masks carry an expiry date: they are allocated first.
                expires_on=date(2022, 1, 31) if slug == "surgical-mask" and key == "R" else None,
                donor_kind="aggregate",
                donor_name="Enterprises and individuals (aggregate)",
                received_at=_at("2020-02-10", 15),
                actor=who,
            )
    services.stock_transfer(
        lot=depots["redcross"].lots.get(item__slug="surgical-mask"),
        to_warehouse=depots["taizhou"],
        quantity=Decimal(500000),
        actor=by_redcross,
    )
    ctx.depots = depots

    # Requests from Fuyang and Yuanqiao, allocated by the Red Cross, dispatched, confirmed.
    official, fuyang = ctx.users["official"], Region.objects.get(code="330111")
    yuanqiao = Region.objects.get(code="331003107")
    exercise_clock_set(moment=_at("2020-02-11", 8), actor=admin)
    needed = _at("2020-02-13").date()
    L = services.LineInput
    made = [
        services.supply_request_create(
            requester_kind="hospital",
            requester_name="Fuyang First People's Hospital",
            region=fuyang,
            needed_by=needed,
            actor=official,
            lines=[L("protective-suit", 3000), L("surgical-mask", 60000), L("goggles", 800)],
        ),
        services.supply_request_create(
            requester_kind="checkpoint",
            requester_name="Fuyang expressway entrance checkpoint",
            region=fuyang,
            needed_by=needed,
            actor=official,
            lines=[L("surgical-mask", 10000), L("shoe-covers", 2000)],
        ),
        services.supply_request_create(
            requester_kind="community",
            requester_name="Yuanqiao Township",
            region=yuanqiao,
            needed_by=needed,
            actor=admin,
            lines=[L("surgical-mask", 40000), L("goggles", 300)],
        ),
        services.supply_request_create(
            requester_kind="quarantine_site",
            requester_name="Huangyan centralized quarantine hotel",
            region=yuanqiao,
            needed_by=needed,
            actor=admin,
            lines=[L("protective-suit", 1200), L("surgical-mask", 8000)],
        ),
    ]
    allocation = services.stock_allocate(organization=redcross, region=province, actor=by_redcross)
    services.allocation_approve(allocation=allocation, actor=by_redcross)
    exercise_clock_set(moment=_at("2020-02-11", 14), actor=admin)
    services.allocation_dispatch(allocation=allocation, actor=by_redcross)
    exercise_clock_set(moment=_at("2020-02-12", 8), actor=admin)
    for line in allocation.lines.filter(request_line__request=made[0]):
        services.receipt_confirm(line=line, quantity=Decimal(line.quantity), actor=official)
    # The checkpoint counted 9,800 masks of 10,000: a partial receipt, recorded as such.
    for line in allocation.lines.filter(request_line__request=made[1]).select_related("lot__item"):
        got = line.quantity - 200 if line.lot.item.slug == "surgical-mask" else line.quantity
        services.receipt_confirm(
            line=line,
            quantity=Decimal(got),
            actor=official,
            note="two cartons damaged in transit" if got < line.quantity else "",
        )
    # A fresh request, still open for the coordinator to allocate.
    services.supply_request_create(
        requester_kind="community",
        requester_name="Qiuyue Community",
        region=fuyang,
        needed_by=_at("2020-02-14").date(),
        actor=official,
        lines=[L("surgical-mask", 5000)],
        note="for the volunteers at the residential gates",
    )
    services.disbursement_record(
        organization=charity,
        campaign=campaign,
        amount=Decimal("3000000"),
        region=Region.objects.get(code="331003"),
        recipient="Huangyan District relief office",
        purpose="food for households under lockdown in Yuanqiao",
        actor=by_charity,
    )
    ctx.log.append(
        f"relief: a campaign of RMB {CAMPAIGN_GOAL:,} in 24 hours, RMB {PROVINCE_RAISED:,} raised, "
        f"the paper's goods in stock, {allocation.lines.count()} allocation lines dispatched"
    )
