"""/relief: campaigns, donations, stock, requests, allocation, and the public transparency data."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core.api import Count, Id, InputSchema, Limit, Offset, SafeDate, SafeDateTime
from coproduce.core.errors import NotFound
from coproduce.orgs.models import Organization
from coproduce.regions.selectors import region_get
from coproduce.relief import selectors, services
from coproduce.relief.models import Allocation, Campaign, Donation, Lot, SupplyRequest
from coproduce.relief.rules import from_fen, quantity_to_decimal


def qd(count: int, quantum: Decimal) -> Decimal:
    """Quanta in the item's unit, without trailing zeros."""
    return quantity_to_decimal(count, quantum=quantum)


router = Router(tags=["relief"])


class ItemOut(Schema):
    slug: str
    name: str
    name_zh: str
    category: str
    unit: str
    quantum: Decimal
    unit_value: Decimal


class CampaignIn(InputSchema):
    organization: str = Field(max_length=80)
    slug: str = Field(pattern=r"^[a-z0-9-]{3,80}$")
    title: str = Field(max_length=200)
    goal: Decimal = Field(max_digits=14, decimal_places=2)
    starts_at: SafeDateTime
    ends_at: SafeDateTime | None = None
    description: str = Field(default="", max_length=4000)


class CampaignOut(Schema):
    id: int
    slug: str
    title: str
    organization: str
    region: str
    goal: Decimal
    raised: Decimal
    donations: int
    starts_at: datetime
    ends_at: datetime | None


class ProgressOut(Schema):
    at: datetime
    raised: Decimal
    cumulative: Decimal


class DonationIn(InputSchema):
    organization: str = Field(max_length=80)
    campaign: Id | None = None
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    channel: str = Field(max_length=10)
    donor_kind: str = Field(default="individual", max_length=12)
    donor_name: str = Field(default="", max_length=200)
    anonymous: bool = False
    received_at: SafeDateTime | None = None
    idempotency_key: str | None = Field(default=None, max_length=80)
    note: str = Field(default="", max_length=300)


class DonationOut(Schema):
    id: int
    organization: str
    campaign: int | None
    amount: Decimal
    channel: str
    donor: str
    anonymous: bool
    received_at: datetime
    receipt_no: str
    receipt_url: str


class DisbursementIn(InputSchema):
    organization: str = Field(max_length=80)
    campaign: Id | None = None
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    region: str = Field(max_length=20)
    recipient: str = Field(max_length=200)
    purpose: str = Field(max_length=300)
    paid_at: SafeDateTime | None = None
    idempotency_key: str | None = Field(default=None, max_length=80)


class WarehouseIn(InputSchema):
    organization: str = Field(max_length=80)
    region: str = Field(max_length=20)
    name: str = Field(max_length=120)
    address: str = Field(default="", max_length=200)


class WarehouseOut(Schema):
    id: int
    organization: str
    region: str
    name: str


class StockReceiptIn(InputSchema):
    warehouse: Id
    item: str = Field(max_length=60)
    quantity: Decimal = Field(max_digits=16, decimal_places=3)
    lot_code: str = Field(default="", max_length=60)
    expires_on: SafeDate | None = None
    value: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    donor_kind: str = Field(default="organization", max_length=12)
    donor_name: str = Field(default="", max_length=200)
    anonymous: bool = False
    campaign: Id | None = None
    received_at: SafeDateTime | None = None
    idempotency_key: str | None = Field(default=None, max_length=80)


class GiftOut(Schema):
    id: int
    item: str
    quantity: Decimal
    value: Decimal
    lot: int
    lot_code: str
    receipt_no: str
    receipt_url: str


class TransferIn(InputSchema):
    lot: Id
    to_warehouse: Id
    quantity: Decimal = Field(max_digits=16, decimal_places=3)
    # A retry with the same key answers with the first transfer and moves nothing more.
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=80)


class IssueIn(InputSchema):
    lot: Id
    quantity: Decimal = Field(max_digits=16, decimal_places=3)
    region: str = Field(max_length=20)
    recipient: str = Field(max_length=200)
    purpose: str = Field(default="", max_length=60)
    # A retry with the same key answers with the first issue and takes nothing more.
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=80)


class LotOut(Schema):
    id: int
    item: str
    warehouse: int
    code: str
    expires_on: date | None
    quantity: Decimal
    reserved: Decimal


class StockRow(Schema):
    warehouse: int
    warehouse_name: str
    item: str
    unit: str
    on_hand: Decimal
    free: Decimal
    lots: int


class RequestLineIn(InputSchema):
    item: str = Field(max_length=60)
    quantity: Decimal = Field(max_digits=16, decimal_places=3)


class RequestIn(InputSchema):
    requester_kind: str = Field(max_length=16)
    requester_name: str = Field(max_length=200)
    region: str = Field(max_length=20)
    needed_by: SafeDate
    priority: int | None = None
    lines: list[RequestLineIn] = Field(max_length=50)
    note: str = Field(default="", max_length=500)


class RequestLineOut(Schema):
    id: int
    item: str
    quantity: Decimal
    allocated: Decimal
    dispatched: Decimal
    received: Decimal


class RequestOut(Schema):
    id: int
    requester_kind: str
    requester_name: str
    region: str
    priority: int
    needed_by: date
    status: str
    lines: list[RequestLineOut]


class AllocateIn(InputSchema):
    organization: str = Field(max_length=80)
    region: str = Field(max_length=20)


class ApproveIn(InputSchema):
    exclude_lines: list[Id] = Field(default_factory=list, max_length=10000)


class AllocationLineOut(Schema):
    id: int
    request: int
    request_line: int
    item: str
    lot: int
    quantity: Decimal
    status: str
    received_quantity: Decimal | None


class AllocationOut(Schema):
    id: int
    organization: str
    region: str
    on: date
    status: str
    lines: list[AllocationLineOut]
    unmet: dict[str, int]


class ReceiveIn(InputSchema):
    quantity: Decimal = Field(max_digits=16, decimal_places=3)
    note: str = Field(default="", max_length=300)


class LedgerEntryOut(Schema):
    seq: int
    book: str
    kind: str
    at: datetime
    fields: dict
    previous_hash: str
    hash: str


class LedgerVerifyOut(Schema):
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    broken_seq: int | None
    missing_after: int | None


def _org(slug: str) -> Organization:
    org = Organization.objects.select_related("home_region").filter(slug=slug).first()
    if org is None:
        raise NotFound(f"No organization {slug!r}.", code="organization_not_found")
    return org


def _campaign(campaign_id: int | None, scope) -> Campaign | None:
    """The campaign a gift or payment names, if any, in the caller's scope."""
    return selectors.campaign_get(campaign_id=campaign_id, scope=scope) if campaign_id else None


def _fund(request: HttpRequest, payload) -> tuple[Organization, Campaign | None]:
    """The organization whose fund a money entry moves (the caller must keep its books) and
    the campaign it names."""
    org = _org(payload.organization)
    scope = authorize(
        request.user, "relief.donations", region=org.home_region, organization_id=org.pk
    )
    return org, _campaign(payload.campaign, scope)


def _campaign_out(c: Campaign) -> dict:
    return {
        "id": c.pk,
        "slug": c.slug,
        "title": c.title,
        "organization": c.organization.slug,
        "region": c.region_id,
        "goal": c.goal,
        "raised": c.raised,
        "donations": c.donation_count,
        "starts_at": c.starts_at,
        "ends_at": c.ends_at,
    }


def _receipt_url(request: HttpRequest, key: str) -> str:
    return request.build_absolute_uri(f"/relief/receipts/{key}/")


def _donation_out(request, d: Donation) -> dict:
    return {
        "id": d.pk,
        "organization": d.organization.slug,
        "campaign": d.campaign_id,
        "amount": d.amount,
        "channel": d.channel,
        "donor": d.donor_name,
        "anonymous": d.anonymous,
        "received_at": d.received_at,
        "receipt_no": d.receipt_no,
        "receipt_url": _receipt_url(request, d.receipt_key),
    }


def _lot_out(lot: Lot) -> dict:
    q = lot.item.quantum
    return {
        "id": lot.pk,
        "item": lot.item.slug,
        "warehouse": lot.warehouse_id,
        "code": lot.code,
        "expires_on": lot.expires_on,
        "quantity": qd(lot.quantity, q),
        "reserved": qd(lot.reserved, q),
    }


def _request_out(r: SupplyRequest) -> dict:
    return {
        "id": r.pk,
        "requester_kind": r.requester_kind,
        "requester_name": r.requester_name,
        "region": r.region_id,
        "priority": r.priority,
        "needed_by": r.needed_by,
        "status": r.status,
        "lines": [
            {
                "id": ln.pk,
                "item": ln.item.slug,
                "quantity": qd(ln.quantity, ln.item.quantum),
                "allocated": qd(ln.allocated, ln.item.quantum),
                "dispatched": qd(ln.dispatched, ln.item.quantum),
                "received": qd(ln.received, ln.item.quantum),
            }
            for ln in r.lines.all()
        ],
    }


def _allocation_out(a: Allocation) -> dict:
    lines = []
    for ln in a.lines.all():
        q = ln.lot.item.quantum
        lines.append(
            {
                "id": ln.pk,
                "request": ln.request_line.request_id,
                "request_line": ln.request_line_id,
                "item": ln.lot.item.slug,
                "lot": ln.lot_id,
                "quantity": qd(ln.quantity, q),
                "status": ln.status,
                "received_quantity": None
                if ln.received_quantity is None
                else qd(ln.received_quantity, q),
            }
        )
    return {
        "id": a.pk,
        "organization": a.organization.slug,
        "region": a.region_id,
        "on": a.on,
        "status": a.status,
        "lines": lines,
        "unmet": a.unmet,
    }


@router.get("/relief/items", response=list[ItemOut], auth=None)
def item_list(request: HttpRequest):
    """The item catalog: units, quanta (0.5 kg) and reference values; public."""
    return [
        {
            **{k: getattr(i, k) for k in ("slug", "name", "name_zh", "category", "unit")},
            "quantum": i.quantum,
            "unit_value": i.unit_value,
        }
        for i in selectors.item_list()
    ]


@router.get("/relief/campaigns", response=list[CampaignOut], auth=None)
def campaign_list(request: HttpRequest):
    """Campaigns with goal and money raised; public."""
    return [_campaign_out(c) for c in selectors.campaign_list()[:200]]


@router.get("/relief/campaigns/{campaign_id}/progress", response=list[ProgressOut], auth=None)
def campaign_progress(request: HttpRequest, campaign_id: Id, bucket: str = "day"):
    """Money raised per hour or day, with the running total; public."""
    campaign = selectors.campaign_get(campaign_id=campaign_id)
    return selectors.campaign_progress(campaign=campaign, bucket=bucket)


@router.post("/relief/campaigns", response={201: CampaignOut})
def campaign_create(request: HttpRequest, payload: CampaignIn):
    """Start a campaign of an organization the caller coordinates."""
    org = _org(payload.organization)
    authorize(request.user, "relief.donations", region=org.home_region, organization_id=org.pk)
    campaign = services.campaign_create(
        organization=org,
        region=org.home_region,
        actor=request.user,
        **payload.model_dump(exclude={"organization"}),
    )
    return Status(201, _campaign_out(campaign))


@router.post("/relief/donations", response={201: DonationOut})
def donation_record(request: HttpRequest, payload: DonationIn):
    """Record a money donation; the answer carries the receipt number and its link."""
    org, campaign = _fund(request, payload)
    donation = services.donation_record(
        organization=org,
        campaign=campaign,
        actor=request.user,
        **payload.model_dump(exclude={"organization", "campaign"}),
    )
    return Status(201, _donation_out(request, donation))


@router.get("/relief/donations", response=list[DonationOut])
def donation_list(
    request: HttpRequest,
    campaign: Id | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Money donations to organizations in the caller's scope (donor names included)."""
    scope = authorize(request.user, "relief.view")
    c = _campaign(campaign, scope)
    rows = selectors.donation_list(scope=scope, campaign=c)[offset : offset + limit]
    return [_donation_out(request, d) for d in rows]


@router.post("/relief/disbursements", response={201: dict})
def disbursement_record(request: HttpRequest, payload: DisbursementIn):
    """Pay money out of an organization's fund to a cause in a region."""
    org, campaign = _fund(request, payload)
    paid = services.disbursement_record(
        organization=org,
        campaign=campaign,
        region=region_get(code=payload.region),
        actor=request.user,
        **payload.model_dump(exclude={"organization", "campaign", "region"}),
    )
    return Status(201, {"id": paid.pk, "amount": str(paid.amount), "region": paid.region_id})


@router.post("/relief/warehouses", response={201: WarehouseOut})
def warehouse_create(request: HttpRequest, payload: WarehouseIn):
    """Open a warehouse of an organization in a region in the caller's scope."""
    org = _org(payload.organization)
    region = region_get(code=payload.region)
    authorize(request.user, "relief.stock", region=region, organization_id=org.pk)
    w = services.warehouse_create(
        organization=org,
        region=region,
        name=payload.name,
        address=payload.address,
        actor=request.user,
    )
    return Status(
        201, {"id": w.pk, "organization": org.slug, "region": region.code, "name": w.name}
    )


@router.get("/relief/warehouses", response=list[WarehouseOut])
def warehouse_list(request: HttpRequest):
    """Warehouses in the caller's scope."""
    scope = authorize(request.user, "relief.view")
    return [
        {"id": w.pk, "organization": w.organization.slug, "region": w.region_id, "name": w.name}
        for w in selectors.warehouse_list(scope=scope)
    ]


@router.get("/relief/stock", response=list[StockRow])
def stock_on_hand(request: HttpRequest, warehouse: Id | None = None):
    """Stock on hand and free per warehouse and item, in the items' units."""
    scope = authorize(request.user, "relief.view")
    w = selectors.warehouse_get(warehouse_id=warehouse, scope=scope) if warehouse else None
    return [
        {
            "warehouse": r["warehouse_id"],
            "warehouse_name": r["warehouse__name"],
            "item": r["item__slug"],
            "unit": r["item__unit"],
            "on_hand": r["on_hand"],
            "free": r["free"],
            "lots": r["lots"],
        }
        for r in selectors.stock_on_hand(scope=scope, warehouse=w)
    ]


@router.get("/relief/lots", response=list[LotOut])
def lot_list(request: HttpRequest, warehouse: Id | None = None, item: str | None = None):
    """Lots with stock in the caller's scope, earliest expiry first."""
    scope = authorize(request.user, "relief.view")
    w = selectors.warehouse_get(warehouse_id=warehouse, scope=scope) if warehouse else None
    i = selectors.item_get(slug=item) if item else None
    return [_lot_out(lot) for lot in selectors.lot_list(scope=scope, warehouse=w, item=i)[:1000]]


@router.post("/relief/stock/receipts", response={201: GiftOut})
def stock_receive(request: HttpRequest, payload: StockReceiptIn):
    """Receive a gift in kind into a warehouse (a lot with its expiry), with its receipt."""
    scope = authorize(request.user, "relief.stock")
    warehouse = selectors.warehouse_get(warehouse_id=payload.warehouse, scope=scope)
    campaign = _campaign(payload.campaign, scope)
    gift = services.stock_receive(
        warehouse=warehouse,
        item=selectors.item_get(slug=payload.item),
        campaign=campaign,
        actor=request.user,
        **payload.model_dump(exclude={"warehouse", "item", "campaign"}),
    )
    return Status(
        201,
        {
            "id": gift.pk,
            "item": gift.item.slug,
            "quantity": qd(gift.quantity, gift.item.quantum),
            "value": from_fen(gift.value_fen),
            "lot": gift.lot_id,
            "lot_code": gift.lot.code,
            "receipt_no": gift.receipt_no,
            "receipt_url": _receipt_url(request, gift.receipt_key),
        },
    )


@router.post("/relief/stock/transfers", response={201: LotOut})
def stock_transfer(request: HttpRequest, payload: TransferIn):
    """Move part of a lot to another warehouse in the caller's scope."""
    scope = authorize(request.user, "relief.stock")
    lot = selectors.lot_get(lot_id=payload.lot, scope=scope)
    target = services.stock_transfer(
        lot=lot,
        to_warehouse=selectors.warehouse_get(warehouse_id=payload.to_warehouse, scope=scope),
        quantity=payload.quantity,
        actor=request.user,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, _lot_out(target))


@router.post("/relief/stock/issues", response={201: dict})
def stock_issue(request: HttpRequest, payload: IssueIn):
    """Issue goods from a lot to a recipient in a region; 409 when the lot cannot cover it."""
    scope = authorize(request.user, "relief.stock")
    entry = services.stock_issue(
        lot=selectors.lot_get(lot_id=payload.lot, scope=scope),
        quantity=payload.quantity,
        region=region_get(code=payload.region),
        recipient=payload.recipient,
        purpose=payload.purpose,
        actor=request.user,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, {"ledger_seq": entry.seq, "hash": entry.hash})


@router.post("/relief/requests", response={201: RequestOut})
def supply_request_create(request: HttpRequest, payload: RequestIn):
    """File a demand request from a hospital, checkpoint, community or quarantine site."""
    region = region_get(code=payload.region)
    authorize(request.user, "relief.request", region=region)
    created = services.supply_request_create(
        region=region,
        lines=[services.LineInput(item=ln.item, quantity=ln.quantity) for ln in payload.lines],
        actor=request.user,
        **payload.model_dump(exclude={"region", "lines"}),
    )
    return Status(201, _request_out(created))


@router.get("/relief/requests", response=list[RequestOut])
def supply_request_list(
    request: HttpRequest,
    status: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Demand requests from regions in the caller's scope, most urgent first."""
    scope = scope_for(request.user, "relief.request")
    if scope.empty:
        scope = authorize(request.user, "relief.view")
    rows = selectors.supply_request_list(scope=scope, status=status)[offset : offset + limit]
    return [_request_out(r) for r in rows]


@router.post("/relief/requests/{request_id}/cancel", response=RequestOut)
def supply_request_cancel(request: HttpRequest, request_id: Id):
    """Withdraw an open request."""
    scope = authorize(request.user, "relief.request")
    found = selectors.supply_request_get(request_id=request_id, scope=scope)
    return _request_out(services.supply_request_cancel(request=found, actor=request.user))


@router.post("/relief/allocations", response={201: AllocationOut})
def stock_allocate(request: HttpRequest, payload: AllocateIn):
    """Propose allocations of an organization's free stock to open requests in a region."""
    org = _org(payload.organization)
    authorize(request.user, "relief.allocate", region=org.home_region, organization_id=org.pk)
    region = region_get(code=payload.region)
    allocation = services.stock_allocate(organization=org, region=region, actor=request.user)
    scope = authorize(request.user, "relief.allocate")
    return Status(
        201, _allocation_out(selectors.allocation_get(allocation_id=allocation.pk, scope=scope))
    )


@router.get("/relief/allocations/{allocation_id}", response=AllocationOut)
def allocation_get(request: HttpRequest, allocation_id: Id):
    """One allocation run with its lines."""
    scope = authorize(request.user, "relief.view")
    return _allocation_out(selectors.allocation_get(allocation_id=allocation_id, scope=scope))


@router.post("/relief/allocations/{allocation_id}/approve", response=AllocationOut)
def allocation_approve(request: HttpRequest, allocation_id: Id, payload: ApproveIn):
    """Approve a proposal (less struck lines): its stock is reserved; 409 if it went stale."""
    scope = authorize(request.user, "relief.allocate")
    allocation = selectors.allocation_get(allocation_id=allocation_id, scope=scope)
    services.allocation_approve(
        allocation=allocation, actor=request.user, exclude_lines=payload.exclude_lines
    )
    return _allocation_out(selectors.allocation_get(allocation_id=allocation_id, scope=scope))


@router.post("/relief/allocations/{allocation_id}/discard", response=AllocationOut)
def allocation_discard(request: HttpRequest, allocation_id: Id):
    """Set a proposal aside."""
    scope = authorize(request.user, "relief.allocate")
    allocation = selectors.allocation_get(allocation_id=allocation_id, scope=scope)
    services.allocation_discard(allocation=allocation, actor=request.user)
    return _allocation_out(selectors.allocation_get(allocation_id=allocation_id, scope=scope))


@router.post("/relief/allocations/{allocation_id}/dispatch", response=AllocationOut)
def allocation_dispatch(request: HttpRequest, allocation_id: Id):
    """Send the approved lines: stock leaves the warehouse, on the public ledger."""
    scope = authorize(request.user, "relief.allocate")
    allocation = selectors.allocation_get(allocation_id=allocation_id, scope=scope)
    services.allocation_dispatch(allocation=allocation, actor=request.user)
    return _allocation_out(selectors.allocation_get(allocation_id=allocation_id, scope=scope))


@router.post("/relief/dispatches/{line_id}/receipt", response=AllocationLineOut)
def receipt_confirm(request: HttpRequest, line_id: Id, payload: ReceiveIn):
    """The recipient confirms what arrived (less than sent is recorded as a partial receipt)."""
    scope = authorize(request.user, "relief.receive")
    line = selectors.allocation_line_for_recipient(line_id=line_id, scope=scope)
    line = services.receipt_confirm(
        line=line, quantity=payload.quantity, note=payload.note, actor=request.user
    )
    q = line.lot.item.quantum
    return {
        "id": line.pk,
        "request": line.request_line.request_id,
        "request_line": line.request_line_id,
        "item": line.lot.item.slug,
        "lot": line.lot_id,
        "quantity": qd(line.quantity, q),
        "status": line.status,
        "received_quantity": qd(line.received_quantity, q),
    }


@router.get("/relief/ledger", response=list[LedgerEntryOut], auth=None)
def ledger_page(request: HttpRequest, after: Count = 0, limit: int = Query(500, ge=1, le=2000)):
    """The public ledger after a sequence number: hashed fields and hashes, to recompute."""
    return [
        {
            "seq": e.seq,
            "book": e.book,
            "kind": e.kind,
            "at": e.at,
            "fields": {
                k: (str(v) if not isinstance(v, (int, str, type(None))) else v)
                for k, v in services.entry_fields(e).items()
            },
            "previous_hash": e.previous_hash,
            "hash": e.hash,
        }
        for e in selectors.ledger_page(after=after, limit=limit)
    ]


@router.get("/relief/ledger/verify", response=LedgerVerifyOut, auth=None)
def ledger_verify(request: HttpRequest):
    """Recompute the whole chain now and name the first broken entry; public."""
    check = services.ledger_verify()
    return {
        "ok": check.ok,
        "entries": check.count,
        "head_seq": check.head_seq,
        "head_hash": check.head_hash,
        "broken_seq": check.broken_seq,
        "missing_after": check.missing_after,
    }
