"""Writes of deliveries: order, schedule runs by area, deliver with proof, feedback.

Each order's lines are priced exactly (relief.rules.line_amount_fen: a line that does not come to
a whole fen is refused, never rounded). A run opens one fieldwork task of kind "delivery" for its
volunteer; when all its orders are settled the task is done and ``delivery_run_completed`` is
sent for the volunteer's service record.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.deliveries.models import DeliveryOrder, DeliveryRun, Feedback, OrderLine
from coproduce.deliveries.signals import delivery_run_completed
from coproduce.fieldwork.rules import TaskOutcome, TaskStatus
from coproduce.fieldwork.services import task_open, task_update
from coproduce.relief import rules as relief_rules
from coproduce.relief.models import Item

TASK_KIND = "delivery"
MAX_LINES = 50


@dataclass(frozen=True)
class LineInput:
    """One line as ordered: a catalog item's slug, or a description (medicine by name)."""

    quantity: object  # Decimal in the item's unit (kg, bottle), or whole units
    unit_price: object  # Decimal RMB per unit
    item: str = ""
    description: str = ""
    unit: str = "piece"


def _errors(fields: dict[str, list[str]]) -> None:
    if fields:
        name, messages = next(iter(fields.items()))
        raise ValidationFailed(f"{name}: {messages[0]}", fields=fields)


def _lines(lines: list[LineInput]) -> list[OrderLine]:
    fields: dict[str, list[str]] = {}
    if not lines:
        fields["lines"] = [_("Order at least one thing.")]
    if len(lines) > MAX_LINES:
        fields["lines"] = [_("At most %(n)s lines.") % {"n": MAX_LINES}]
    items = {i.slug: i for i in Item.objects.filter(slug__in=[ln.item for ln in lines if ln.item])}
    built: list[OrderLine] = []
    for n, line in enumerate(lines):
        item = items.get(line.item) if line.item else None
        if line.item and item is None:
            fields[f"lines.{n}.item"] = [
                _("No item %(item)r in the catalog.") % {"item": line.item}
            ]
            continue
        if not item and not line.description.strip():
            fields[f"lines.{n}.description"] = [_("Say what is needed, or choose an item.")]
            continue
        quantum = item.quantum if item else Decimal(1)
        try:
            price = (
                Decimal(str(line.unit_price))
                if isinstance(line.unit_price, str)
                else (line.unit_price)
            )
            relief_rules.money_check(price, allow_zero=True)
        except (TypeError, ValueError, InvalidOperation) as exc:
            fields[f"lines.{n}.unit_price"] = [str(exc) or "Give a price in RMB."]
            continue
        try:
            qty = Decimal(line.quantity) if isinstance(line.quantity, str) else line.quantity
            count = relief_rules.quantity_from_decimal(qty, quantum=quantum)
            if count <= 0:
                raise ValueError
        except (TypeError, ValueError, InvalidOperation):
            fields[f"lines.{n}.quantity"] = [
                _("Give a positive multiple of %(quantum)s.") % {"quantum": quantum.normalize()}
            ]
            continue
        try:
            amount = relief_rules.line_amount_fen(quantity=count, quantum=quantum, unit_price=price)
        except ValueError as exc:
            fields[f"lines.{n}.unit_price"] = [str(exc)]
            continue
        built.append(
            OrderLine(
                item=item,
                description=line.description.strip()[:200],
                unit=item.unit if item else (line.unit or "piece")[:10],
                quantity=count,
                unit_price_fen=relief_rules.to_fen(price, allow_zero=True),
                amount_fen=amount,
            )
        )
    _errors(fields)
    return built


def order_place(
    *,
    household,
    kind: str,
    lines: list[LineInput],
    actor,
    by_proxy: bool,
    for_person=None,
    needed_on: date | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> DeliveryOrder:
    """A household (or a proxy for it) asks for groceries, medicine or other help."""
    if idempotency_key and (found := DeliveryOrder.objects.filter(idempotency_key=idempotency_key)):
        return found.get()
    fields: dict[str, list[str]] = {}
    if kind not in DeliveryOrder.Kind.values:
        fields["kind"] = [f"One of {', '.join(DeliveryOrder.Kind.values)}."]
    needed_on = needed_on or clock.today()
    if needed_on < clock.today():
        fields["needed_on"] = [_("This date has passed.")]
    if for_person is not None and for_person.household_id != household.pk:
        fields["for_person"] = [_("This person does not live in the household.")]
    _errors(fields)
    built = _lines(lines)
    try:
        with transaction.atomic():
            order = DeliveryOrder.objects.create(
                household=household,
                region_id=household.region_id,
                for_person=for_person,
                kind=kind,
                needed_on=needed_on,
                note=note[:500],
                requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                by_proxy=by_proxy,
                handover_code=f"{secrets.randbelow(10**6):06d}",
                total_fen=sum(line.amount_fen for line in built),
                idempotency_key=idempotency_key or None,
                created_at=clock.now(),
            )
            for line in built:
                line.order = order
            OrderLine.objects.bulk_create(built)
            audit_record(
                actor=actor,
                action="deliveries.order_place",
                target=order,
                details={"household": household.pk, "by_proxy": by_proxy, "lines": len(built)},
            )
    except IntegrityError:
        if idempotency_key and (
            found := DeliveryOrder.objects.filter(idempotency_key=idempotency_key)
        ):
            return found.get()
        raise
    return order


def order_cancel(*, order: DeliveryOrder, actor) -> DeliveryOrder:
    """Withdraw an order that is not on its way yet."""
    with transaction.atomic():
        if (
            DeliveryOrder.objects.filter(pk=order.pk, status=DeliveryOrder.Status.REQUESTED).update(
                status=DeliveryOrder.Status.CANCELLED
            )
            != 1
        ):
            raise Conflict(_("Only an order not yet on a run can be cancelled."), code="order_busy")
        audit_record(actor=actor, action="deliveries.order_cancel", target=order)
    order.refresh_from_db()
    return order


def run_create(
    *, region, on: date, organization, actor, assignee=None, order_ids: list[int] | None = None
) -> DeliveryRun:
    """Plan a run through an area: it takes the area's waiting orders due by that day."""
    now = clock.now()
    with transaction.atomic():
        run = DeliveryRun.objects.create(
            region=region,
            date=on,
            organization=organization,
            assignee=assignee,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
        )
        waiting = DeliveryOrder.objects.filter(
            region__path__startswith=region.path,
            status=DeliveryOrder.Status.REQUESTED,
            run__isnull=True,
            needed_on__lte=on,
        )
        if order_ids is not None:
            waiting = waiting.filter(pk__in=order_ids)
        # Conditional: an order another run took a moment ago is not taken twice.
        taken = waiting.update(run=run, status=DeliveryOrder.Status.SCHEDULED)
        if taken == 0:
            raise ValidationFailed.field(
                "orders", _("No waiting orders in this area for that day.")
            )
        end_of_day = datetime.combine(on + timedelta(days=1), time.min, tzinfo=clock.local_zone())
        run.task = task_open(
            kind=TASK_KIND,
            title=f"Deliver {taken} orders in {region.name} on {on:%Y-%m-%d}",
            region=region,
            organization=organization,
            assignee=assignee,
            deadline=end_of_day,
            source=f"deliveries.run:{run.pk}",
            details={"run": run.pk, "orders": taken},
            actor=actor,
        )
        run.save(update_fields=["task"])
        audit_record(
            actor=actor, action="deliveries.run_create", target=run, details={"orders": taken}
        )
    return run


def run_assign(*, run: DeliveryRun, assignee, actor) -> DeliveryRun:
    """Give a run (and its task) to a volunteer."""
    if run.status == DeliveryRun.Status.DONE:
        raise Conflict(_("This run is finished."), code="run_done")
    with transaction.atomic():
        DeliveryRun.objects.filter(pk=run.pk).update(assignee=assignee)
        if run.task_id:
            task_update(task=run.task, actor=actor, assignee=assignee)
        audit_record(
            actor=actor, action="deliveries.run_assign", target=run, details={"to": assignee.pk}
        )
    run.refresh_from_db()
    return run


def _settle_run(run_id: int, actor, now: datetime) -> None:
    if DeliveryOrder.objects.filter(run_id=run_id, status=DeliveryOrder.Status.SCHEDULED).exists():
        return
    if (
        DeliveryRun.objects.filter(pk=run_id)
        .exclude(status=DeliveryRun.Status.DONE)
        .update(status=DeliveryRun.Status.DONE, finished_at=now)
        != 1
    ):
        return
    run = DeliveryRun.objects.select_related("task", "organization", "region", "assignee").get(
        pk=run_id
    )
    if run.task and run.task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        task_update(
            task=run.task, actor=actor, status=TaskStatus.DONE, outcome=TaskOutcome.DELIVERED
        )
    transaction.on_commit(
        lambda: delivery_run_completed.send(
            sender=DeliveryRun,
            run=run,
            volunteer=run.assignee,
            organization=run.organization,
            region=run.region,
            started_at=run.started_at or run.created_at,
            finished_at=now,
        )
    )


def order_deliver(
    *,
    order: DeliveryOrder,
    actor,
    handover_code: str = "",
    left_at_door: bool = False,
    proof_note: str = "",
) -> DeliveryOrder:
    """Proof of delivery: the household's handover code, or left at the door with a note."""
    if left_at_door:
        if not proof_note.strip():
            raise ValidationFailed.field(
                "proof_note", _("Say how the household was told (call, message, knock).")
            )
        proof = DeliveryOrder.Proof.DOOR
    else:
        # Compared as bytes: compare_digest refuses str holding anything but ASCII.
        given = handover_code.strip().encode()
        if not secrets.compare_digest(given, order.handover_code.encode()):
            raise ValidationFailed.field("handover_code", _("This is not the household's code."))
        proof = DeliveryOrder.Proof.CODE
    now = clock.now()
    with transaction.atomic():
        done = DeliveryOrder.objects.filter(
            pk=order.pk, status=DeliveryOrder.Status.SCHEDULED
        ).update(
            status=DeliveryOrder.Status.DELIVERED,
            delivered_at=now,
            delivered_on=clock.local_date(now),
            delivered_by=actor,
            proof=proof,
            proof_note=proof_note[:300],
        )
        if done != 1:
            raise Conflict(_("This order is not out for delivery."), code="order_not_scheduled")
        DeliveryRun.objects.filter(pk=order.run_id, status=DeliveryRun.Status.PLANNED).update(
            status=DeliveryRun.Status.OUT, started_at=now
        )
        audit_record(
            actor=actor, action="deliveries.order_deliver", target=order, details={"proof": proof}
        )
        _settle_run(order.run_id, actor, now)
    order.refresh_from_db()
    return order


def order_fail(*, order: DeliveryOrder, actor, reason: str) -> DeliveryOrder:
    """The volunteer could not deliver (nobody home, refused); the reason is kept."""
    if not reason.strip():
        raise ValidationFailed.field("reason", _("Say why it could not be delivered."))
    now = clock.now()
    with transaction.atomic():
        if (
            DeliveryOrder.objects.filter(pk=order.pk, status=DeliveryOrder.Status.SCHEDULED).update(
                status=DeliveryOrder.Status.FAILED, proof_note=reason[:300]
            )
            != 1
        ):
            raise Conflict(_("This order is not out for delivery."), code="order_not_scheduled")
        audit_record(actor=actor, action="deliveries.order_fail", target=order)
        _settle_run(order.run_id, actor, now)
    order.refresh_from_db()
    return order


def feedback_give(*, order: DeliveryOrder, rating: int, actor, comment: str = "") -> Feedback:
    """The household rates a delivered order once (1 to 5) and may comment."""
    if order.status != DeliveryOrder.Status.DELIVERED:
        raise Conflict(_("Feedback comes after delivery."), code="order_not_delivered")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed.field("rating", _("A rating is 1 to 5."))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                order=order,
                rating=rating,
                comment=comment[:500],
                given_by=actor if getattr(actor, "is_authenticated", False) else None,
                given_at=clock.now(),
            )
            audit_record(actor=actor, action="deliveries.feedback_give", target=feedback)
    except IntegrityError:
        raise Conflict(_("This order has feedback already."), code="feedback_exists") from None
    return feedback


def orders_waiting_q() -> Q:
    """Orders still to deliver (requested or on a run)."""
    return Q(status__in=[DeliveryOrder.Status.REQUESTED, DeliveryOrder.Status.SCHEDULED])
