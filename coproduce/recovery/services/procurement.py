"""Collective procurement: open a purchase, gather needs and quotes, award, order, deliver,
confirm receipt (rules/procurement.py splits the cost)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import scope_for
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from coproduce.orgs.models import Organization
from coproduce.recovery import rules
from coproduce.recovery.models import (
    ASSOCIATION_CATEGORIES,
    Enterprise,
    EnterpriseMembership,
    Procurement,
    ProcurementLine,
    ProcurementNeed,
    SupplierQuote,
)
from coproduce.recovery.scope import enterprise_scope


def _staff_of(actor, association_id: int) -> bool:
    """Whether the caller runs purchases for this association (its staff, or an admin)."""
    scope = scope_for(actor, "recovery.procure")
    return scope.everywhere or any(g.organization_id == association_id for g in scope.grants)


def _procurement(actor, procurement_id: int, *, lock: bool = False) -> Procurement:
    """A purchase the caller runs, or NotFound."""
    qs = Procurement.objects.select_related("association")
    if lock:
        qs = qs.select_for_update()
    p = qs.filter(pk=procurement_id).first()
    if p is None or not _staff_of(actor, p.association_id):
        raise NotFound(_("No such purchase in your scope."))
    return p


def procurement_create(
    *, actor, association: Organization, item: str, unit: str, needed_by: date
) -> Procurement:
    """Open a collective purchase of an item for the association's members."""
    if association.category not in ASSOCIATION_CATEGORIES:
        raise ValidationFailed.field("association", _("Not an industrial or business association."))
    if not _staff_of(actor, association.pk):
        raise PermissionDenied(_("Only the association's staff open its purchases."))
    errors = {}
    if not item.strip():
        errors["item"] = [_("Name the item.")]
    if not unit.strip():
        errors["unit"] = [_("Name the unit.")]
    if needed_by < clock.today():
        errors["needed_by"] = [_("The date has passed.")]
    if errors:
        raise ValidationFailed(_("The purchase has problems."), fields=errors)
    with transaction.atomic():
        p = Procurement.objects.create(
            association=association,
            item=item.strip()[:200],
            unit=unit.strip()[:30],
            needed_by=needed_by,
            created_by=actor,
        )
        audit_record(actor=actor, action="recovery.procurement.create", target=p)
    return p


def procurement_need_add(
    *, actor, procurement_id: int, enterprise_id: int, quantity: int
) -> ProcurementNeed:
    """Record a member's need: by the association's staff, or a representative of the member."""
    with transaction.atomic():
        p = Procurement.objects.select_for_update().filter(pk=procurement_id).first()
        own = Enterprise.objects.filter(
            enterprise_scope(actor, "recovery.services").q(), pk=enterprise_id
        ).exists()
        if p is None or not (_staff_of(actor, p.association_id) or own):
            raise NotFound(_("No such purchase in your scope."))
        if p.status != Procurement.Status.OPEN:
            raise Conflict(_("The purchase no longer gathers needs."), code="not_open")
        errors = {}
        if not isinstance(quantity, int) or quantity <= 0:
            errors["quantity"] = [_("A quantity is a whole number above zero.")]
        member = EnterpriseMembership.objects.filter(
            association_id=p.association_id, enterprise_id=enterprise_id
        ).exists()
        if not member:
            errors["enterprise"] = [_("Not a member of the association.")]
        if errors:
            raise ValidationFailed(_("The need has problems."), fields=errors)
        try:
            with transaction.atomic():
                need = ProcurementNeed.objects.create(
                    procurement=p, enterprise_id=enterprise_id, quantity=quantity
                )
        except IntegrityError:
            raise Conflict(
                _("This member's need is already recorded."), code="need_recorded"
            ) from None
        audit_record(
            actor=actor,
            action="recovery.procurement.need",
            target=p,
            details={"enterprise": enterprise_id, "quantity": quantity},
        )
    return need


def procurement_quote_add(
    *, actor, procurement_id: int, supplier: str, tiers: list[tuple[int, object]]
) -> SupplierQuote:
    """Record a supplier's quote with its quantity price tiers [(min_quantity, unit_price)]."""
    errors: dict[str, list[str]] = {}
    if not supplier.strip():
        errors["supplier"] = [_("Name the supplier.")]
    parsed = []
    for i, (minimum, price) in enumerate(tiers):
        if not isinstance(minimum, int) or minimum < 1:
            errors.setdefault(f"tiers.{i}.min_quantity", []).append(
                _("A minimum is a whole number, 1 or more.")
            )
            continue
        try:
            parsed.append(rules.Tier(minimum, rules.price_to_hao(price)))
        except ValueError:
            errors.setdefault(f"tiers.{i}.unit_price", []).append(
                _("A unit price is above zero with at most four decimals.")
            )
    if not errors:
        for problem in rules.tier_problems(parsed):
            errors.setdefault("tiers", []).append(_tier_text(problem))
    with transaction.atomic():
        p = _procurement(actor, procurement_id, lock=True)
        if p.status != Procurement.Status.OPEN:
            raise Conflict(_("The purchase is already awarded."), code="not_open")
        if errors:
            raise ValidationFailed(_("The quote has problems."), fields=errors)
        quote = SupplierQuote.objects.create(
            procurement=p,
            supplier=supplier.strip()[:200],
            tiers=[
                [t.min_quantity, t.unit_price_hao]
                for t in sorted(parsed, key=lambda t: t.min_quantity)
            ],
        )
        audit_record(actor=actor, action="recovery.procurement.quote", target=quote)
    return quote


def _tier_text(problem: str) -> str:
    texts = {
        "A quote has at least one price tier.": _("A quote has at least one price tier."),
        "The first tier starts at 1 unit.": _("The first tier starts at 1 unit."),
        "Two tiers start at the same quantity.": _("Two tiers start at the same quantity."),
        "A unit price is above zero.": _("A unit price is above zero."),
        "A larger tier may not cost more per unit.": _("A larger tier may not cost more per unit."),
    }
    return texts.get(problem, problem)


def quote_tiers(quote: SupplierQuote) -> list[rules.Tier]:
    """A stored quote's tiers as the rules take them."""
    return [rules.Tier(int(m), int(p)) for m, p in quote.tiers]


def procurement_award(*, actor, procurement_id: int, quote_id: int) -> rules.Award:
    """Award a quote: price the lot, split quantity and cost among the members exactly.

    The purchase row is locked and must still be open: of two awards at once, one wins and the
    other answers 409.
    """
    with transaction.atomic():
        p = _procurement(actor, procurement_id, lock=True)
        if p.status != Procurement.Status.OPEN:
            raise Conflict(_("The purchase is already awarded."), code="already_awarded")
        quote = SupplierQuote.objects.filter(procurement=p, pk=quote_id).first()
        if quote is None:
            raise ValidationFailed.field("quote", _("Not a quote of this purchase."))
        needs = list(p.needs.order_by("id"))
        if not needs:
            raise ValidationFailed.field("quote", _("No member has stated a need yet."))
        award = rules.cost_split(
            tiers=quote_tiers(quote), needs=[(n.enterprise_id, n.quantity) for n in needs]
        )
        ProcurementLine.objects.bulk_create(
            [
                ProcurementLine(
                    procurement=p,
                    enterprise_id=line.key,
                    quantity=line.quantity,
                    cost_fen=line.cost_fen,
                    alone_cost_fen=line.alone_cost_fen,
                )
                for line in award.lines
            ]
        )
        p.status = Procurement.Status.AWARDED
        p.awarded_quote = quote
        p.unit_price_hao = award.unit_price_hao
        p.total_quantity = award.total_quantity
        p.total_cost_fen = award.total_cost_fen
        p.alone_cost_fen = award.alone_cost_fen
        p.awarded_at = clock.now()
        p.save()
        audit_record(
            actor=actor,
            action="recovery.procurement.award",
            target=p,
            details={"quote": quote.pk, "total_cost_fen": award.total_cost_fen},
        )
    return award


def procurement_order(*, actor, procurement_id: int, reference: str = "") -> Procurement:
    """Record that the awarded lot was ordered from the supplier."""
    return _move(
        actor, procurement_id, Procurement.Status.AWARDED, Procurement.Status.ORDERED, reference
    )


def procurement_deliver(*, actor, procurement_id: int) -> Procurement:
    """Record that the supplier delivered the lot to the association."""
    return _move(
        actor, procurement_id, Procurement.Status.ORDERED, Procurement.Status.DELIVERED, ""
    )


def _move(actor, procurement_id, current, new, reference) -> Procurement:
    with transaction.atomic():
        p = _procurement(actor, procurement_id, lock=True)
        if p.status != current:
            raise Conflict(
                _("The purchase is %(status)s.") % {"status": p.get_status_display()},
                code="wrong_status",
            )
        p.status = new
        if new == Procurement.Status.ORDERED:
            p.ordered_at = clock.now()
            p.order_reference = reference.strip()[:100]
        else:
            p.delivered_at = clock.now()
        p.save()
        audit_record(actor=actor, action=f"recovery.procurement.{new}", target=p)
    return p


def procurement_receipt_confirm(
    *, actor, procurement_id: int, enterprise_id: int
) -> ProcurementLine:
    """A member (its representative, or the association's staff) confirms receipt of its line;
    the purchase is received when every line is."""
    with transaction.atomic():
        p = Procurement.objects.select_for_update().filter(pk=procurement_id).first()
        own = Enterprise.objects.filter(
            enterprise_scope(actor, "recovery.services").q(), pk=enterprise_id
        ).exists()
        if p is None or not (_staff_of(actor, p.association_id) or own):
            raise NotFound(_("No such purchase in your scope."))
        line = ProcurementLine.objects.filter(procurement=p, enterprise_id=enterprise_id).first()
        if line is None:
            raise NotFound(_("This member has no line in the purchase."))
        if p.status not in (Procurement.Status.DELIVERED, Procurement.Status.RECEIVED):
            raise Conflict(_("The lot has not been delivered yet."), code="not_delivered")
        if line.received_at is not None:
            raise Conflict(_("Receipt is already confirmed."), code="already_received")
        line.received_at = clock.now()
        line.received_by = actor
        line.save(update_fields=["received_at", "received_by"])
        if not p.lines.filter(received_at__isnull=True).exists():
            p.status = Procurement.Status.RECEIVED
            p.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="recovery.procurement.receipt",
            target=p,
            details={"enterprise": enterprise_id},
        )
    return line
