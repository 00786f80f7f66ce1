"""PUT /exercise/clock: drills, the demo and tests walk through days (COPRODUCE_EXERCISE only)."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from coproduce.core import clock
from coproduce.core.api import InputSchema, SafeDateTime
from coproduce.core.errors import NotFound, PermissionDenied, ValidationFailed

router = Router(tags=["exercise"])


class ClockIn(InputSchema):
    now: SafeDateTime


class ClockOut(Schema):
    now: datetime
    exercise: bool


@router.get("/exercise/clock", response=ClockOut)
def exercise_clock_get(request: HttpRequest):
    """The platform's current time (404 when drills are off)."""
    if not settings.COPRODUCE_EXERCISE:
        raise NotFound("The exercise clock exists only with COPRODUCE_EXERCISE on.")
    return {"now": clock.now(), "exercise": True}


@router.put("/exercise/clock", response=ClockOut)
def exercise_clock_put(request: HttpRequest, payload: ClockIn):
    """Set the platform's clock: platform operators only, and only during an exercise."""
    if not settings.COPRODUCE_EXERCISE:
        raise NotFound("The exercise clock exists only with COPRODUCE_EXERCISE on.")
    if not request.user.is_superuser:
        raise PermissionDenied("Only a platform operator sets the exercise clock.")
    if payload.now.tzinfo is None:
        raise ValidationFailed.field("now", "Give the time with its UTC offset.")
    return {
        "now": clock.exercise_clock_set(moment=payload.now, actor=request.user),
        "exercise": True,
    }
