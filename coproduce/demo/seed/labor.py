"""Labor sharing (issue 14): enterprises post idle and missing workers, a run, agreements.

In February 2020 many enterprises of Zhejiang could not restart for want of workers (migrant
workers stuck at home) while others, without orders, had idle workers; the Yuhang Metal Products
Industry Association and the Wenzhou associations set up employee sharing between members. The
demo: member enterprises of those associations (with coordinates near their home counties) plus
enterprises in every county of Zhejiang (placed at their county's centre), a few hundred
postings over the 20 skills of the catalogue, one province-wide matching run by the provincial
official, and several agreements signed by both enterprises' representatives; other proposals
wait, one of them for the demo's `enterprise` login.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.core import clock
from coproduce.labor import services as labor
from coproduce.labor.models import Proposal, Skill
from coproduce.recovery.models import Enterprise
from coproduce.recovery.services import enterprise_create, enterprise_representative_add
from coproduce.regions import geo
from coproduce.regions.models import Region

# association slug -> (industry, counties of its members, trades in the members' names, skills)
MEMBERS = {
    "yuhang-metal-products": (
        "metal_products",
        ["330110", "330113"],
        ["Hardware", "Metal Works", "Precision Parts", "Fasteners", "Stamping"],
        ["welder", "cnc-operator", "assembler", "spray-painter", "quality-inspector"],
    ),
    "wenzhou-shoe-leather": (
        "footwear_leather",
        ["330302", "330303", "330304", "330381"],
        ["Shoes", "Leather", "Footwear", "Soles"],
        ["shoe-stitcher", "sewing-operator", "packer", "quality-inspector", "general-worker"],
    ),
    "wenzhou-clothes-business": (
        "clothing",
        ["330302", "330304", "330382"],
        ["Garments", "Apparel", "Fashion"],
        ["sewing-operator", "packer", "quality-inspector", "general-worker"],
    ),
    "wenzhou-glass-business": (
        "glass",
        ["330303", "330305", "330381"],
        ["Glass", "Glassware"],
        ["glass-worker", "loader", "truck-driver", "general-worker"],
    ),
}
MEMBERS_PER_ASSOCIATION = 10
OTHER_INDUSTRIES = ["machinery", "electronics", "textiles", "plastics", "food", "chemicals"]
TRADES = ["Machinery", "Electronics", "Textiles", "Plastics", "Foods", "Chemicals"]


def _county_centre(code: str) -> tuple[Decimal, Decimal]:
    lat, lon = geo.centroid(code)
    return Decimal(str(round(lat, 6))), Decimal(str(round(lon, 6)))


def _member_enterprises(ctx, admin, counties) -> dict[str, list[Enterprise]]:
    """Member enterprises of the four associations (those seeded before, plus new ones)."""
    members: dict[str, list[Enterprise]] = {}
    for slug, (industry, homes, trades, _skills) in MEMBERS.items():
        org = ctx.orgs[slug]
        # Members seeded by the recovery step come first (at most MEMBERS_PER_ASSOCIATION).
        existing = list(
            Enterprise.objects.filter(memberships__association=org).order_by("id")[
                :MEMBERS_PER_ASSOCIATION
            ]
        )
        for k in range(max(0, MEMBERS_PER_ASSOCIATION - len(existing))):
            county = counties[homes[k % len(homes)]]
            lat, lon = _county_centre(county.code)
            existing.append(
                enterprise_create(
                    actor=admin,
                    name=f"{county.name_en.split()[0]} {ctx.rng.choice(trades)} No. {k + 1}",
                    industry=industry,
                    size_class=ctx.rng.choice(["micro", "small", "small", "medium"]),
                    workers_total=ctx.rng.randint(20, 400),
                    region=county,
                    associations=[slug],
                    lat=lat + Decimal(ctx.rng.randint(-60, 60)) / 1000,
                    lon=lon + Decimal(ctx.rng.randint(-60, 60)) / 1000,
                )
            )
        members[slug] = existing
    return members


def _other_enterprises(ctx, admin, counties) -> list[Enterprise]:
    """One or two enterprises in each of Zhejiang's counties, placed at the county's centre."""
    made = []
    for _code, county in sorted(counties.items()):
        for n in range(1 + (ctx.rng.random() < 0.6)):
            k = ctx.rng.randrange(len(TRADES))
            made.append(
                enterprise_create(
                    actor=admin,
                    name=f"{county.name_en.split()[0]} {TRADES[k]} Co. {n + 1}",
                    industry=OTHER_INDUSTRIES[k],
                    size_class=ctx.rng.choice(["micro", "small", "medium"]),
                    workers_total=ctx.rng.randint(10, 600),
                    region=county,
                )
            )
    return made


def _post(ctx, admin, enterprise, kind, skill, workers, start, days):
    return labor.posting_create(
        actor=admin,
        enterprise_id=enterprise.pk,
        kind=kind,
        skill=skill,
        workers=workers,
        start_date=start,
        end_date=start + timedelta(days=days),
    )


def _postings(ctx, admin, members, others, skills) -> int:
    """Surplus and shortage postings: idle exporters lend, restarting plants are short."""
    today = clock.today()
    count = 0
    for slug, enterprises in members.items():
        member_skills = MEMBERS[slug][3]
        for i, ent in enumerate(enterprises):
            for _ in range(3):
                kind = "surplus" if (i + ctx.rng.randrange(3)) % 2 else "shortage"
                start = today + timedelta(
                    days=ctx.rng.randint(0, 4) if kind == "surplus" else ctx.rng.randint(2, 10)
                )
                days = ctx.rng.randint(30, 60) if kind == "surplus" else ctx.rng.randint(7, 25)
                _post(
                    ctx,
                    admin,
                    ent,
                    kind,
                    ctx.rng.choice(member_skills),
                    ctx.rng.randint(2, 25),
                    start,
                    days,
                )
                count += 1
    for ent in others:
        for _ in range(ctx.rng.choice((1, 2, 2, 3))):
            kind = "shortage" if ctx.rng.random() < 0.55 else "surplus"
            start = today + timedelta(
                days=ctx.rng.randint(0, 4) if kind == "surplus" else ctx.rng.randint(2, 10)
            )
            days = ctx.rng.randint(30, 60) if kind == "surplus" else ctx.rng.randint(7, 25)
            _post(
                ctx, admin, ent, kind, ctx.rng.choice(skills), ctx.rng.randint(1, 30), start, days
            )
            count += 1
    return count


def _demo_rep_pair(ctx, admin, members, counties):
    """The `enterprise` login represents a Yuhang member that lends welders to a neighbour."""
    today = clock.today()
    rep = ctx.users.get("enterprise")
    lender = (
        Enterprise.objects.filter(
            representatives__user=rep, region__path__startswith="/330000/330100/330110/"
        )
        .order_by("id")
        .first()
        if rep is not None
        else None
    )
    if lender is None:
        yuhang = members["yuhang-metal-products"]
        lender = next((e for e in yuhang if e.region_id == "330110"), yuhang[0])
        if rep is not None:
            enterprise_representative_add(actor=admin, enterprise=lender, user=rep)
    neighbour = enterprise_create(
        actor=admin,
        name="Linping Auto Parts",
        industry="machinery",
        size_class="medium",
        workers_total=260,
        region=counties["330113"],
        lat=lender.lat + Decimal("0.030") if lender.lat else None,
        lon=lender.lon + Decimal("0.020") if lender.lon else None,
    )
    _post(ctx, admin, lender, "surplus", "welder", 8, today, 60)
    _post(ctx, admin, neighbour, "shortage", "welder", 6, today + timedelta(days=3), 20)
    return lender


def _representative(ctx, admin, enterprise):
    """A representative of an enterprise in an agreement (one login per enterprise)."""
    existing = enterprise.representatives.select_related("user").first()
    if existing is not None:
        return existing.user
    user = user_create(
        username=f"rep-{enterprise.pk}",
        password=ctx.password,
        roles=[RoleSpec("enterprise_rep", enterprise.region_id)],
        check_password=False,
    )
    enterprise_representative_add(actor=admin, enterprise=enterprise, user=user)
    return user


def _agreements(ctx, admin, run, members, demo_lender: int) -> int:
    """Both enterprises accept the first proposals that involve the associations' members."""
    member_ids = {e.pk for ents in members.values() for e in ents}
    proposals = [
        p
        for p in run.proposals.select_related(
            "surplus__enterprise", "shortage__enterprise"
        ).order_by("-workers", "id")
        if (p.surplus.enterprise_id in member_ids or p.shortage.enterprise_id in member_ids)
        and demo_lender not in (p.surplus.enterprise_id, p.shortage.enterprise_id)
    ]
    signed = 0
    for p in proposals[:6]:
        borrower = _representative(ctx, admin, p.shortage.enterprise)
        lender = _representative(ctx, admin, p.surplus.enterprise)
        labor.proposal_accept(
            actor=borrower,
            proposal_id=p.pk,
            side="borrower",
            pay_terms="The borrower pays the lent workers' wages at the lender's rate (RMB 220 "
            "a day), plus meals and a commuting allowance; the lender keeps their contracts.",
            insurance_terms="The lender's work-injury insurance stays in force; the borrower adds "
            "accident cover for the period.",
        )
        labor.proposal_accept(actor=lender, proposal_id=p.pk, side="lender")
        signed += 1
    for p in proposals[6:7]:
        labor.proposal_refuse(
            actor=_representative(ctx, admin, p.shortage.enterprise),
            proposal_id=p.pk,
            reason="Found local workers meanwhile.",
        )
    return signed


def run(ctx) -> None:
    admin = ctx.users["admin"]
    counties = {r.code: r for r in Region.objects.filter(level="county", code__startswith="33")}
    skills = list(Skill.objects.filter(active=True).values_list("code", flat=True))
    members = _member_enterprises(ctx, admin, counties)
    others = _other_enterprises(ctx, admin, counties)
    postings = _postings(ctx, admin, members, others, skills)
    demo_lender = _demo_rep_pair(ctx, admin, members, counties)
    official = ctx.users.get("province", admin)
    result = labor.matching_run(
        actor=official, region_code="330000", max_distance_km=settings.LABOR_MAX_DISTANCE_KM
    )
    signed = _agreements(ctx, admin, result, members, demo_lender.pk)
    pending = Proposal.objects.filter(run=result, state="pending").count()
    ctx.log.append(
        f"labor sharing: {postings + 2} postings of {len(others) + sum(map(len, members.values())) + 1} "
        f"enterprises, run #{result.pk} matched {result.matched_workers} workers in "
        f"{result.proposals.count()} proposals; {signed} agreements, {pending} proposals pending"
    )
