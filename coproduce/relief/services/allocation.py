"""Demand requests and the quick-response mechanism: propose (rules), approve, dispatch, receive.

Approval reserves stock and books the request line with two conditional UPDATEs (the lot's free
quantity and the line's outstanding quantity must both cover the line), so a proposal that went
stale while it waited is refused whole (409) rather than over-allocating anything.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.relief import rules
from coproduce.relief.models import (
    Allocation,
    AllocationLine,
    Item,
    LedgerEntry,
    Lot,
    SupplyRequest,
    SupplyRequestLine,
)
from coproduce.relief.services._common import quanta_of
from coproduce.relief.services.ledger import ledger_append


@dataclass(frozen=True)
class LineInput:
    """One item of a new request, in the item's unit (Decimal)."""

    item: str  # the item's slug
    quantity: object


def supply_request_create(
    *,
    requester_kind: str,
    requester_name: str,
    region,
    needed_by: date,
    lines: list[LineInput],
    actor,
    priority: int | None = None,
    note: str = "",
) -> SupplyRequest:
    """File a demand request; its priority defaults by requester kind (rules.DEFAULT_PRIORITY)."""
    fields: dict[str, list[str]] = {}
    try:
        kind = rules.RequesterKind(requester_kind)
    except ValueError:
        kind = None
        fields["requester_kind"] = [f"One of {', '.join(rules.RequesterKind)}."]
    try:
        level = rules.Priority(priority) if priority is not None else None
    except ValueError:
        level = None
        fields["priority"] = [_("A priority is 1 (critical) to 4 (low).")]
    if not requester_name.strip():
        fields["requester_name"] = [_("Name the hospital, checkpoint, community or site.")]
    if needed_by < clock.today():
        fields["needed_by"] = [_("This date has passed.")]
    if not lines:
        fields["lines"] = [_("Ask for at least one item.")]
    items = {i.slug: i for i in Item.objects.filter(slug__in=[ln.item for ln in lines])}
    counts: list[tuple[Item, int]] = []
    for n, line in enumerate(lines):
        item = items.get(line.item)
        if item is None:
            fields[f"lines.{n}.item"] = [
                _("No item %(item)r in the catalog.") % {"item": line.item}
            ]
            continue
        if any(i.pk == item.pk for i, _ in counts):
            fields[f"lines.{n}.item"] = [_("Each item once per request.")]
            continue
        try:
            counts.append((item, quanta_of(line.quantity, item=item)))
        except ValidationFailed as exc:
            fields[f"lines.{n}.quantity"] = exc.fields["quantity"]
    if fields:
        name, messages = next(iter(fields.items()))
        raise ValidationFailed(f"{name}: {messages[0]}", fields=fields)
    with transaction.atomic():
        request = SupplyRequest.objects.create(
            requester_kind=kind.value,
            requester_name=requester_name.strip(),
            region=region,
            priority=(level or rules.DEFAULT_PRIORITY[kind]).value,
            needed_by=needed_by,
            note=note,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=clock.now(),
        )
        SupplyRequestLine.objects.bulk_create(
            SupplyRequestLine(request=request, item=item, quantity=count) for item, count in counts
        )
        audit_record(actor=actor, action="relief.request_create", target=request)
    return request


def supply_request_cancel(*, request: SupplyRequest, actor) -> SupplyRequest:
    """Withdraw an open request; what was approved for it stays approved."""
    with transaction.atomic():
        if (
            SupplyRequest.objects.filter(pk=request.pk, status=SupplyRequest.Status.OPEN).update(
                status=SupplyRequest.Status.CANCELLED
            )
            != 1
        ):
            raise Conflict(_("Only an open request can be cancelled."), code="request_not_open")
        audit_record(actor=actor, action="relief.request_cancel", target=request)
    request.refresh_from_db()
    return request


def stock_allocate(*, organization, region, actor, on: date | None = None) -> Allocation:
    """Propose allocations of the organization's free stock to open requests in the region."""
    on = on or clock.today()
    lots = [
        rules.StockLot(
            lot_id=str(lot.pk),
            warehouse=str(lot.warehouse_id),
            item=str(lot.item_id),
            quantity=lot.quantity - lot.reserved,
            expires_on=lot.expires_on,
        )
        for lot in Lot.objects.filter(
            warehouse__organization=organization, quantity__gt=F("reserved")
        ).only("pk", "warehouse_id", "item_id", "quantity", "reserved", "expires_on")
    ]
    open_lines = SupplyRequestLine.objects.filter(
        request__status=SupplyRequest.Status.OPEN,
        request__region__path__startswith=region.path,
        quantity__gt=F("allocated"),
    ).select_related("request")
    demands = [
        rules.DemandRequest(
            request_id=str(line.pk),
            item=str(line.item_id),
            quantity=line.quantity - line.allocated,
            priority=rules.Priority(line.request.priority),
            needed_by=line.request.needed_by,
            requester_kind=rules.RequesterKind(line.request.requester_kind),
        )
        for line in open_lines
    ]
    proposal = rules.allocation_propose(lots=lots, requests=demands, on=on)
    with transaction.atomic():
        allocation = Allocation.objects.create(
            organization=organization,
            region=region,
            on=on,
            unmet={k: v for k, v in proposal.unmet.items() if v},
            proposed_by=actor if getattr(actor, "is_authenticated", False) else None,
            proposed_at=clock.now(),
        )
        AllocationLine.objects.bulk_create(
            AllocationLine(
                allocation=allocation,
                request_line_id=int(line.request_id),
                lot_id=int(line.lot_id),
                quantity=line.quantity,
            )
            for line in proposal.lines
        )
        audit_record(
            actor=actor,
            action="relief.stock_allocate",
            target=allocation,
            details={"lines": len(proposal.lines), "requests": len(demands)},
        )
    return allocation


def _decide(allocation: Allocation, status: str, actor) -> None:
    if (
        Allocation.objects.filter(pk=allocation.pk, status=Allocation.Status.PROPOSED).update(
            status=status, decided_by=actor, decided_at=clock.now()
        )
        != 1
    ):
        raise Conflict(_("This allocation was decided already."), code="allocation_decided")


def allocation_approve(
    *, allocation: Allocation, actor, exclude_lines: list[int] | None = None
) -> Allocation:
    """Approve a proposal (less the lines the coordinator struck): reserve its stock."""
    exclude = set(exclude_lines or ())
    with transaction.atomic():
        _decide(allocation, Allocation.Status.APPROVED, actor)
        for line in allocation.lines.select_related("lot").order_by("id"):
            if line.pk in exclude:
                AllocationLine.objects.filter(pk=line.pk).update(
                    status=AllocationLine.Status.DISCARDED
                )
                continue
            reserved = Lot.objects.filter(
                pk=line.lot_id, quantity__gte=F("reserved") + line.quantity
            ).update(reserved=F("reserved") + line.quantity)
            booked = SupplyRequestLine.objects.filter(
                pk=line.request_line_id,
                request__status=SupplyRequest.Status.OPEN,
                quantity__gte=F("allocated") + line.quantity,
            ).update(allocated=F("allocated") + line.quantity)
            if reserved != 1 or booked != 1:
                raise Conflict(
                    _("Stock or requests changed since this proposal: propose again."),
                    code="allocation_stale",
                )
            AllocationLine.objects.filter(pk=line.pk).update(status=AllocationLine.Status.APPROVED)
        audit_record(actor=actor, action="relief.allocation_approve", target=allocation)
    allocation.refresh_from_db()
    return allocation


def allocation_discard(*, allocation: Allocation, actor) -> Allocation:
    """Set a proposal aside; nothing was reserved for it."""
    with transaction.atomic():
        _decide(allocation, Allocation.Status.DISCARDED, actor)
        allocation.lines.update(status=AllocationLine.Status.DISCARDED)
        audit_record(actor=actor, action="relief.allocation_discard", target=allocation)
    allocation.refresh_from_db()
    return allocation


def allocation_dispatch(*, allocation: Allocation, actor, at=None) -> int:
    """Send every approved line: the reserved stock leaves its lot, on the ledger as an issue."""
    at = at or clock.now()
    sent = 0
    with transaction.atomic():
        lines = allocation.lines.filter(status=AllocationLine.Status.APPROVED).select_related(
            "lot__warehouse", "request_line__request"
        )
        for line in lines:
            if (
                AllocationLine.objects.filter(
                    pk=line.pk, status=AllocationLine.Status.APPROVED
                ).update(status=AllocationLine.Status.DISPATCHED, dispatched_at=at)
                != 1
            ):
                continue  # another dispatcher sent it just now
            taken = Lot.objects.filter(
                pk=line.lot_id, reserved__gte=line.quantity, quantity__gte=line.quantity
            ).update(quantity=F("quantity") - line.quantity, reserved=F("reserved") - line.quantity)
            if taken != 1:
                raise Conflict(_("The reserved stock is gone."), code="insufficient_stock")
            SupplyRequestLine.objects.filter(pk=line.request_line_id).update(
                dispatched=F("dispatched") + line.quantity
            )
            request = line.request_line.request
            ledger_append(
                book=LedgerEntry.Book.STOCK,
                kind=LedgerEntry.Kind.ISSUE,
                at=at,
                organization=allocation.organization,
                item_id=line.lot.item_id,
                lot=line.lot,
                warehouse=line.lot.warehouse,
                region_id=request.region_id,
                quantity=line.quantity,
                party=request.requester_name,
                ref=f"allocation_line:{line.pk}",
            )
            sent += 1
        audit_record(
            actor=actor,
            action="relief.allocation_dispatch",
            target=allocation,
            details={"sent": sent},
        )
    return sent


def receipt_confirm(*, line: AllocationLine, quantity, actor, note: str = "") -> AllocationLine:
    """The recipient confirms what arrived; less than was sent is a partial receipt, recorded."""
    item = line.lot.item
    if not isinstance(quantity, float) and quantity == 0:  # nothing arrived
        count = 0
    else:
        count = quanta_of(quantity, item=item)
    if count > line.quantity:
        raise ValidationFailed.field("quantity", _("More than was sent."))
    status = (
        AllocationLine.Status.RECEIVED if count == line.quantity else AllocationLine.Status.PARTIAL
    )
    with transaction.atomic():
        done = AllocationLine.objects.filter(
            pk=line.pk, status=AllocationLine.Status.DISPATCHED
        ).update(
            status=status,
            received_quantity=count,
            received_at=clock.now(),
            received_by=actor,
            receipt_note=note[:300],
        )
        if done != 1:
            raise Conflict(
                _("Only a dispatched, unconfirmed line can be confirmed."), code="not_sent"
            )
        SupplyRequestLine.objects.filter(pk=line.request_line_id).update(
            received=F("received") + count
        )
        request = line.request_line.request
        # Closed once every line is fully approved and nothing is on its way any more.
        waiting = SupplyRequestLine.objects.filter(request=request).filter(
            Q(quantity__gt=F("allocated"))
            | Q(
                allocation_lines__status__in=[
                    AllocationLine.Status.APPROVED,
                    AllocationLine.Status.DISPATCHED,
                ]
            )
        )
        if not waiting.exists():
            SupplyRequest.objects.filter(pk=request.pk, status=SupplyRequest.Status.OPEN).update(
                status=SupplyRequest.Status.CLOSED
            )
        audit_record(
            actor=actor,
            action="relief.receipt_confirm",
            target=line,
            details={"received": count, "sent": line.quantity},
        )
    line.refresh_from_db()
    return line
