"""Warehouses and the stock ledger: receipts (gifts in kind), transfers and issues.

Stock changes only by conditional UPDATEs with F() whose row count is checked (STYLE.md): an
issue lowers a lot only ``WHERE quantity - reserved >= q``, so two issues of the last units at
once cannot both succeed, on SQLite or PostgreSQL, and the CHECK constraint backs it up.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.relief import rules
from coproduce.relief.models import InKindDonation, LedgerEntry, Lot, Warehouse
from coproduce.relief.services._common import fen_of, moment_of, quanta_of, receipted
from coproduce.relief.services.ledger import ledger_append
from coproduce.relief.services.money import _check_donor


def warehouse_create(*, organization, region, name: str, actor, address: str = "") -> Warehouse:
    """Open a warehouse of an organization in a region."""
    if not name.strip():
        raise ValidationFailed.field("name", "Give the warehouse a name.")
    try:
        with transaction.atomic():
            warehouse = Warehouse.objects.create(
                organization=organization,
                region=region,
                name=name.strip(),
                address=address,
                created_at=clock.now(),
            )
            audit_record(actor=actor, action="relief.warehouse_create", target=warehouse)
    except IntegrityError:
        raise Conflict(
            "This organization has a warehouse of that name.", code="warehouse_exists"
        ) from None
    return warehouse


def _lot_for(*, warehouse, item, code: str, expires_on, received_at) -> Lot:
    lot, created = Lot.objects.get_or_create(
        warehouse=warehouse,
        item=item,
        code=code,
        defaults={"expires_on": expires_on, "received_at": received_at},
    )
    if not created and lot.expires_on != expires_on:
        raise ValidationFailed.field(
            "expires_on", f"Lot {code} in this warehouse expires on {lot.expires_on}."
        )
    return lot


def stock_receive(
    *,
    warehouse: Warehouse,
    item,
    quantity,
    donor_kind: str,
    actor,
    donor_name: str = "",
    anonymous: bool = False,
    lot_code: str = "",
    expires_on=None,
    value=None,
    campaign=None,
    received_at=None,
    idempotency_key: str | None = None,
    note: str = "",
) -> InKindDonation:
    """Receive a gift in kind into a lot of a warehouse, valued, receipted and on the ledger."""
    if idempotency_key and (
        found := InKindDonation.objects.filter(idempotency_key=idempotency_key)
    ):
        return found.get()
    count = quanta_of(quantity, item=item)
    _check_donor(donor_kind=donor_kind, donor_name=donor_name, anonymous=anonymous)
    received_at = moment_of(received_at, field="received_at")
    if value is None:
        try:  # the catalog's reference value, when it comes to whole fen
            value_fen = rules.line_amount_fen(
                quantity=count, quantum=item.quantum, unit_price=item.unit_value
            )
        except ValueError:
            raise ValidationFailed.field("value", "Give the value of this gift.") from None
    else:
        value_fen = fen_of(value, field="value", allow_zero=True)
    if campaign is not None and campaign.organization_id != warehouse.organization_id:
        raise ValidationFailed.field("campaign", "This campaign belongs to another organization.")
    lot_code = lot_code.strip() or f"{clock.local_date(received_at):%Y%m%d}-{secrets.token_hex(3)}"
    receipt = receipted(
        prefix="G",
        received_at=received_at,
        donor_kind=donor_kind,
        donor_name=donor_name,
        anonymous=anonymous,
        idempotency_key=idempotency_key,
        note=note,
        actor=actor,
    )
    try:
        with transaction.atomic():
            lot = _lot_for(
                warehouse=warehouse,
                item=item,
                code=lot_code[:60],
                expires_on=expires_on,
                received_at=received_at,
            )
            Lot.objects.filter(pk=lot.pk).update(quantity=F("quantity") + count)
            gift = InKindDonation.objects.create(
                organization=warehouse.organization,
                campaign=campaign,
                lot=lot,
                item=item,
                quantity=count,
                value_fen=value_fen,
                **receipt,
            )
            ledger_append(
                book=LedgerEntry.Book.STOCK,
                kind=LedgerEntry.Kind.RECEIPT,
                at=received_at,
                organization=warehouse.organization,
                campaign=campaign,
                item=item,
                lot=lot,
                warehouse=warehouse,
                quantity=count,
                amount_fen=value_fen,
                party="" if anonymous else donor_name.strip(),
                ref=f"gift:{gift.pk}",
            )
            audit_record(
                actor=actor,
                action="relief.stock_receive",
                target=gift,
                details={"item": item.slug, "quantity": count, "lot": lot.code},
            )
    except IntegrityError:
        if idempotency_key and (
            found := InKindDonation.objects.filter(idempotency_key=idempotency_key)
        ):
            return found.get()
        raise
    return gift


def _take(lot: Lot, count: int) -> None:
    # The lot falls only if what is not reserved covers the count (row count 1), never below zero.
    taken = Lot.objects.filter(pk=lot.pk, quantity__gte=F("reserved") + count).update(
        quantity=F("quantity") - count
    )
    if taken != 1:
        raise Conflict(
            f"Lot {lot.code} does not hold {count} free units of {lot.item.slug} now.",
            code="insufficient_stock",
        )


def stock_transfer(*, lot: Lot, to_warehouse: Warehouse, quantity, actor, at=None) -> Lot:
    """Move part of a lot to another warehouse, keeping its code and expiry there."""
    count = quanta_of(quantity, item=lot.item)
    if to_warehouse.pk == lot.warehouse_id:
        raise ValidationFailed.field("to_warehouse", "Choose another warehouse.")
    at = moment_of(at, field="at")
    with transaction.atomic():
        _take(lot, count)
        target = _lot_for(
            warehouse=to_warehouse,
            item=lot.item,
            code=lot.code,
            expires_on=lot.expires_on,
            received_at=at,
        )
        Lot.objects.filter(pk=target.pk).update(quantity=F("quantity") + count)
        ledger_append(
            book=LedgerEntry.Book.STOCK,
            kind=LedgerEntry.Kind.TRANSFER,
            at=at,
            organization=lot.warehouse.organization,
            item=lot.item,
            lot=lot,
            warehouse=lot.warehouse,
            to_warehouse=to_warehouse,
            region=to_warehouse.region,
            quantity=count,
            party=to_warehouse.name,
            ref=f"lot:{lot.pk}>lot:{target.pk}",
        )
        audit_record(
            actor=actor,
            action="relief.stock_transfer",
            target=lot,
            details={"to_warehouse": to_warehouse.pk, "quantity": count},
        )
    target.refresh_from_db()
    return target


def stock_issue(
    *, lot: Lot, quantity, region, recipient: str, actor, purpose: str = "", at=None
) -> LedgerEntry:
    """Issue goods from a lot to a recipient in a region (outside an allocation)."""
    count = quanta_of(quantity, item=lot.item)
    if not recipient.strip():
        raise ValidationFailed.field("recipient", "Name who receives the goods.")
    at = moment_of(at, field="at")
    with transaction.atomic():
        _take(lot, count)
        entry = ledger_append(
            book=LedgerEntry.Book.STOCK,
            kind=LedgerEntry.Kind.ISSUE,
            at=at,
            organization=lot.warehouse.organization,
            item=lot.item,
            lot=lot,
            warehouse=lot.warehouse,
            region=region,
            quantity=count,
            party=recipient.strip()[:200],
            ref=f"issue:{purpose[:60]}" if purpose else f"issue:lot:{lot.pk}",
        )
        audit_record(
            actor=actor,
            action="relief.stock_issue",
            target=lot,
            details={"quantity": count, "region": region.code, "recipient": recipient[:100]},
        )
    return entry
