"""Fixes of the walk-through of issue 17 that live in the demo's data."""

import random

import pytest

from coproduce.demo.seed import SeedContext, base
from coproduce.demo.seed import volunteers as volunteers_step
from coproduce.volunteers.models import Call

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_night_shift_is_at_night_and_the_morning_shift_in_the_morning(settings):
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=0.05)
    for step in (base, volunteers_step):
        step.run(ctx)
    night = Call.objects.get(title__contains="Night shift")
    morning = Call.objects.get(title__contains="Morning shift")
    local = night.start.astimezone(volunteers_step.CST)
    assert local.hour >= 20 or local.hour < 4  # it ran 08:00-16:00
    assert 5 <= morning.start.astimezone(volunteers_step.CST).hour <= 8
    assert night.start < morning.start
