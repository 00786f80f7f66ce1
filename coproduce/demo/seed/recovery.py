"""Enterprise recovery (issue 13): 777 small and micro enterprise parks whose reports give the
paper's figures on 2020-02-26 (99.3% of parks reopened, production resumption 67.3%), rising
day by day from 2020-02-10; the Wenzhou and Yuhang associations with their members; a collective
purchase of masks and one of thermometers with their savings; the board, service requests and
rent relief.

The reports run ahead of the demo clock (2020-02-12) up to the paper's day: they are filed with
the service's `today` set to 2020-02-26. Only this step puts enterprises in parks: a later step
that adds park enterprises or reports would move the paper's figures (the demo test checks them).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from coproduce.core.clock import exercise_clock_set
from coproduce.recovery import rules
from coproduce.recovery.models import Enterprise
from coproduce.recovery.services import (
    board_match_accept,
    board_post_create,
    enterprise_create,
    park_create,
    procurement_award,
    procurement_create,
    procurement_deliver,
    procurement_need_add,
    procurement_order,
    procurement_quote_add,
    procurement_receipt_confirm,
    rent_relief_beneficiary_add,
    rent_relief_program_create,
    resumption_report_create,
    service_request_create,
    service_request_update,
)
from coproduce.recovery.services.aggregates import aggregates_deferred
from coproduce.regions.models import Region

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY, PAPER_DAY = date(2020, 2, 10), date(2020, 2, 26)
DAYS = (PAPER_DAY - FIRST_DAY).days  # 16
PARKS, PARKS_REOPENED = 777, 772  # 772/777 = 99.36%, shown truncated as the paper's 99.3%
ASSOCIATION_INDUSTRY = {
    "wenzhou-shoe-leather": "footwear_leather",
    "wenzhou-clothes-business": "clothing",
    "wenzhou-glass-business": "glass",
    "yuhang-metal-products": "metal_products",
}
OTHER_INDUSTRIES = [
    "machinery",
    "electronics",
    "textiles",
    "chemicals",
    "food",
    "plastics",
    "other",
]
WENZHOU, YUHANG = "/330000/330300/", "/330000/330100/330110/"
BLOCKERS_EARLY = ["workers_unable_to_return", "protective_supplies", "approval_pending"]
BLOCKERS_LATE = ["raw_materials", "logistics", "orders", "cash_flow"]


def _reopened_by(k: int) -> int:
    """Parks reopened by day k (0 = 2020-02-10): about 30% on the first day, 772 on the 16th."""
    return round(PARKS_REOPENED * (0.3 + 0.7 * (k / DAYS) ** 0.8))


def run(ctx) -> None:
    admin = ctx.users["admin"]
    exercise_clock_set(moment=datetime(2020, 2, 12, 9, tzinfo=SHANGHAI), actor=admin)
    # Thousands of parks, enterprises and reports through the services, with the kept figures
    # rebuilt once at the end rather than a dozen rows updated for each.
    with aggregates_deferred(actor=admin):
        everyone, members, associations, reports, target, workers = _parks_and_reports(ctx, admin)
    mine = _demo_enterprise(ctx, admin, associations["yuhang-metal-products"])
    _purchases(ctx, members["wenzhou-shoe-leather"], associations["wenzhou-shoe-leather"], ctx.rng)
    _board_services_relief(ctx, members, associations, mine)
    ctx.recovery = {"members": members, "demo_enterprise": mine}
    ctx.log.append(
        f"recovery: {PARKS} parks, {len(everyone) + 1} enterprises, {reports} reports; "
        f"{PAPER_DAY}: {PARKS_REOPENED}/{PARKS} parks reopened, {target}/{workers} workers on site"
    )


def _parks_and_reports(ctx, admin):
    """The 777 parks, their enterprises and their reports up to the paper's day."""
    rng = ctx.rng
    counties = list(Region.objects.filter(level="county").order_by("code"))
    associations = {slug: ctx.orgs[slug] for slug in ASSOCIATION_INDUSTRY}
    members: dict[str, list[Enterprise]] = {slug: [] for slug in associations}

    # parks and their enterprises: one or two in each park; associations' members in theirs
    park_enterprises = []
    for i in range(PARKS):
        county = counties[i % len(counties)]
        park = park_create(
            actor=admin, name=f"{county.name}小微企业园{i // len(counties) + 1}", region=county
        )
        if county.path.startswith(WENZHOU):
            slug = ["wenzhou-shoe-leather", "wenzhou-clothes-business", "wenzhou-glass-business"][
                (i // len(counties)) % 3
            ]
        elif county.path.startswith(YUHANG):
            slug = "yuhang-metal-products"
        else:
            slug = None
        inside = []
        for j in range(2 if slug else rng.choice((1, 1, 2))):
            industry = ASSOCIATION_INDUSTRY[slug] if slug else rng.choice(OTHER_INDUSTRIES)
            small = rng.random() < 0.4
            ent = enterprise_create(
                actor=admin,
                name=f"{county.name}{_TRADE[industry]}{i + 1:03d}-{j + 1}",
                industry=industry,
                size_class="small" if small else "micro",
                workers_total=rng.randint(20, 90) if small else rng.randint(4, 19),
                region=county,
                park=park,
                associations=[slug] if slug else [],
            )
            inside.append(ent)
            if slug:
                members[slug].append(ent)
        park_enterprises.append(inside)

    # when each park reopens: rising to 772 of 777 by 2020-02-26, five never
    order = list(range(PARKS))
    rng.shuffle(order)
    reopen_day: dict[int, int | None] = {}
    for rank, p in enumerate(order):
        reopen_day[p] = next((k for k in range(DAYS + 1) if rank < _reopened_by(k)), None)
    opens: dict[int, int] = {}  # enterprise id -> day it reopens
    for p, inside in enumerate(park_enterprises):
        if reopen_day[p] is None:
            continue
        opens[inside[0].pk] = reopen_day[p]
        for ent in inside[1:]:
            if rng.random() < 0.85:
                opens[ent.pk] = min(DAYS, reopen_day[p] + rng.randint(0, 5))

    # the paper's day: workers on site of all park enterprises add up to exactly 67.3%
    everyone = [e for inside in park_enterprises for e in inside]
    workers = sum(e.workers_total for e in everyone)
    target = next(
        t
        for t in range(workers * 673 // 1000, workers)
        if rules.pct(t, workers) >= rules.pct(673, 1000)
    )
    open_final = [e for e in everyone if e.pk in opens]
    open_workers = sum(e.workers_total for e in open_final)
    final = {e.pk: e.workers_total * target // open_workers for e in open_final}
    left = target - sum(final.values())
    while left:
        for e in open_final:
            if left and final[e.pk] < e.workers_total:
                final[e.pk] += 1
                left -= 1

    reporter = ctx.users.get("association") or admin
    reports = 0
    for e in everyone:
        if e.pk not in opens:
            continue
        start = opens[e.pk]
        days = sorted({*range(start, DAYS, 4), DAYS})
        for k in days:
            ramp = 0.45 + 0.55 * k / DAYS
            on_site = final[e.pk] if k == DAYS else min(final[e.pk], int(final[e.pk] * ramp))
            late = k > DAYS // 2
            blockers = (
                [rng.choice(BLOCKERS_LATE if late else BLOCKERS_EARLY)]
                if rng.random() < 0.5
                else []
            )
            resumption_report_create(
                actor=reporter if _member_of(e, members, "wenzhou-shoe-leather") else admin,
                enterprise_id=e.pk,
                date=FIRST_DAY + timedelta(days=k),
                open=True,
                workers_on_site=on_site,
                capacity_pct=min(
                    100, round(100 * on_site / max(e.workers_total, 1)) + rng.randint(0, 10)
                ),
                blockers=blockers,
                today=PAPER_DAY,
            )
            reports += 1
    return everyone, members, associations, reports, target, workers


def _member_of(e, members, slug) -> bool:
    return e in members[slug]


_TRADE = {
    "footwear_leather": "鞋业",
    "clothing": "服饰",
    "glass": "眼镜",
    "metal_products": "五金",
    "machinery": "机械",
    "electronics": "电子",
    "textiles": "纺织",
    "chemicals": "化工",
    "food": "食品",
    "plastics": "塑料",
    "other": "实业",
}


def _demo_enterprise(ctx, admin, yuhang_metal):
    """The `enterprise` login's own works: a Yuhang member of the metal products association,
    outside the parks (its live reports leave the paper's park figures as they are)."""
    yuhang = Region.objects.get(code="330110")
    ent = enterprise_create(
        actor=admin,
        name="杭州余杭精工五金有限公司 Yuhang Precision Hardware",
        industry="metal_products",
        size_class="small",
        workers_total=48,
        region=yuhang,
        associations=[yuhang_metal.slug],
        lat=30.4186,
        lon=120.3000,
        representatives=[ctx.users["enterprise"]],
    )
    for k, on_site in ((0, 12), (1, 19)):
        resumption_report_create(
            actor=ctx.users["enterprise"],
            enterprise_id=ent.pk,
            date=FIRST_DAY + timedelta(days=k),
            open=True,
            workers_on_site=on_site,
            blockers=["protective_supplies"],
        )
    return ent


def _purchases(ctx, shoe_members, shoe, rng) -> None:
    """Masks (delivered and received) and thermometers (ordered) bought together by the Wenzhou
    Shoe Leather Industrial Association, and disinfectant still gathering needs and quotes."""
    staff = ctx.users["association"]
    buyers = shoe_members[:12]
    masks = procurement_create(
        actor=staff,
        association=shoe,
        item="医用口罩 Surgical masks",
        unit="piece",
        needed_by=date(2020, 2, 15),
    )
    for e in buyers:
        procurement_need_add(
            actor=staff,
            procurement_id=masks.pk,
            enterprise_id=e.pk,
            quantity=rng.choice((500, 800, 1000, 1500, 2000, 3000)),
        )
    procurement_quote_add(
        actor=staff,
        procurement_id=masks.pk,
        supplier="温州康宁医疗器械 Wenzhou Kangning Medical",
        tiers=[(1, "0.80"), (10000, "0.55"), (20000, "0.48")],
    )
    best = procurement_quote_add(
        actor=staff,
        procurement_id=masks.pk,
        supplier="浙江海宁防护用品 Haining Protective",
        tiers=[(1, "0.75"), (5000, "0.60"), (15000, "0.455")],
    )
    procurement_award(actor=staff, procurement_id=masks.pk, quote_id=best.pk)
    procurement_order(actor=staff, procurement_id=masks.pk, reference="WZSL-2020-0211")
    procurement_deliver(actor=staff, procurement_id=masks.pk)
    for e in buyers:
        procurement_receipt_confirm(actor=staff, procurement_id=masks.pk, enterprise_id=e.pk)

    thermo = procurement_create(
        actor=staff,
        association=shoe,
        item="红外体温枪 Infrared thermometers",
        unit="piece",
        needed_by=date(2020, 2, 18),
    )
    for e in shoe_members[:10]:
        procurement_need_add(
            actor=staff, procurement_id=thermo.pk, enterprise_id=e.pk, quantity=rng.randint(2, 8)
        )
    quote = procurement_quote_add(
        actor=staff,
        procurement_id=thermo.pk,
        supplier="杭州测温仪器 Hangzhou Thermometry",
        tiers=[(1, "320.00"), (20, "268.00"), (50, "239.50")],
    )
    procurement_award(actor=staff, procurement_id=thermo.pk, quote_id=quote.pk)
    procurement_order(actor=staff, procurement_id=thermo.pk, reference="WZSL-2020-0212")

    disinfectant = procurement_create(
        actor=staff,
        association=shoe,
        item="84消毒液 Disinfectant",
        unit="bottle",
        needed_by=date(2020, 2, 20),
    )
    for e in shoe_members[:6]:
        procurement_need_add(
            actor=staff,
            procurement_id=disinfectant.pk,
            enterprise_id=e.pk,
            quantity=rng.randint(20, 120),
        )
    procurement_quote_add(
        actor=staff,
        procurement_id=disinfectant.pk,
        supplier="温州洁康 Wenzhou Jiekang",
        tiers=[(1, "12.50"), (200, "10.80")],
    )
    procurement_quote_add(
        actor=staff,
        procurement_id=disinfectant.pk,
        supplier="瑞安日化 Ruian Daily Chemicals",
        tiers=[(1, "11.90"), (500, "9.95")],
    )


def _board_services_relief(ctx, members, associations, mine) -> None:
    staff = ctx.users["association"]
    shoe = members["wenzhou-shoe-leather"]
    board_post_create(
        actor=staff,
        enterprise_id=shoe[1].pk,
        kind="offer",
        topic="material",
        material="头层牛皮 cowhide",
        quantity="2,000 ft²",
    )
    _, matches = board_post_create(
        actor=staff,
        enterprise_id=shoe[2].pk,
        kind="shortage",
        topic="material",
        material="头层牛皮 Cowhide",
        quantity="800 ft²",
        note="Our Guangzhou supplier is closed",
    )
    for m in matches:
        board_match_accept(actor=staff, match_id=m.pk, enterprise_id=shoe[2].pk)
        board_match_accept(actor=staff, match_id=m.pk, enterprise_id=shoe[1].pk)
    board_post_create(
        actor=staff,
        enterprise_id=shoe[3].pk,
        kind="shortage",
        topic="distribution",
        material="Wenzhou to Shanghai trucking",
        note="Highway checkpoints",
    )
    board_post_create(
        actor=staff,
        enterprise_id=shoe[4].pk,
        kind="shortage",
        topic="material",
        material="EVA soles",
    )
    board_post_create(
        actor=ctx.users["enterprise"],
        enterprise_id=mine.pk,
        kind="shortage",
        topic="material",
        material="304 stainless steel sheet",
    )

    shoe_org = associations["wenzhou-shoe-leather"]
    loan = service_request_create(
        actor=staff,
        enterprise_id=shoe[5].pk,
        association=shoe_org,
        kind="finance",
        topic="loan",
        description="Working capital for February wages",
        amount_fen=50_000_000,
    )
    service_request_update(
        actor=staff, request_id=loan.pk, status="assigned", partner="温州银行 Bank of Wenzhou"
    )
    fm = service_request_create(
        actor=staff,
        enterprise_id=shoe[6].pk,
        association=shoe_org,
        kind="legal",
        topic="force_majeure",
        description="Certificate of force majeure for a delayed export order",
    )
    service_request_update(
        actor=staff,
        request_id=fm.pk,
        status="assigned",
        partner="温州律师协会 Wenzhou Lawyers Association",
    )
    service_request_update(
        actor=staff, request_id=fm.pk, status="resolved", outcome="Certificate issued by the CCPIT"
    )
    service_request_create(
        actor=staff,
        enterprise_id=shoe[7].pk,
        association=shoe_org,
        kind="legal",
        topic="labor_law",
        description="Wages of workers still in quarantine at home",
    )
    service_request_create(
        actor=ctx.users["enterprise"],
        enterprise_id=mine.pk,
        association=associations["yuhang-metal-products"],
        kind="finance",
        topic="deferral",
        description="Deferral of social insurance contributions",
    )

    park = shoe[0].park
    program = rent_relief_program_create(
        actor=staff,
        association=shoe_org,
        name="Park rent halved, February to April",
        provider_kind="park",
        provider_name=park.name,
        park=park,
        kind="percentage",
        percent=50,
        start_month=date(2020, 2, 1),
        months=3,
    )
    for i, e in enumerate(shoe[:6]):
        rent_relief_beneficiary_add(
            actor=staff,
            program_id=program.pk,
            enterprise_id=e.pk,
            monthly_rent_fen=(8000 + 1500 * i) * 100,
        )
    landlord = rent_relief_program_create(
        actor=staff,
        association=shoe_org,
        name="Lucheng landlords' relief",
        provider_kind="landlord",
        provider_name="鹿城区房东联合 Lucheng landlords",
        kind="amount",
        amount_fen=2000_00,
        start_month=date(2020, 2, 1),
        months=2,
    )
    for e in shoe[6:10]:
        rent_relief_beneficiary_add(
            actor=staff, program_id=landlord.pk, enterprise_id=e.pk, monthly_rent_fen=6000_00
        )
