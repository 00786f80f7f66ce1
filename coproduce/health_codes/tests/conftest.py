"""Fixtures of the health-code tests: residents, the exercise clock, a day-walking helper."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from conftest import FUYANG_AREA, valid_national_id
from coproduce.core import clock
from coproduce.health_codes import services
from coproduce.people.services import DeclarationInput, TravelInput, person_register

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY0 = dt.date(2020, 2, 1)


@pytest.fixture(autouse=True)
def _fresh_keys():
    services.trust_cache_clear()
    yield
    services.trust_cache_clear()


@pytest.fixture
def exercise(settings, db):
    """Turn the exercise clock on; `exercise(day, hour=10)` sets the platform's local time."""
    settings.COPRODUCE_EXERCISE = True

    def set_day(day: dt.date, hour: int = 10):
        moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
        clock.exercise_clock_set(moment=moment, actor=None)
        return moment

    set_day(DAY0)
    return set_day


@pytest.fixture
def register(regions, county_official):
    """`register(serial, travel=[...], case_contact=False, symptoms=[])` registers by proxy."""

    def make(serial: int, *, travel=(), case_contact=False, symptoms=(), area=FUYANG_AREA):
        return person_register(
            national_id=valid_national_id(serial),
            name=f"Resident {serial}",
            phone=f"1380000{serial:04d}",
            home_region=area,
            actor=county_official,
            declaration=DeclarationInput(
                travel=[TravelInput(region=r, date=d) for r, d in travel],
                case_contact=case_contact,
                symptoms=list(symptoms),
            ),
        )

    return make
