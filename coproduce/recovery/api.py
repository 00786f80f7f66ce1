"""The JSON API of enterprise recovery (API.md "Stages 2 and 3"): parks, enterprises,
resumption reports and aggregates, collective procurement, the board, member services, rent
relief. Thin: parsing, the scope, a service or selector, the answer."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.api import InputSchema
from coproduce.core.errors import NotFound, ValidationFailed
from coproduce.core.exports import table_response
from coproduce.orgs.models import Organization
from coproduce.recovery import rules, selectors, services
from coproduce.recovery.exports import resumption_header, resumption_rows
from coproduce.recovery.models import ASSOCIATION_CATEGORIES, Procurement, ServiceRequest
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.selectors import member as member_reads
from coproduce.recovery.selectors import resumption as figures
from coproduce.regions.models import Region
from coproduce.regions.selectors import region_get

router = Router(tags=["recovery"])


def _region(code: str, field: str = "region") -> Region:
    try:
        return region_get(code=code)
    except NotFound:
        raise ValidationFailed.field(field, f"No region has the code {code!r}.") from None


def _association(slug: str, field: str = "association") -> Organization:
    org = Organization.objects.filter(slug=slug, category__in=ASSOCIATION_CATEGORIES).first()
    if org is None:
        raise ValidationFailed.field(field, f"No industrial or business association {slug!r}.")
    return org


def money(fen: int | None) -> str | None:
    return None if fen is None else str(rules.fen_to_money(fen))


def to_fen(value: Decimal | None, field: str) -> int | None:
    if value is None:
        return None
    if value != value.quantize(Decimal("0.01")) or value <= 0:
        raise ValidationFailed.field(field, "An amount is above zero with at most two decimals.")
    return int(value * 100)


# --- parks and enterprises ------------------------------------------------------------------------


class ParkIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    region: str = Field(max_length=20)


class ParkOut(Schema):
    id: int
    name: str
    region: str


@router.post("/parks", response={201: ParkOut})
def park_create(request: HttpRequest, payload: ParkIn):
    """Register an industrial park (a health official of its region, or an admin)."""
    park = services.park_create(
        actor=request.user, name=payload.name, region=_region(payload.region)
    )
    return Status(201, {"id": park.pk, "name": park.name, "region": park.region_id})


@router.get("/parks", response=list[ParkOut])
def park_list(
    request: HttpRequest,
    region: str = Query("", max_length=20),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
):
    """Parks in the caller's regions."""
    scope = authorize(request.user, "recovery.view")
    qs = selectors.park_list(scope=scope)
    if region:
        qs = qs.filter(region__path__startswith=_region(region).path)
    return [
        {"id": p.pk, "name": p.name, "region": p.region_id} for p in qs[offset : offset + limit]
    ]


class EnterpriseIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    industry: str = Field(max_length=32)
    size_class: str = Field(max_length=8)
    workers_total: int = Field(ge=0, le=1_000_000)
    region: str = Field(max_length=20)
    park: int | None = None
    associations: list[str] = Field(default_factory=list, max_length=20)
    lat: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)
    lon: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)


class EnterpriseOut(Schema):
    id: int
    name: str
    industry: str
    size_class: str
    workers_total: int
    region: str
    park: int | None
    associations: list[str]
    lat: Decimal | None
    lon: Decimal | None


def enterprise_out(ent) -> dict:
    return {
        "id": ent.pk,
        "name": ent.name,
        "industry": ent.industry,
        "size_class": ent.size_class,
        "workers_total": ent.workers_total,
        "region": ent.region_id,
        "park": ent.park_id,
        "associations": sorted(ent.associations.values_list("slug", flat=True)),
        "lat": ent.lat,
        "lon": ent.lon,
    }


@router.post("/enterprises", response={201: EnterpriseOut})
def enterprise_create(request: HttpRequest, payload: EnterpriseIn):
    """Register an enterprise (its representative, its association's staff, or an official)."""
    region = _region(payload.region)
    park = None
    if payload.park is not None:
        try:
            park = selectors.park_get(
                park_id=payload.park, scope=authorize(request.user, "recovery.enterprises")
            )
        except NotFound:
            raise ValidationFailed.field("park", "No such park in your scope.") from None
    ent = services.enterprise_create(
        actor=request.user,
        name=payload.name,
        industry=payload.industry,
        size_class=payload.size_class,
        workers_total=payload.workers_total,
        region=region,
        park=park,
        associations=payload.associations,
        lat=payload.lat,
        lon=payload.lon,
    )
    return Status(201, enterprise_out(ent))


@router.get("/enterprises", response=list[EnterpriseOut])
def enterprise_list(
    request: HttpRequest,
    association: str = Query("", max_length=80),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
):
    """The enterprises the caller may see (their own, their members, their region)."""
    scope = enterprise_scope(request.user, "recovery.view")
    assoc = _association(association).pk if association else None
    qs = selectors.enterprise_list(scope=scope, association_id=assoc).prefetch_related(
        "associations"
    )
    return [enterprise_out(e) for e in qs[offset : offset + limit]]


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut)
def enterprise_detail(request: HttpRequest, enterprise_id: int):
    """One enterprise in scope; others answer 404."""
    scope = enterprise_scope(request.user, "recovery.view")
    return enterprise_out(selectors.enterprise_get(enterprise_id=enterprise_id, scope=scope))


class MembershipIn(InputSchema):
    association: str = Field(max_length=80)


@router.post("/enterprises/{enterprise_id}/associations", response={201: EnterpriseOut})
def enterprise_join(request: HttpRequest, enterprise_id: int, payload: MembershipIn):
    """Add an enterprise of the caller's region to the caller's association."""
    scope = authorize(request.user, "recovery.enterprises")
    ent = selectors.enterprise_get_in_region(enterprise_id=enterprise_id, scope=scope)
    services.enterprise_membership_add(
        actor=request.user, enterprise=ent, association=_association(payload.association)
    )
    return Status(201, enterprise_out(ent))


class RepresentativeIn(InputSchema):
    username: str = Field(max_length=150)


@router.post("/enterprises/{enterprise_id}/representatives", response={201: dict})
def enterprise_representative(request: HttpRequest, enterprise_id: int, payload: RepresentativeIn):
    """Let a user act for the enterprise (they also need an enterprise_rep role over it)."""
    scope = enterprise_scope(request.user, "recovery.enterprises")
    ent = selectors.enterprise_get(enterprise_id=enterprise_id, scope=scope)
    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise ValidationFailed.field("username", "No such user.")
    services.enterprise_representative_add(actor=request.user, enterprise=ent, user=user)
    return Status(201, {"enterprise": ent.pk, "username": user.username})


# --- resumption reports ---------------------------------------------------------------------------


class ReportIn(InputSchema):
    date: date
    open: bool
    workers_on_site: int = Field(ge=0, le=1_000_000)
    capacity_pct: int | None = Field(default=None, ge=0, le=100)
    blockers: list[str] = Field(default_factory=list, max_length=10)
    note: str = Field(default="", max_length=500)


class ReportOut(Schema):
    id: int
    enterprise: int
    date: date
    open: bool
    workers_on_site: int
    capacity_pct: int | None
    blockers: list[str]
    note: str


def report_out(r) -> dict:
    return {
        "id": r.pk,
        "enterprise": r.enterprise_id,
        "date": r.date,
        "open": r.open,
        "workers_on_site": r.workers_on_site,
        "capacity_pct": r.capacity_pct,
        "blockers": r.blockers,
        "note": r.note,
    }


@router.post("/enterprises/{enterprise_id}/resumption-reports", response={201: ReportOut})
def report_create(request: HttpRequest, enterprise_id: int, payload: ReportIn):
    """File the enterprise's report for a day: a second for the day is 409; impossible figures
    (more workers on site than the enterprise has) 422 with the field."""
    report = services.resumption_report_create(
        actor=request.user,
        enterprise_id=enterprise_id,
        date=payload.date,
        open=payload.open,
        workers_on_site=payload.workers_on_site,
        capacity_pct=payload.capacity_pct,
        blockers=payload.blockers,
        note=payload.note,
    )
    return Status(201, report_out(report))


@router.get("/enterprises/{enterprise_id}/resumption-reports", response=list[ReportOut])
def report_list(
    request: HttpRequest,
    enterprise_id: int,
    limit: int = Query(60, ge=1, le=1000),
    offset: int = Query(0, ge=0),
):
    """An enterprise's reports, newest first (within scope)."""
    scope = enterprise_scope(request.user, "recovery.view")
    ent = selectors.enterprise_get(enterprise_id=enterprise_id, scope=scope)
    return [report_out(r) for r in selectors.report_list(enterprise=ent)[offset : offset + limit]]


# --- aggregates -----------------------------------------------------------------------------------


class ResumptionOut(Schema):
    region: str
    date: date
    industry: str
    parks_total: int
    parks_reopened: int
    parks_reopened_pct: Decimal
    enterprises_total: int
    enterprises_open: int
    workers_total: int
    workers_on_site: int
    production_resumption_pct: Decimal
    capacity_weighted_pct: Decimal
    all_workers_total: int
    all_workers_on_site: int
    all_production_resumption_pct: Decimal


def resumption_out(region: Region, on: date, industry: str, r: rules.Resumption) -> dict:
    return {
        "region": region.code,
        "date": on,
        "industry": industry,
        "parks_total": r.parks_total,
        "parks_reopened": r.parks_reopened,
        "parks_reopened_pct": r.parks_reopened_pct,
        "enterprises_total": r.enterprises_total,
        "enterprises_open": r.enterprises_open,
        "workers_total": r.workers_total,
        "workers_on_site": r.workers_on_site,
        "production_resumption_pct": r.production_resumption_pct,
        "capacity_weighted_pct": r.capacity_weighted_pct,
        "all_workers_total": r.all_workers_total,
        "all_workers_on_site": r.all_workers_on_site,
        "all_production_resumption_pct": r.all_production_resumption_pct,
    }


def _figures_args(request, region: str, on: date | None, industry: str):
    scope = authorize(request.user, "recovery.aggregates")
    where = _region(region)
    if industry and industry not in {i.value for i in rules.Industry}:
        raise ValidationFailed.field("industry", "Not a known industry.")
    return scope, where, on or clock.today()


@router.get("/recovery/resumption", response=ResumptionOut)
def resumption(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    date: date | None = None,
    industry: str = Query("", max_length=32),
):
    """The resumption figures of a region on a date (definitions in rules.Resumption)."""
    scope, where, on = _figures_args(request, region, date, industry)
    r = figures.resumption_on(scope=scope, region=where, on=on, industry=industry)
    return resumption_out(where, on, industry, r)


@router.get("/recovery/resumption/regions", response=list[ResumptionOut])
def resumption_regions(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    date: date | None = None,
    industry: str = Query("", max_length=32),
):
    """The figures of each child region (drilling down the tree)."""
    scope, where, on = _figures_args(request, region, date, industry)
    rows = figures.resumption_by_child(scope=scope, region=where, on=on, industry=industry)
    return [resumption_out(child, on, industry, r) for child, r in rows]


@router.get("/recovery/resumption/industries", response=list[ResumptionOut])
def resumption_industries(
    request: HttpRequest, region: str = Query(..., max_length=20), date: date | None = None
):
    """The figures of each industry in the region."""
    scope, where, on = _figures_args(request, region, date, "")
    rows = figures.resumption_by_industry(scope=scope, region=where, on=on)
    return [resumption_out(where, on, industry, r) for industry, r in rows]


@router.get("/recovery/resumption/trend", response=list[ResumptionOut])
def resumption_trend(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    start: date | None = None,
    end: date | None = None,
    industry: str = Query("", max_length=32),
):
    """The figures of each day from `start` to `end` (at most 366 days; default the last 14)."""
    scope, where, end = _figures_args(request, region, end, industry)
    start = start or date.fromordinal(end.toordinal() - 13)
    if start > end or (end - start).days > 365:
        raise ValidationFailed.field("start", "From 1 to 366 days, start before end.")
    rows = figures.resumption_series(
        scope=scope, region=where, start=start, end=end, industry=industry
    )
    return [resumption_out(where, day, industry, r) for day, r in rows]


class BlockerOut(Schema):
    blocker: str
    reports: int


@router.get("/recovery/resumption/blockers", response=list[BlockerOut])
def resumption_blockers(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    start: date | None = None,
    end: date | None = None,
):
    """The blockers most reported in the region over the days (default the last 7)."""
    scope, where, end = _figures_args(request, region, end, "")
    start = start or date.fromordinal(end.toordinal() - 6)
    rows = figures.blockers_top(scope=scope, region=where, start=start, end=end)
    return [{"blocker": b, "reports": n} for b, n in rows]


@router.get("/recovery/resumption.csv")
def resumption_csv(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    date: date | None = None,
    industry: str = Query("", max_length=32),
):
    """The resumption table of the region's children and its total, as CSV."""
    return _export(request, "csv", region, date, industry)


@router.get("/recovery/resumption.xlsx")
def resumption_xlsx(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    date: date | None = None,
    industry: str = Query("", max_length=32),
):
    """The resumption table of the region's children and its total, as XLSX."""
    return _export(request, "xlsx", region, date, industry)


def _export(request, fmt: str, region: str, date, industry: str):
    scope, where, on = _figures_args(request, region, date, industry)
    rows = resumption_rows(scope=scope, region=where, on=on, industry=industry)
    return table_response(
        fmt=fmt,
        filename=f"resumption-{where.code}-{on.isoformat()}",
        header=resumption_header(),
        rows=rows,
        title="resumption",
    )


# --- collective procurement -----------------------------------------------------------------------


class ProcurementIn(InputSchema):
    association: str = Field(max_length=80)
    item: str = Field(min_length=1, max_length=200)
    unit: str = Field(min_length=1, max_length=30)
    needed_by: date


class NeedIn(InputSchema):
    enterprise: int
    quantity: int = Field(ge=1, le=100_000_000)


class TierIn(InputSchema):
    min_quantity: int = Field(ge=1, le=100_000_000)
    unit_price: Decimal = Field(gt=0, max_digits=14, decimal_places=4)


class QuoteIn(InputSchema):
    supplier: str = Field(min_length=1, max_length=200)
    tiers: list[TierIn] = Field(min_length=1, max_length=20)


class AwardIn(InputSchema):
    quote: int


class OrderIn(InputSchema):
    reference: str = Field(default="", max_length=100)


class ReceiptIn(InputSchema):
    enterprise: int


class LineOut(Schema):
    enterprise: int
    quantity: int
    cost: str
    alone_cost: str
    saving: str
    received_at: datetime | None = None


class AwardOut(Schema):
    unit_price: str
    total_quantity: int
    total_cost: str
    saving: str
    lines: list[LineOut]


class TierOut(Schema):
    min_quantity: int
    unit_price: str


class QuoteOut(Schema):
    id: int
    supplier: str
    tiers: list[TierOut]


class NeedOut(Schema):
    enterprise: int
    quantity: int


class ProcurementOut(Schema):
    id: int
    association: str
    item: str
    unit: str
    needed_by: date
    status: str
    needs: list[NeedOut]
    quotes: list[QuoteOut]
    award: AwardOut | None


def quote_out(q) -> dict:
    return {
        "id": q.pk,
        "supplier": q.supplier,
        "tiers": [
            {
                "min_quantity": t.min_quantity,
                "unit_price": str(rules.hao_to_price(t.unit_price_hao)),
            }
            for t in services.quote_tiers(q)
        ],
    }


def award_out(p: Procurement) -> dict | None:
    if p.total_cost_fen is None:
        return None
    lines = list(p.lines.order_by("id"))
    return {
        "unit_price": str(rules.hao_to_price(p.unit_price_hao)),
        "total_quantity": p.total_quantity,
        "total_cost": money(p.total_cost_fen),
        "saving": money(p.alone_cost_fen - p.total_cost_fen),
        "lines": [
            {
                "enterprise": ln.enterprise_id,
                "quantity": ln.quantity,
                "cost": money(ln.cost_fen),
                "alone_cost": money(ln.alone_cost_fen),
                "saving": money(ln.saving_fen),
                "received_at": ln.received_at,
            }
            for ln in lines
        ],
    }


def procurement_out(p: Procurement) -> dict:
    return {
        "id": p.pk,
        "association": p.association.slug,
        "item": p.item,
        "unit": p.unit,
        "needed_by": p.needed_by,
        "status": p.status,
        "needs": [{"enterprise": n.enterprise_id, "quantity": n.quantity} for n in p.needs.all()],
        "quotes": [quote_out(q) for q in p.quotes.all()],
        "award": award_out(p),
    }


@router.post("/procurements", response={201: ProcurementOut})
def procurement_create(request: HttpRequest, payload: ProcurementIn):
    """Open a collective purchase (the association's staff)."""
    p = services.procurement_create(
        actor=request.user,
        association=_association(payload.association),
        item=payload.item,
        unit=payload.unit,
        needed_by=payload.needed_by,
    )
    return Status(201, procurement_out(p))


@router.get("/procurements", response=list[ProcurementOut])
def procurement_list(
    request: HttpRequest,
    status: str = Query("", max_length=12),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    """Purchases of the associations in the caller's reach."""
    qs = member_reads.procurement_list(scope=enterprise_scope(request.user, "recovery.view"))
    if status:
        qs = qs.filter(status=status)
    qs = qs.prefetch_related("needs", "quotes")
    return [procurement_out(p) for p in qs[offset : offset + limit]]


@router.get("/procurements/{procurement_id}", response=ProcurementOut)
def procurement_detail(request: HttpRequest, procurement_id: int):
    """One purchase in reach."""
    scope = enterprise_scope(request.user, "recovery.view")
    return procurement_out(member_reads.procurement_get(procurement_id=procurement_id, scope=scope))


@router.post("/procurements/{procurement_id}/needs", response={201: NeedOut})
def procurement_need(request: HttpRequest, procurement_id: int, payload: NeedIn):
    """A member's need (a member of the association only, else 422)."""
    need = services.procurement_need_add(
        actor=request.user,
        procurement_id=procurement_id,
        enterprise_id=payload.enterprise,
        quantity=payload.quantity,
    )
    return Status(201, {"enterprise": need.enterprise_id, "quantity": need.quantity})


@router.post("/procurements/{procurement_id}/quotes", response={201: QuoteOut})
def procurement_quote(request: HttpRequest, procurement_id: int, payload: QuoteIn):
    """A supplier's quote with quantity price tiers."""
    quote = services.procurement_quote_add(
        actor=request.user,
        procurement_id=procurement_id,
        supplier=payload.supplier,
        tiers=[(t.min_quantity, t.unit_price) for t in payload.tiers],
    )
    return Status(201, quote_out(quote))


@router.post("/procurements/{procurement_id}/award", response=AwardOut)
def procurement_award(request: HttpRequest, procurement_id: int, payload: AwardIn):
    """Award a quote: the lot's price, and each member's exact share and saving."""
    services.procurement_award(
        actor=request.user, procurement_id=procurement_id, quote_id=payload.quote
    )
    scope = enterprise_scope(request.user, "recovery.view")
    return award_out(member_reads.procurement_get(procurement_id=procurement_id, scope=scope))


@router.post("/procurements/{procurement_id}/order", response=ProcurementOut)
def procurement_order(request: HttpRequest, procurement_id: int, payload: OrderIn):
    """The awarded lot is ordered from the supplier."""
    p = services.procurement_order(
        actor=request.user, procurement_id=procurement_id, reference=payload.reference
    )
    return procurement_out(p)


@router.post("/procurements/{procurement_id}/delivery", response=ProcurementOut)
def procurement_delivery(request: HttpRequest, procurement_id: int):
    """The supplier delivered the lot."""
    return procurement_out(
        services.procurement_deliver(actor=request.user, procurement_id=procurement_id)
    )


@router.post("/procurements/{procurement_id}/receipts", response=LineOut)
def procurement_receipt(request: HttpRequest, procurement_id: int, payload: ReceiptIn):
    """A member confirms receipt of its part."""
    ln = services.procurement_receipt_confirm(
        actor=request.user, procurement_id=procurement_id, enterprise_id=payload.enterprise
    )
    return {
        "enterprise": ln.enterprise_id,
        "quantity": ln.quantity,
        "cost": money(ln.cost_fen),
        "alone_cost": money(ln.alone_cost_fen),
        "saving": money(ln.saving_fen),
        "received_at": ln.received_at,
    }


# --- supply-chain board ---------------------------------------------------------------------------


class PostIn(InputSchema):
    enterprise: int
    kind: str = Field(max_length=10)
    topic: str = Field(max_length=14)
    material: str = Field(min_length=1, max_length=200)
    quantity: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=500)


class MatchOut(Schema):
    id: int
    shortage: int
    offer: int
    distance_km: Decimal | None
    shortage_accepted: bool
    offer_accepted: bool
    status: str


class PostOut(Schema):
    id: int
    enterprise: int
    kind: str
    topic: str
    material: str
    quantity: str
    note: str
    status: str
    matches: list[MatchOut] = []


def match_out(m) -> dict:
    return {
        "id": m.pk,
        "shortage": m.shortage_id,
        "offer": m.offer_id,
        "distance_km": m.distance_km,
        "shortage_accepted": m.shortage_accepted,
        "offer_accepted": m.offer_accepted,
        "status": m.status,
    }


def post_out(p, matches=()) -> dict:
    return {
        "id": p.pk,
        "enterprise": p.enterprise_id,
        "kind": p.kind,
        "topic": p.topic,
        "material": p.material,
        "quantity": p.quantity,
        "note": p.note,
        "status": p.status,
        "matches": [match_out(m) for m in matches],
    }


@router.post("/recovery/board/posts", response={201: PostOut})
def board_post(request: HttpRequest, payload: PostIn):
    """Post a shortage or an offer for your enterprise; the answer carries proposed matches."""
    fields = payload.model_dump()
    post, matches = services.board_post_create(
        actor=request.user, enterprise_id=fields.pop("enterprise"), **fields
    )
    return Status(201, post_out(post, matches))


@router.get("/recovery/board/posts", response=list[PostOut])
def board_list(
    request: HttpRequest,
    history: bool = False,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    """Posts of the enterprises of your associations (closed ones too with `history`)."""
    scope = enterprise_scope(request.user, "recovery.board")
    posts = member_reads.board_posts(scope=scope, include_closed=history)
    return [post_out(p) for p in posts[offset : offset + limit]]


@router.get("/recovery/board/matches", response=list[MatchOut])
def board_matches(request: HttpRequest):
    """Matches proposed to or agreed by your enterprises."""
    scope = enterprise_scope(request.user, "recovery.board")
    return [match_out(m) for m in member_reads.board_matches_of(scope=scope)[:200]]


class AcceptIn(InputSchema):
    enterprise: int
    accept: bool = True


@router.post("/recovery/board/matches/{match_id}/accept", response=MatchOut)
def board_accept(request: HttpRequest, match_id: int, payload: AcceptIn):
    """Your side accepts (or declines) a match; agreed when both sides accept."""
    m = services.board_match_accept(
        actor=request.user,
        match_id=match_id,
        enterprise_id=payload.enterprise,
        accept=payload.accept,
    )
    return match_out(m)


@router.post("/recovery/board/posts/{post_id}/close", response=PostOut)
def board_close(request: HttpRequest, post_id: int):
    """Close your post (it stays as history)."""
    return post_out(services.board_post_close(actor=request.user, post_id=post_id))


# --- member services and rent relief --------------------------------------------------------------


class ServiceIn(InputSchema):
    enterprise: int
    association: str = Field(max_length=80)
    kind: str = Field(max_length=8)
    topic: str = Field(max_length=20)
    description: str = Field(min_length=1, max_length=2000)
    amount: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)


class ServicePatch(InputSchema):
    status: str = Field(max_length=12)
    partner: str = Field(default="", max_length=200)
    outcome: str = Field(default="", max_length=500)


class ServiceOut(Schema):
    id: int
    enterprise: int
    association: str
    kind: str
    topic: str
    description: str
    amount: str | None
    status: str
    partner: str
    outcome: str
    submitted_on: date
    due_on: date
    overdue: bool


def service_out(r: ServiceRequest) -> dict:
    return {
        "id": r.pk,
        "enterprise": r.enterprise_id,
        "association": r.association.slug,
        "kind": r.kind,
        "topic": r.topic,
        "description": r.description,
        "amount": money(r.amount_fen),
        "status": r.status,
        "partner": r.partner,
        "outcome": r.outcome,
        "submitted_on": r.submitted_on,
        "due_on": r.due_on,
        "overdue": rules.service_overdue(status=r.status, due_on=r.due_on, today=clock.today()),
    }


@router.post("/recovery/service-requests", response={201: ServiceOut})
def service_create(request: HttpRequest, payload: ServiceIn):
    """Ask your association's desk for financial services or legal aid."""
    r = services.service_request_create(
        actor=request.user,
        enterprise_id=payload.enterprise,
        association=_association(payload.association),
        kind=payload.kind,
        topic=payload.topic,
        description=payload.description,
        amount_fen=to_fen(payload.amount, "amount"),
    )
    return Status(201, service_out(r))


@router.get("/recovery/service-requests", response=list[ServiceOut])
def service_list(
    request: HttpRequest,
    status: str = Query("", max_length=12),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    """Requests at your desk, or of your enterprises."""
    qs = member_reads.service_requests(scope=enterprise_scope(request.user, "recovery.services"))
    if status:
        qs = qs.filter(status=status)
    return [service_out(r) for r in qs[offset : offset + limit]]


@router.patch("/recovery/service-requests/{request_id}", response=ServiceOut)
def service_update(request: HttpRequest, request_id: int, payload: ServicePatch):
    """The desk moves a request on: assigned (to a bank or law firm), in progress, resolved."""
    r = services.service_request_update(
        actor=request.user,
        request_id=request_id,
        status=payload.status,
        partner=payload.partner,
        outcome=payload.outcome,
    )
    return service_out(r)


class ReliefIn(InputSchema):
    association: str = Field(max_length=80)
    name: str = Field(min_length=1, max_length=200)
    provider_kind: str = Field(max_length=10)
    provider_name: str = Field(min_length=1, max_length=200)
    park: int | None = None
    kind: str = Field(max_length=10)
    percent: int = Field(default=0, ge=0, le=100)
    amount: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    start_month: date
    months: int = Field(ge=1, le=24)


class BeneficiaryIn(InputSchema):
    enterprise: int
    monthly_rent: Decimal = Field(gt=0, max_digits=14, decimal_places=2)


class BeneficiaryOut(Schema):
    enterprise: int
    monthly_rent: str
    relief: str


class ReliefOut(Schema):
    id: int
    association: str
    name: str
    provider_kind: str
    provider_name: str
    kind: str
    percent: int
    amount: str | None
    start_month: date
    months: int
    beneficiaries: list[BeneficiaryOut]
    relief_total: str


def relief_out(p) -> dict:
    bs = list(p.beneficiaries.order_by("id"))
    return {
        "id": p.pk,
        "association": p.association.slug,
        "name": p.name,
        "provider_kind": p.provider_kind,
        "provider_name": p.provider_name,
        "kind": p.kind,
        "percent": p.percent,
        "amount": money(p.amount_fen) if p.amount_fen else None,
        "start_month": p.start_month,
        "months": p.months,
        "beneficiaries": [
            {
                "enterprise": b.enterprise_id,
                "monthly_rent": money(b.monthly_rent_fen),
                "relief": money(b.relief_fen),
            }
            for b in bs
        ],
        "relief_total": money(sum(b.relief_fen for b in bs)),
    }


@router.post("/recovery/rent-relief", response={201: ReliefOut})
def relief_create(request: HttpRequest, payload: ReliefIn):
    """Record a landlord's or park's rent reduction (the association's staff)."""
    park = None
    if payload.park is not None:
        try:
            park = selectors.park_get(
                park_id=payload.park, scope=authorize(request.user, "recovery.view")
            )
        except NotFound:
            raise ValidationFailed.field("park", "No such park in your scope.") from None
    program = services.rent_relief_program_create(
        actor=request.user,
        association=_association(payload.association),
        name=payload.name,
        provider_kind=payload.provider_kind,
        provider_name=payload.provider_name,
        kind=payload.kind,
        percent=payload.percent,
        amount_fen=to_fen(payload.amount, "amount") or 0,
        start_month=payload.start_month,
        months=payload.months,
        park=park,
    )
    return Status(201, relief_out(program))


@router.get("/recovery/rent-relief", response=list[ReliefOut])
def relief_list(request: HttpRequest):
    """Rent relief programs of the associations in reach, with beneficiaries and totals."""
    scope = enterprise_scope(request.user, "recovery.view")
    return [relief_out(p) for p in member_reads.rent_relief_programs(scope=scope)[:200]]


@router.post("/recovery/rent-relief/{program_id}/beneficiaries", response={201: BeneficiaryOut})
def relief_beneficiary(request: HttpRequest, program_id: int, payload: BeneficiaryIn):
    """Add a member that benefits, with its monthly rent."""
    b = services.rent_relief_beneficiary_add(
        actor=request.user,
        program_id=program_id,
        enterprise_id=payload.enterprise,
        monthly_rent_fen=to_fen(payload.monthly_rent, "monthly_rent"),
    )
    return Status(
        201,
        {
            "enterprise": b.enterprise_id,
            "monthly_rent": money(b.monthly_rent_fen),
            "relief": money(b.relief_fen),
        },
    )
