"""Checkpoint staffing plan coverage: pure rules (PRODUCT.md 3.3: a 24-hour plan, gaps shown).

The paper's checkpoints were staffed around the clock ("24-hour health codes checking and
temperature measurement" in Yinzhou), so a plan is judged over a whole day: every moment needs
at least the minimum staff of its hour, and the gaps are the intervals where it falls short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Shift:
    """A dated shift: ``staff`` people on duty from ``start`` (inclusive) to ``end`` (exclusive).

    A shift crossing midnight simply ends on the next day; the part outside the judged window is
    ignored, so the night shift that began yesterday covers the early hours of today.
    """

    start: datetime
    end: datetime
    staff: int

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a shift must end after it starts")
        if self.staff < 0:
            raise ValueError("staff must not be negative")


@dataclass(frozen=True, slots=True)
class DailyShift:
    """A shift of a plan repeated every day, by clock time; ``end <= start`` crosses midnight.

    ``end == start`` means a 24-hour shift. 22:00-06:00 covers 22:00-24:00 and 00:00-06:00 of
    every day, since the plan repeats.
    """

    start: time
    end: time
    staff: int

    def __post_init__(self) -> None:
        if self.staff < 0:
            raise ValueError("staff must not be negative")


@dataclass(frozen=True, slots=True)
class Gap:
    """An interval [start, end) with fewer staff on duty than required."""

    start: datetime
    end: datetime
    staffed: int
    required: int


@dataclass(frozen=True, slots=True)
class DailyGap:
    """A gap of a daily plan, as offsets from midnight in [0 h, 24 h]."""

    start: timedelta
    end: timedelta
    staffed: int
    required: int


def _required_by_hour(minimum_staff: int | Sequence[int], hours: int) -> tuple[int, ...]:
    if isinstance(minimum_staff, int):
        if minimum_staff < 0:
            raise ValueError("minimum staff must not be negative")
        return (minimum_staff,) * hours
    required = tuple(minimum_staff)
    if len(required) != hours:
        raise ValueError(f"minimum staff needs one value per hour of the window ({hours})")
    if any(value < 0 for value in required):
        raise ValueError("minimum staff must not be negative")
    return required


def coverage_gaps(
    *,
    shifts: Sequence[Shift],
    window_start: datetime,
    minimum_staff: int | Sequence[int],
    window_end: datetime | None = None,
) -> tuple[Gap, ...]:
    """Rule: the intervals of the window where staff on duty fall below the hour's minimum.

    ``minimum_staff`` is one number for every hour, or one number per hour counted from
    ``window_start`` (24 values for a day). The window defaults to 24 hours. Adjacent short
    intervals with the same staffed and required counts are merged; the result is sorted.
    """
    end = window_end if window_end is not None else window_start + _DAY
    if end <= window_start:
        raise ValueError("the window must end after it starts")
    hours = -(-(end - window_start) // _HOUR)  # ceiling: a partial last hour has a minimum too
    required = _required_by_hour(minimum_staff, hours)

    # Sweep line: staff changes at clipped shift bounds, requirement changes on the hour.
    delta: dict[datetime, int] = {}
    for shift in shifts:
        start, stop = max(shift.start, window_start), min(shift.end, end)
        if start >= stop:
            continue
        delta[start] = delta.get(start, 0) + shift.staff
        delta[stop] = delta.get(stop, 0) - shift.staff
    points = set(delta) | {window_start, end}
    points |= {window_start + h * _HOUR for h in range(1, hours)}
    ordered = sorted(points)

    gaps: list[Gap] = []
    staffed = 0
    for left, right in zip(ordered, ordered[1:], strict=False):
        staffed += delta.get(left, 0)
        need = required[(left - window_start) // _HOUR]
        if staffed >= need:
            continue
        last = gaps[-1] if gaps else None
        if last and last.end == left and (last.staffed, last.required) == (staffed, need):
            gaps[-1] = Gap(last.start, right, staffed, need)
        else:
            gaps.append(Gap(left, right, staffed, need))
    return tuple(gaps)


# Any date serves to lay a daily plan on a time line; the result is returned as offsets.
_ANCHOR = datetime(2000, 1, 1)


def daily_plan_gaps(
    *, shifts: Sequence[DailyShift], minimum_staff: int | Sequence[int]
) -> tuple[DailyGap, ...]:
    """Rule: the gaps of a plan repeated daily, shifts crossing midnight wrapping to the start."""
    dated: list[Shift] = []
    for shift in shifts:
        start = datetime.combine(_ANCHOR, shift.start)
        end = datetime.combine(_ANCHOR, shift.end)
        if end > start:
            dated.append(Shift(start, end, shift.staff))
            continue
        # Crossing midnight (or 24 h when end == start): the tail after midnight belongs to the
        # early hours of the same repeated day.
        dated.append(Shift(start, _ANCHOR + _DAY, shift.staff))
        if end > _ANCHOR:
            dated.append(Shift(_ANCHOR, end, shift.staff))
    gaps = coverage_gaps(shifts=dated, window_start=_ANCHOR, minimum_staff=minimum_staff)
    return tuple(
        DailyGap(gap.start - _ANCHOR, gap.end - _ANCHOR, gap.staffed, gap.required) for gap in gaps
    )
