from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import FUYANG_AREA, valid_national_id
from coproduce.core import clock
from coproduce.people.services import person_register
from coproduce.tracing.services.cases import case_report

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock_at(settings, db):
    """`clock_at(y, m, d)` sets the exercise clock to 10:00 local that day."""
    settings.COPRODUCE_EXERCISE = True

    def set_to(y, m, d, hour=10):
        moment = datetime(y, m, d, hour, tzinfo=SH)
        clock.exercise_clock_set(moment=moment, actor=None)
        clock._cache = None
        return moment

    return set_to


@pytest.fixture
def confirmed_case(county_official, clock_at):
    """`confirmed_case(y, m, d, cluster="")` reports a confirmed case in Fuyang on that day."""
    serial = iter(range(100, 999))

    def report(y, m, d, cluster=""):
        clock_at(y, m, d)
        person = person_register(
            national_id=valid_national_id(next(serial)),
            name="Case",
            phone="",
            home_region=FUYANG_AREA,
            actor=county_official,
        )
        return case_report(
            person=person,
            status="confirmed",
            actor=county_official,
            test_date=datetime(y, m, d).date(),
            cluster=cluster,
        )

    return report
