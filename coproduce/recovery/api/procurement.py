"""Collective procurement: needs, quotes, award, order, receipts."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from coproduce.core.api import Id, InputSchema, Offset, SafeDate
from coproduce.recovery import rules, services
from coproduce.recovery.api.base import _association, money, router
from coproduce.recovery.models import Procurement
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.selectors import member as member_reads

# --- collective procurement -----------------------------------------------------------------------


class ProcurementIn(InputSchema):
    association: str = Field(max_length=80)
    item: str = Field(min_length=1, max_length=200)
    unit: str = Field(min_length=1, max_length=30)
    needed_by: SafeDate


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


class PurchaseReceiptIn(InputSchema):
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
    offset: Offset = 0,
):
    """Purchases of the associations in the caller's reach."""
    qs = member_reads.procurement_list(scope=enterprise_scope(request.user, "recovery.view"))
    if status:
        qs = qs.filter(status=status)
    qs = qs.prefetch_related("needs", "quotes")
    return [procurement_out(p) for p in qs[offset : offset + limit]]


@router.get("/procurements/{procurement_id}", response=ProcurementOut)
def procurement_detail(request: HttpRequest, procurement_id: Id):
    """One purchase in reach."""
    scope = enterprise_scope(request.user, "recovery.view")
    return procurement_out(member_reads.procurement_get(procurement_id=procurement_id, scope=scope))


@router.post("/procurements/{procurement_id}/needs", response={201: NeedOut})
def procurement_need(request: HttpRequest, procurement_id: Id, payload: NeedIn):
    """A member's need (a member of the association only, else 422)."""
    need = services.procurement_need_add(
        actor=request.user,
        procurement_id=procurement_id,
        enterprise_id=payload.enterprise,
        quantity=payload.quantity,
    )
    return Status(201, {"enterprise": need.enterprise_id, "quantity": need.quantity})


@router.post("/procurements/{procurement_id}/quotes", response={201: QuoteOut})
def procurement_quote(request: HttpRequest, procurement_id: Id, payload: QuoteIn):
    """A supplier's quote with quantity price tiers."""
    quote = services.procurement_quote_add(
        actor=request.user,
        procurement_id=procurement_id,
        supplier=payload.supplier,
        tiers=[(t.min_quantity, t.unit_price) for t in payload.tiers],
    )
    return Status(201, quote_out(quote))


@router.post("/procurements/{procurement_id}/award", response=AwardOut)
def procurement_award(request: HttpRequest, procurement_id: Id, payload: AwardIn):
    """Award a quote: the lot's price, and each member's exact share and saving."""
    services.procurement_award(
        actor=request.user, procurement_id=procurement_id, quote_id=payload.quote
    )
    scope = enterprise_scope(request.user, "recovery.view")
    return award_out(member_reads.procurement_get(procurement_id=procurement_id, scope=scope))


@router.post("/procurements/{procurement_id}/order", response=ProcurementOut)
def procurement_order(request: HttpRequest, procurement_id: Id, payload: OrderIn):
    """The awarded lot is ordered from the supplier."""
    p = services.procurement_order(
        actor=request.user, procurement_id=procurement_id, reference=payload.reference
    )
    return procurement_out(p)


@router.post("/procurements/{procurement_id}/delivery", response=ProcurementOut)
def procurement_delivery(request: HttpRequest, procurement_id: Id):
    """The supplier delivered the lot."""
    return procurement_out(
        services.procurement_deliver(actor=request.user, procurement_id=procurement_id)
    )


@router.post("/procurements/{procurement_id}/receipts", response=LineOut)
def procurement_receipt(request: HttpRequest, procurement_id: Id, payload: PurchaseReceiptIn):
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
