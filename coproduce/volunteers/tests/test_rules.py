"""Tests of the service-record and sign-up rules (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from coproduce.volunteers.rules import (
    ServicePolicy,
    ServiceProblemCode,
    Shift,
    SignupProblemCode,
    hours_earned,
    intervals_overlap,
    service_minutes,
    service_record_check,
    signup_check,
)

CST = timezone(timedelta(hours=8))  # Zhejiang's offset
NOW = datetime(2020, 2, 5, 18, 0, tzinfo=CST)
H = timedelta(hours=1)
M = timedelta(minutes=1)
DEFAULT_POLICY = ServicePolicy()


def check(start, end, existing=(), now=NOW, policy=DEFAULT_POLICY):
    return {
        p.code
        for p in service_record_check(
            start=start, end=end, now=now, existing=list(existing), policy=policy
        )
    }


# --- service records at the edges ----------------------------------------------------------


def test_ordinary_morning_at_a_checkpoint_is_accepted():
    assert check(NOW - 10 * H, NOW - 6 * H) == set()


def test_end_before_start_is_refused():
    assert check(NOW - 2 * H, NOW - 3 * H) == {ServiceProblemCode.END_BEFORE_START}


def test_zero_length_record_is_refused():
    assert check(NOW - H, NOW - H) == {ServiceProblemCode.ZERO_DURATION}


def test_exactly_16_hours_is_accepted_one_minute_more_is_refused():
    assert check(NOW - 16 * H, NOW) == set()
    assert check(NOW - 16 * H - M, NOW) == {ServiceProblemCode.TOO_LONG}


def test_longer_limit_is_a_setting():
    assert check(NOW - 20 * H, NOW, policy=ServicePolicy(max_duration=24 * H)) == set()


def test_end_in_the_future_beyond_the_leeway_is_refused():
    assert check(NOW - H, NOW + 5 * M) == set()  # a phone clock a little ahead
    assert check(NOW - H, NOW + 6 * M) == {ServiceProblemCode.IN_FUTURE}


def test_record_overlapping_another_is_refused_touching_is_not():
    other = (NOW - 8 * H, NOW - 4 * H)
    assert check(NOW - 5 * H, NOW - 3 * H, [other]) == {ServiceProblemCode.OVERLAP}
    assert check(NOW - 4 * H, NOW - 2 * H, [other]) == set()


def test_naive_time_is_refused():
    naive = datetime(2020, 2, 5, 8, 0)
    assert check(naive, naive + H) == {ServiceProblemCode.NAIVE_TIME}


def test_times_in_different_offsets_compare_as_instants():
    start = datetime(2020, 2, 5, 1, 0, tzinfo=UTC)  # 09:00 in Zhejiang
    other = (datetime(2020, 2, 5, 8, 0, tzinfo=CST), datetime(2020, 2, 5, 10, 0, tzinfo=CST))
    assert check(start, start + H, [other]) == {ServiceProblemCode.OVERLAP}


def test_hours_earned_drop_seconds_and_respect_the_daily_cap():
    start = NOW - 3 * H
    assert hours_earned(start=start, end=start + 90 * M + timedelta(seconds=59)) == 90
    capped = ServicePolicy(daily_cap_minutes=12 * 60)
    assert (
        hours_earned(start=start, end=start + 3 * H, earned_same_day=10 * 60, policy=capped) == 120
    )
    assert hours_earned(start=start, end=start + 3 * H, earned_same_day=13 * 60, policy=capped) == 0


# --- service record properties -------------------------------------------------------------

offsets = st.integers(min_value=-3 * 24 * 60, max_value=24 * 60)  # minutes from NOW


@given(offsets, offsets, st.lists(st.tuples(offsets, st.integers(1, 16 * 60)), max_size=8))
def test_accepted_record_is_ordered_bounded_past_and_overlap_free(a, b, others):
    start, end = NOW + a * M, NOW + b * M
    existing = [(NOW + s * M, NOW + (s + d) * M) for s, d in others]
    problems = check(start, end, existing)
    if not problems:
        assert start < end
        assert end - start <= 16 * H
        assert end <= NOW + 5 * M
        assert not any(intervals_overlap((start, end), o) for o in existing)
    else:
        # Every refusal is explained by one of the rules.
        assert (
            end <= start
            or end - start > 16 * H
            or end > NOW + 5 * M
            or start > NOW + 5 * M
            or any(intervals_overlap((start, end), o) for o in existing)
        )


@given(
    st.integers(0, 24 * 60),
    st.integers(0, 60 * 60),
    st.integers(0, 24 * 60),
    st.one_of(st.none(), st.integers(0, 24 * 60)),
)
def test_hours_earned_never_exceed_duration_nor_the_days_cap(minutes, seconds, before, cap):
    start = NOW - 30 * H
    end = start + minutes * M + timedelta(seconds=seconds % 60)
    earned = hours_earned(
        start=start, end=end, earned_same_day=before, policy=ServicePolicy(daily_cap_minutes=cap)
    )
    assert 0 <= earned <= service_minutes(start=start, end=end) == minutes
    if cap is not None:
        assert earned <= max(0, cap - before)
        assert earned == min(minutes, max(0, cap - before))
    else:
        assert earned == minutes


# --- sign-up ---------------------------------------------------------------------------------

SHIFT = Shift(
    start=NOW + 2 * H, end=NOW + 6 * H, capacity=3, required_skills=frozenset({"driving"})
)


def signup(taken=0, already=False, mine=(), skills=frozenset({"driving"}), now=NOW, shift=SHIFT):
    return {
        p.code
        for p in signup_check(
            shift=shift,
            now=now,
            taken=taken,
            already_signed_up=already,
            volunteer_shifts=list(mine),
            volunteer_skills=skills,
        )
    }


def test_signup_with_room_and_skills_is_accepted():
    assert signup(taken=2) == set()


def test_signup_to_a_full_call_is_refused():
    assert signup(taken=3) == {SignupProblemCode.CALL_FULL}


def test_signup_twice_is_refused():
    assert signup(already=True) == {SignupProblemCode.ALREADY_SIGNED_UP}


def test_signup_overlapping_another_shift_is_a_double_booking():
    assert signup(mine=[(NOW + 5 * H, NOW + 8 * H)]) == {SignupProblemCode.DOUBLE_BOOKED}
    assert signup(mine=[(NOW + 6 * H, NOW + 8 * H)]) == set()


def test_signup_without_the_skills_is_refused():
    assert signup(skills=frozenset()) == {SignupProblemCode.MISSING_SKILLS}


def test_signup_after_the_shift_started_is_refused():
    assert signup(now=NOW + 3 * H) == {SignupProblemCode.CALL_CLOSED}


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(1, 12), st.integers(1, 3), st.integers(0, 4)),
        min_size=1,
        max_size=30,
    )
)
def test_accepted_signups_never_exceed_capacity_nor_overlap(requests):
    """A volunteer tries random shifts, some already filling up; what is accepted is consistent."""
    mine: list[tuple[datetime, datetime]] = []
    for s, d, capacity, taken in requests:
        shift = Shift(start=NOW + s * H, end=NOW + (s + d) * H, capacity=capacity)
        problems = signup(taken=taken, mine=mine, skills=frozenset(), now=NOW - H, shift=shift)
        overlaps = any(intervals_overlap((shift.start, shift.end), o) for o in mine)
        assert (SignupProblemCode.CALL_FULL in problems) == (taken >= capacity)
        assert (SignupProblemCode.DOUBLE_BOOKED in problems) == overlaps
        if not problems:
            mine.append((shift.start, shift.end))
    for x in range(len(mine)):
        for y in range(x + 1, len(mine)):
            assert not intervals_overlap(mine[x], mine[y])
