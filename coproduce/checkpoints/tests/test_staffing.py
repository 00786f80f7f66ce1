"""Tests of the checkpoint staffing coverage rule (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.checkpoints.staffing import (
    DailyGap,
    DailyShift,
    Gap,
    Shift,
    coverage_gaps,
    daily_plan_gaps,
)

H = timedelta(hours=1)
DAY = datetime(2020, 2, 10, tzinfo=UTC)


def test_three_eight_hour_shifts_cover_the_day():
    shifts = [
        DailyShift(time(0), time(8), 2),
        DailyShift(time(8), time(16), 2),
        DailyShift(time(16), time(0), 2),
    ]
    assert daily_plan_gaps(shifts=shifts, minimum_staff=2) == ()


def test_empty_plan_is_one_gap_of_the_whole_day():
    assert daily_plan_gaps(shifts=[], minimum_staff=1) == (DailyGap(0 * H, 24 * H, 0, 1),)


def test_night_shift_crossing_midnight_covers_the_early_hours():
    shifts = [DailyShift(time(22), time(6), 1), DailyShift(time(8), time(20), 1)]
    assert daily_plan_gaps(shifts=shifts, minimum_staff=1) == (
        DailyGap(6 * H, 8 * H, 0, 1),
        DailyGap(20 * H, 22 * H, 0, 1),
    )


def test_shift_ending_where_it_starts_lasts_24_hours():
    assert daily_plan_gaps(shifts=[DailyShift(time(6), time(6), 1)], minimum_staff=1) == ()


def test_understaffed_interval_reports_staffed_and_required():
    shifts = [DailyShift(time(0), time(0), 1), DailyShift(time(7), time(9), 1)]
    gaps = daily_plan_gaps(shifts=shifts, minimum_staff=2)
    assert gaps == (DailyGap(0 * H, 7 * H, 1, 2), DailyGap(9 * H, 24 * H, 1, 2))


def test_minimum_per_hour_is_honoured():
    # Two people at the morning rush (7-9), one otherwise.
    required = [1] * 24
    required[7] = required[8] = 2
    shifts = [DailyShift(time(0), time(0), 1), DailyShift(time(7, 30), time(9), 1)]
    assert daily_plan_gaps(shifts=shifts, minimum_staff=required) == (
        DailyGap(7 * H, 7 * H + timedelta(minutes=30), 1, 2),
    )


def test_adjacent_gaps_with_different_shortfalls_stay_apart():
    required = [0] * 24
    required[3] = 1
    required[4] = 2
    gaps = daily_plan_gaps(shifts=[], minimum_staff=required)
    assert gaps == (DailyGap(3 * H, 4 * H, 0, 1), DailyGap(4 * H, 5 * H, 0, 2))


def test_yesterdays_night_shift_covers_todays_early_hours():
    shifts = [
        Shift(DAY - 2 * H, DAY + 6 * H, 1),
        Shift(DAY + 6 * H, DAY + 18 * H, 1),
        Shift(DAY + 22 * H, DAY + 30 * H, 1),
    ]
    assert coverage_gaps(shifts=shifts, window_start=DAY, minimum_staff=1) == (
        Gap(DAY + 18 * H, DAY + 22 * H, 0, 1),
    )


def test_shifts_outside_the_window_are_ignored():
    shifts = [Shift(DAY - 10 * H, DAY - 2 * H, 5), Shift(DAY + 25 * H, DAY + 30 * H, 5)]
    assert coverage_gaps(shifts=shifts, window_start=DAY, minimum_staff=1) == (
        Gap(DAY, DAY + 24 * H, 0, 1),
    )


def test_zero_minimum_has_no_gaps():
    assert coverage_gaps(shifts=[], window_start=DAY, minimum_staff=0) == ()


def test_minimum_needs_one_value_per_hour():
    with pytest.raises(ValueError, match="one value per hour"):
        coverage_gaps(shifts=[], window_start=DAY, minimum_staff=[1] * 23)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Shift(DAY, DAY, 1),
        lambda: Shift(DAY, DAY + H, -1),
        lambda: DailyShift(time(1), time(2), -1),
        lambda: coverage_gaps(shifts=[], window_start=DAY, minimum_staff=-1),
        lambda: coverage_gaps(shifts=[], window_start=DAY, window_end=DAY, minimum_staff=1),
    ],
)
def test_malformed_input_is_refused(make):
    with pytest.raises(ValueError):
        make()


# --- properties against a minute-by-minute count -----------------------------------------------

minutes = st.integers(min_value=0, max_value=24 * 60 - 1)
daily_shifts = st.lists(
    st.builds(
        lambda s, e, n: DailyShift(time(s // 60, s % 60), time(e // 60, e % 60), n),
        minutes,
        minutes,
        st.integers(min_value=0, max_value=3),
    ),
    max_size=6,
)
requirements = st.one_of(
    st.integers(min_value=0, max_value=4),
    st.lists(st.integers(min_value=0, max_value=4), min_size=24, max_size=24),
)


def staffed_at(shifts, minute):
    total = 0
    for shift in shifts:
        s = shift.start.hour * 60 + shift.start.minute
        e = shift.end.hour * 60 + shift.end.minute
        on = s <= minute < e if e > s else (minute >= s or minute < e)
        total += shift.staff if on else 0
    return total


@given(daily_shifts, requirements)
def test_gaps_are_exactly_the_understaffed_minutes(shifts, required):
    need = [required] * 24 if isinstance(required, int) else required
    gaps = daily_plan_gaps(shifts=shifts, minimum_staff=required)
    reported = {}
    for gap in gaps:
        start, end = gap.start // timedelta(minutes=1), gap.end // timedelta(minutes=1)
        for minute in range(start, end):
            reported[minute] = (gap.staffed, gap.required)
    brute = {
        m: (staffed_at(shifts, m), need[m // 60])
        for m in range(24 * 60)
        if staffed_at(shifts, m) < need[m // 60]
    }
    assert reported == brute


@given(daily_shifts, requirements, st.randoms())
def test_gaps_do_not_depend_on_shift_order(shifts, required, rnd):
    shuffled = list(shifts)
    rnd.shuffle(shuffled)
    assert daily_plan_gaps(shifts=shifts, minimum_staff=required) == daily_plan_gaps(
        shifts=shuffled, minimum_staff=required
    )


@given(daily_shifts, requirements)
def test_gaps_are_sorted_disjoint_and_inside_the_day(shifts, required):
    gaps = daily_plan_gaps(shifts=shifts, minimum_staff=required)
    for gap in gaps:
        assert timedelta(0) <= gap.start < gap.end <= 24 * H
        assert gap.staffed < gap.required
    for a, b in zip(gaps, gaps[1:], strict=False):
        assert a.end <= b.start
