"""The volunteers' endpoints: what works, field errors, and refusals by role and scope."""

import pytest

from conftest import FUYANG_AREA
from coproduce.volunteers.models import ServiceRecord, VolunteerProfile
from coproduce.volunteers.tests.conftest import H

pytestmark = pytest.mark.django_db


def test_a_person_registers_themself_as_a_volunteer(api_as, resident):
    answer = api_as(resident).post(
        "/volunteers", {"name": "Wang Fang", "home_region": FUYANG_AREA, "skills": ["cooking"]}
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["skills"] == ["cooking"]
    assert api_as(resident).get("/volunteers/me").json()["name"] == "Wang Fang"


def test_bad_registration_is_a_field_error_and_writes_nothing(api_as, resident):
    answer = api_as(resident).post("/volunteers", {"name": "", "home_region": "nowhere"})
    assert answer.status_code == 422
    assert "home_region" in answer.json()["error"]["fields"]
    assert not VolunteerProfile.objects.exists()


def test_coordinator_registers_for_their_organization_only(api_as, coordinator, yuhang_org):
    body = {"name": "Sun Li", "home_region": FUYANG_AREA, "organization": "fuyang-volunteers"}
    assert api_as(coordinator).post("/volunteers", body).status_code == 201
    body["organization"] = "yuhang-volunteers"
    assert api_as(coordinator).post("/volunteers", body).status_code == 403


def call_body(now, **overrides):
    body = {
        "organization": "fuyang-volunteers",
        "title": "Gate duty",
        "activity": "checkpoint",
        "region": "330111",
        "start": (now + 20 * H).isoformat(),
        "end": (now + 24 * H).isoformat(),
        "capacity": 1,
    }
    body.update(overrides)
    return body


def test_coordinator_posts_a_call_and_a_volunteer_in_range_signs_up(
    api_as, coordinator, vol, volunteer, now
):
    answer = api_as(coordinator).post("/calls", call_body(now))
    assert answer.status_code == 201, answer.content
    call_id = answer.json()["id"]
    assert [c["id"] for c in api_as(volunteer).get("/calls?mine=true").json()] == [call_id]
    assert api_as(volunteer).post(f"/calls/{call_id}/signups").status_code == 201
    assert api_as(volunteer).post(f"/calls/{call_id}/signups").status_code == 409
    signups = api_as(coordinator).get(f"/calls/{call_id}/signups").json()
    assert [s["volunteer"] for s in signups] == [vol.public_id]
    assert api_as(volunteer).delete(f"/calls/{call_id}/signups/mine").status_code == 200


def test_call_with_capacity_zero_is_a_field_error(api_as, coordinator, now):
    answer = api_as(coordinator).post("/calls", call_body(now, capacity=0))
    assert answer.status_code == 422 and "capacity" in answer.json()["error"]["fields"]


def test_check_in_out_then_a_second_party_confirms(
    api_as, vol, volunteer, coordinator, gate_payload
):
    client = api_as(volunteer)
    assert client.post("/service-records/check-in", {"payload": gate_payload}).status_code == 201
    record = ServiceRecord.objects.get()
    ServiceRecord.objects.filter(pk=record.pk).update(start=record.start - 2 * H)
    out = client.post("/service-records/check-out", {"payload": gate_payload})
    assert out.status_code == 200 and out.json()["status"] == "pending"
    assert client.get("/service-records?mine=true").json()[0]["id"] == record.pk
    pending = api_as(coordinator).get("/service-records?status=pending").json()
    assert [r["id"] for r in pending] == [record.pk]
    done = api_as(coordinator).post(f"/service-records/{record.pk}/confirm")
    assert done.json()["status"] == "confirmed"
    assert api_as(volunteer).get("/timebank/accounts/me").json()["balance_minutes"] >= 119


def test_a_record_in_the_future_is_refused_with_its_reason(api_as, coordinator, vol, now):
    answer = api_as(coordinator).post(
        "/service-records",
        {
            "volunteer": vol.public_id,
            "start": (now + H).isoformat(),
            "end": (now + 3 * H).isoformat(),
            "activity": "delivery",
        },
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "in_future"


def test_reports_by_each_dimension(api_as, county_official, pending_record, coordinator):
    api_as(coordinator).post(f"/service-records/{pending_record.pk}/confirm")
    for by in ("region", "organization", "activity", "stage"):
        answer = api_as(county_official).get(f"/volunteers/report?by={by}")
        assert answer.status_code == 200, answer.content
        rows = answer.json()
        assert sum(r["minutes"] for r in rows) == 240, by
    assert api_as(county_official).get("/volunteers/report?by=colour").status_code == 422


# --- refusals: every endpoint, an outsider and another county's official ---------------------


@pytest.fixture
def world(vol, call, pending_record, fuyang_org):
    return {"call": call.pk, "record": pending_record.pk, "team": None}


ENDPOINTS = [
    ("get", "/volunteers", None),
    ("get", "/volunteers/me", None),
    ("patch", "/volunteers/me", {"availability": "evenings"}),
    ("get", "/teams", None),
    ("post", "/teams", {"organization": "fuyang-volunteers", "name": "A", "region": "330111"}),
    ("get", "/calls", None),
    ("post", "/calls/{call}/signups", None),
    ("delete", "/calls/{call}/signups/mine", None),
    ("get", "/calls/{call}/signups", None),
    ("post", "/service-records/check-in", {"payload": "CPP:000000000000"}),
    ("post", "/service-records/check-out", {"payload": "CPP:000000000000"}),
    ("get", "/service-records", None),
    ("post", "/service-records/{record}/confirm", None),
    ("post", "/service-records/{record}/reject", {"reason": "no"}),
    ("post", "/service-records/{record}/void", {"reason": "no"}),
    ("get", "/volunteers/report", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("who", ["outsider", "other_official"])
def test_outsiders_and_other_counties_are_refused(request, api_as, world, who, method, path, body):
    user = request.getfixturevalue(who)
    client = api_as(user)
    url = path.format(**world)
    answer = client._send(method, url, body) if body is not None else client._send(method, url)
    assert answer.status_code in {403, 404} or (
        answer.status_code == 200 and answer.json() == []
    ), (answer.status_code, answer.content)
    assert ServiceRecord.objects.get(pk=world["record"]).status == "pending"


def test_team_in_another_organization_is_refused(api_as, coordinator, yuhang_org):
    body = {"organization": "yuhang-volunteers", "name": "B", "region": "330110"}
    assert api_as(coordinator).post("/teams", body).status_code == 403


def test_anonymous_is_asked_to_sign_in(api_as, world):
    assert api_as(None).get("/volunteers/me").status_code == 401
