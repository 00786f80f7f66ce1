"""Fixtures for volunteers and the bank: a volunteer of the Fuyang organization, a gate, times."""

from datetime import timedelta

import pytest

from conftest import FUYANG_AREA, YUHANG_AREA
from coproduce.accounts.services import RoleSpec, user_create
from coproduce.core import clock
from coproduce.places.rules import place_payload
from coproduce.places.services import place_create
from coproduce.regions.models import Region
from coproduce.volunteers import services

H = timedelta(hours=1)


@pytest.fixture
def now():
    return clock.now()


@pytest.fixture
def gate(regions, fuyang_org):
    """A residential gate in Fuyang run by the Fuyang organization."""
    return place_create(
        name="Qiuyue gate",
        kind="residential_gate",
        region=Region.objects.get(code=FUYANG_AREA),
        operator=fuyang_org,
        actor=None,
    )


@pytest.fixture
def gate_payload(gate):
    return place_payload(gate.code)


@pytest.fixture
def yuhang_gate(regions, yuhang_org):
    return place_create(
        name="Donghu gate",
        kind="residential_gate",
        region=Region.objects.get(code=YUHANG_AREA),
        operator=yuhang_org,
        actor=None,
    )


@pytest.fixture
def vol(volunteer, fuyang_org):
    """The `volunteer` persona's profile, a member of the Fuyang organization."""
    return services.volunteer_register(
        actor=volunteer,
        user=volunteer,
        name="Chen Jie",
        home_region=Region.objects.get(code=FUYANG_AREA),
        skills=["first aid", "driving"],
        organization=fuyang_org,
    )


def make_volunteer(name: str, fuyang_org, skills=("first aid",)):
    """Another volunteer of the Fuyang organization, with an account of their own."""
    user = user_create(
        username=name,
        password="a-long-test-password",
        roles=[RoleSpec("volunteer", "330111", fuyang_org.pk)],
        check_password=False,
    )
    return services.volunteer_register(
        actor=user,
        user=user,
        name=name,
        home_region=Region.objects.get(code=FUYANG_AREA),
        skills=list(skills),
        organization=fuyang_org,
    )


@pytest.fixture
def call(coordinator, fuyang_org, gate, now):
    """A call for two volunteers at the gate tomorrow morning."""
    return services.call_create(
        organization=fuyang_org,
        title="Gate duty",
        region=Region.objects.get(code="330111"),
        start=now + 20 * H,
        end=now + 24 * H,
        capacity=2,
        actor=coordinator,
        activity="checkpoint",
        place=gate,
    )


@pytest.fixture
def pending_record(vol, coordinator, gate, now):
    """A four-hour record at the gate, entered by the coordinator, not yet confirmed."""
    return services.service_record_create(
        volunteer=vol,
        start=now - 10 * H,
        end=now - 6 * H,
        activity="checkpoint",
        source="",
        actor=coordinator,
        place=gate,
    )
