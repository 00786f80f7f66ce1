"""/deliveries: household orders (by the resident or a proxy), runs, proof, feedback, report."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.api import Id, InputSchema, Limit, Offset, SafeDate
from coproduce.core.errors import NotFound, PermissionDenied, ValidationFailed
from coproduce.deliveries import selectors, services
from coproduce.deliveries.models import DeliveryOrder, DeliveryRun
from coproduce.orgs.models import Organization
from coproduce.people.selectors import household_get, person_of_user
from coproduce.regions.selectors import region_get
from coproduce.relief.rules import quantity_to_decimal

router = Router(tags=["deliveries"])


class DeliveryLineIn(InputSchema):
    item: str = Field(default="", max_length=60)
    description: str = Field(default="", max_length=200)
    unit: str = Field(default="piece", max_length=10)
    quantity: Decimal = Field(max_digits=14, decimal_places=3)
    unit_price: Decimal = Field(max_digits=14, decimal_places=2)


class DeliveryOrderIn(InputSchema):
    household: Id | None = None  # a proxy names the household; a resident orders for their own
    kind: str = Field(max_length=10)
    lines: list[DeliveryLineIn] = Field(max_length=50)
    needed_on: SafeDate | None = None
    note: str = Field(default="", max_length=500)
    idempotency_key: str | None = Field(default=None, max_length=80)


class DeliveryLineOut(Schema):
    item: str
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class DeliveryOrderOut(Schema):
    id: int
    household: int
    region: str
    kind: str
    status: str
    needed_on: date
    by_proxy: bool
    total: Decimal
    run: int | None
    delivered_at: datetime | None
    proof: str
    lines: list[DeliveryLineOut]
    handover_code: str | None  # only to the household and whoever placed the order


class DeliveryRunIn(InputSchema):
    region: str = Field(max_length=20)
    date: SafeDate
    organization: str = Field(max_length=80)
    assignee: str | None = Field(default=None, max_length=150)
    orders: list[Id] | None = Field(default=None, max_length=2000)


class DeliveryRunOut(Schema):
    id: int
    region: str
    date: date
    organization: str
    assignee: str | None
    status: str
    task: int | None
    orders: int


class DeliveryAssignIn(InputSchema):
    assignee: str = Field(max_length=150)


class DeliverIn(InputSchema):
    handover_code: str = Field(default="", max_length=12)
    left_at_door: bool = False
    proof_note: str = Field(default="", max_length=300)


class FailIn(InputSchema):
    reason: str = Field(max_length=300)


class FeedbackIn(InputSchema):
    rating: int
    comment: str = Field(default="", max_length=500)


class DeliveryReportRowOut(Schema):
    item: str
    name: str
    unit: str
    quantity: Decimal
    value: Decimal
    orders: int


class DeliveryReportOut(Schema):
    region: str
    start: date
    end: date
    orders: int
    households: int
    runs: int
    total: Decimal
    rows: list[DeliveryReportRowOut]


def _order_out(order: DeliveryOrder, user) -> dict:
    own = person_of_user(user=user)
    sees_code = order.requested_by_id == user.pk or (
        own is not None and own.household_id == order.household_id
    )
    return {
        "id": order.pk,
        "household": order.household_id,
        "region": order.region_id,
        "kind": order.kind,
        "status": order.status,
        "needed_on": order.needed_on,
        "by_proxy": order.by_proxy,
        "total": order.total,
        "run": order.run_id,
        "delivered_at": order.delivered_at,
        "proof": order.proof,
        "lines": [
            {
                "item": ln.item.slug if ln.item_id else "",
                "description": ln.description,
                "unit": ln.unit,
                "quantity": quantity_to_decimal(
                    ln.quantity, quantum=ln.item.quantum if ln.item_id else Decimal(1)
                ),
                "unit_price": ln.unit_price,
                "amount": ln.amount,
            }
            for ln in order.lines.all()
        ],
        "handover_code": order.handover_code if sees_code else None,
    }


def _run_out(run: DeliveryRun) -> dict:
    return {
        "id": run.pk,
        "region": run.region_id,
        "date": run.date,
        "organization": run.organization.slug,
        "assignee": run.assignee.get_username() if run.assignee_id else None,
        "status": run.status,
        "task": run.task_id,
        "orders": getattr(run, "order_count", None) or run.orders.count(),
    }


def _household_order(request: HttpRequest, order_id: int) -> DeliveryOrder:
    """An order the caller may act on as its household: the resident's own, or a proxy's."""
    own = person_of_user(user=request.user)
    if own is not None and own.household_id:
        found = selectors.orders_of_household(household=own.household).filter(pk=order_id).first()
        if found is not None:
            return found
    scope = scope_for(request.user, "deliveries.proxy")
    if scope.empty:
        raise NotFound("No such order.", code="order_not_found")
    return selectors.order_get(order_id=order_id, scope=scope)


def _user(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed.field("assignee", f"No active account {username!r}.")
    return user


@router.post("/deliveries/orders", response={201: DeliveryOrderOut})
def order_place(request: HttpRequest, payload: DeliveryOrderIn):
    """A household asks for groceries, medicine or other help (itself, or through a proxy)."""
    own = person_of_user(user=request.user)
    if payload.household is None:
        if own is None or own.household_id is None:
            raise ValidationFailed.field("household", "Name the household you order for.")
        household, by_proxy, for_person = own.household, False, own
    elif own is not None and own.household_id == payload.household:
        household, by_proxy, for_person = own.household, False, own
    else:
        scope = authorize(request.user, "deliveries.proxy")
        household = household_get(household_id=payload.household, scope=scope)
        by_proxy, for_person = True, None
    order = services.order_place(
        household=household,
        for_person=for_person,
        by_proxy=by_proxy,
        lines=[services.LineInput(**ln.model_dump()) for ln in payload.lines],
        actor=request.user,
        **payload.model_dump(exclude={"household", "lines"}),
    )
    order = selectors.orders_of_household(household=household).get(pk=order.pk)
    return Status(201, _order_out(order, request.user))


@router.get("/deliveries/orders", response=list[DeliveryOrderOut])
def order_list(
    request: HttpRequest,
    status: str | None = None,
    run: Id | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Staff: orders in scope. A resident: their household's orders."""
    scope = scope_for(request.user, "deliveries.view")
    if scope.empty:
        own = person_of_user(user=request.user)
        if own is None or own.household_id is None:
            raise PermissionDenied("Your roles do not allow deliveries.view.")
        orders = selectors.orders_of_household(household=own.household)
    else:
        r = selectors.run_get(run_id=run, scope=scope) if run else None
        orders = selectors.order_list(scope=scope, status=status, run=r)
    return [_order_out(o, request.user) for o in orders[offset : offset + limit]]


@router.get("/deliveries/orders/{order_id}", response=DeliveryOrderOut)
def order_get(request: HttpRequest, order_id: Id):
    """One order: its household, a proxy, or staff in scope."""
    try:
        return _order_out(_household_order(request, order_id), request.user)
    except NotFound:
        scope = authorize(request.user, "deliveries.view")
        return _order_out(selectors.order_get(order_id=order_id, scope=scope), request.user)


@router.post("/deliveries/orders/{order_id}/cancel", response=DeliveryOrderOut)
def order_cancel(request: HttpRequest, order_id: Id):
    """The household (or its proxy) withdraws an order not yet on a run."""
    order = services.order_cancel(order=_household_order(request, order_id), actor=request.user)
    return _order_out(order, request.user)


@router.post("/deliveries/orders/{order_id}/feedback", response={201: dict})
def feedback_give(request: HttpRequest, order_id: Id, payload: FeedbackIn):
    """The household rates a delivered order once."""
    feedback = services.feedback_give(
        order=_household_order(request, order_id),
        rating=payload.rating,
        comment=payload.comment,
        actor=request.user,
    )
    return Status(201, {"order": order_id, "rating": feedback.rating})


def _deliverable(request: HttpRequest, order_id: int) -> DeliveryOrder:
    scope = authorize(request.user, "deliveries.deliver")
    return selectors.order_get(order_id=order_id, scope=scope)


@router.post("/deliveries/orders/{order_id}/deliver", response=DeliveryOrderOut)
def order_deliver(request: HttpRequest, order_id: Id, payload: DeliverIn):
    """Proof of delivery: the household's handover code, or left at the door with a note."""
    order = services.order_deliver(
        order=_deliverable(request, order_id), actor=request.user, **payload.model_dump()
    )
    return _order_out(order, request.user)


@router.post("/deliveries/orders/{order_id}/fail", response=DeliveryOrderOut)
def order_fail(request: HttpRequest, order_id: Id, payload: FailIn):
    """Not delivered, with the reason."""
    order = services.order_fail(
        order=_deliverable(request, order_id), actor=request.user, reason=payload.reason
    )
    return _order_out(order, request.user)


@router.post("/deliveries/runs", response={201: DeliveryRunOut})
def run_create(request: HttpRequest, payload: DeliveryRunIn):
    """Plan a run through an area for a day; it opens a delivery task for the volunteer."""
    region = region_get(code=payload.region)
    org = Organization.objects.filter(slug=payload.organization).first()
    if org is None:
        raise ValidationFailed.field("organization", f"No organization {payload.organization!r}.")
    authorize(request.user, "deliveries.manage", region=region, organization_id=org.pk)
    run = services.run_create(
        region=region,
        on=payload.date,
        organization=org,
        assignee=_user(payload.assignee) if payload.assignee else None,
        order_ids=payload.orders,
        actor=request.user,
    )
    return Status(201, _run_out(run))


@router.get("/deliveries/runs", response=list[DeliveryRunOut])
def run_list(request: HttpRequest, on: SafeDate | None = None, mine: bool = False):
    """Runs in scope; `mine=true` for the caller's own."""
    scope = authorize(request.user, "deliveries.view")
    runs = selectors.run_list(scope=scope, on=on, mine=request.user if mine else None)
    return [_run_out(r) for r in runs[:500]]


@router.post("/deliveries/runs/{run_id}/assign", response=DeliveryRunOut)
def run_assign(request: HttpRequest, run_id: Id, payload: DeliveryAssignIn):
    """Give a run to a volunteer."""
    scope = authorize(request.user, "deliveries.manage")
    run = selectors.run_get(run_id=run_id, scope=scope)
    return _run_out(
        services.run_assign(run=run, assignee=_user(payload.assignee), actor=request.user)
    )


@router.get("/deliveries/report", response=DeliveryReportOut)
def delivery_report(
    request: HttpRequest, region: str, start: SafeDate, end: SafeDate | None = None
):
    """What was delivered in an area and period, per item, with its value."""
    scope = authorize(request.user, "deliveries.report")
    end = end or clock.today()
    if end < start:
        raise ValidationFailed.field("end", "The period ends after it starts.")
    report = selectors.delivery_report(
        scope=scope, region=region_get(code=region), start=start, end=end
    )
    return {**report, "region": report["region"].code, "rows": [r.__dict__ for r in report["rows"]]}
