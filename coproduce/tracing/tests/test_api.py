"""The tracing API: cases, contacts, rounds, sites and orders; scope, bad input, conflicts."""

from datetime import timedelta

import pytest

from conftest import FUYANG_AREA, FUYANG_AREA_2
from coproduce.accounts.services import RoleSpec, user_create
from coproduce.core.models import AuditEvent
from coproduce.fieldwork.models import Task
from coproduce.orgs.services import organization_create
from coproduce.regions.models import Region
from coproduce.tracing.models import Case, Contact, QuarantineOrder, QuarantineSite
from coproduce.tracing.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbreak(world, clock_at):
    """A case who shopped at a market where three neighbours were within 30 minutes."""
    clock_at(at(12, 12))
    world.place("market")
    world.person("case")
    for name, area in (("a", FUYANG_AREA), ("b", FUYANG_AREA), ("c", FUYANG_AREA_2)):
        world.person(name, area=area)
        world.seen(name, "market", at(10, 10, 10))
    world.seen("case", "market", at(10, 10))
    return world


@pytest.fixture
def teams(regions):
    town = organization_create(
        name="Fuchun Town Officers",
        category="government_unit",
        home_region=Region.objects.get(code="330111001"),
        service_regions=[Region.objects.get(code="330111001")],
        actor=None,
        slug="fuchun-town",
        verified=True,
    )
    village = organization_create(
        name="Qiuyue Village Officers",
        category="government_unit",
        home_region=Region.objects.get(code="330111001001"),
        service_regions=[Region.objects.get(code="330111001001")],
        actor=None,
        slug="qiuyue-village",
        verified=True,
    )
    return town, village


def _report(api, world, name="case", **extra):
    body = {
        "resident": world.people[name].public_id,
        "status": "confirmed",
        "onset_date": "2020-02-10",
        "cluster": "Fuyang-1",
        **extra,
    }
    return api.post("/cases", body)


def test_official_reports_a_case_and_sees_it_in_the_line_list(api_as, county_official, outbreak):
    api = api_as(county_official)
    answer = _report(api, outbreak)
    assert answer.status_code == 201, answer.content
    case_id = answer.json()["id"]
    listed = api.get("/cases?status=confirmed").json()
    assert [c["id"] for c in listed] == [case_id]
    assert api.get(f"/cases/{case_id}").json()["cluster"] == "Fuyang-1"
    assert AuditEvent.objects.filter(action="tracing.case_view", object_id=str(case_id)).exists()
    assert AuditEvent.objects.filter(action="tracing.case_list_view").exists()


def test_a_second_open_case_of_one_person_is_a_conflict(api_as, county_official, outbreak):
    api = api_as(county_official)
    assert _report(api, outbreak).status_code == 201
    answer = _report(api, outbreak)
    assert answer.status_code == 409
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"status": "recovered"}, "status"),
        ({"onset_date": None}, "onset_date"),
        ({"onset_date": "2020-03-01"}, "onset_date"),
        ({"onset_date": "not a date"}, "onset_date"),
        ({"isolated_at": "2020-02-11T10:00:00"}, "isolated_at"),
        ({"resident": "NOBODY"}, "resident"),
        ({"cluster": "x" * 41}, "cluster"),
    ],
)
def test_bad_case_input_is_a_field_error_and_writes_nothing(
    api_as, county_official, outbreak, extra, field
):
    answer = _report(api_as(county_official), outbreak, **extra)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["error"]["fields"]
    assert Case.objects.count() == 0


def test_outsider_and_other_county_are_refused_everywhere(
    api_as, county_official, other_official, outsider, tracer, outbreak
):
    case_id = _report(api_as(county_official), outbreak).json()["id"]
    site = (
        api_as(county_official)
        .post("/quarantine-sites", {"name": "Hotel", "region": "330111", "capacity": 2})
        .json()["id"]
    )
    order = (
        api_as(county_official)
        .post(
            "/quarantine-orders",
            {
                "resident": outbreak.people["a"].public_id,
                "kind": "home",
                "start_date": "2020-02-12",
            },
        )
        .json()["id"]
    )
    calls = [
        ("get", "/cases", None),
        ("get", f"/cases/{case_id}", None),
        ("patch", f"/cases/{case_id}", {"status": "recovered"}),
        ("get", f"/cases/{case_id}/contacts", None),
        (
            "post",
            f"/cases/{case_id}/interview-contacts",
            {"exposed_at": "2020-02-10T10:00:00+08:00", "name": "x", "home_region": FUYANG_AREA},
        ),
        ("post", f"/cases/{case_id}/rounds", {}),
        ("get", f"/cases/{case_id}/progress", None),
        ("get", "/clusters/Fuyang-1/graph", None),
        (
            "post",
            "/cases",
            {
                "resident": outbreak.people["b"].public_id,
                "status": "confirmed",
                "onset_date": "2020-02-10",
            },
        ),
        ("post", "/quarantine-sites", {"name": "H", "region": "330111", "capacity": 1}),
        ("get", "/quarantine-sites", None),
        (
            "post",
            "/quarantine-orders",
            {
                "resident": outbreak.people["b"].public_id,
                "kind": "centralized",
                "site": site,
                "start_date": "2020-02-12",
            },
        ),
        ("get", "/quarantine-orders", None),
        ("patch", f"/quarantine-orders/{order}", {"why": "x", "not_before": "2020-02-25"}),
        ("post", f"/quarantine-orders/{order}/end", {"why": "x"}),
    ]
    for user in (outsider, other_official):
        api = api_as(user)
        for method, path, body in calls:
            answer = (
                getattr(api, method)(path, body) if body is not None else getattr(api, method)(path)
            )
            if answer.status_code == 200 and method == "get":
                # Lists answer empty for another county: nothing of Fuyang's shows.
                data = answer.json()
                assert data in ([], {"nodes": [], "edges": []}), (user, path, data)
                continue
            assert answer.status_code in (403, 404, 422), (user, method, path, answer.content)
    # The tracer works contacts but does not report cases or order quarantine.
    api = api_as(tracer)
    assert api.get("/cases").status_code == 403
    assert (
        api.post(
            "/quarantine-orders",
            {
                "resident": outbreak.people["b"].public_id,
                "kind": "home",
                "start_date": "2020-02-12",
            },
        ).status_code
        == 403
    )
    assert Case.objects.count() == 1
    assert QuarantineOrder.objects.count() == 1
    assert api_as(None).get("/cases").status_code == 401


def test_contacts_list_evidence_degree_and_exposure(api_as, county_official, outbreak):
    api = api_as(county_official)
    case_id = _report(api, outbreak).json()["id"]
    answer = api.get(f"/cases/{case_id}/contacts")
    assert answer.status_code == 200, answer.content
    contacts = answer.json()["contacts"]
    assert {c["name"] for c in contacts} == {"a", "b", "c"}
    first = contacts[0]
    assert first["degree"] == 1 and first["kinds"] == ["co_presence"]
    assert first["exposure_date"] == "2020-02-10"
    assert first["evidence"][0]["place_name"] == "market"
    assert AuditEvent.objects.filter(action="tracing.contact_view").count() == 3


def test_a_tracer_sees_only_the_contacts_in_their_scope(api_as, county_official, outbreak):
    case_id = _report(api_as(county_official), outbreak).json()["id"]
    area_tracer = user_create(
        username="area_tracer",
        password="a-long-test-password",
        roles=[RoleSpec("tracer", FUYANG_AREA_2)],
        check_password=False,
    )
    # The case lives in area 1: out of this tracer's scope altogether.
    assert api_as(area_tracer).get(f"/cases/{case_id}/contacts").status_code == 404
    community_tracer = user_create(
        username="c_tracer",
        password="a-long-test-password",
        roles=[RoleSpec("tracer", FUYANG_AREA)],
        check_password=False,
    )
    answer = api_as(community_tracer).get(f"/cases/{case_id}/contacts").json()
    assert {c["name"] for c in answer["contacts"]} == {"a", "b"}
    assert answer["out_of_scope"] == 1


def test_interview_contact_bad_input(api_as, county_official, outbreak):
    api = api_as(county_official)
    case_id = _report(api, outbreak).json()["id"]
    for body, field in (
        ({"exposed_at": "2020-02-10T10:00:00+08:00"}, "name"),
        ({"exposed_at": "2020-02-10T10:00:00+08:00", "name": "x"}, "home_region"),
        (
            {"exposed_at": "2020-02-10T10:00:00+08:00", "name": "x", "home_region": "999"},
            "home_region",
        ),
        ({"exposed_at": "2020-03-10T10:00:00+08:00", "name": "x"}, "exposed_at"),
        (
            {
                "exposed_at": "2020-02-10T10:00:00+08:00",
                "name": "x",
                "home_region": FUYANG_AREA,
                "place": "CPP:NOPE",
            },
            "place",
        ),
    ):
        answer = api.post(f"/cases/{case_id}/interview-contacts", body)
        assert answer.status_code == 422, (body, answer.content)
        assert field in answer.json()["error"]["fields"], (body, answer.json())
    answer = api.post(
        f"/cases/{case_id}/interview-contacts",
        {"exposed_at": "2020-02-10T10:00:00+08:00", "name": "Zhao", "home_region": FUYANG_AREA},
    )
    assert answer.status_code == 201


def test_rounds_make_tasks_by_area_for_the_serving_teams(
    api_as, county_official, outbreak, teams, clock_at
):
    town, village = teams
    api = api_as(county_official)
    case_id = _report(api, outbreak).json()["id"]
    first = api.post(f"/cases/{case_id}/rounds")
    assert first.status_code == 201, first.content
    assert first.json() == {"round": 1, "tasks_created": 3}
    tasks = list(Task.objects.filter(kind="trace_contact").order_by("id"))
    assert {t.organization_id for t in tasks} <= {town.pk, village.pk}
    assert all(abs(t.deadline - at(13, 12)) < timedelta(minutes=1) for t in tasks)
    # Privacy: nothing in a task names the case.
    assert all("case" not in t.title.lower() for t in tasks)
    assert all(outbreak.people["case"].name not in t.title for t in tasks)
    # Round 2 at once: everybody is being traced and not overdue, nobody is picked again.
    assert api.post(f"/cases/{case_id}/rounds").json() == {"round": 2, "tasks_created": 0}
    # One is reached, one refused, one left overdue; round 3 a day and a half later.
    tracer_api = api_as(county_official)
    a, b, _ = tasks
    tracer_api.patch(f"/tasks/{a.pk}", {"status": "done", "outcome": "reached"})
    tracer_api.patch(f"/tasks/{b.pk}", {"status": "done", "outcome": "refused"})
    clock_at(at(13, 23))
    third = api.post(f"/cases/{case_id}/rounds").json()
    assert third == {"round": 3, "tasks_created": 2}
    progress = api.get(f"/cases/{case_id}/progress").json()
    assert progress["contacts"] == {"1": 3}
    assert [(r["number"], r["tasks"], r["reached"], r["refused"]) for r in progress["rounds"]] == [
        (1, 3, 1, 1),
        (2, 0, 0, 0),
        (3, 2, 0, 0),
    ]


def test_a_full_site_refuses_with_409(api_as, county_official, outbreak):
    api = api_as(county_official)
    site = api.post("/quarantine-sites", {"name": "Hotel", "region": "330111", "capacity": 1})
    assert site.status_code == 201, site.content
    site_id = site.json()["id"]
    body = {"kind": "centralized", "site": site_id, "start_date": "2020-02-12"}
    first = api.post("/quarantine-orders", {**body, "resident": outbreak.people["a"].public_id})
    assert first.status_code == 201, first.content
    second = api.post("/quarantine-orders", {**body, "resident": outbreak.people["b"].public_id})
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "site_full"
    assert QuarantineSite.objects.get().occupied == 1
    assert QuarantineOrder.objects.count() == 1


def test_a_stricter_order_is_never_replaced_by_a_milder_one(api_as, county_official, outbreak):
    api = api_as(county_official)
    site_id = api.post(
        "/quarantine-sites", {"name": "Hotel", "region": "330111", "capacity": 5}
    ).json()["id"]
    person = outbreak.people["a"].public_id
    home = api.post(
        "/quarantine-orders", {"resident": person, "kind": "home", "start_date": "2020-02-12"}
    )
    assert home.status_code == 201
    again = api.post(
        "/quarantine-orders", {"resident": person, "kind": "home", "start_date": "2020-02-12"}
    )
    assert again.status_code == 200 and again.json()["id"] == home.json()["id"]
    central = api.post(
        "/quarantine-orders",
        {"resident": person, "kind": "centralized", "site": site_id, "start_date": "2020-02-12"},
    )
    assert central.status_code == 201
    milder = api.post(
        "/quarantine-orders", {"resident": person, "kind": "home", "start_date": "2020-02-12"}
    )
    assert milder.status_code == 409
    assert milder.json()["error"]["code"] == "stricter_order_in_force"
    statuses = dict(QuarantineOrder.objects.values_list("kind", "status"))
    assert statuses == {"home": "superseded", "centralized": "active"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "hotel"}, "kind"),
        ({"kind": "centralized"}, "site"),
        ({"kind": "home", "start_date": "2021-01-01"}, "start_date"),
        ({"kind": "home", "reason": "because"}, "reason"),
        ({"kind": "home", "site": 999999}, "site"),
    ],
)
def test_bad_order_input_is_a_field_error(api_as, county_official, outbreak, body, field):
    payload = {"resident": outbreak.people["a"].public_id, "start_date": "2020-02-12", **body}
    answer = api_as(county_official).post("/quarantine-orders", payload)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["error"]["fields"]
    assert QuarantineOrder.objects.count() == 0


def test_officials_lengthen_and_shorten_an_order_saying_why(api_as, county_official, outbreak):
    api = api_as(county_official)
    order_id = api.post(
        "/quarantine-orders",
        {"resident": outbreak.people["a"].public_id, "kind": "home", "start_date": "2020-02-12"},
    ).json()["id"]
    assert (
        api.patch(f"/quarantine-orders/{order_id}", {"not_before": "2020-02-25"}).status_code == 422
    )
    longer = api.patch(
        f"/quarantine-orders/{order_id}",
        {"why": "household member fell ill", "not_before": "2020-02-25"},
    )
    assert longer.status_code == 200 and longer.json()["not_before"] == "2020-02-25"
    shorter = api.patch(
        f"/quarantine-orders/{order_id}", {"why": "test negative twice", "ends_on": "2020-02-16"}
    )
    assert shorter.json()["ends_on"] == "2020-02-16"
    order = QuarantineOrder.objects.get()
    changes = list(order.changes.values_list("action", "why", "actor__username"))
    assert changes == [
        ("created", "official_order", "county_official"),
        ("lengthened", "household member fell ill", "county_official"),
        ("shortened", "test negative twice", "county_official"),
    ]


def test_contacts_are_degree_one_or_two_only(api_as, county_official, outbreak):
    api = api_as(county_official)
    case_id = _report(api, outbreak).json()["id"]
    api.get(f"/cases/{case_id}/contacts")
    assert set(Contact.objects.values_list("degree", flat=True)) == {1}


def test_a_case_drives_the_code_and_a_ruled_out_suspicion_clears_it(
    api_as, county_official, outbreak
):
    from coproduce.health_codes.selectors import code_state

    api = api_as(county_official)
    person = outbreak.people["case"]
    case_id = _report(api, outbreak, status="suspected").json()["id"]
    assert [r.code for r in code_state(person=person).reasons] == ["suspected_case"]
    assert api.patch(f"/cases/{case_id}", {"status": "confirmed"}).status_code == 200
    state = code_state(person=person)
    assert state.color == "red" and [r.code for r in state.reasons] == ["confirmed_case"]
    # A confirmed case is not ruled out afterwards; a closed one changes no more.
    refused = api.patch(f"/cases/{case_id}", {"status": "ruled_out"})
    assert refused.status_code == 422 and "status" in refused.json()["error"]["fields"]
    assert api.patch(f"/cases/{case_id}", {"status": "deceased"}).status_code == 200
    assert code_state(person=person).color == "green"
    assert api.patch(f"/cases/{case_id}", {"status": "recovered"}).status_code == 422


def test_a_ruled_out_suspicion_turns_green_without_observation(api_as, county_official, outbreak):
    from coproduce.health_codes.selectors import code_state

    api = api_as(county_official)
    case_id = _report(api, outbreak, status="suspected").json()["id"]
    assert api.patch(f"/cases/{case_id}", {"status": "ruled_out"}).status_code == 200
    assert code_state(person=outbreak.people["case"]).color == "green"
