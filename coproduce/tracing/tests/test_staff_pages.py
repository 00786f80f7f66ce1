"""Tracing pages that pick a person, a region or a team, and the confirmation before ordering
contacts by degree; each refused out of scope."""

import pytest
from django.test import Client

from coproduce.fieldwork.models import Task
from coproduce.tracing import services
from coproduce.tracing.models import Case, InterviewContact, QuarantineOrder, QuarantineSite
from coproduce.tracing.tests.conftest import YUHANG_AREA, at

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(world, clock_at, fuyang_org, county_official):
    clock_at(at(12, 12))
    world.place("market")
    world.person("case")
    world.person("neighbour")
    world.seen("case", "market", at(10, 10))
    world.seen("neighbour", "market", at(10, 10, 20))
    fuyang_org.service_regions.add(world.people["case"].home_region)
    return services.case_report(
        person=world.people["case"],
        status="confirmed",
        onset_date=at(10, 0).date(),
        cluster="F1",
        actor=county_official,
    )


def test_a_case_is_reported_for_a_picked_resident_of_the_scope_only(
    world, clock_at, county_official, other_official
):
    clock_at(at(12, 12))
    patient = world.person("patient")
    body = {"person": patient.public_id, "status": "confirmed", "onset_date": "2020-02-10"}
    refused = client_for(other_official).post("/tracing/cases/new/", body)
    assert refused.status_code == 422 and not Case.objects.exists()
    assert "Choose a person from the search results." in refused.content.decode()
    done = client_for(county_official).post("/tracing/cases/new/", body)
    assert done.status_code == 302 and Case.objects.get().person == patient


def test_interview_contact_is_a_picked_resident(case, world, tracer, other_official):
    neighbour = world.people["neighbour"]
    body = {"person": neighbour.public_id, "exposed_at": "2020-02-10T09:00"}
    assert client_for(other_official).post(
        f"/tracing/cases/{case.pk}/interview/", body
    ).status_code in (403, 404)
    done = client_for(tracer).post(f"/tracing/cases/{case.pk}/interview/", body)
    assert done.status_code == 302
    assert InterviewContact.objects.get().person == neighbour


def test_an_unknown_contact_without_an_area_is_refused_beside_the_area_field(case, tracer):
    page = client_for(tracer).post(
        f"/tracing/cases/{case.pk}/interview/",
        {"name": "Stranger", "exposed_at": "2020-02-10T09:00"},
    )
    text = page.content.decode()
    assert page.status_code == 422 and 'value="Stranger"' in text
    assert 'id="id_home_region_error"' in text


def test_contacts_are_ordered_by_degree_only_after_confirmation(case, county_official, world):
    services.site_create(
        name="Hotel", region=world.people["case"].home_region, capacity=5, actor=county_official
    )
    c = client_for(county_official)
    page = c.get(f"/tracing/cases/{case.pk}/quarantine/")
    assert page.status_code == 200 and "data-confirm-quarantine" in page.content.decode()
    c.post(f"/tracing/cases/{case.pk}/quarantine/", {})
    assert not QuarantineOrder.objects.exists()
    c.post(f"/tracing/cases/{case.pk}/quarantine/", {"confirm": "yes"})
    assert QuarantineOrder.objects.filter(person=world.people["neighbour"]).exists()


def test_other_county_cannot_open_the_confirmation(case, other_official):
    assert (
        client_for(other_official).get(f"/tracing/cases/{case.pk}/quarantine/").status_code == 404
    )


def test_a_site_is_opened_in_the_scope_only(county_official):
    c = client_for(county_official)
    far = c.post(
        "/tracing/quarantine/sites/new/", {"name": "Far", "region": "330110", "capacity": "3"}
    )
    assert far.status_code == 422 and not QuarantineSite.objects.exists()
    near = c.post(
        "/tracing/quarantine/sites/new/", {"name": "Near", "region": "330111", "capacity": "3"}
    )
    assert near.status_code == 302 and QuarantineSite.objects.get().name == "Near"


def test_a_person_of_another_county_cannot_be_ordered(world, county_official, other_official):
    stranger = world.person("stranger", area=YUHANG_AREA)
    page = client_for(county_official).post(
        "/tracing/quarantine/new/",
        {
            "person": stranger.public_id,
            "kind": "home",
            "reason": "close_contact",
            "start_date": "2020-02-12",
        },
    )
    assert page.status_code == 422 and not QuarantineOrder.objects.exists()


def test_tracing_tasks_are_given_to_a_team(
    case, county_official, other_official, tracer, fuyang_org
):
    services.round_start(case=case, actor=county_official)
    task = Task.objects.get(kind="trace_contact")
    c = client_for(county_official)
    listing = c.get("/tracing/tasks/assign/")
    assert listing.status_code == 200 and f'data-task="{task.pk}"' in listing.content.decode()
    assert client_for(tracer).get("/tracing/tasks/assign/").status_code == 403
    assert (
        client_for(other_official)
        .post(f"/tracing/tasks/{task.pk}/assign/", {"organization": fuyang_org.pk})
        .status_code
        == 404
    )
    c.post(
        f"/tracing/tasks/{task.pk}/assign/", {"organization": fuyang_org.pk, "assignee": "tracer"}
    )
    task.refresh_from_db()
    assert task.organization == fuyang_org and task.assignee == tracer
