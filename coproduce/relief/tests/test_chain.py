"""Tests of the ledger hash chain and of exact money (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.relief.rules import (
    GENESIS_HASH,
    ChainEntry,
    Priority,
    canonical_json,
    chain_build,
    chain_verify,
    ledger_entry_hash,
    money_check,
)

FIELDS = {
    "kind": "receipt",
    "item": "surgical_mask",
    "quantity": 15_356_300,
    "value": Decimal("239000000.00"),
    "on": date(2020, 2, 12),
}


def test_hash_is_sha256_hex_and_stable_under_key_order():
    h = ledger_entry_hash(previous_hash=GENESIS_HASH, fields=FIELDS)
    assert len(h) == 64 and int(h, 16) >= 0
    shuffled = dict(reversed(list(FIELDS.items())))
    assert ledger_entry_hash(previous_hash=GENESIS_HASH, fields=shuffled) == h


def test_canonical_json_writes_decimal_and_dates_as_text():
    text = canonical_json({"b": Decimal("1.50"), "a": date(2020, 1, 25), "p": Priority.HIGH})
    assert text == '{"a":"2020-01-25","b":"1.50","p":2}'


def test_float_and_naive_datetime_are_refused_in_hashed_fields():
    with pytest.raises(TypeError):
        ledger_entry_hash(previous_hash=GENESIS_HASH, fields={"amount": 1.5})
    with pytest.raises(ValueError):
        ledger_entry_hash(previous_hash=GENESIS_HASH, fields={"at": datetime(2020, 1, 25)})
    assert ledger_entry_hash(
        previous_hash=GENESIS_HASH, fields={"at": datetime(2020, 1, 25, tzinfo=UTC)}
    )


def test_previous_hash_must_be_a_sha256_hex():
    with pytest.raises(ValueError):
        ledger_entry_hash(previous_hash="abc", fields=FIELDS)
    with pytest.raises(ValueError):
        ledger_entry_hash(previous_hash="G" * 64, fields=FIELDS)


def test_the_previous_hash_changes_the_hash():
    a = ledger_entry_hash(previous_hash=GENESIS_HASH, fields=FIELDS)
    b = ledger_entry_hash(previous_hash="1" + GENESIS_HASH[1:], fields=FIELDS)
    assert a != b


def entries(n):
    return chain_build(
        {"seq": i, "amount": Decimal(f"{i}.{i % 100:02d}"), "donor": f"d{i}"} for i in range(n)
    )


def test_intact_chain_verifies():
    assert chain_verify(entries(5)) is None
    assert chain_verify([]) is None


def test_changed_field_is_caught_at_its_entry():
    chain = entries(5)
    forged = dict(chain[2].fields, amount=Decimal("999.00"))
    chain[2] = ChainEntry(forged, chain[2].hash)
    assert chain_verify(chain) == 2


def test_removed_entry_is_caught_at_the_next():
    chain = entries(5)
    del chain[1]
    assert chain_verify(chain) == 1


def test_reordered_pair_is_caught():
    chain = entries(5)
    chain[2], chain[3] = chain[3], chain[2]
    assert chain_verify(chain) == 2


def test_truncated_tail_is_caught_with_the_published_head():
    chain = entries(5)
    head = chain[-1].hash
    assert chain_verify(chain[:4]) is None  # without an anchor a shorter chain is valid
    assert chain_verify(chain[:4], head=head) == 4
    assert chain_verify(chain, head=head) is None


@given(st.integers(2, 12), st.data())
def test_any_single_tampering_is_caught_at_or_before_it(n, data):
    chain = entries(n)
    i = data.draw(st.integers(0, n - 1))
    how = data.draw(st.sampled_from(["edit", "remove", "swap", "rehash"]))
    if how == "edit":
        chain[i] = ChainEntry(dict(chain[i].fields, donor="mallory"), chain[i].hash)
        assert chain_verify(chain) == i
    elif how == "rehash":
        # Forge the edited entry's own hash: the next entry's link still breaks.
        fields = dict(chain[i].fields, donor="mallory")
        prev = chain[i - 1].hash if i else GENESIS_HASH
        chain[i] = ChainEntry(fields, ledger_entry_hash(previous_hash=prev, fields=fields))
        assert chain_verify(chain) == (i + 1 if i + 1 < n else None)
        assert chain_verify(chain, head=entries(n)[-1].hash) is not None
    elif how == "remove":
        head = chain[-1].hash
        del chain[i]
        assert chain_verify(chain, head=head) == i
    else:
        j = data.draw(st.integers(0, n - 1).filter(lambda j: j != i))
        chain[i], chain[j] = chain[j], chain[i]
        assert chain_verify(chain) == min(i, j)


# --- money ---------------------------------------------------------------------------------


def test_money_has_exactly_two_places():
    assert money_check(Decimal("1557000000")) == Decimal("1557000000.00")
    assert str(money_check(Decimal("2861329"))) == "2861329.00"
    assert money_check(10) == Decimal("10.00")


@pytest.mark.parametrize(
    "bad", [1.5, "10.00", True, Decimal("0.001"), Decimal("NaN"), Decimal("Infinity")]
)
def test_money_that_is_not_exact_fen_is_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        money_check(bad)


def test_zero_and_negative_money_are_refused_unless_zero_is_allowed():
    with pytest.raises(ValueError):
        money_check(Decimal("0"))
    with pytest.raises(ValueError):
        money_check(Decimal("-1.00"), allow_zero=True)
    assert money_check(Decimal("0"), allow_zero=True) == Decimal("0.00")


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e11"), places=2))
def test_any_fen_amount_round_trips(amount):
    checked = money_check(amount)
    assert checked == amount and checked.as_tuple().exponent == -2
