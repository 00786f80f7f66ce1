"""Fixtures of care's tests: another counselor, a duty roster, the memory notification backend."""

from datetime import timedelta

import pytest

from conftest import _practitioner
from coproduce.care.services import duty_shift_add
from coproduce.core import clock, notify

PHQ9_HIGH = [0, 0, 0, 0, 0, 0, 0, 0, 1]  # item 9 above 0: high risk
PHQ9_MILD = [1, 1, 1, 1, 1, 0, 0, 0, 0]
GAD7_SEVERE = [3, 3, 3, 3, 3, 0, 0]


@pytest.fixture(autouse=True)
def outbox(settings):
    """Notifications kept in memory (core.notify's memory backend)."""
    settings.NOTIFY_BACKEND = "memory"
    notify.outbox.clear()
    yield notify.outbox
    notify.outbox.clear()


@pytest.fixture
def other_counselor(care_org):
    """A certified counselor of the same organization who supervises nobody here."""
    return _practitioner("other_counselor", "counselor", "counselor", care_org)


@pytest.fixture
def on_duty(care_org, other_counselor, counselor):
    """other_counselor on crisis duty around the clock from an hour ago."""
    now = clock.now()
    return duty_shift_add(
        organization=care_org,
        counselor=other_counselor,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=23),
        actor=None,
    )
