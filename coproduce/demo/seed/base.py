"""Regions, organizations of Table 1, one account per role, residents and households.

Zhejiang's divisions come from the shipped CSV (down to townships); communities and residential
areas below them are synthetic. Fuyang gets the paper's shape: 179 residential areas in 50
communities across its 24 townships. Residents are synthetic and scaled down (see README).
"""

from pathlib import Path

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.orgs.services import member_add, organization_create
from coproduce.people import rules as people_rules
from coproduce.people.services import (
    DeclarationInput,
    household_create,
    person_record_unregistered,
    person_register,
)
from coproduce.regions.models import Region
from coproduce.regions.services import regions_import

DIVISIONS_CSV = Path(__file__).resolve().parents[2] / "regions" / "data" / "zhejiang_divisions.csv"
FUYANG, YUANQIAO, YINZHOU = "330111", "331003107", "330212"
FUYANG_COMMUNITIES, FUYANG_AREAS = 50, 179  # the paper: 179 residential areas in 50 communities
# Fuyang residents the health-code and tracing steps name by position (demo/seed/health_codes.py
# takes the 105th as the last secondary contact), made whatever the --scale.
SCENARIO_FUYANG_RESIDENTS = 110

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玲红梅兰飞鹏斌宇浩凯丹萍"

# Table 1 of the paper (and the organizations its text names), in their real counties.
ORGANIZATIONS = [
    (
        "dishui-dolphin",
        "Dolphin Emergency Rescue Team, Hangzhou Dishui Commonweal Service Center",
        "杭州滴水公益服务中心海豚应急救援队",
        "emergency_response",
        "330100",
        [FUYANG, "330110"],
    ),
    (
        "yueqing-blue-sky",
        "Yueqing Blue Sky Rescue Service Center",
        "乐清市蓝天救援服务中心",
        "emergency_response",
        "330382",
        [],
    ),
    (
        "wenzhou-black-horse",
        "Wenzhou Black Horse Rescue Service Center",
        "温州黑马救援服务中心",
        "emergency_response",
        "330300",
        [],
    ),
    (
        "ouhai-sea-hawk",
        "Ouhai Sea Hawk Rescue Center",
        "瓯海海鹰救援中心",
        "emergency_response",
        "330304",
        [],
    ),
    (
        "zhejiang-charity-federation",
        "Zhejiang Provincial Charity Federation",
        "浙江省慈善联合总会",
        "charity",
        "330000",
        [],
    ),
    (
        "zhejiang-red-cross",
        "Red Cross Society of China Zhejiang Branch",
        "中国红十字会浙江省分会",
        "charity",
        "330000",
        [],
    ),
    (
        "yuanqiao-community-service",
        "Yuanqiao Township Community Service Center",
        "院桥镇社区服务中心",
        "community_service",
        YUANQIAO,
        [],
    ),
    (
        "haichuang-community-service",
        "Haichuang Community Service Center",
        "海创社区服务中心",
        "community_service",
        YINZHOU,
        [],
    ),
    (
        "wenzhou-shoe-leather",
        "Wenzhou Shoe Leather Industrial Association",
        "温州市鞋革行业协会",
        "industrial_association",
        "330300",
        [],
    ),
    (
        "wenzhou-clothes-business",
        "Wenzhou Clothes Business Association",
        "温州市服装商会",
        "business_association",
        "330300",
        [],
    ),
    (
        "deqing-mental-health",
        "Deqing Association for Mental Health",
        "德清县心理卫生协会",
        "mental_health",
        "330521",
        [],
    ),
    ("wenling-medical", "Wenling Medical Association", "温岭市医学会", "medical", "331081", []),
    (
        "yuhang-metal-products",
        "Yuhang Metal Products Industry Association",
        "余杭区金属制品行业协会",
        "industrial_association",
        "330110",
        [],
    ),
    (
        "wenzhou-glass-business",
        "Wenzhou Glass Business Association",
        "温州市玻璃商会",
        "business_association",
        "330300",
        [],
    ),
    (
        "jiaxing-xiaoci",
        "Xiaoci Social Innovation and Development Center of Jiaxing",
        "嘉兴市晓慈社会创新发展中心",
        "social_work",
        "330400",
        ["330402", "330483"],
    ),
    (
        "fuyang-community-volunteers",
        "Fuyang Community Volunteer Association",
        "富阳区社区志愿者协会",
        "volunteer_team",
        FUYANG,
        [],
    ),
    (
        "fuyang-health-commission",
        "Fuyang District Health Commission",
        "富阳区卫生健康局",
        "government_unit",
        FUYANG,
        [],
    ),
]

# One login per role (PRODUCT.md section 1): username -> (role, region, organization slug).
LOGINS = [
    ("official", "health_official", FUYANG, None),
    ("province", "health_official", "330000", None),
    ("coordinator", "cbo_coordinator", FUYANG, "fuyang-community-volunteers"),
    ("staff", "checkpoint_staff", FUYANG, "fuyang-community-volunteers"),
    ("tracer", "tracer", FUYANG, None),
    ("volunteer", "volunteer", FUYANG, "fuyang-community-volunteers"),
    ("resident", "resident", FUYANG, None),
    ("enterprise", "enterprise_rep", "330110", None),
    ("association", "association_staff", "330300", "wenzhou-shoe-leather"),
    ("counselor", "counselor", "330521", "deqing-mental-health"),
    ("clinician", "clinician", "331081", "wenling-medical"),
    ("partner", "partner", FUYANG, None),
]


def _synthetic_tree(ctx) -> str:
    """CSV rows of communities and residential areas below the townships the demo works in."""
    rows = ["code,name_zh,name_en,level,parent_code"]
    townships = list(Region.objects.filter(parent_id=FUYANG).order_by("code"))
    # 50 communities over Fuyang's 24 townships, 179 areas over the 50 communities.
    communities = []
    for i in range(FUYANG_COMMUNITIES):
        town = townships[i % len(townships)]
        code = f"{town.code}{200 + i // len(townships):03d}"
        communities.append(code)
        rows.append(
            f"{code},{town.name}第{i // len(townships) + 1}社区,"
            f"{town.name_en} Community {i // len(townships) + 1},community,{town.code}"
        )
    for j in range(FUYANG_AREAS):
        parent = communities[j % FUYANG_COMMUNITIES]
        n = j // FUYANG_COMMUNITIES + 1
        rows.append(f"{parent}{n:03d},{n}号小区,Residential Area {n},residential_area,{parent}")
    # Yuanqiao (the 18-day lockdown) and Yinzhou (checkpoints) get a few villages and areas each.
    for town_code, count in (
        (YUANQIAO, 6),
        *[(t.code, 1) for t in Region.objects.filter(parent_id=YINZHOU)[:6]],
    ):
        for k in range(count):
            code = f"{town_code}{200 + k:03d}"
            rows.append(f"{code},第{k + 1}村,Village {k + 1},community,{town_code}")
            rows.append(f"{code}001,{k + 1}村居民区,Village {k + 1} Homes,residential_area,{code}")
    return "\n".join(rows) + "\n"


def _name(ctx) -> str:
    return ctx.rng.choice(SURNAMES) + "".join(
        ctx.rng.choice(GIVEN) for _ in range(ctx.rng.choice((1, 2)))
    )


def _national_id(ctx, serial: int, area: str = FUYANG) -> str:
    birth = f"{ctx.rng.randint(1940, 2015)}{ctx.rng.randint(1, 12):02d}{ctx.rng.randint(1, 28):02d}"
    first17 = f"{area}{birth}{serial % 1000:03d}"
    return first17 + people_rules.national_id_check_char(first17)


def run(ctx) -> None:
    regions_import(text=DIVISIONS_CSV.read_text(encoding="utf-8"))
    regions_import(text=_synthetic_tree(ctx))
    ctx.regions = {
        "fuyang_areas": list(
            Region.objects.filter(
                path__startswith=f"/330000/330100/{FUYANG}/", level="residential_area"
            )
            .order_by("code")
            .values_list("code", flat=True)
        ),
        "yuanqiao_areas": list(
            Region.objects.filter(code__startswith=YUANQIAO, level="residential_area")
            .order_by("code")
            .values_list("code", flat=True)
        ),
    }
    regions = {
        r.code: r
        for r in Region.objects.filter(level__in=["province", "city", "county", "township"])
    }
    admin = user_create(
        username="admin",
        password=ctx.password,
        roles=[RoleSpec("admin", "330000")],
        is_superuser=True,
        check_password=False,
    )
    ctx.users["admin"] = admin
    for slug, name, name_zh, category, home, served in ORGANIZATIONS:
        ctx.orgs[slug] = organization_create(
            slug=slug,
            name=name,
            name_zh=name_zh,
            category=category,
            home_region=regions[home],
            service_regions=[regions[home], *[regions[c] for c in served]],
            actor=admin,
            verified=True,
        )
    for username, role, region, org in LOGINS:
        user = user_create(
            username=username,
            password=ctx.password,
            check_password=False,
            actor=admin,
            roles=[RoleSpec(role, region, ctx.orgs[org].pk if org else None)],
        )
        ctx.users[username] = user
        if org:
            member_add(
                organization=ctx.orgs[org],
                user=user,
                actor=admin,
                kind="staff" if role in {"cbo_coordinator", "association_staff"} else "volunteer",
            )

    # Residents: households of 1-4 people, registered by proxy by the coordinator, across Fuyang's
    # areas and Yuanqiao's villages; the demo resident registered themselves.
    coordinator, rng = ctx.users["coordinator"], ctx.rng
    areas = ctx.regions["fuyang_areas"] + ctx.regions["yuanqiao_areas"]
    total = int(1200 * ctx.scale)
    serial = fuyang = 0
    resident_area = ctx.regions["fuyang_areas"][0]
    ctx.people.append(
        person_register(
            national_id=_national_id(ctx, 999),
            name="王芳",
            phone="13800000000",
            home_region=resident_area,
            actor=ctx.users["resident"],
            own_account=ctx.users["resident"],
            declaration=DeclarationInput(),
        )
    )
    proxy_actor = {a: coordinator if a.startswith(FUYANG) else admin for a in areas}
    # The later steps' scenario names Fuyang residents by their place in the list (the index
    # case is the 41st, the secondary contacts the 81st to 104th): at least that many are made
    # at any --scale, or a small demo would crash half-way.
    while serial < total or fuyang < SCENARIO_FUYANG_RESIDENTS:
        area = areas[serial % len(areas)]
        size = rng.choice((1, 2, 2, 3, 3, 3, 4))
        members = []
        phone = f"13{rng.randint(100000000, 999999999)}"
        for _ in range(size):
            serial += 1
            members.append(
                person_register(
                    national_id=_national_id(ctx, serial, area[:6]),
                    name=_name(ctx),
                    phone=phone if not members else f"13{rng.randint(100000000, 999999999)}",
                    home_region=area,
                    actor=proxy_actor[area],
                )
            )
        household_create(
            region=Region.objects.get(code=area),
            label=f"{rng.randint(1, 30)}幢{rng.randint(1, 6)}单元{rng.randint(101, 1802)}",
            members=members,
            actor=proxy_actor[area],
        )
        ctx.people.extend(members)
        fuyang += len(members) if area.startswith(FUYANG) else 0
    # Persons named by tracers and not registered: two of them are likely duplicates to merge.
    twin = ctx.people[5]
    person_record_unregistered(
        name=twin.name,
        home_region=twin.home_region_id,
        phone=twin.phone,
        note="named in an interview",
        actor=ctx.users["tracer"],
    )
    person_record_unregistered(
        name=_name(ctx),
        home_region=resident_area,
        phone="",
        note="seen at the market, address unknown",
        actor=ctx.users["tracer"],
    )
    ctx.log.append(
        f"regions, {len(ORGANIZATIONS)} organizations, {len(LOGINS) + 1} logins, "
        f"{len(ctx.people)} residents in {len(areas)} areas"
    )
