"""Quarantine sites and orders: capacity, stricter-never-milder, changes with who, when and why."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record, audit_record_many
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.people.models import Person
from coproduce.regions.models import Region
from coproduce.tracing import codes, rules
from coproduce.tracing.models import (
    Case,
    Contact,
    OrderChange,
    QuarantineOrder,
    QuarantineSite,
)
from coproduce.tracing.policy import tracing_policy
from coproduce.tracing.services.cases import _Errors


def site_create(*, name: str, region: Region, capacity: int, actor, place=None) -> QuarantineSite:
    """Register a centralized quarantine site with its number of places."""
    errors = _Errors()
    if not (name or "").strip() or len(name) > 200:
        errors.add("name", _("A name of 1 to 200 characters is required."))
    if not isinstance(capacity, int) or capacity < 1 or capacity > 100_000:
        errors.add("capacity", _("A capacity between 1 and 100000."))
    errors.raise_if_any()
    with transaction.atomic():
        site = QuarantineSite.objects.create(
            name=name.strip(), region=region, capacity=capacity, place=place
        )
        audit_record(actor=actor, action="tracing.site_create", target=site)
    return site


def _take_place(site: QuarantineSite) -> None:
    # Conditional update: holds on SQLite and PostgreSQL alike; the last bed goes to one order.
    taken = QuarantineSite.objects.filter(
        pk=site.pk, active=True, occupied__lt=F("capacity")
    ).update(occupied=F("occupied") + 1)
    if not taken:
        raise Conflict(
            _("%(site)s is full.") % {"site": site.name},
            code="site_full",
            fields={"site": [_("This quarantine site is full.")]},
        )


def _free_place(order: QuarantineOrder) -> None:
    if order.site_id:
        QuarantineSite.objects.filter(pk=order.site_id, occupied__gt=0).update(
            occupied=F("occupied") - 1
        )


def _change(order, actor, action: str, why: str, **details) -> None:
    OrderChange.objects.create(
        order=order,
        at=clock.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        why=why[:500],
        details={k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in details.items()},
    )


def order_create(
    *,
    person: Person,
    kind: str,
    start_date: date,
    actor,
    site: QuarantineSite | None = None,
    reason: str = "",
    case: Case | None = None,
    why: str = "",
) -> tuple[QuarantineOrder, bool]:
    """Order quarantine: centralized at a site with a free place, or at home; drives the code.

    Returns (order, created). A person under the same kind of order keeps it (the same order
    comes back, created=False); a home order is superseded by a centralized one; a person under
    a centralized order is never downgraded to home quarantine (409).
    """
    errors = _Errors()
    if kind not in QuarantineOrder.Kind.values:
        errors.add("kind", f"{kind!r} is not one of {', '.join(QuarantineOrder.Kind.values)}.")
    if kind == QuarantineOrder.Kind.CENTRALIZED and site is None:
        errors.add("site", _("A centralized order names a quarantine site."))
    if kind == QuarantineOrder.Kind.HOME and site is not None:
        errors.add("site", _("A home order has no site."))
    reason = reason or (
        QuarantineOrder.Reason.CLOSE_CONTACT if case else QuarantineOrder.Reason.OFFICIAL_ORDER
    )
    if reason not in QuarantineOrder.Reason.values:
        errors.add(
            "reason", f"{reason!r} is not one of {', '.join(QuarantineOrder.Reason.values)}."
        )
    today = clock.today()
    if start_date > today + timedelta(days=7) or start_date < today - timedelta(days=14):
        errors.add("start_date", _("An order starts within 14 days before and 7 days after today."))
    if len(why) > 500:
        errors.add("why", _("At most 500 characters."))
    if person.status == Person.Status.MERGED:
        errors.add("resident", _("This record was merged into another; order the surviving one."))
    errors.raise_if_any()
    existing = QuarantineOrder.objects.filter(person=person, status="active").first()
    if existing is not None and not rules.order_supersedes(existing=existing.kind, new=kind):
        if existing.kind == kind:
            return existing, False
        raise Conflict(
            _("This person is already under a stricter order; it is not replaced by a milder one."),
            code="stricter_order_in_force",
        )
    try:
        with transaction.atomic():
            if existing is not None:
                superseded = QuarantineOrder.objects.filter(pk=existing.pk, status="active").update(
                    status=QuarantineOrder.Status.SUPERSEDED,
                    closed_at=clock.now(),
                    ends_on=max(start_date, existing.start_date),
                )
                if not superseded:
                    raise Conflict(
                        _("The person's order changed just now; retry."), code="order_changed"
                    )
                _free_place(existing)
                codes.order_condition_end(
                    order=existing,
                    ends_on=max(start_date, existing.start_date),
                    actor=actor,
                    why="superseded by a stricter order",
                )
                _change(existing, actor, "superseded", "superseded by a stricter order")
            if site is not None:
                _take_place(site)
            order = QuarantineOrder.objects.create(
                person=person,
                region_id=person.home_region_id,
                kind=kind,
                reason=reason,
                site=site,
                case=case,
                start_date=start_date,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_at=clock.now(),
            )
            codes.order_condition_impose(order=order, actor=actor)
            _change(
                order,
                actor,
                "created",
                why or reason,
                kind=kind,
                site=site.name if site else None,
                start_date=start_date,
            )
            audit_record(
                actor=actor,
                action="tracing.order_create",
                target=order,
                details={"kind": kind, "reason": reason, "person": person.public_id},
            )
    except IntegrityError:
        # Two orders for one person at once: the partial unique constraint kept one.
        raise Conflict(
            _("The person's order changed just now; retry."), code="order_changed"
        ) from None
    return order, True


def order_adjust(
    *,
    order: QuarantineOrder,
    actor,
    why: str,
    not_before: date | None = None,
    ends_on: date | None = None,
) -> QuarantineOrder:
    """Lengthen (not before a date) or shorten (ends on a date) an order; who, when, why kept."""
    errors = _Errors()
    if not (why or "").strip():
        errors.add("why", _("Say why the order changes."))
    elif len(why) > 500:
        errors.add("why", _("At most 500 characters."))
    if not_before is None and ends_on is None:
        errors.add("not_before", _("Give a new earliest end (lengthen) or an end date (shorten)."))
    if not_before is not None and not_before <= order.start_date:
        errors.add("not_before", _("The earliest end falls after the order's start."))
    if ends_on is not None and ends_on <= order.start_date:
        errors.add("ends_on", _("The end falls after the order's start."))
    if order.status != QuarantineOrder.Status.ACTIVE:
        errors.add("order", _("Only an active order can change."))
    errors.raise_if_any()
    before = {"not_before": order.not_before, "ends_on": order.ends_on}
    with transaction.atomic():
        fields = {}
        if not_before is not None:
            fields["not_before"] = not_before
        if ends_on is not None:
            fields["ends_on"] = ends_on
        updated = QuarantineOrder.objects.filter(pk=order.pk, status="active").update(**fields)
        if not updated:
            raise Conflict(_("This order changed just now; reload it."), code="order_changed")
        order.refresh_from_db()
        codes.order_condition_adjust(order=order, actor=actor, why=why, **fields)
        action = "lengthened" if not_before is not None else "shortened"
        _change(
            order,
            actor,
            action,
            why,
            before={k: str(v) for k, v in before.items()},
            after={k: str(v) for k, v in fields.items()},
        )
        audit_record(
            actor=actor,
            action="tracing.order_adjust",
            target=order,
            details={k: str(v) for k, v in fields.items()},
        )
    return order


def order_end(
    *, order: QuarantineOrder, actor, why: str, released: bool = False
) -> QuarantineOrder:
    """End an order now (lifted by an official, or released after its report streak)."""
    if not (why or "").strip():
        raise ValidationFailed.field("why", _("Say why the order ends."))
    today = clock.today()
    status = QuarantineOrder.Status.RELEASED if released else QuarantineOrder.Status.ENDED
    with transaction.atomic():
        updated = QuarantineOrder.objects.filter(pk=order.pk, status="active").update(
            status=status, closed_at=clock.now(), ends_on=F("ends_on")
        )
        if not updated:
            raise Conflict(_("This order is not active."), code="order_not_active")
        order.refresh_from_db()
        _free_place(order)
        if not released:
            QuarantineOrder.objects.filter(pk=order.pk).update(ends_on=max(today, order.start_date))
            order.refresh_from_db()
            codes.order_condition_end(order=order, ends_on=order.ends_on, actor=actor, why=why)
        _change(order, actor, status, why)
        audit_record(actor=actor, action=f"tracing.order_{status}", target=order)
    return order


def orders_release_completed(*, actor, region=None) -> int:
    """Release active orders whose condition no longer holds the code (the report streak ended).

    The health code decides (14 or 7 normal daily reports, PRODUCT.md 3.2); this sweep frees
    the site's place and closes the order. Run daily by the `tracing_sweep` command.
    """
    released = 0
    orders = QuarantineOrder.objects.filter(status="active").select_related("person")
    if region is not None:
        orders = orders.filter(region__path__startswith=region.path)
    for order in orders:
        if codes.order_completed(order=order):
            order_end(
                order=order, actor=actor, why="released after the report streak", released=True
            )
            released += 1
    return released


def orders_for_contacts(*, case: Case, actor) -> int:
    """Order the case's contacts into quarantine by degree (1 centralized, 2 home: the rule).

    Degree-1 contacts go to the site covering their area with the most free places; people
    already under an order of that kind or stricter keep theirs. Returns how many were ordered.
    """
    policy = tracing_policy()
    today = clock.today()
    ordered = 0
    sites = list(QuarantineSite.objects.filter(active=True).select_related("region"))
    for contact in Contact.objects.filter(case=case).select_related("person__home_region"):
        kind = rules.quarantine_order_for(degree=contact.degree, policy=policy)
        site = None
        if kind == rules.QuarantineKind.CENTRALIZED:
            path = contact.person.home_region.path
            fitting = [s for s in sites if path.startswith(s.region.path)]
            for s in fitting:
                s.refresh_from_db(fields=["occupied"])
            fitting = [s for s in fitting if s.free > 0]
            if not fitting:
                continue  # no free place: the page lists the contact as not yet ordered
            site = max(fitting, key=lambda s: (s.free, -s.pk))
        reason = (
            QuarantineOrder.Reason.CLOSE_CONTACT
            if contact.degree == 1
            else QuarantineOrder.Reason.SECONDARY_CONTACT
        )
        try:
            _, created = order_create(
                person=contact.person,
                kind=kind.value,
                site=site,
                start_date=today,
                reason=reason,
                case=case,
                actor=actor,
                why=f"degree-{contact.degree} contact",
            )
        except Conflict:
            continue  # a stricter order is in force, or the site filled up meanwhile
        ordered += created
    return ordered


def orders_viewed(*, orders, actor) -> None:
    """Record that a member of staff saw these orders (each names a person)."""
    audit_record_many(actor=actor, action="tracing.order_view", targets=list(orders))
