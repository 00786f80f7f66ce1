"""Tests of the Voluntary Bank ledger rules (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    precondition,
    rule,
)

from coproduce.timebank.rules import (
    ISSUANCE_ACCOUNT,
    Account,
    AccountKind,
    Entry,
    LedgerPolicy,
    MemoryLedger,
    Outcome,
    Posting,
    PostingKind,
    Refusal,
    balances,
    hours_to_minutes,
    minutes_to_hours,
    posting_apply,
    posting_entries,
    posting_validate,
    reversal_build,
    reversal_of,
    statement_build,
)

T0 = datetime(2020, 2, 1, 8, 0, tzinfo=UTC)
ALICE = Account(AccountKind.VOLUNTEER, "alice")
BOB = Account(AccountKind.VOLUNTEER, "bob")
GRANNY = Account(AccountKind.RESIDENT, "granny-wang")
BANK = Account(AccountKind.PARTNER, "rural-bank")
HOLDERS = [ALICE, BOB, GRANNY]


def earn(key: str, who: Account, minutes: int, at: datetime = T0) -> Posting:
    return Posting(
        key=key,
        kind=PostingKind.EARN,
        entries=(Entry(ISSUANCE_ACCOUNT, -minutes), Entry(who, minutes)),
        at=at,
        reference=f"record-{key}",
    )


def move(key: str, kind: PostingKind, src: Account, dst: Account, minutes: int, at=T0) -> Posting:
    return Posting(key=key, kind=kind, entries=(Entry(src, -minutes), Entry(dst, minutes)), at=at)


def codes(result) -> set[Refusal]:
    return {p.code for p in result.problems}


# --- validation at the edges -------------------------------------------------------------


def test_earn_from_issuance_to_volunteer_is_valid():
    assert posting_validate(earn("k1", ALICE, 90)) == ()


def test_unbalanced_posting_is_refused():
    p = Posting("k", PostingKind.GIFT, (Entry(ALICE, -60), Entry(GRANNY, 50)), T0)
    assert Refusal.UNBALANCED in {x.code for x in posting_validate(p)}


def test_zero_line_is_refused_even_when_balanced():
    p = Posting("k", PostingKind.GIFT, (Entry(ALICE, -60), Entry(GRANNY, 60), Entry(BOB, 0)), T0)
    assert [x.code for x in posting_validate(p)] == [Refusal.ZERO_LINE]


def test_single_line_posting_is_refused():
    p = Posting("k", PostingKind.GIFT, (Entry(ALICE, 0),), T0)
    assert Refusal.TOO_FEW_LINES in {x.code for x in posting_validate(p)}


@pytest.mark.parametrize("amount", [1.5, Decimal("1.5"), True, "60"])
def test_amount_that_is_not_whole_minutes_is_refused(amount):
    p = Posting("k", PostingKind.GIFT, (Entry(ALICE, -60), Entry(GRANNY, amount)), T0)
    assert Refusal.NOT_WHOLE_MINUTES in {x.code for x in posting_validate(p)}


def test_line_above_the_bound_is_refused():
    policy = LedgerPolicy(max_line_minutes=600)
    assert [x.code for x in posting_validate(earn("k", ALICE, 601), policy=policy)] == [
        Refusal.LINE_TOO_LARGE,
        Refusal.LINE_TOO_LARGE,
    ]
    assert posting_validate(earn("k", ALICE, 600), policy=policy) == ()


def test_earn_into_a_resident_account_is_refused():
    p = earn("k", GRANNY, 60)
    assert Refusal.ACCOUNT_KIND_NOT_ALLOWED in {x.code for x in posting_validate(p)}


def test_earn_without_a_service_record_is_refused():
    p = Posting("k", PostingKind.EARN, earn("k", ALICE, 60).entries, T0)
    assert Refusal.MISSING_REFERENCE in {x.code for x in posting_validate(p)}


def test_gift_cannot_draw_on_the_issuance_account():
    p = move("k", PostingKind.GIFT, ISSUANCE_ACCOUNT, GRANNY, 60)
    assert Refusal.ACCOUNT_KIND_NOT_ALLOWED in {x.code for x in posting_validate(p)}


def test_redeem_must_go_to_a_partner():
    assert posting_validate(move("k", PostingKind.REDEEM, ALICE, BANK, 60)) == ()
    bad = move("k", PostingKind.REDEEM, ALICE, BOB, 60)
    assert Refusal.ACCOUNT_KIND_NOT_ALLOWED in {x.code for x in posting_validate(bad)}


def test_same_account_twice_in_one_posting_is_refused():
    p = move("k", PostingKind.GIFT, ALICE, ALICE, 60)
    assert Refusal.DUPLICATE_ACCOUNT in {x.code for x in posting_validate(p)}


def test_reverses_on_an_ordinary_posting_is_refused():
    p = Posting("k", PostingKind.GIFT, move("x", PostingKind.GIFT, ALICE, BOB, 5).entries, T0, "a")
    assert Refusal.UNEXPECTED_REVERSES in {x.code for x in posting_validate(p)}


def test_empty_idempotency_key_is_refused():
    assert Refusal.EMPTY_KEY in {x.code for x in posting_validate(earn(" ", ALICE, 5))}


# --- applying ----------------------------------------------------------------------------


def test_gift_to_an_elderly_neighbour_moves_hours():
    ledger = MemoryLedger()
    assert ledger.apply(earn("e1", ALICE, 120)).outcome is Outcome.APPLIED
    assert ledger.apply(move("g1", PostingKind.GIFT, ALICE, GRANNY, 45)).outcome is Outcome.APPLIED
    assert ledger.balance(ALICE) == 75
    assert ledger.balance(GRANNY) == 45
    assert ledger.balance(ISSUANCE_ACCOUNT) == -120


def test_gift_of_more_than_the_balance_is_refused_and_changes_nothing():
    ledger = MemoryLedger()
    ledger.apply(earn("e1", ALICE, 30))
    result = ledger.apply(move("g1", PostingKind.GIFT, ALICE, GRANNY, 31))
    assert result.outcome is Outcome.REFUSED
    assert codes(result) == {Refusal.INSUFFICIENT_BALANCE}
    assert result.problems[0].line == 0
    assert ledger.balance(ALICE) == 30 and ledger.balance(GRANNY) == 0
    assert "g1" not in ledger.by_key


def test_replayed_key_is_a_no_op_returning_the_original():
    ledger = MemoryLedger()
    first = earn("e1", ALICE, 60, at=T0)
    ledger.apply(first)
    retry = earn("e1", ALICE, 60, at=T0 + timedelta(seconds=30))  # a device retrying later
    result = ledger.apply(retry)
    assert result.outcome is Outcome.REPLAYED
    assert result.posting is first
    assert ledger.balance(ALICE) == 60 and len(ledger.postings) == 1


def test_same_key_for_a_different_posting_is_a_conflict():
    ledger = MemoryLedger()
    first = earn("e1", ALICE, 60)
    ledger.apply(first)
    result = ledger.apply(earn("e1", ALICE, 90))
    assert result.outcome is Outcome.REFUSED
    assert codes(result) == {Refusal.IDEMPOTENCY_CONFLICT}
    assert result.posting is first
    assert ledger.balance(ALICE) == 60


def test_reversal_mirrors_the_original_once_and_twice_is_refused():
    ledger = MemoryLedger()
    original = earn("e1", ALICE, 60)
    ledger.apply(original)
    first = ledger.apply(reversal_of(original, key="r1", at=T0))
    assert first.outcome is Outcome.APPLIED
    assert ledger.balance(ALICE) == 0 and ledger.balance(ISSUANCE_ACCOUNT) == 0
    second = ledger.apply(reversal_of(original, key="r2", at=T0))
    assert codes(second) == {Refusal.ALREADY_UNDONE}
    # Replaying the first reversal's key is still a harmless no-op.
    assert ledger.apply(reversal_of(original, key="r1", at=T0)).outcome is Outcome.REPLAYED


def test_reversal_that_is_not_an_exact_mirror_is_refused():
    ledger = MemoryLedger()
    ledger.apply(earn("e1", ALICE, 60))
    partial = Posting(
        "r1",
        PostingKind.REVERSAL,
        (Entry(ALICE, -30), Entry(ISSUANCE_ACCOUNT, 30)),
        T0,
        reverses="e1",
    )
    assert codes(ledger.apply(partial)) == {Refusal.NOT_A_MIRROR}


def test_reversal_of_unknown_posting_is_refused():
    ledger = MemoryLedger()
    p = reversal_of(earn("nope", ALICE, 60), key="r1", at=T0)
    assert codes(ledger.apply(p)) == {Refusal.UNKNOWN_ORIGINAL}


def test_a_reversal_cannot_itself_be_reversed():
    ledger = MemoryLedger()
    original = earn("e1", ALICE, 60)
    ledger.apply(original)
    undo = reversal_of(original, key="r1", at=T0)
    ledger.apply(undo)
    redo = reversal_build(undo, key="r2", at=T0, kind=PostingKind.REVERSAL)
    assert codes(ledger.apply(redo)) == {Refusal.CANNOT_UNDO_A_REVERSAL}


def test_reversal_of_hours_already_given_away_is_refused():
    ledger = MemoryLedger()
    original = earn("e1", ALICE, 60)
    ledger.apply(original)
    ledger.apply(move("g1", PostingKind.GIFT, ALICE, GRANNY, 60))
    result = ledger.apply(reversal_of(original, key="r1", at=T0))
    assert codes(result) == {Refusal.INSUFFICIENT_BALANCE}
    assert ledger.balance(ALICE) == 0


def test_refused_redemption_is_refunded_exactly():
    ledger = MemoryLedger()
    ledger.apply(earn("e1", ALICE, 600))
    redemption = move("x1", PostingKind.REDEEM, ALICE, BANK, 300)
    ledger.apply(redemption)
    refund = reversal_of(redemption, key="f1", at=T0)
    assert refund.kind is PostingKind.REFUND
    assert ledger.apply(refund).outcome is Outcome.APPLIED
    assert ledger.balance(ALICE) == 600 and ledger.balance(BANK) == 0
    # A refund after a refund, or a reversal after a refund: the redemption is undone already.
    assert codes(ledger.apply(reversal_of(redemption, key="f2", at=T0))) == {Refusal.ALREADY_UNDONE}


def test_refund_of_something_other_than_a_redemption_is_refused():
    ledger = MemoryLedger()
    ledger.apply(earn("e1", ALICE, 60))
    refund = move("f1", PostingKind.REFUND, BANK, ALICE, 60)
    refund = Posting(refund.key, refund.kind, refund.entries, T0, reverses="e1")
    assert codes(ledger.apply(refund)) == {Refusal.REFUND_OF_NON_REDEMPTION}


def test_posting_apply_does_not_mutate_its_inputs():
    bal = {ALICE: 10}
    seen: dict[str, Posting] = {}
    result = posting_apply(
        balances=bal, posting=move("g", PostingKind.GIFT, ALICE, BOB, 10), seen=seen, undone=set()
    )
    assert result.outcome is Outcome.APPLIED
    assert dict(result.balances) == {ALICE: 0, BOB: 10}
    assert bal == {ALICE: 10} and seen == {}


# --- statements --------------------------------------------------------------------------


def test_statement_has_opening_running_and_closing_balances():
    ledger = MemoryLedger()
    day = timedelta(days=1)
    ledger.apply(earn("e1", ALICE, 120, at=T0))
    ledger.apply(earn("e2", ALICE, 60, at=T0 + day))
    ledger.apply(move("g1", PostingKind.GIFT, ALICE, GRANNY, 30, at=T0 + 2 * day))
    ledger.apply(earn("e3", ALICE, 15, at=T0 + 3 * day))
    st_ = statement_build(account=ALICE, postings=ledger.postings, start=T0 + day, end=T0 + 3 * day)
    assert st_.opening == 120
    assert [(x.posting_key, x.minutes, x.balance) for x in st_.lines] == [
        ("e2", 60, 180),
        ("g1", -30, 150),
    ]
    assert st_.closing == 150
    assert st_.credits == 60 and st_.debits == 30
    assert st_.lines[1].counterparties == (GRANNY,)


def test_hours_convert_to_minutes_exactly_or_are_refused():
    assert hours_to_minutes(Decimal("2.5")) == 150
    assert hours_to_minutes("0.25") == 15
    assert hours_to_minutes(3) == 180
    with pytest.raises(ValueError):
        hours_to_minutes(Decimal("0.01"))  # 36 seconds
    with pytest.raises(TypeError):
        hours_to_minutes(1.5)
    assert minutes_to_hours(80) == Decimal("1.33")


# --- properties --------------------------------------------------------------------------

accounts = st.sampled_from(HOLDERS + [BANK, ISSUANCE_ACCOUNT])
amounts = st.integers(min_value=1, max_value=600)


@st.composite
def any_posting(draw):
    kind = draw(st.sampled_from([k for k in PostingKind if k not in {PostingKind.REVERSAL}]))
    src, dst = draw(st.lists(accounts, min_size=2, max_size=2, unique=True))
    minutes = draw(amounts)
    return Posting(
        key=draw(st.sampled_from("abcdefghij")),  # few keys: replays and conflicts happen
        kind=kind,
        entries=(Entry(src, -minutes), Entry(dst, minutes)),
        at=T0,
        reference="r",
        reverses="x" if kind is PostingKind.REFUND else None,
    )


@given(st.lists(any_posting(), max_size=30))
def test_balances_always_equal_the_sum_of_entries_and_total_zero(postings):
    ledger = MemoryLedger()
    for p in postings:
        ledger.apply(p)
    assert {a: b for a, b in ledger.balances.items() if b} == {
        a: b for a, b in balances(posting_entries(ledger.postings)).items() if b
    }
    assert sum(ledger.balances.values()) == 0
    assert all(b >= 0 for a, b in ledger.balances.items() if a.kind is not AccountKind.ISSUANCE)


@given(
    st.lists(st.tuples(accounts, st.integers(-1000, 1000)), min_size=0, max_size=6),
    st.sampled_from([k for k in PostingKind if k not in {PostingKind.REVERSAL}]),
)
def test_only_balanced_postings_without_zero_lines_are_applied(lines, kind):
    entries = tuple(Entry(a, m) for a, m in lines)
    p = Posting(
        "k", kind, entries, T0, reference="r", reverses="x" if kind is PostingKind.REFUND else None
    )
    seen = {"x": move("x", PostingKind.REDEEM, ALICE, BANK, 1)}
    rich = {a: 10_000 for a in HOLDERS + [BANK]}
    result = posting_apply(balances=rich, posting=p, seen=seen, undone=set())
    if sum(m for _, m in lines) != 0:
        assert Refusal.UNBALANCED in codes(result)
    if result.outcome is Outcome.APPLIED:
        assert sum(e.minutes for e in p.entries) == 0
        assert all(e.minutes != 0 for e in p.entries)
        assert len(p.entries) >= 2


# Generating the steps is slow on a loaded 2-core machine: a timing, not a failure (STYLE.md).
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
class VoluntaryBankMachine(RuleBasedStateMachine):
    """Random sequences of earns, gifts, redemptions, refunds, reversals and replays."""

    applied = Bundle("applied")

    def __init__(self):
        super().__init__()
        self.ledger = MemoryLedger()
        self.counter = 0
        self.reversed_ok: set[str] = set()

    def _key(self) -> str:
        self.counter += 1
        return f"p{self.counter}"

    def _apply(self, posting: Posting):
        before = dict(self.ledger.balances)
        result = self.ledger.apply(posting)
        if result.outcome is not Outcome.APPLIED:
            assert self.ledger.balances == before  # a refusal or replay changes nothing
        return result

    @rule(target=applied, who=st.sampled_from([ALICE, BOB]), minutes=amounts)
    def earn_hours(self, who, minutes):
        result = self._apply(earn(self._key(), who, minutes))
        assert result.outcome is Outcome.APPLIED
        return result.posting

    @rule(
        target=applied,
        src=st.sampled_from(HOLDERS),
        dst=st.sampled_from(HOLDERS),
        minutes=amounts,
    )
    def give(self, src, dst, minutes):
        assume(src != dst)
        had = self.ledger.balance(src)
        result = self._apply(move(self._key(), PostingKind.GIFT, src, dst, minutes))
        assert (result.outcome is Outcome.APPLIED) == (had >= minutes)
        return result.posting if result.ok else multiple()

    @rule(target=applied, src=st.sampled_from(HOLDERS), minutes=amounts)
    def redeem(self, src, minutes):
        had = self.ledger.balance(src)
        result = self._apply(move(self._key(), PostingKind.REDEEM, src, BANK, minutes))
        assert (result.outcome is Outcome.APPLIED) == (had >= minutes)
        return result.posting if result.ok else multiple()

    @rule(original=consumes(applied))
    def undo(self, original):
        result = self._apply(reversal_of(original, key=self._key(), at=T0))
        if result.outcome is Outcome.APPLIED:
            assert original.key not in self.reversed_ok
            self.reversed_ok.add(original.key)
            # Twice is refused, whatever the balances.
            again = self._apply(reversal_of(original, key=self._key(), at=T0))
            assert codes(again) == {Refusal.ALREADY_UNDONE}
        else:
            assert codes(result) == {Refusal.INSUFFICIENT_BALANCE}

    @precondition(lambda self: self.ledger.postings)
    @rule(data=st.data())
    def replay(self, data):
        original = data.draw(st.sampled_from(self.ledger.postings))
        n = len(self.ledger.postings)
        copy = Posting(
            original.key,
            original.kind,
            original.entries,
            original.at + timedelta(minutes=1),
            original.reverses,
            original.reference,
        )
        result = self._apply(copy)
        assert result.outcome is Outcome.REPLAYED and result.posting is original
        assert len(self.ledger.postings) == n

    @invariant()
    def balances_equal_the_sum_of_entries(self):
        derived = balances(posting_entries(self.ledger.postings))
        for account in set(derived) | set(self.ledger.balances):
            assert derived.get(account, 0) == self.ledger.balance(account)

    @invariant()
    def no_holder_or_partner_is_negative(self):
        for account, minutes in self.ledger.balances.items():
            if account.kind is not AccountKind.ISSUANCE:
                assert minutes >= 0

    @invariant()
    def every_posting_sums_to_zero_and_the_ledger_too(self):
        assert all(sum(e.minutes for e in p.entries) == 0 for p in self.ledger.postings)
        assert sum(self.ledger.balances.values()) == 0

    @invariant()
    def statement_closing_equals_balance(self):
        for account in HOLDERS:
            s = statement_build(
                account=account,
                postings=self.ledger.postings,
                start=T0 - timedelta(days=1),
                end=T0 + timedelta(days=1),
            )
            assert s.opening == 0
            assert s.closing == self.ledger.balance(account)
            running = s.opening
            for line in s.lines:
                running += line.minutes
                assert line.balance == running


TestVoluntaryBankMachine = VoluntaryBankMachine.TestCase


@given(
    st.lists(st.tuples(st.sampled_from([ALICE, BOB]), amounts, st.integers(0, 30)), max_size=40),
    st.integers(0, 30),
    st.integers(0, 30),
)
def test_statement_opening_plus_lines_equals_closing(items, a, b):
    start, end = sorted([T0 + timedelta(days=a), T0 + timedelta(days=b)])
    ledger = MemoryLedger()
    for i, (who, minutes, day) in enumerate(items):
        ledger.apply(earn(f"e{i}", who, minutes, at=T0 + timedelta(days=day)))
    s = statement_build(account=ALICE, postings=ledger.postings, start=start, end=end)
    before = sum(m for w, m, d in items if w == ALICE and T0 + timedelta(days=d) < start)
    during = sum(m for w, m, d in items if w == ALICE and start <= T0 + timedelta(days=d) < end)
    assert s.opening == before
    assert s.closing == before + during
    assert all(start <= line.at < end for line in s.lines)
