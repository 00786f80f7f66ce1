"""Fixtures of the tracing tests: residents, places and presence rows written through services."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import FUYANG_AREA, FUYANG_AREA_2, YUHANG_AREA, valid_national_id
from coproduce.people.services import household_create, person_register
from coproduce.places.services import place_create, presence_record
from coproduce.regions.models import Region

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment in February 2020, Shanghai time."""
    return datetime(2020, 2, day, hour, minute, second, tzinfo=TZ)


class World:
    """People and places for a tracing test, with helpers to write presence rows."""

    def __init__(self):
        self.serial = 100
        self.people = {}
        self.places = {}

    def person(self, name: str, area: str = FUYANG_AREA, phone: str = ""):
        self.serial += 1
        person = person_register(
            national_id=valid_national_id(self.serial, area=area[:6]),
            name=name,
            phone=phone or f"139{self.serial:08d}",
            home_region=area,
            actor=None,
        )
        self.people[name] = person
        return person

    def place(self, name: str, area: str = FUYANG_AREA):
        place = place_create(
            name=name, kind="supermarket", region=Region.objects.get(code=area), actor=None
        )
        self.places[name] = place
        return place

    def seen(self, name: str, place: str, moment: datetime):
        return presence_record(
            person=self.people[name],
            place=self.places[place],
            at=moment,
            kind="visit",
            source=f"test:{name}:{place}:{moment.isoformat()}",
        )

    def household(self, *names: str):
        members = [self.people[n] for n in names]
        return household_create(
            region=members[0].home_region, label="1-1-101", members=members, actor=None
        )


@pytest.fixture
def world(regions):
    return World()


__all__ = ["FUYANG_AREA", "FUYANG_AREA_2", "YUHANG_AREA", "at"]


@pytest.fixture
def clock_at(settings, db):
    """`clock_at(moment)` sets the platform's exercise clock (drills and tests in Feb 2020)."""
    from coproduce.core import clock

    settings.COPRODUCE_EXERCISE = True

    def set_to(moment: datetime):
        clock.exercise_clock_set(moment=moment, actor=None)
        return moment

    return set_to
