"""The exercise clock: off, the endpoint is a 404 and the real clock rules; on, an admin sets it."""

from datetime import UTC, datetime, timedelta

import pytest

from coproduce.core import clock
from coproduce.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_exercise_clock_is_not_found_when_drills_are_off(api_as, province_admin, settings):
    settings.COPRODUCE_EXERCISE = False
    answer = api_as(province_admin).put("/exercise/clock", {"now": "2020-02-01T08:00:00+08:00"})
    assert answer.status_code == 404
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5


def test_superuser_sets_the_clock_and_days_follow(api_as, regions, settings, django_user_model):
    settings.COPRODUCE_EXERCISE = True
    admin = django_user_model.objects.create_superuser("root", password="x-long-password")
    answer = api_as(admin).put("/exercise/clock", {"now": "2020-02-01T08:00:00+08:00"})
    assert answer.status_code == 200, answer.content
    assert abs(clock.now() - datetime(2020, 2, 1, 0, 0, tzinfo=UTC)) < timedelta(seconds=5)
    assert clock.today().isoformat() == "2020-02-01"
    assert AuditEvent.objects.filter(action="exercise.clock_set").count() == 1


def test_only_a_platform_operator_sets_the_clock(api_as, county_official, outsider, settings):
    settings.COPRODUCE_EXERCISE = True
    for user in (county_official, outsider):
        answer = api_as(user).put("/exercise/clock", {"now": "2020-02-01T08:00:00+08:00"})
        assert answer.status_code == 403
    assert (
        api_as(None).put("/exercise/clock", {"now": "2020-02-01T08:00:00+08:00"}).status_code == 401
    )


def test_a_time_without_offset_is_refused(api_as, settings, django_user_model, regions):
    settings.COPRODUCE_EXERCISE = True
    admin = django_user_model.objects.create_superuser("root", password="x-long-password")
    answer = api_as(admin).put("/exercise/clock", {"now": "2020-02-01T08:00:00"})
    assert answer.status_code == 422
    assert "now" in answer.json()["error"]["fields"]
