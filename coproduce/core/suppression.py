"""Small counts on public pages: fewer than 5 people are shown as "<5" (PRODUCT.md 3.9)."""

SMALL = 5


def suppress_small(n: int, threshold: int = SMALL) -> int | str:
    """Rule: a public count under the threshold is shown as "<threshold", never as itself.

    Zero is suppressed too: "0" would tell a reader, beside the province's total, that none of
    the few were here. Non-count values (money, percentages) are not passed through this.
    """
    if n < threshold:
        return f"<{threshold}"
    return n
