"""Labor-sharing rules: postings, the distance between two places, the balance of a county.

Pure functions and frozen dataclasses: no Django, no I/O, no clock reads. The matching engine
itself (a min-cost flow) is in ``matching.py``, also pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Mean Earth radius of the IUGG (km): the haversine distance's sphere.
EARTH_RADIUS_KM = 6371.0088
# The default maximum commuting distance between a lender and a borrower (issue 14).
DEFAULT_MAX_DISTANCE_KM = 50.0
# A posting is for a shared stint, not a transfer: more than this many days is a hiring.
MAX_POSTING_DAYS = 366
# One posting names at most this many workers (a large plant's whole shift).
MAX_POSTING_WORKERS = 10_000


class PostingKind(StrEnum):
    """Which side of the labor market a posting is on."""

    SURPLUS = "surplus"  # idle workers an enterprise can lend
    SHORTAGE = "shortage"  # workers an enterprise lacks


class PostingState(StrEnum):
    """Where a posting stands: open until fully covered by agreements, or withdrawn."""

    OPEN = "open"
    MATCHED = "matched"  # every worker of it is in an agreement
    WITHDRAWN = "withdrawn"


class ProposalState(StrEnum):
    """A proposed loan waits for both enterprises; one refusal ends it."""

    PENDING = "pending"
    ACCEPTED = "accepted"  # both accepted: an agreement exists
    REFUSED = "refused"
    LAPSED = "lapsed"  # its workers went elsewhere first (another agreement took them)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def posting_problems(
    *, workers: int, start_date: date, end_date: date, today: date | None = None
) -> dict[str, str]:
    """The field errors of a posting's count and dates (empty when it is valid)."""
    problems: dict[str, str] = {}
    if workers < 1:
        problems["workers"] = "at least one worker"
    elif workers > MAX_POSTING_WORKERS:
        problems["workers"] = f"at most {MAX_POSTING_WORKERS} workers in one posting"
    if end_date < start_date:
        problems["end_date"] = "the end date is before the start date"
    elif (end_date - start_date).days + 1 > MAX_POSTING_DAYS:
        problems["end_date"] = f"a posting lasts at most {MAX_POSTING_DAYS} days"
    if today is not None and end_date < today:
        problems.setdefault("end_date", "the period is already over")
    return problems


def covers(
    surplus_start: date, surplus_end: date, shortage_start: date, shortage_end: date
) -> bool:
    """Whether a surplus's dates cover a shortage's whole period (the lent workers stay)."""
    return surplus_start <= shortage_start and shortage_end <= surplus_end


@dataclass(frozen=True)
class Remaining:
    """What is left of a posting after its agreements: open workers and the next state."""

    workers: int
    state: PostingState


def after_agreement(*, posted: int, committed: int, workers: int) -> Remaining:
    """A posting after an agreement of `workers` on top of `committed` ones already agreed.

    Refuses (ValueError) an agreement that would commit more workers than were posted: the
    service turns that into a conflict (two acceptances racing for the same surplus).
    """
    if workers < 1:
        raise ValueError("an agreement shares at least one worker")
    left = posted - committed - workers
    if left < 0:
        raise ValueError("the agreement would commit more workers than the posting has")
    return Remaining(left, PostingState.MATCHED if left == 0 else PostingState.OPEN)


def balance(available: int, demand: int) -> int:
    """A county's labor balance: idle workers on offer minus workers sought (negative: short)."""
    return available - demand
