"""Request rate limits in fixed windows, counted in the configured cache (PRODUCT.md 4).

Cheap enough for the busiest endpoint (two cache operations, no database write). With the
default per-process cache each web process counts alone, so a limit is shared out between the
processes `coproduce serve` starts (COPRODUCE_SERVE_WORKERS, which it sets): under steady load
gunicorn spreads requests evenly, and the whole stays near the limit. With a shared cache
(COPRODUCE_CACHE_URL, Redis) every process on every machine counts in the same key, whose
add (SET NX) and incr (INCR) are atomic on the server: N processes allow exactly the limit.
"""

import math
import os
import time

from django.conf import settings
from django.core.cache import cache

from coproduce.core.errors import RateLimited


def _processes() -> int:
    """How many processes share out a limit: 1 when the cache is shared by all of them."""
    if settings.CACHE_URL:
        return 1
    try:
        return max(1, int(os.environ.get("COPRODUCE_SERVE_WORKERS", "1")))
    except ValueError:
        return 1


def rate_limit_hit(*, key: str, per_minute: int, now: float | None = None) -> int | None:
    """Count one request under `key`; when it passes `per_minute` in the current minute, the
    whole seconds until the next minute begins, else None. `per_minute` 0 means no limit."""
    if per_minute <= 0:
        return None
    now = time.time() if now is None else now
    window = int(now // 60)
    cache_key = f"coproduce.rate:{key}:{window}"
    if cache.add(cache_key, 1, timeout=61):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between the two calls: a new window
            cache.set(cache_key, 1, timeout=61)
            count = 1
    if count <= math.ceil(per_minute / _processes()):
        return None
    return max(1, math.ceil((window + 1) * 60 - now))


def rate_limit(*, key: str, per_minute: int, what: str) -> None:
    """Refuse (429, with Retry-After) a request over the limit."""
    retry_after = rate_limit_hit(key=key, per_minute=per_minute)
    if retry_after is not None:
        raise RateLimited(
            f"Too many {what}: at most {per_minute} a minute. Try again in {retry_after} s.",
            retry_after=retry_after,
        )
