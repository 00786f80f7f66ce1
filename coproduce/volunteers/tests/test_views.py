"""The volunteer pages: register, sign up (htmx), check in and out, confirm, report; refusals."""

import pytest

from conftest import FUYANG_AREA
from coproduce.volunteers.models import ServiceRecord, Signup, VolunteerProfile

pytestmark = pytest.mark.django_db


def test_a_resident_registers_from_the_page(client, resident):
    client.force_login(resident)
    assert "Become a volunteer" in client.get("/volunteers/").content.decode()
    client.post(
        "/volunteers/",
        {
            "action": "register",
            "name": "Wang Fang",
            "home_region": FUYANG_AREA,
            "skills": "cooking",
        },
    )
    assert VolunteerProfile.objects.get().skills == ["cooking"]


def test_sign_up_by_htmx_answers_the_partial(client, volunteer, vol, call):
    client.force_login(volunteer)
    assert "Gate duty" in client.get("/volunteers/").content.decode()
    answer = client.post(
        "/volunteers/", {"action": "signup", "call": call.pk}, headers={"HX-Request": "true"}
    )
    assert (
        "<html" not in answer.content.decode() and "Give back my place" in answer.content.decode()
    )
    assert Signup.objects.filter(status="active").count() == 1


def test_check_in_and_out_on_the_page(client, volunteer, vol, gate_payload):
    client.force_login(volunteer)
    client.post("/volunteers/", {"action": "check_in", "payload": gate_payload})
    assert "Check out" in client.get("/volunteers/").content.decode()
    record = ServiceRecord.objects.get()
    ServiceRecord.objects.filter(pk=record.pk).update(start=record.start.replace(year=2000))
    client.post("/volunteers/", {"action": "check_out", "payload": gate_payload})
    # Implausible (far too long): refused with its reason, the check-in stays open.
    assert ServiceRecord.objects.get().status == "checked_in"


def test_coordinator_confirms_a_record_by_htmx(client, coordinator, pending_record):
    client.force_login(coordinator)
    assert "Chen Jie" in client.get("/volunteers/records/").content.decode()
    answer = client.post(
        "/volunteers/records/",
        {"record": pending_record.pk, "action": "confirm"},
        headers={"HX-Request": "true"},
    )
    assert "status-confirmed" in answer.content.decode()
    assert ServiceRecord.objects.get().status == "confirmed"


def test_report_page_for_the_official(client, county_official, pending_record, coordinator):
    client.force_login(county_official)
    html = client.get("/volunteers/report/?by=activity").content.decode()
    assert "volunteers registered" in html and "12,800" in html


@pytest.mark.parametrize(
    "path", ["/volunteers/calls/", "/volunteers/records/", "/volunteers/report/"]
)
def test_staff_pages_refuse_outsiders_and_volunteers(client, outsider, volunteer, path):
    for user in (outsider, volunteer):
        client.force_login(user)
        assert client.get(path).status_code == 403


def test_other_countys_official_sees_no_fuyang_record(client, other_official, pending_record):
    client.force_login(other_official)
    assert "Chen Jie" not in client.get("/volunteers/records/").content.decode()
    answer = client.post("/volunteers/records/", {"record": pending_record.pk, "action": "confirm"})
    assert answer.status_code == 404
    assert ServiceRecord.objects.get().status == "pending"
