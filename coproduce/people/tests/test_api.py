"""The /residents endpoints: registration, conflicts, field errors, scope."""

import pytest

from conftest import FUYANG_AREA, YUHANG_AREA, valid_national_id
from coproduce.core.models import AuditEvent
from coproduce.people.models import Person

pytestmark = pytest.mark.django_db


def registration(serial: int = 100, **overrides) -> dict:
    body = {
        "national_id": valid_national_id(serial),
        "name": "Li Wei",
        "phone": "13900000000",
        "home_region": FUYANG_AREA,
        "declaration": {"travel": [], "case_contact": False, "symptoms": []},
    }
    body.update(overrides)
    return body


def test_coordinator_registers_a_resident_by_proxy(api_as, coordinator):
    answer = api_as(coordinator).post("/residents", registration())
    assert answer.status_code == 201, answer.content
    person = Person.objects.get(public_id=answer.json()["id"])
    assert person.by_proxy and person.registered_by == coordinator
    assert person.national_id_last4 == registration()["national_id"][-4:]
    assert AuditEvent.objects.filter(action="people.register", object_id=str(person.pk)).exists()


def test_second_registration_of_the_same_id_is_a_conflict(api_as, coordinator):
    client = api_as(coordinator)
    assert client.post("/residents", registration()).status_code == 201
    answer = client.post("/residents", registration(name="Someone Else"))
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "duplicate_national_id"
    assert Person.objects.count() == 1


def test_official_of_another_county_cannot_see_a_fuyang_resident(
    api_as, coordinator, other_official
):
    public_id = api_as(coordinator).post("/residents", registration()).json()["id"]
    assert api_as(other_official).get(f"/residents/{public_id}").status_code == 404


def test_coordinator_cannot_register_in_another_county(api_as, coordinator):
    answer = api_as(coordinator).post("/residents", registration(home_region=YUHANG_AREA))
    assert answer.status_code == 403
    assert Person.objects.count() == 0
