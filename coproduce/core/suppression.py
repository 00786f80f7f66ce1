"""Small-count suppression for aggregates shown beyond the people they count (PRODUCT.md 3.9).

Pure: no Django. Dashboards, public pages and care's counts for officials use the same rule.
"""

from __future__ import annotations

SUPPRESSED = "<5"


def suppress_small(n: int, threshold: int = 5) -> int | str:
    """Rule: a count of 1 to `threshold - 1` is shown as "<threshold"; 0 and larger counts as is.

    Zero is shown: it reveals no one. A count just under the threshold could single a person
    out (a severe screening in a small township), so it is hidden.
    """
    if threshold < 1:
        raise ValueError("the suppression threshold is at least 1")
    if n < 0:
        raise ValueError("a count is not negative")
    if 0 < n < threshold:
        return f"<{threshold}"
    return n
