"""core.ratelimit: fixed windows counted in the cache, shared out between web processes."""

import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.core.errors import RateLimited
from coproduce.core.ratelimit import rate_limit, rate_limit_hit

MINUTE0 = 1_800_000_000.0  # the start of a minute (a multiple of 60)


@given(
    limit=st.integers(min_value=1, max_value=30),
    offsets=st.lists(st.floats(min_value=0, max_value=179.999), max_size=120),
)
@settings(max_examples=60)
def test_no_minute_lets_more_than_the_limit_through(limit, offsets):
    cache.clear()
    allowed: dict[int, int] = {}
    for offset in sorted(offsets):
        now = MINUTE0 + offset
        retry = rate_limit_hit(key="k", per_minute=limit, now=now)
        minute = int(offset // 60)
        if retry is None:
            allowed[minute] = allowed.get(minute, 0) + 1
        else:
            # Refused only once the minute's quota is spent, and told to wait for the next one.
            assert allowed.get(minute, 0) == limit
            assert 1 <= retry <= 60 and now + retry >= MINUTE0 + (minute + 1) * 60
    assert all(n <= limit for n in allowed.values())


def test_keys_count_apart_and_zero_means_no_limit():
    for _ in range(3):
        assert rate_limit_hit(key="a", per_minute=3, now=MINUTE0) is None
    assert rate_limit_hit(key="a", per_minute=3, now=MINUTE0 + 1) == 59
    assert rate_limit_hit(key="b", per_minute=3, now=MINUTE0 + 1) is None
    assert all(rate_limit_hit(key="c", per_minute=0) is None for _ in range(1000))


def test_the_quota_is_shared_out_between_the_server_processes(monkeypatch):
    monkeypatch.setenv("COPRODUCE_SERVE_WORKERS", "4")
    allowed = [rate_limit_hit(key="w", per_minute=10, now=MINUTE0) is None for _ in range(5)]
    assert allowed == [True, True, True, False, False]  # ceil(10 / 4) in this process


def test_a_refusal_says_when_to_try_again():
    rate_limit(key="r", per_minute=1, what="scans")
    with pytest.raises(RateLimited) as refused:
        rate_limit(key="r", per_minute=1, what="scans")
    assert refused.value.status == 429 and 1 <= refused.value.retry_after <= 60
