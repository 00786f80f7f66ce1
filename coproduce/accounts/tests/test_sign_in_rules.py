"""The limits on failed sign-ins as pure rules (no database): properties checked by hypothesis."""

import string
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coproduce.accounts.rules import (
    SignInLimit,
    SignInLimits,
    SignInVerdict,
    locked_until,
    sign_in_address_key,
    sign_in_limits_applying,
    sign_in_newly_locked,
    sign_in_username_key,
    sign_in_verdict,
)

NOW = datetime(2020, 2, 12, 2, 0, tzinfo=UTC)
LIMITS = SignInLimits()  # 5 per pair and device, 30 per address, 50 per username, 15 minutes
TICK = timedelta(microseconds=1)

windows = st.integers(min_value=1, max_value=24 * 60).map(lambda m: timedelta(minutes=m))
allowances = st.integers(min_value=1, max_value=12)
# Failures from two windows before `now` to a few seconds after it (another host's clock).
offsets = st.integers(min_value=-2 * 24 * 3600 * 10**6, max_value=5 * 10**6)
failure_lists = st.lists(offsets.map(lambda us: NOW + timedelta(microseconds=us)), max_size=40)


def minutes_ago(*minutes: float) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


# --- examples ----------------------------------------------------------------------------------


def verdict(now=NOW, limits=LIMITS, known_device=False, **failures):
    return sign_in_verdict(
        failures={SignInLimit(k): v for k, v in failures.items()},
        known_device=known_device,
        now=now,
        limits=limits,
    )


def test_five_failures_of_a_username_from_one_address_lock_that_pair():
    failures = minutes_ago(14, 10, 5, 2, 1)
    v = verdict(pair=failures, address=failures, username=failures)
    assert not v.allowed
    assert v.limits == (SignInLimit.PAIR,)
    # The oldest of the five leaves the window 15 minutes after it: one minute from now.
    assert v.retry_at == NOW + timedelta(minutes=1)


def test_four_failures_leave_one_more_try():
    failures = minutes_ago(14, 10, 5, 1)
    assert verdict(pair=failures, address=failures, username=failures).allowed


def test_the_owner_elsewhere_is_not_locked_by_five_failures():
    """Another address has its own pair: only the username-wide count is shared (50)."""
    assert verdict(pair=[], address=[], username=minutes_ago(14, 10, 5, 2, 1)).allowed


def test_failures_older_than_the_window_do_not_count():
    failures = minutes_ago(15, 16, 20, 60, 1)
    assert locked_until(failures, now=NOW, allowed=5, window=LIMITS.window) is None


def test_thirty_failures_from_one_address_lock_it_whatever_the_usernames():
    v = verdict(pair=[], address=minutes_ago(*[m / 3 for m in range(30)]), username=[])
    assert v.limits == (SignInLimit.ADDRESS,)


def test_fifty_failures_from_many_addresses_lock_the_username():
    v = verdict(pair=[], address=[], username=minutes_ago(*[m / 4 for m in range(50)]))
    assert v.limits == (SignInLimit.USERNAME,)


def test_a_known_device_answers_only_to_its_own_count():
    everything = minutes_ago(*[m / 4 for m in range(50)])
    assert verdict(
        known_device=True, pair=everything, address=everything, username=everything, device=[]
    ).allowed
    assert verdict(known_device=True, device=minutes_ago(5, 4, 3, 2, 1)).limits == (
        SignInLimit.DEVICE,
    )


def test_a_locked_pair_and_address_wait_for_the_later_lock():
    v = verdict(pair=minutes_ago(14, 3, 3, 3, 3), address=minutes_ago(*[10] * 30), username=[])
    assert v.limits == (SignInLimit.PAIR, SignInLimit.ADDRESS)
    assert v.retry_at == NOW + timedelta(minutes=5)


def test_limits_must_allow_a_failure_within_a_real_window():
    for field in ("per_pair", "per_address", "per_username", "per_device"):
        with pytest.raises(ValueError):
            SignInLimits(**{field: 0})
    with pytest.raises(ValueError):
        SignInLimits(window=timedelta(0))


def test_a_failure_locks_what_was_not_locked_before():
    before = SignInVerdict(until={})
    after = SignInVerdict(until={SignInLimit.ADDRESS: NOW, SignInLimit.PAIR: NOW})
    assert sign_in_newly_locked(before, after) == (SignInLimit.PAIR, SignInLimit.ADDRESS)
    assert sign_in_newly_locked(after, after) == ()


def test_usernames_count_alike_whatever_their_case_and_unicode_form():
    assert sign_in_username_key("County_Official") == sign_in_username_key("county_official")
    assert sign_in_username_key("ｃｏｕｎｔｙ") == sign_in_username_key("county")  # full-width
    assert sign_in_username_key("alice") != sign_in_username_key("alicia")


def test_an_ipv6_network_counts_as_one_address():
    assert sign_in_address_key("2001:db8:1:2::1") == sign_in_address_key("2001:db8:1:2:ffff::9")
    assert sign_in_address_key("2001:db8:1:2::1") != sign_in_address_key("2001:db8:1:3::1")
    assert sign_in_address_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"


def test_ipv4_addresses_count_one_by_one():
    assert sign_in_address_key("192.0.2.1") == "192.0.2.1"
    assert sign_in_address_key("192.0.2.1") != sign_in_address_key("192.0.2.2")
    assert sign_in_address_key("::ffff:192.0.2.1") == "192.0.2.1"


def test_a_missing_or_malformed_address_shares_one_quota():
    assert sign_in_address_key(None) == sign_in_address_key("") == sign_in_address_key("x")


# --- properties --------------------------------------------------------------------------------


@given(failures=failure_lists, allowed=allowances, window=windows)
def test_locked_exactly_when_the_window_holds_as_many_failures_as_allowed(
    failures, allowed, window
):
    in_window = [at for at in failures if at > NOW - window]
    until = locked_until(failures, now=NOW, allowed=allowed, window=window)
    assert (until is not None) == (len(in_window) >= allowed)


@given(failures=failure_lists, allowed=allowances, window=windows)
def test_a_lock_ends_at_its_retry_time_and_not_a_moment_before(failures, allowed, window):
    until = locked_until(failures, now=NOW, allowed=allowed, window=window)
    assume(until is not None)
    assert until > NOW
    assert locked_until(failures, now=until, allowed=allowed, window=window) is None
    assert locked_until(failures, now=until - TICK, allowed=allowed, window=window) is not None


@given(failures=failure_lists, allowed=allowances, window=windows)
def test_a_lock_never_outlasts_one_window_after_the_newest_failure(failures, allowed, window):
    until = locked_until(failures, now=NOW, allowed=allowed, window=window)
    assume(until is not None)
    assert until <= max(failures) + window


@given(failures=failure_lists, allowed=allowances, window=windows, data=st.data())
def test_the_order_of_failures_does_not_matter(failures, allowed, window, data):
    shuffled = data.draw(st.permutations(failures))
    assert locked_until(failures, now=NOW, allowed=allowed, window=window) == locked_until(
        shuffled, now=NOW, allowed=allowed, window=window
    )


@given(failures=failure_lists, allowed=allowances, window=windows)
def test_the_newest_allowed_failures_decide_alone(failures, allowed, window):
    # What lets the database return at most `allowed` rows per key.
    newest = sorted((at for at in failures if at > NOW - window), reverse=True)[:allowed]
    assert locked_until(failures, now=NOW, allowed=allowed, window=window) == locked_until(
        newest, now=NOW, allowed=allowed, window=window
    )


@given(failures=failure_lists, extra=offsets, allowed=allowances, window=windows)
def test_another_failure_never_shortens_a_lock_or_lifts_it(failures, extra, allowed, window):
    before = locked_until(failures, now=NOW, allowed=allowed, window=window)
    after = locked_until(
        [*failures, NOW + timedelta(microseconds=extra)], now=NOW, allowed=allowed, window=window
    )
    if before is not None:
        assert after is not None and after >= before


@given(failures=failure_lists, old=failure_lists, allowed=allowances, window=windows)
def test_failures_that_left_the_window_change_nothing(failures, old, allowed, window):
    expired = [at for at in old if at <= NOW - window]
    assert locked_until(failures, now=NOW, allowed=allowed, window=window) == locked_until(
        [*failures, *expired], now=NOW, allowed=allowed, window=window
    )


@given(
    pairs=failure_lists,
    addresses=failure_lists,
    users=failure_lists,
    devices=failure_lists,
    known=st.booleans(),
    per_pair=allowances,
    window=windows,
)
def test_an_attempt_waits_for_every_lock_that_applies_and_only_those_refuse_it(
    pairs, addresses, users, devices, known, per_pair, window
):
    limits = SignInLimits(
        per_pair=per_pair,
        per_address=per_pair * 6,
        per_username=per_pair * 10,
        per_device=per_pair,
        window=window,
    )
    failures = {
        SignInLimit.PAIR: pairs,
        SignInLimit.ADDRESS: addresses,
        SignInLimit.USERNAME: users,
        SignInLimit.DEVICE: devices,
    }
    v = sign_in_verdict(failures=failures, known_device=known, now=NOW, limits=limits)
    applying = sign_in_limits_applying(known_device=known)
    locks = {
        limit: locked_until(failures[limit], now=NOW, allowed=limits.allowed(limit), window=window)
        for limit in applying
    }
    assert v.until == {limit: at for limit, at in locks.items() if at is not None}
    assert v.allowed == all(at is None for at in locks.values())
    if not v.allowed:
        assert v.retry_at == max(at for at in locks.values() if at is not None)
        later = sign_in_verdict(
            failures=failures, known_device=known, now=v.retry_at, limits=limits
        )
        assert later.allowed


@given(failures=failure_lists, per_pair=allowances)
def test_no_count_of_other_keys_ever_refuses_a_known_device(failures, per_pair):
    """However many failures others cause, a known device with none of its own signs in."""
    limits = SignInLimits(per_pair=per_pair, per_device=per_pair)
    flood = {limit: failures for limit in SignInLimit if limit != SignInLimit.DEVICE}
    assert sign_in_verdict(failures=flood, known_device=True, now=NOW, limits=limits).allowed


@given(name=st.text(alphabet=string.ascii_letters + string.digits + "_.@+-", max_size=40))
def test_a_username_counts_the_same_in_any_case_and_with_spaces_around(name):
    assert sign_in_username_key(name.upper()) == sign_in_username_key(f" {name.lower()} ")
