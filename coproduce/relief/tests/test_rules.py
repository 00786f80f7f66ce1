"""Tests of the quick-response allocation rule (no database)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.relief.rules import (
    AllocationPolicy,
    DemandRequest,
    Priority,
    RequesterKind,
    StockLot,
    allocation_propose,
    lot_usable,
    quantity_from_decimal,
    quantity_to_decimal,
    water_fill,
)

ON = date(2020, 2, 1)


def lot(lot_id, qty, item="mask", expires=None, wh="wh-1"):
    return StockLot(lot_id=lot_id, warehouse=wh, item=item, quantity=qty, expires_on=expires)


def req(rid, qty, prio=Priority.NORMAL, needed=ON, item="mask", kind=RequesterKind.COMMUNITY):
    return DemandRequest(
        request_id=rid,
        item=item,
        quantity=qty,
        priority=prio,
        needed_by=needed,
        requester_kind=kind,
    )


# --- examples at the edges -----------------------------------------------------------------


def test_enough_stock_serves_every_request_in_full():
    p = allocation_propose(lots=[lot("L1", 100)], requests=[req("a", 30), req("b", 70)], on=ON)
    assert p.granted == {"a": 30, "b": 70} and p.unmet == {"a": 0, "b": 0}


def test_critical_hospital_is_served_before_a_community():
    p = allocation_propose(
        lots=[lot("L1", 100)],
        requests=[
            req("community", 80, Priority.NORMAL),
            req("hospital", 90, Priority.CRITICAL, kind=RequesterKind.HOSPITAL),
        ],
        on=ON,
    )
    assert p.granted == {"hospital": 90, "community": 10}


def test_short_stock_is_shared_max_min_fair():
    # 100 units for asks of 10, 50 and 80: 10 is served in full, the others get 45 each.
    p = allocation_propose(
        lots=[lot("L1", 100)], requests=[req("a", 10), req("b", 50), req("c", 80)], on=ON
    )
    assert p.granted == {"a": 10, "b": 45, "c": 45}
    assert p.unmet == {"a": 0, "b": 5, "c": 35}


def test_remainder_units_go_to_the_earliest_needed_by_then_request_id():
    p = allocation_propose(
        lots=[lot("L1", 5)],
        requests=[
            req("z", 10, needed=ON + timedelta(days=2)),
            req("y", 10, needed=ON + timedelta(days=1)),
            req("x", 10, needed=ON + timedelta(days=2)),
        ],
        on=ON,
    )
    # level 1 each, 2 units left: y (earliest), then x (same day as z, smaller id).
    assert p.granted == {"y": 2, "x": 2, "z": 1}


def test_expiring_lots_are_used_first_and_expired_lots_never():
    lots = [
        lot("no-expiry", 50),
        lot("expired", 50, expires=ON - timedelta(days=1)),
        lot("late", 50, expires=ON + timedelta(days=30)),
        lot("soon", 50, expires=ON),  # last day of use is today: still usable
    ]
    p = allocation_propose(lots=lots, requests=[req("a", 120)], on=ON)
    assert [(x.lot_id, x.quantity) for x in p.lines] == [
        ("soon", 50),
        ("late", 50),
        ("no-expiry", 20),
    ]


def test_minimum_shelf_life_is_a_setting():
    soon = lot("soon", 10, expires=ON + timedelta(days=2))
    assert lot_usable(soon, on=ON)
    assert not lot_usable(soon, on=ON, policy=AllocationPolicy(min_shelf_days=3))


def test_items_are_allocated_separately():
    p = allocation_propose(
        lots=[lot("M", 10, item="mask"), lot("S", 4, item="suit")],
        requests=[req("a", 8, item="mask"), req("b", 8, item="suit")],
        on=ON,
    )
    assert p.granted == {"a": 8, "b": 4}
    assert {(x.request_id, x.lot_id) for x in p.lines} == {("a", "M"), ("b", "S")}


def test_request_for_an_item_with_no_stock_is_unmet():
    p = allocation_propose(lots=[], requests=[req("a", 8, item="goggles")], on=ON)
    assert p.lines == () and p.unmet == {"a": 8}


def test_duplicate_ids_and_bad_quantities_are_refused():
    with pytest.raises(ValueError):
        allocation_propose(lots=[lot("L", 1), lot("L", 2)], requests=[], on=ON)
    with pytest.raises(ValueError):
        allocation_propose(lots=[], requests=[req("a", 1), req("a", 2)], on=ON)
    with pytest.raises(TypeError):
        lot("L", 1.5)
    with pytest.raises(ValueError):
        req("a", -1)


def test_pork_in_half_kilograms_converts_exactly():
    half = Decimal("0.5")
    assert quantity_from_decimal(Decimal("38151.5"), quantum=half) == 76303
    assert quantity_to_decimal(76303, quantum=half) == Decimal("38151.5")
    with pytest.raises(ValueError):
        quantity_from_decimal(Decimal("0.3"), quantum=half)
    with pytest.raises(TypeError):
        quantity_from_decimal(0.5, quantum=half)


# --- water-filling properties ------------------------------------------------------------


@given(st.lists(st.integers(0, 200), max_size=30), st.integers(0, 3000))
def test_water_fill_is_max_min_fair(demands, supply):
    shares = water_fill(demands, supply)
    assert len(shares) == len(demands)
    assert all(0 <= s <= d for s, d in zip(shares, demands, strict=True))
    assert sum(shares) == min(supply, sum(demands))
    short = [i for i, (s, d) in enumerate(zip(shares, demands, strict=True)) if s < d]
    for i in short:
        # Nobody gets more than one unit above a request that is not fully served...
        assert all(s <= shares[i] + 1 for s in shares)
        # ...and the extra units went to the requests listed first.
        for j in short:
            if shares[j] > shares[i]:
                assert j < i


# --- allocation properties ---------------------------------------------------------------

items = st.sampled_from(["mask", "suit", "pork"])
days = st.integers(-5, 10).map(lambda d: ON + timedelta(days=d))

lots_st = st.lists(
    st.builds(
        StockLot,
        lot_id=st.uuids().map(str),
        warehouse=st.sampled_from(["wh-1", "wh-2"]),
        item=items,
        quantity=st.integers(0, 60),
        expires_on=st.one_of(st.none(), days),
    ),
    max_size=12,
    unique_by=lambda x: x.lot_id,
)
requests_st = st.lists(
    st.builds(
        DemandRequest,
        request_id=st.uuids().map(str),
        item=items,
        quantity=st.integers(0, 80),
        priority=st.sampled_from(list(Priority)),
        needed_by=days,
        requester_kind=st.sampled_from(list(RequesterKind)),
    ),
    max_size=25,
    unique_by=lambda x: x.request_id,
)


@given(lots_st, requests_st)
def test_allocation_never_exceeds_stock_nor_the_ask(lots, requests):
    p = allocation_propose(lots=lots, requests=requests, on=ON)
    by_lot = {x.lot_id: x for x in lots}
    by_req = {r.request_id: r for r in requests}
    used: dict[str, int] = defaultdict(int)
    got: dict[str, int] = defaultdict(int)
    for line in p.lines:
        assert line.quantity > 0
        assert by_lot[line.lot_id].item == by_req[line.request_id].item == line.item
        used[line.lot_id] += line.quantity
        got[line.request_id] += line.quantity
    assert all(used[k] <= by_lot[k].quantity for k in used)
    for r in requests:
        assert got[r.request_id] == p.granted[r.request_id] <= r.quantity
        assert p.unmet[r.request_id] == r.quantity - p.granted[r.request_id]
    # Nothing expired is used.
    assert all(by_lot[k].expires_on is None or by_lot[k].expires_on >= ON for k in used if used[k])


@given(lots_st, requests_st)
def test_allocation_uses_all_usable_stock_or_serves_all(lots, requests):
    p = allocation_propose(lots=lots, requests=requests, on=ON)
    for item in {r.item for r in requests}:
        supply = sum(x.quantity for x in lots if x.item == item and lot_usable(x, on=ON))
        demand = sum(r.quantity for r in requests if r.item == item)
        granted = sum(p.granted[r.request_id] for r in requests if r.item == item)
        assert granted == min(supply, demand)


@given(lots_st, requests_st)
def test_higher_priority_is_served_in_full_before_lower_gets_anything(lots, requests):
    p = allocation_propose(lots=lots, requests=requests, on=ON)
    for a in requests:
        for b in requests:
            if a.item == b.item and a.priority < b.priority and p.granted[b.request_id] > 0:
                assert p.unmet[a.request_id] == 0


@given(lots_st, requests_st)
def test_within_a_priority_the_share_is_max_min_fair_with_ordered_remainder(lots, requests):
    p = allocation_propose(lots=lots, requests=requests, on=ON)
    for a in requests:
        if p.unmet[a.request_id] == 0:
            continue
        ga = p.granted[a.request_id]
        for b in requests:
            if b.item != a.item or b.priority != a.priority:
                continue
            gb = p.granted[b.request_id]
            assert gb <= ga + 1
            if gb == ga + 1:
                assert (b.needed_by, b.request_id) < (a.needed_by, a.request_id)


@given(lots_st, requests_st)
def test_a_later_lot_is_touched_only_when_earlier_ones_are_used_up(lots, requests):
    p = allocation_propose(lots=lots, requests=requests, on=ON)
    used: dict[str, int] = defaultdict(int)
    for line in p.lines:
        used[line.lot_id] += line.quantity

    def order(x):
        return (x.expires_on is None, x.expires_on or date.min, x.warehouse, x.lot_id)

    usable = sorted((x for x in lots if lot_usable(x, on=ON)), key=order)
    for i, later in enumerate(usable):
        if used[later.lot_id]:
            for earlier in usable[:i]:
                if earlier.item == later.item:
                    assert used[earlier.lot_id] == earlier.quantity


@given(lots_st, requests_st, st.randoms())
def test_allocation_is_deterministic_whatever_the_input_order(lots, requests, rnd):
    first = allocation_propose(lots=lots, requests=requests, on=ON)
    rnd.shuffle(lots)
    rnd.shuffle(requests)
    second = allocation_propose(lots=lots, requests=requests, on=ON)
    assert sorted(first.lines, key=repr) == sorted(second.lines, key=repr)
    assert first.granted == second.granted
