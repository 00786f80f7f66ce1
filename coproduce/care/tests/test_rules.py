"""The scoring rules against the published tables: every total, every band edge, item 9."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.care import rules
from coproduce.care.rules import Instrument, Risk, Severity
from coproduce.core.suppression import suppress_small

# The published tables, written out total by total (Kroenke 2001; Spitzer 2006).
PHQ9_TABLE = (
    {t: Severity.MINIMAL for t in range(0, 5)}
    | {t: Severity.MILD for t in range(5, 10)}
    | {t: Severity.MODERATE for t in range(10, 15)}
    | {t: Severity.MODERATELY_SEVERE for t in range(15, 20)}
    | {t: Severity.SEVERE for t in range(20, 28)}
)
GAD7_TABLE = (
    {t: Severity.MINIMAL for t in range(0, 5)}
    | {t: Severity.MILD for t in range(5, 10)}
    | {t: Severity.MODERATE for t in range(10, 15)}
    | {t: Severity.SEVERE for t in range(15, 22)}
)


def answers_with_total(total: int, items: int, item9: int | None = None) -> list[int]:
    """Answers summing to `total` (item 9 fixed when given), filled from the first item."""
    answers = [0] * items
    rest = total
    if item9 is not None:
        answers[8] = item9
        rest -= item9
    for i in range(items):
        if item9 is not None and i == 8:
            continue
        answers[i] = min(3, rest)
        rest -= answers[i]
    assert rest == 0
    return answers


@pytest.mark.parametrize("total", range(28))
def test_phq9_every_total_has_its_published_band(total):
    result = rules.screening_score("phq9", answers_with_total(total, 9))
    assert result.total == total
    assert result.severity == PHQ9_TABLE[total]


@pytest.mark.parametrize("total", range(22))
def test_gad7_every_total_has_its_published_band(total):
    result = rules.screening_score("gad7", answers_with_total(total, 7))
    assert result.total == total
    assert result.severity == GAD7_TABLE[total]


@pytest.mark.parametrize(
    ("total", "below", "at"),
    [
        (5, Severity.MINIMAL, Severity.MILD),
        (10, Severity.MILD, Severity.MODERATE),
        (15, Severity.MODERATE, Severity.MODERATELY_SEVERE),
        (20, Severity.MODERATELY_SEVERE, Severity.SEVERE),
    ],
)
def test_phq9_band_edges(total, below, at):
    assert rules.severity_of(Instrument.PHQ9, total - 1) == below
    assert rules.severity_of(Instrument.PHQ9, total) == at


@pytest.mark.parametrize(
    ("total", "below", "at"),
    [
        (5, Severity.MINIMAL, Severity.MILD),
        (10, Severity.MILD, Severity.MODERATE),
        (15, Severity.MODERATE, Severity.SEVERE),
    ],
)
def test_gad7_band_edges(total, below, at):
    assert rules.severity_of(Instrument.GAD7, total - 1) == below
    assert rules.severity_of(Instrument.GAD7, total) == at


# Item 9 at 0 leaves 8 items: totals 0-24.
@pytest.mark.parametrize("total", range(25))
def test_phq9_risk_without_item9_follows_the_band(total):
    result = rules.screening_score("phq9", answers_with_total(total, 9, item9=0))
    expected = Risk.LOW if total < 10 else Risk.MODERATE if total < 20 else Risk.HIGH
    assert result.risk == expected
    assert result.escalates == (expected == Risk.HIGH)


@pytest.mark.parametrize("item9", [1, 2, 3])
@pytest.mark.parametrize("total", range(1, 28))
def test_phq9_item9_above_zero_is_high_risk_whatever_the_total(item9, total):
    if not item9 <= total <= 24 + item9:
        return  # no such answers
    result = rules.screening_score("phq9", answers_with_total(total, 9, item9=item9))
    assert result.risk == Risk.HIGH
    assert result.escalates


def test_item9_alone_escalates_a_minimal_total():
    result = rules.screening_score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert (result.total, result.severity, result.risk) == (1, Severity.MINIMAL, Risk.HIGH)


@pytest.mark.parametrize("total", range(22))
def test_gad7_never_raises_a_crisis_alert(total):
    result = rules.screening_score("gad7", answers_with_total(total, 7))
    assert result.risk == (Risk.LOW if total < 10 else Risk.MODERATE)
    assert not result.escalates


@given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_phq9_total_is_the_sum_and_band_matches_table(answers):
    result = rules.screening_score("phq9", answers)
    assert result.total == sum(answers)
    assert result.severity == PHQ9_TABLE[sum(answers)]
    assert (result.risk == Risk.HIGH) == (answers[8] > 0 or sum(answers) >= 20)


@given(st.lists(st.integers(0, 3), min_size=7, max_size=7))
def test_gad7_total_is_the_sum(answers):
    assert rules.screening_score("gad7", answers).severity == GAD7_TABLE[sum(answers)]


@pytest.mark.parametrize(
    ("instrument", "answers"),
    [
        ("phq9", [0] * 8),
        ("phq9", [0] * 10),
        ("gad7", [0] * 9),
        ("phq9", [4, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("phq9", [-1, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("gad7", [True, 0, 0, 0, 0, 0, 0]),
        ("bdi", [0] * 21),
    ],
)
def test_malformed_answers_are_refused(instrument, answers):
    with pytest.raises(ValueError):
        rules.screening_score(instrument, answers)


@pytest.mark.parametrize(("instrument", "total"), [("phq9", 28), ("gad7", 22), ("phq9", -1)])
def test_totals_outside_the_scale_are_refused(instrument, total):
    with pytest.raises(ValueError):
        rules.severity_of(Instrument(instrument), total)


T0 = datetime(2020, 3, 1, tzinfo=UTC)


def test_roster_covering_24_hours_has_no_gap():
    shifts = [
        rules.Shift(1, T0, T0 + timedelta(hours=8)),
        rules.Shift(2, T0 + timedelta(hours=8), T0 + timedelta(hours=16)),
        rules.Shift(3, T0 + timedelta(hours=16), T0 + timedelta(hours=24)),
    ]
    assert rules.roster_gaps(shifts, start=T0, end=T0 + timedelta(days=1)) == []
    assert rules.on_duty(shifts, T0 + timedelta(hours=8)) == 2
    assert rules.on_duty(shifts, T0 + timedelta(hours=24)) is None


def test_roster_gaps_are_named():
    shifts = [rules.Shift(1, T0 + timedelta(hours=2), T0 + timedelta(hours=10))]
    assert rules.roster_gaps(shifts, start=T0, end=T0 + timedelta(hours=12)) == [
        (T0, T0 + timedelta(hours=2)),
        (T0 + timedelta(hours=10), T0 + timedelta(hours=12)),
    ]


@given(st.lists(st.tuples(st.integers(0, 47), st.integers(1, 12)), max_size=8))
def test_gaps_and_shifts_cover_the_day_exactly(raw):
    shifts = [
        rules.Shift(i, T0 + timedelta(hours=a), T0 + timedelta(hours=a + d))
        for i, (a, d) in enumerate(raw)
    ]
    end = T0 + timedelta(days=1)
    gaps = rules.roster_gaps(shifts, start=T0, end=end)
    for hour in range(24):
        at = T0 + timedelta(hours=hour, minutes=30)
        in_gap = any(a <= at < b for a, b in gaps)
        assert in_gap == (rules.on_duty(shifts, at) is None)


def test_alert_overdue_only_after_the_deadline_unacknowledged():
    deadline = rules.ack_deadline(T0, 15)
    assert deadline == T0 + timedelta(minutes=15)
    assert not rules.alert_overdue(deadline=deadline, now=deadline, acknowledged=False)
    assert rules.alert_overdue(
        deadline=deadline, now=deadline + timedelta(seconds=1), acknowledged=False
    )
    assert not rules.alert_overdue(
        deadline=deadline, now=deadline + timedelta(hours=1), acknowledged=True
    )


def test_supervisors_up_the_chain_and_cycles_stop():
    chain = {1: 2, 2: 3, 3: None}
    assert rules.supervisors_of(1, chain) == [2, 3]
    assert rules.supervisors_of(1, {1: 2, 2: 1}) == [2]
    assert rules.may_see_record(viewer_id=3, owner_id=1, supervisors=[2, 3])
    assert not rules.may_see_record(viewer_id=4, owner_id=1, supervisors=[2, 3])


def test_credential_valid_through_its_expiry_day():
    day = T0.date()
    assert rules.credential_valid(verified=True, expires_on=day, today=day)
    assert not rules.credential_valid(verified=True, expires_on=day, today=day + timedelta(days=1))
    assert not rules.credential_valid(verified=False, expires_on=day, today=day)


@pytest.mark.parametrize(("n", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (120, 120)])
def test_small_counts_are_suppressed(n, shown):
    assert suppress_small(n) == shown


@given(st.integers(0, 10_000))
def test_suppression_hides_exactly_1_to_4(n):
    shown = suppress_small(n)
    assert (shown == "<5") == (1 <= n <= 4)
