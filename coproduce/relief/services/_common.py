"""Checks shared by the relief services: money and quantities in, field errors out."""

import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.errors import ValidationFailed
from coproduce.relief import rules


def fen_of(value, *, field: str = "amount", allow_zero: bool = False) -> int:
    """Money from input as fen, or a field error (a float, a third decimal, zero or less)."""
    try:
        if isinstance(value, str):
            value = Decimal(value)
        return rules.to_fen(value, allow_zero=allow_zero)
    except (TypeError, ValueError, InvalidOperation):
        # The rule's own words are English; the reader gets theirs.
        message = (
            _("Give an amount in RMB of zero or more, with at most two decimals.")
            if allow_zero
            else _("Give an amount in RMB above zero, with at most two decimals.")
        )
        raise ValidationFailed.field(field, message) from None


def quanta_of(value, *, item, field: str = "quantity") -> int:
    """A quantity in the item's unit as whole quanta (positive), or a field error."""
    try:
        if isinstance(value, str):
            value = Decimal(value)
        count = rules.quantity_from_decimal(value, quantum=item.quantum)
    except (TypeError, ValueError, InvalidOperation):
        raise ValidationFailed.field(
            field,
            _("Give a positive multiple of %(quantum)s %(unit)s.")
            % {"quantum": item.quantum.normalize(), "unit": item.get_unit_display()},
        ) from None
    if count <= 0:
        raise ValidationFailed.field(field, _("A quantity is positive."))
    return count


def moment_of(value: datetime | None, *, field: str) -> datetime:
    """A time that is not in the future (the platform clock), defaulting to now."""
    now = clock.now()
    if value is None:
        return now
    if value.tzinfo is None:
        raise ValidationFailed.field(field, _("A time carries its UTC offset."))
    if value > now:
        raise ValidationFailed.field(field, _("This time is in the future."))
    return value


def receipt_numbers(prefix: str, when: datetime) -> tuple[str, str]:
    """A receipt number for people to quote and an unguessable key for its public page."""
    local = clock.local_date(when)
    return (
        f"{prefix}{local:%Y%m%d}-{secrets.token_hex(4).upper()}",
        secrets.token_urlsafe(16)[:22],
    )


def receipted(
    *,
    prefix: str,
    received_at: datetime,
    donor_kind: str,
    donor_name: str,
    anonymous: bool,
    idempotency_key: str | None,
    note: str,
    actor,
) -> dict:
    """The columns every gift carries (models.Receipted), with new receipt numbers."""
    receipt_no, receipt_key = receipt_numbers(prefix, received_at)
    return {
        "donor_kind": donor_kind,
        "donor_name": donor_name.strip(),
        "anonymous": anonymous,
        "received_at": received_at,
        "receipt_no": receipt_no,
        "receipt_key": receipt_key,
        "idempotency_key": idempotency_key or None,
        "note": note,
        "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
        "recorded_at": clock.now(),
    }
