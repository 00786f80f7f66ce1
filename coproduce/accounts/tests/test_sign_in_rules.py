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
    sign_in_newly_locked,
    sign_in_username_key,
    sign_in_verdict,
)

NOW = datetime(2020, 2, 12, 2, 0, tzinfo=UTC)
LIMITS = SignInLimits()  # 5 per username, 30 per address, 15 minutes
TICK = timedelta(microseconds=1)

windows = st.integers(min_value=1, max_value=24 * 60).map(lambda m: timedelta(minutes=m))
allowances = st.integers(min_value=1, max_value=12)
# Failures from two windows before `now` to a few seconds after it (another host's clock).
offsets = st.integers(min_value=-2 * 24 * 3600 * 10**6, max_value=5 * 10**6)
failure_lists = st.lists(offsets.map(lambda us: NOW + timedelta(microseconds=us)), max_size=40)


def minutes_ago(*minutes: float) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


# --- examples ----------------------------------------------------------------------------------


def test_five_failures_in_fifteen_minutes_lock_a_username():
    failures = minutes_ago(14, 10, 5, 2, 1)
    verdict = sign_in_verdict(
        username_failures=failures, address_failures=failures, now=NOW, limits=LIMITS
    )
    assert not verdict.allowed
    assert verdict.limits == (SignInLimit.USERNAME,)
    # The oldest of the five leaves the window 15 minutes after it: one minute from now.
    assert verdict.retry_at == NOW + timedelta(minutes=1)


def test_four_failures_leave_one_more_try():
    failures = minutes_ago(14, 10, 5, 1)
    assert sign_in_verdict(
        username_failures=failures, address_failures=failures, now=NOW, limits=LIMITS
    ).allowed


def test_failures_older_than_the_window_do_not_count():
    failures = minutes_ago(15, 16, 20, 60, 1)
    assert locked_until(failures, now=NOW, allowed=5, window=LIMITS.window) is None


def test_thirty_failures_from_one_address_lock_it_whatever_the_usernames():
    verdict = sign_in_verdict(
        username_failures=[],
        address_failures=minutes_ago(*[m / 3 for m in range(30)]),
        now=NOW,
        limits=LIMITS,
    )
    assert verdict.limits == (SignInLimit.ADDRESS,)


def test_a_locked_username_and_address_wait_for_the_later_lock():
    verdict = sign_in_verdict(
        username_failures=minutes_ago(14, 3, 3, 3, 3),
        address_failures=minutes_ago(*[10] * 30),
        now=NOW,
        limits=LIMITS,
    )
    assert verdict.limits == (SignInLimit.USERNAME, SignInLimit.ADDRESS)
    assert verdict.retry_at == NOW + timedelta(minutes=5)


def test_limits_must_allow_a_failure_within_a_real_window():
    with pytest.raises(ValueError):
        SignInLimits(per_username=0)
    with pytest.raises(ValueError):
        SignInLimits(per_address=0)
    with pytest.raises(ValueError):
        SignInLimits(window=timedelta(0))


def test_a_failure_locks_what_was_not_locked_before():
    before = SignInVerdict(until={})
    after = SignInVerdict(until={SignInLimit.ADDRESS: NOW, SignInLimit.USERNAME: NOW})
    assert sign_in_newly_locked(before, after) == (SignInLimit.USERNAME, SignInLimit.ADDRESS)
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


@given(users=failure_lists, addresses=failure_lists, per_user=allowances, window=windows)
def test_an_attempt_waits_for_every_lock_and_only_locks_refuse_it(
    users, addresses, per_user, window
):
    limits = SignInLimits(per_username=per_user, per_address=per_user * 6, window=window)
    verdict = sign_in_verdict(
        username_failures=users, address_failures=addresses, now=NOW, limits=limits
    )
    user_lock = locked_until(users, now=NOW, allowed=limits.per_username, window=window)
    address_lock = locked_until(addresses, now=NOW, allowed=limits.per_address, window=window)
    assert verdict.allowed == (user_lock is None and address_lock is None)
    assert verdict.until.get(SignInLimit.USERNAME) == user_lock
    assert verdict.until.get(SignInLimit.ADDRESS) == address_lock
    if not verdict.allowed:
        assert verdict.retry_at == max(t for t in (user_lock, address_lock) if t is not None)
        later = sign_in_verdict(
            username_failures=users, address_failures=addresses, now=verdict.retry_at, limits=limits
        )
        assert later.allowed


@given(name=st.text(alphabet=string.ascii_letters + string.digits + "_.@+-", max_size=40))
def test_a_username_counts_the_same_in_any_case_and_with_spaces_around(name):
    assert sign_in_username_key(name.upper()) == sign_in_username_key(f" {name.lower()} ")
