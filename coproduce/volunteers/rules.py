"""Volunteer rules: service records, hours earned from them, and sign-up to calls (PRODUCT.md 3.5).

Pure functions and frozen dataclasses: no Django, no I/O, no clock reads (``now`` is a
parameter). Times are timezone-aware datetimes (API.md: "times carry a UTC offset"); a naive
time is refused rather than guessed. Intervals are half-open, ``[start, end)``, so a shift that
ends at 12:00 and one that starts at 12:00 do not overlap.

Hours are counted in whole minutes (``int``), the unit of the Voluntary Bank ledger
(``coproduce.timebank.rules``, which sits above this app and so is not imported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

Interval = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class ServicePolicy:
    """Settings for service records and the hours they earn, with their defaults."""

    # 16 h: the default of the setting. Checkpoints ran 24 hours a day (the paper, Yinzhou) in
    # shifts; a record longer than two back-to-back 8-hour shifts is a forgotten check-out.
    max_duration: timedelta = timedelta(hours=16)
    # Device clocks drift and phones queue scans offline; a few minutes ahead of the server's
    # clock is tolerated, more is refused as a record in the future.
    future_leeway: timedelta = timedelta(minutes=5)
    # Optional cap on hours credited per day (None: no cap), so that a coordinator's bulk entry
    # cannot credit more than a day can hold. The day is the local date of the record's start.
    daily_cap_minutes: int | None = None


class ServiceProblemCode(StrEnum):
    """Reason codes for a refused service record."""

    NAIVE_TIME = "naive_time"
    END_BEFORE_START = "end_before_start"
    ZERO_DURATION = "zero_duration"
    TOO_LONG = "too_long"
    IN_FUTURE = "in_future"
    OVERLAP = "overlap"


@dataclass(frozen=True, slots=True)
class ServiceProblem:
    """One reason a service record is refused, naming the field it concerns."""

    code: ServiceProblemCode
    field: str
    message: str


def _aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


def intervals_overlap(a: Interval, b: Interval) -> bool:
    """Rule: half-open intervals overlap when each starts before the other ends."""
    return a[0] < b[1] and b[0] < a[1]


def service_record_check(
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    existing: Iterable[Interval],
    policy: ServicePolicy = ServicePolicy(),
) -> tuple[ServiceProblem, ...]:
    """Rule: a record ends after it starts, lasts at most 16 h, is not in the future, no overlap.

    ``existing`` are the volunteer's other records (excluding this one when it is edited).
    Returns every problem found; an empty tuple means the record is acceptable.
    """
    for name, value in (("start", start), ("end", end), ("now", now)):
        if not _aware(value):
            # Comparing naive and aware times raises or, worse, silently mixes zones.
            return (
                ServiceProblem(ServiceProblemCode.NAIVE_TIME, name, f"{name} needs a UTC offset"),
            )
    problems: list[ServiceProblem] = []
    if end < start:
        problems.append(
            ServiceProblem(
                ServiceProblemCode.END_BEFORE_START, "end", "check-out is before check-in"
            )
        )
    elif end == start:
        problems.append(
            ServiceProblem(ServiceProblemCode.ZERO_DURATION, "end", "check-out equals check-in")
        )
    elif end - start > policy.max_duration:
        hours = policy.max_duration / timedelta(hours=1)
        problems.append(
            ServiceProblem(
                ServiceProblemCode.TOO_LONG, "end", f"a record lasts at most {hours:g} h"
            )
        )
    limit = now + policy.future_leeway
    if start > limit:
        problems.append(
            ServiceProblem(ServiceProblemCode.IN_FUTURE, "start", "start is in the future")
        )
    if end > limit:
        problems.append(ServiceProblem(ServiceProblemCode.IN_FUTURE, "end", "end is in the future"))
    if start < end:
        for other in existing:
            if intervals_overlap((start, end), other):
                # One person cannot serve in two places at once; an overlap is a double count.
                problems.append(
                    ServiceProblem(
                        ServiceProblemCode.OVERLAP,
                        "start",
                        f"overlaps another record from {other[0].isoformat()} "
                        f"to {other[1].isoformat()}",
                    )
                )
                break
    return tuple(problems)


def service_minutes(*, start: datetime, end: datetime) -> int:
    """Rule: a record's duration in whole minutes, seconds dropped (never credit unserved time)."""
    if end <= start:
        return 0
    return int((end - start) // timedelta(minutes=1))


def hours_earned(
    *,
    start: datetime,
    end: datetime,
    earned_same_day: int = 0,
    policy: ServicePolicy = ServicePolicy(),
) -> int:
    """Rule: a confirmed record earns its whole minutes, capped by what the day has left.

    ``earned_same_day`` is the minutes already credited to the volunteer for records starting on
    the same local day as this one. Only confirmed records earn (PRODUCT.md 3.5: "confirmed by a
    second party before they count"); the caller checks confirmation.
    """
    minutes = service_minutes(start=start, end=end)
    if policy.daily_cap_minutes is not None:
        minutes = min(minutes, max(0, policy.daily_cap_minutes - earned_same_day))
    return minutes


class SignupProblemCode(StrEnum):
    """Reason codes for a refused sign-up to a call for volunteers."""

    CALL_CLOSED = "call_closed"
    CALL_FULL = "call_full"
    ALREADY_SIGNED_UP = "already_signed_up"
    DOUBLE_BOOKED = "double_booked"
    MISSING_SKILLS = "missing_skills"


@dataclass(frozen=True, slots=True)
class SignupProblem:
    """One reason a sign-up is refused."""

    code: SignupProblemCode
    message: str


@dataclass(frozen=True, slots=True)
class Shift:
    """A call's shift: when it runs, how many volunteers it needs, which skills it asks for."""

    start: datetime
    end: datetime
    capacity: int
    required_skills: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a shift ends after it starts")
        if self.capacity < 1:
            raise ValueError("a shift needs at least one volunteer")


def signup_check(
    *,
    shift: Shift,
    now: datetime,
    taken: int,
    already_signed_up: bool,
    volunteer_shifts: Iterable[Interval],
    volunteer_skills: Set[str] = frozenset(),
) -> tuple[SignupProblem, ...]:
    """Rule: sign up only to an open shift with room, once, without overlapping another one.

    ``taken`` is the number of active sign-ups already on the shift; ``volunteer_shifts`` the
    volunteer's other active sign-ups and booked duties.
    """
    problems: list[SignupProblem] = []
    if shift.start <= now:
        # A shift that has begun is staffed by who is there; late joiners check in directly.
        problems.append(SignupProblem(SignupProblemCode.CALL_CLOSED, "the shift has started"))
    if already_signed_up:
        problems.append(
            SignupProblem(SignupProblemCode.ALREADY_SIGNED_UP, "already signed up for this shift")
        )
    elif taken >= shift.capacity:
        problems.append(
            SignupProblem(SignupProblemCode.CALL_FULL, f"all {shift.capacity} places are taken")
        )
    missing = shift.required_skills - set(volunteer_skills)
    if missing:
        problems.append(
            SignupProblem(
                SignupProblemCode.MISSING_SKILLS, "missing skills: " + ", ".join(sorted(missing))
            )
        )
    for other in volunteer_shifts:
        if intervals_overlap((shift.start, shift.end), other):
            problems.append(
                SignupProblem(
                    SignupProblemCode.DOUBLE_BOOKED,
                    f"already booked from {other[0].isoformat()} to {other[1].isoformat()}",
                )
            )
            break
    return tuple(problems)


# --- stages of the response (PRODUCT.md 2), for the reports --------------------------------

# The paper's dates for Zhejiang, used when no region-specific stages are given: stage 2 from
# 2020-02-10, stage 3 from 2020-03-01 (PRODUCT.md 5). The stages app sits above this one and
# may hand the reports a region's own dates instead.
PAPER_STAGE_STARTS: tuple[tuple[int, date], ...] = (
    (1, date(2020, 1, 1)),
    (2, date(2020, 2, 10)),
    (3, date(2020, 3, 1)),
)


def stage_of(day: date, starts: Iterable[tuple[int, date]] = PAPER_STAGE_STARTS) -> int | None:
    """Rule: the stage in force on a day is the last one that started on or before it."""
    current = None
    for stage, since in sorted(starts, key=lambda s: s[1]):
        if since <= day:
            current = stage
    return current


def call_in_range(*, call_region_path: str, home_region_path: str, member: bool) -> bool:
    """Rule: a volunteer sees a call that serves their home region, or one of their organization."""
    return member or home_region_path.startswith(call_region_path)


def ancestor_paths(path: str) -> list[str]:
    """The materialized paths of a region and every region above it ("/a/b/" -> "/a/", "/a/b/")."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
