"""Fixtures of the checkpoint tests: a Fuyang checkpoint, residents with codes, scan bodies."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from conftest import FUYANG_AREA, _user, valid_national_id
from coproduce.accounts.services import RoleSpec
from coproduce.checkpoints.services import checkpoint_create
from coproduce.core import clock
from coproduce.health_codes import services as hc
from coproduce.people.services import person_register
from coproduce.regions.models import Region

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2020, 2, 12, 10, 0, tzinfo=SHANGHAI)
_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _exercise_clock(settings, db):
    """Every checkpoint test runs at the demo's moment, 2020-02-12 10:00 in Shanghai."""
    settings.COPRODUCE_EXERCISE = True
    hc.trust_cache_clear()
    clock.exercise_clock_set(moment=NOW, actor=None)
    yield
    hc.trust_cache_clear()


@pytest.fixture
def checkpoint(regions, fuyang_org, county_official):
    """A residential gate of Qiuyue Area 1 (Fuyang), operated by Fuyang Volunteers."""
    return checkpoint_create(
        name="Qiuyue Area 1 gate",
        kind="residential_gate",
        region=Region.objects.get(code=FUYANG_AREA),
        operator=fuyang_org,
        actor=county_official,
    )


@pytest.fixture
def yuhang_checkpoint(regions, yuhang_org, other_official):
    return checkpoint_create(
        name="Donghu supermarket",
        kind="supermarket",
        region=Region.objects.get(code="330110001001001"),
        operator=yuhang_org,
        actor=other_official,
    )


@pytest.fixture
def other_org_staff(regions, yuhang_org):
    """Checkpoint staff of another organization, in Fuyang too."""
    return _user("other_org_staff", RoleSpec("checkpoint_staff", "330111", yuhang_org.pk))


@pytest.fixture
def person(regions, county_official):
    """`person(serial, area=...)` registers a resident by proxy."""

    def make(serial: int, area: str = FUYANG_AREA):
        return person_register(
            national_id=valid_national_id(serial),
            name=f"Resident {serial}",
            phone=f"1380000{serial:04d}",
            home_region=area,
            actor=county_official,
        )

    return make


def make_red(person, actor=None):
    hc.condition_impose(
        person=person,
        kind="centralized_quarantine",
        reason="close_contact",
        starts_on=NOW.date(),
        actor=actor,
        source=f"test.red:{person.pk}",
    )


def make_yellow(person, actor=None):
    hc.condition_impose(
        person=person,
        kind="home_quarantine",
        reason="secondary_contact",
        starts_on=NOW.date(),
        actor=actor,
        source=f"test.yellow:{person.pk}",
    )


def live(person, color="green") -> str:
    return hc.token_issue_for(person=person, kind="live", color=color).payload


def card(person) -> str:
    return hc.token_issue_for(person=person, kind="card").payload


def scan_body(payload: str, **overrides) -> dict:
    body = {
        "payload": payload,
        "temperature_c": "36.6",
        "direction": "in",
        "device_id": "device-1",
        "scanned_at": clock.now().isoformat(),
        "idempotency_key": f"key-{next(_keys)}",
    }
    body.update(overrides)
    return body
