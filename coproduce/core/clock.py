"""The platform's clock: real time, or during a drill (COPRODUCE_EXERCISE) a time an admin set."""

import time
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.errors import NotFound
from coproduce.core.models import ExerciseClock

# Other worker processes see a newly set exercise clock within this many seconds.
_CACHE_SECONDS = 1.0
_cache: tuple[float, float] | None = None  # (read at, offset seconds)


def _offset_seconds() -> float:
    global _cache
    if _cache is not None and time.monotonic() - _cache[0] < _CACHE_SECONDS:
        return _cache[1]
    offset = (
        ExerciseClock.objects.filter(id=1).values_list("offset_seconds", flat=True).first() or 0.0
    )
    _cache = (time.monotonic(), offset)
    return offset


def now() -> datetime:
    """The current time (aware, UTC)."""
    real = timezone.now()
    if not settings.COPRODUCE_EXERCISE:
        return real
    return real + timedelta(seconds=_offset_seconds())


def local_zone() -> zoneinfo.ZoneInfo:
    """The zone whose calendar days count (daily reports): Asia/Shanghai by default."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime) -> date:
    """The local calendar date of a moment."""
    return moment.astimezone(local_zone()).date()


def today() -> date:
    """The local calendar date now."""
    return local_date(now())


def exercise_clock_set(*, moment: datetime, actor) -> datetime:
    """Set the platform clock for a drill; NotFound when drills are off (no such endpoint)."""
    global _cache
    if not settings.COPRODUCE_EXERCISE:
        raise NotFound("The exercise clock exists only with COPRODUCE_EXERCISE on.")
    real = timezone.now()
    offset = (moment - real).total_seconds()
    ExerciseClock.objects.update_or_create(
        id=1, defaults={"offset_seconds": offset, "set_at": real, "set_by": actor}
    )
    _cache = None
    audit_record(
        actor=actor,
        action="exercise.clock_set",
        object_type="core.exerciseclock",
        object_id="1",
        details={"now": moment.isoformat()},
    )
    return now()
