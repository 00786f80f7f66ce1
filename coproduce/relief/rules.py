"""Relief rules: the quick-response allocation of stock, exact money, and the hash chain.

PRODUCT.md 3.6. Pure functions and frozen dataclasses: no Django, no I/O, no clock reads (the
allocation date is a parameter).

**Quantities** are ``int``: a whole number of the item's *quantum*, which the item catalog fixes
per item: 1 for counted items (masks in pieces, goggles and shoe covers in pairs, oil in bottles),
and for food by weight a fraction of a kilogram. The demo uses 0.5 kg, enough for every figure
in the paper (38,151.5 kg of pork, 11,347.5 kg of eggs); a finer quantum such as 0.001 kg works
unchanged. Integers keep the allocation exact and fast and keep stock sums exact in every
database (SQLite sums ``DecimalField`` as floating point); :func:`quantity_from_decimal` and
:func:`quantity_to_decimal` convert at the edges and refuse a value that is not a whole number
of quanta.

**Money** is ``Decimal`` RMB with exactly two places (fen), never ``float``: :func:`money_check`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum, IntEnum, StrEnum
from itertools import groupby
from typing import Protocol


class Priority(IntEnum):
    """Urgency of a demand request; a smaller number is served first.

    An ``IntEnum`` rather than a ``StrEnum`` because the order is the point: 1..4 sort as served.
    """

    CRITICAL = 1  # shortage stops care or control now (a ward out of protective suits)
    HIGH = 2  # needed within the day (a checkpoint's masks and thermometers)
    NORMAL = 3  # routine replenishment, the default
    LOW = 4  # nice to have; served from what is left


class RequesterKind(StrEnum):
    """Who asks for supplies (PRODUCT.md 3.6)."""

    HOSPITAL = "hospital"
    CHECKPOINT = "checkpoint"
    COMMUNITY = "community"
    QUARANTINE_SITE = "quarantine_site"


# The priority a new request starts with, which the coordinator may change. Our choice, not the
# paper's: medical staff first, then places that keep people isolated, then the rest.
DEFAULT_PRIORITY: Mapping[RequesterKind, Priority] = {
    RequesterKind.HOSPITAL: Priority.CRITICAL,
    RequesterKind.QUARANTINE_SITE: Priority.HIGH,
    RequesterKind.CHECKPOINT: Priority.HIGH,
    RequesterKind.COMMUNITY: Priority.NORMAL,
}


def _check_quantity(value: object, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} is a whole number of quanta (int)")
    if value < 0:
        raise ValueError(f"{what} is never negative")


@dataclass(frozen=True, slots=True)
class StockLot:
    """A lot of one item in one warehouse: what is available now and when it expires."""

    lot_id: str
    warehouse: str
    item: str
    quantity: int  # available, in the item's quanta
    expires_on: date | None = None  # last day of use; None: does not expire

    def __post_init__(self) -> None:
        _check_quantity(self.quantity, f"lot {self.lot_id} quantity")


@dataclass(frozen=True, slots=True)
class DemandRequest:
    """An open request for one item: what is still outstanding, how urgent, by when."""

    request_id: str
    item: str
    quantity: int  # outstanding, in the item's quanta
    priority: Priority
    needed_by: date
    requester_kind: RequesterKind

    def __post_init__(self) -> None:
        _check_quantity(self.quantity, f"request {self.request_id} quantity")
        object.__setattr__(self, "priority", Priority(self.priority))


@dataclass(frozen=True, slots=True)
class AllocationPolicy:
    """Settings of the quick-response allocation, with their defaults."""

    # A lot must still be usable this many days after the allocation date (0: on the date
    # itself). Raise it when dispatch takes days, so no one receives expired goods.
    min_shelf_days: int = 0


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """A proposed quantity of one lot for one request, for a coordinator to approve."""

    request_id: str
    lot_id: str
    item: str
    quantity: int


@dataclass(frozen=True, slots=True)
class AllocationProposal:
    """The proposed lines, and per request what it is granted and what stays unmet."""

    on: date
    lines: tuple[AllocationLine, ...]
    granted: Mapping[str, int]
    unmet: Mapping[str, int]


def lot_usable(lot: StockLot, *, on: date, policy: AllocationPolicy = AllocationPolicy()) -> bool:
    """Rule: a lot is usable when it has stock and does not expire before the allocation date."""
    if lot.quantity <= 0:
        return False
    if lot.expires_on is None:
        return True
    return lot.expires_on >= on + timedelta(days=policy.min_shelf_days)


def water_fill(demands: Sequence[int], supply: int) -> list[int]:
    """Rule: max-min fair shares of ``supply`` in whole units; remainder units to the first.

    Everyone gets ``min(demand, level)`` for the largest whole ``level`` the supply covers;
    the ``r`` units left over (fewer than the requests still above the level) go one each to
    the first ``r`` such requests in the given order. When supply covers all, all are served.
    """
    total = sum(demands)
    if supply >= total:
        return list(demands)
    if supply <= 0:
        return [0] * len(demands)
    remaining = supply
    level = 0
    ordered = sorted(demands)
    n = len(ordered)
    for i, q in enumerate(ordered):
        above = n - i  # requests whose demand is at least q
        cost = (q - level) * above
        if cost <= remaining:
            remaining -= cost
            level = q
            continue
        step = remaining // above
        level += step
        remaining -= step * above
        break
    shares = [min(d, level) for d in demands]
    # remaining < number of demands above the level, so each leftover unit has a taker.
    for i, d in enumerate(demands):
        if remaining == 0:
            break
        if d > level:
            shares[i] += 1
            remaining -= 1
    return shares


def _lot_order(lot: StockLot) -> tuple[object, ...]:
    # Expiring lots first (earliest expiry), then lots that do not expire; lots of one
    # warehouse together, so a request split across lots needs fewer dispatches.
    return (lot.expires_on is None, lot.expires_on or date.min, lot.warehouse, lot.lot_id)


def _request_order(req: DemandRequest) -> tuple[object, ...]:
    return (req.priority, req.needed_by, req.request_id)


def allocation_propose(
    *,
    lots: Iterable[StockLot],
    requests: Iterable[DemandRequest],
    on: date,
    policy: AllocationPolicy = AllocationPolicy(),
) -> AllocationProposal:
    """Rule: per item, higher priority first; a max-min fair share within a level when short.

    Precisely, for each item separately:

    1. *Supply* is the sum of the item's usable lots (:func:`lot_usable`: a lot that expired
       before the allocation date ``on`` is never used).
    2. Priority levels are served in order CRITICAL, HIGH, NORMAL, LOW. A level whose total
       outstanding quantity fits in what is left is served in full. Otherwise the level shares
       what is left by water-filling (:func:`water_fill`): each request gets
       ``min(outstanding, L)`` for the largest whole ``L`` the supply covers, and the remaining
       units (fewer than the requests still short) go one each to the requests still short, in
       order of earliest ``needed_by`` then ``request_id``; lower levels then get nothing.
       So within a short level no request gets more than one unit more than any request that is
       not fully served, and a unit is never given to a lower level while a higher one is short.
    3. The granted quantities are filled from lots in order of earliest expiry (lots that do
       not expire last, then warehouse, then lot id), requests taken in order of priority,
       earliest ``needed_by`` and ``request_id``: the stock closest to expiry goes to the most
       urgent need. A request may be split across lots.

    Never more than a lot holds nor more than a request asks; same input, same output.
    """
    lots = list(lots)
    requests = list(requests)
    if len({lot.lot_id for lot in lots}) != len(lots):
        raise ValueError("lot ids must be unique")
    if len({r.request_id for r in requests}) != len(requests):
        raise ValueError("request ids must be unique")

    lots_by_item: dict[str, list[StockLot]] = defaultdict(list)
    for lot in lots:
        if lot_usable(lot, on=on, policy=policy):
            lots_by_item[lot.item].append(lot)
    requests_by_item: dict[str, list[DemandRequest]] = defaultdict(list)
    for req in requests:
        requests_by_item[req.item].append(req)

    lines: list[AllocationLine] = []
    granted: dict[str, int] = {}
    unmet: dict[str, int] = {}
    for item in sorted(requests_by_item):
        item_lots = sorted(lots_by_item.get(item, ()), key=_lot_order)
        item_requests = sorted(requests_by_item[item], key=_request_order)
        supply = sum(lot.quantity for lot in item_lots)

        grants: list[int] = []
        for _, level_iter in groupby(item_requests, key=lambda r: r.priority):
            level = list(level_iter)  # already in needed_by, request_id order
            shares = water_fill([r.quantity for r in level], supply)
            supply -= sum(shares)
            grants.extend(shares)

        lot_index, lot_left = 0, item_lots[0].quantity if item_lots else 0
        for req, grant in zip(item_requests, grants, strict=True):
            granted[req.request_id] = grant
            unmet[req.request_id] = req.quantity - grant
            need = grant
            while need > 0:
                # grants never exceed supply, so a lot is always left here.
                take = min(need, lot_left)
                if take:
                    lines.append(
                        AllocationLine(req.request_id, item_lots[lot_index].lot_id, item, take)
                    )
                    need -= take
                    lot_left -= take
                if lot_left == 0 and need > 0:
                    lot_index += 1
                    lot_left = item_lots[lot_index].quantity
    return AllocationProposal(on=on, lines=tuple(lines), granted=granted, unmet=unmet)


def quantity_from_decimal(value: Decimal | int, *, quantum: Decimal) -> int:
    """Rule: a quantity in the item's unit is a whole number of quanta, or it is refused."""
    if isinstance(value, (float, bool)):
        raise TypeError("quantities are Decimal or int, never float")
    if quantum <= 0:
        raise ValueError("a quantum is positive")
    count = Decimal(value) / quantum
    if not count.is_finite() or count != count.to_integral_value():
        raise ValueError(f"{value} is not a whole number of {quantum}")
    return int(count)


def quantity_to_decimal(count: int, *, quantum: Decimal) -> Decimal:
    """A whole number of quanta back in the item's unit (38,151.5 kg is 76,303 half-kilograms).

    Without trailing zeros, never in exponent form: 80 × 0.5 is ``40``, 3 × 0.5 is ``1.5``.
    """
    value = count * quantum
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


# --- Money ---------------------------------------------------------------------------------

FEN = Decimal("0.01")
# Matches a DecimalField(max_digits=14, decimal_places=2): up to a trillion RMB, far above the
# paper's largest sum (RMB 1.557 billion raised by 2020-02-12).
MONEY_MAX = Decimal("999999999999.99")


def money_check(value: object, *, allow_zero: bool = False) -> Decimal:
    """Rule: money is a finite, positive Decimal (or int) RMB with at most two places (fen).

    Returns it with exactly two places. A float, a third decimal place, NaN or infinity is
    refused, never rounded: rounding money silently loses or invents fen.
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError("money is a Decimal (or int) number of RMB, never float or text")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError("money is finite")
    if amount != amount.quantize(FEN):
        raise ValueError(f"{value} RMB has more than two decimal places")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValueError("money is positive" if not allow_zero else "money is never negative")
    if amount > MONEY_MAX:
        raise ValueError(f"money is at most {MONEY_MAX} RMB")
    return amount.quantize(FEN)


def to_fen(amount: Decimal | int, *, allow_zero: bool = False) -> int:
    """Money (checked by :func:`money_check`) as a whole number of fen, for integer columns."""
    return int(money_check(amount, allow_zero=allow_zero) * 100)


def from_fen(fen: int) -> Decimal:
    """A whole number of fen back as Decimal RMB with two places."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError("fen are counted in int")
    return (Decimal(fen) / 100).quantize(FEN)


def line_amount_fen(*, quantity: int, quantum: Decimal, unit_price: Decimal) -> int:
    """Rule: an order line's amount is quantity × unit price, exact to the fen, or refused.

    ``quantity`` is in quanta and ``unit_price`` per unit (per kg, per bottle). 1.5 kg at
    RMB 12.35 is RMB 18.525: not a whole fen, so it is refused rather than rounded.
    """
    price = money_check(unit_price, allow_zero=True)
    _check_quantity(quantity, "quantity")
    amount = quantity_to_decimal(quantity, quantum=quantum) * price
    if amount != amount.quantize(FEN):
        raise ValueError(f"{amount} RMB is not a whole number of fen: adjust the price")
    return int(amount * 100)


# --- Hash chain ----------------------------------------------------------------------------

# The previous hash of the first entry of a chain.
GENESIS_HASH = "0" * 64


def _canonical(value: object) -> object:
    # Exact, unambiguous text for every value; float is refused because its text is not exact.
    if isinstance(value, Enum):
        return _canonical(value.value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("a hashed Decimal is finite")
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a hashed datetime carries a UTC offset")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("hashed field names are strings")
            out[str(key)] = _canonical(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    raise TypeError(f"cannot hash a {type(value).__name__} exactly (float is never allowed)")


def canonical_json(fields: Mapping[str, object]) -> str:
    """The canonical JSON of ledger fields: sorted keys, no spaces, Decimal and dates as text."""
    return json.dumps(
        _canonical(fields),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def ledger_entry_hash(*, previous_hash: str, fields: Mapping[str, object]) -> str:
    """Rule: an entry's hash is SHA-256 of the canonical JSON of its fields and the previous hash.

    The previous hash sits beside the fields, not among them, so no field can collide with it.
    """
    if (
        not isinstance(previous_hash, str)
        or len(previous_hash) != 64
        or previous_hash.strip("0123456789abcdef")
    ):
        raise ValueError("previous_hash is 64 lowercase hex digits")
    payload = canonical_json({"fields": fields, "previous_hash": previous_hash})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class HashedEntry(Protocol):
    """Anything stored with its fields and its hash (a model row, a dataclass)."""

    @property
    def fields(self) -> Mapping[str, object]: ...

    @property
    def hash(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ChainEntry:
    """A ledger entry's hashed fields and its hash."""

    fields: Mapping[str, object]
    hash: str


def chain_build(
    fields_list: Iterable[Mapping[str, object]], *, previous_hash: str = GENESIS_HASH
) -> list[ChainEntry]:
    """Hash a sequence of entries into a chain, each hash covering the one before."""
    chain: list[ChainEntry] = []
    for fields in fields_list:
        previous_hash = ledger_entry_hash(previous_hash=previous_hash, fields=fields)
        chain.append(ChainEntry(fields, previous_hash))
    return chain


def chain_verify(
    entries: Iterable[HashedEntry], *, previous_hash: str = GENESIS_HASH, head: str | None = None
) -> int | None:
    """Rule: every hash matches its fields and the hash before; return the first broken index.

    A changed field breaks its own entry; a removed or reordered entry breaks the entry after
    the gap. Removing entries from the *end* leaves a valid shorter chain: pass the published
    ``head`` (the last hash) to catch it, reported as the index one past the last entry.
    Returns None when the chain holds.
    """
    count = 0
    for index, entry in enumerate(entries):
        try:
            expected = ledger_entry_hash(previous_hash=previous_hash, fields=entry.fields)
        except (TypeError, ValueError):
            return index
        if entry.hash != expected:
            return index
        previous_hash = entry.hash
        count = index + 1
    if head is not None and previous_hash != head:
        return count
    return None
