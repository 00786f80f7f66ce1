"""Warehouses and the stock ledger: receipts (gifts in kind), transfers and issues.

Stock changes only by conditional UPDATEs with F() whose row count is checked (STYLE.md): an
issue lowers a lot only ``WHERE quantity - reserved >= q``, so two issues of the last units at
once cannot both succeed, on SQLite or PostgreSQL, and the CHECK constraint backs it up.
"""

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.relief import rules
from coproduce.relief.models import InKindDonation, LedgerEntry, Lot, StockRequestKey, Warehouse
from coproduce.relief.services._common import fen_of, moment_of, quanta_of, receipted
from coproduce.relief.services.ledger import ledger_append
from coproduce.relief.services.money import _check_donor


def warehouse_create(*, organization, region, name: str, actor, address: str = "") -> Warehouse:
    """Open a warehouse of an organization in a region."""
    if not name.strip():
        raise ValidationFailed.field("name", _("Give the warehouse a name."))
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
            _("This organization has a warehouse of that name."), code="warehouse_exists"
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
            "expires_on",
            _("Lot %(lot)s in this warehouse expires on %(date)s.")
            % {"lot": code, "date": lot.expires_on},
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
            raise ValidationFailed.field("value", _("Give the value of this gift.")) from None
    else:
        value_fen = fen_of(value, field="value", allow_zero=True)
    if campaign is not None and campaign.organization_id != warehouse.organization_id:
        raise ValidationFailed.field(
            "campaign", _("This campaign belongs to another organization.")
        )
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
            _("Lot %(lot)s does not hold %(n)s free units of %(item)s now.")
            % {"lot": lot.code, "n": count, "item": lot.item.name},
            code="insufficient_stock",
        )


def _request_fingerprint(*parts) -> str:
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _key_claim(*, lot: Lot, key: str | None, kind: str, fingerprint: str):
    """Claim a client's key first in the transaction (a concurrent retry waits on it here)."""
    if not key:
        return None
    return StockRequestKey.objects.create(
        organization_id=lot.warehouse.organization_id, key=key, kind=kind, fingerprint=fingerprint
    )


def _keyed_answer(*, lot: Lot, key: str | None, kind: str, fingerprint: str):
    """The stored key of an earlier request with this key, or None; another request is a 409."""
    if not key:
        return None
    found = StockRequestKey.objects.filter(
        organization_id=lot.warehouse.organization_id, key=key, entry__isnull=False
    ).first()
    if found is not None and (found.kind != kind or found.fingerprint != fingerprint):
        raise Conflict(
            _("This idempotency key was used for another request: use a new key."),
            code="idempotency_key_reused",
            fields={"idempotency_key": [_("Used already for a different request.")]},
        )
    return found


def stock_transfer(
    *,
    lot: Lot,
    to_warehouse: Warehouse,
    quantity,
    actor,
    at=None,
    idempotency_key: str | None = None,
) -> Lot:
    """Move part of a lot to another warehouse, keeping its code and expiry there.

    The same idempotency key again (in the lot's organization) answers with the first transfer's
    lot and moves nothing more.
    """
    count = quanta_of(quantity, item=lot.item)
    kind = StockRequestKey.Kind.TRANSFER
    fingerprint = _request_fingerprint(kind, lot.pk, to_warehouse.pk, count)
    if found := _keyed_answer(lot=lot, key=idempotency_key, kind=kind, fingerprint=fingerprint):
        return Lot.objects.get(pk=found.target_lot_id)
    if to_warehouse.pk == lot.warehouse_id:
        raise ValidationFailed.field("to_warehouse", _("Choose another warehouse."))
    at = moment_of(at, field="at")
    try:
        with transaction.atomic():
            claim = _key_claim(lot=lot, key=idempotency_key, kind=kind, fingerprint=fingerprint)
            _take(lot, count)
            target = _lot_for(
                warehouse=to_warehouse,
                item=lot.item,
                code=lot.code,
                expires_on=lot.expires_on,
                received_at=at,
            )
            Lot.objects.filter(pk=target.pk).update(quantity=F("quantity") + count)
            entry = ledger_append(
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
            if claim is not None:
                StockRequestKey.objects.filter(pk=claim.pk).update(entry=entry, target_lot=target)
            audit_record(
                actor=actor,
                action="relief.stock_transfer",
                target=lot,
                details={"to_warehouse": to_warehouse.pk, "quantity": count},
            )
    except IntegrityError:
        # A concurrent retry under the same key committed first: its answer stands.
        if found := _keyed_answer(lot=lot, key=idempotency_key, kind=kind, fingerprint=fingerprint):
            return Lot.objects.get(pk=found.target_lot_id)
        raise
    target.refresh_from_db()
    return target


def stock_issue(
    *,
    lot: Lot,
    quantity,
    region,
    recipient: str,
    actor,
    purpose: str = "",
    at=None,
    idempotency_key: str | None = None,
) -> LedgerEntry:
    """Issue goods from a lot to a recipient in a region (outside an allocation).

    The same idempotency key again (in the lot's organization) answers with the first issue's
    ledger entry and takes nothing more.
    """
    count = quanta_of(quantity, item=lot.item)
    kind = StockRequestKey.Kind.ISSUE
    fingerprint = _request_fingerprint(kind, lot.pk, count, region.code, recipient, purpose)
    if found := _keyed_answer(lot=lot, key=idempotency_key, kind=kind, fingerprint=fingerprint):
        return found.entry
    if not recipient.strip():
        raise ValidationFailed.field("recipient", _("Name who receives the goods."))
    at = moment_of(at, field="at")
    try:
        with transaction.atomic():
            claim = _key_claim(lot=lot, key=idempotency_key, kind=kind, fingerprint=fingerprint)
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
            if claim is not None:
                StockRequestKey.objects.filter(pk=claim.pk).update(entry=entry)
            audit_record(
                actor=actor,
                action="relief.stock_issue",
                target=lot,
                details={"quantity": count, "region": region.code, "recipient": recipient[:100]},
            )
    except IntegrityError:
        # A concurrent retry under the same key committed first: its answer stands.
        if found := _keyed_answer(lot=lot, key=idempotency_key, kind=kind, fingerprint=fingerprint):
            return found.entry
        raise
    return entry
