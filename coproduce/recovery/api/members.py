"""The supply-chain board, member services and rent relief."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.api import Id, InputSchema, Offset, SafeDate
from coproduce.core.errors import NotFound, ValidationFailed
from coproduce.recovery import rules, selectors, services
from coproduce.recovery.api.base import _association, money, router, to_fen
from coproduce.recovery.models import ServiceRequest
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.selectors import member as member_reads

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
    offset: Offset = 0,
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


class RecoveryAcceptIn(InputSchema):
    enterprise: int
    accept: bool = True


@router.post("/recovery/board/matches/{match_id}/accept", response=MatchOut)
def board_accept(request: HttpRequest, match_id: Id, payload: RecoveryAcceptIn):
    """Your side accepts (or declines) a match; agreed when both sides accept."""
    m = services.board_match_accept(
        actor=request.user,
        match_id=match_id,
        enterprise_id=payload.enterprise,
        accept=payload.accept,
    )
    return match_out(m)


@router.post("/recovery/board/posts/{post_id}/close", response=PostOut)
def board_close(request: HttpRequest, post_id: Id):
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
    offset: Offset = 0,
):
    """Requests at your desk, or of your enterprises."""
    qs = member_reads.service_requests(scope=enterprise_scope(request.user, "recovery.services"))
    if status:
        qs = qs.filter(status=status)
    return [service_out(r) for r in qs[offset : offset + limit]]


@router.patch("/recovery/service-requests/{request_id}", response=ServiceOut)
def service_update(request: HttpRequest, request_id: Id, payload: ServicePatch):
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
    start_month: SafeDate
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
def relief_beneficiary(request: HttpRequest, program_id: Id, payload: BeneficiaryIn):
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
