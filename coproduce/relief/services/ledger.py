"""The public ledger of money and stock: appending under the chain head's lock, verifying.

Serialization: every append reads the single ``LedgerHead`` row with ``select_for_update`` (a row
lock on PostgreSQL; SQLite ignores it, but this project opens SQLite transactions IMMEDIATE, so
one writer at a time holds the database), chains the entry to that head, then moves the head
with a conditional UPDATE (``WHERE seq = old AND hash = old``) whose row count must be 1. The
unique ``previous_hash`` column is the last guard: two entries can never share a predecessor.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.utils.translation import gettext as _

from coproduce.core.errors import Conflict
from coproduce.relief.models import LedgerEntry, LedgerHead
from coproduce.relief.rules import (
    GENESIS_HASH,
    ChainEntry,
    chain_verify,
    from_fen,
    ledger_entry_hash,
)


def entry_fields(entry: LedgerEntry) -> dict[str, object]:
    """The hashed fields of an entry: ids and exact values only, so anyone can recompute them."""
    return {
        "seq": entry.seq,
        "book": entry.book,
        "kind": entry.kind,
        "at": entry.at.astimezone(UTC),
        "organization": entry.organization_id,
        "region": entry.region_id,
        "campaign": entry.campaign_id,
        "item": entry.item_id,
        "lot": entry.lot_id,
        "warehouse": entry.warehouse_id,
        "to_warehouse": entry.to_warehouse_id,
        "quantity": entry.quantity,
        "amount": from_fen(entry.amount_fen),
        "party": entry.party,
        "ref": entry.ref,
    }


def ledger_append(*, book: str, kind: str, at, organization, ref: str, **fields) -> LedgerEntry:
    """Append one entry chained to the head; call it inside the writing service's transaction."""
    LedgerHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    head = LedgerHead.objects.select_for_update().get(id=1)
    entry = LedgerEntry(
        seq=head.seq + 1,
        book=book,
        kind=kind,
        at=at.astimezone(UTC),
        organization=organization,
        ref=ref,
        previous_hash=head.hash,
        **fields,
    )
    entry.hash = ledger_entry_hash(previous_hash=head.hash, fields=entry_fields(entry))
    entry.save(force_insert=True)
    moved = LedgerHead.objects.filter(id=1, seq=head.seq, hash=head.hash).update(
        seq=entry.seq, hash=entry.hash
    )
    if moved != 1:  # another writer moved the head between our read and write: never chain twice
        raise Conflict(_("The ledger moved on; try again."), code="ledger_busy")
    return entry


@dataclass(frozen=True)
class LedgerCheck:
    """The result of recomputing the chain: how many entries, and the first broken one."""

    count: int
    head_seq: int
    head_hash: str
    broken_seq: int | None  # the entry whose hash does not hold, or None
    missing_after: int | None  # entries after this seq were removed from the end

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and self.missing_after is None


def ledger_verify() -> LedgerCheck:
    """Recompute every hash in order of seq; name the first entry whose hash does not hold."""
    head = LedgerHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    seqs: list[int] = []

    def chain() -> Iterator[ChainEntry]:
        for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000):
            seqs.append(entry.seq)
            try:
                fields = entry_fields(entry)
            except (TypeError, ValueError):
                fields = {"unreadable": entry.seq}
            yield ChainEntry(fields=fields, hash=entry.hash)

    index = chain_verify(chain(), head=head_hash)
    broken = missing = None
    if index is not None:
        if index < len(seqs):
            broken = seqs[index]
        else:
            missing = seqs[-1] if seqs else 0
    return LedgerCheck(len(seqs), head_seq, head_hash, broken, missing)
