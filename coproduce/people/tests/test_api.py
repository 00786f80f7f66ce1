"""The /residents, /people and /households endpoints: registration, conflicts, field errors, scope."""

import datetime as dt

import pytest

from conftest import FUYANG_AREA, FUYANG_AREA_2, YUHANG_AREA, valid_national_id
from coproduce.core import clock
from coproduce.core.models import AuditEvent
from coproduce.people.models import Declaration, Household, Person
from coproduce.people.services import household_create, person_record_unregistered

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


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Declaration.objects.count(), AuditEvent.objects.count()


def test_coordinator_registers_a_resident_by_proxy(api_as, coordinator):
    answer = api_as(coordinator).post("/residents", registration())
    assert answer.status_code == 201, answer.content
    body = answer.json()
    person = Person.objects.get(public_id=body["id"])
    assert person.by_proxy and person.registered_by == coordinator
    assert person.user is None
    assert body["national_id_last4"] == registration()["national_id"][-4:]
    assert body["by_proxy"] is True and body["status"] == "registered"
    assert AuditEvent.objects.filter(action="people.register", object_id=str(person.pk)).exists()


def test_the_national_id_is_never_stored_in_clear(api_as, coordinator):
    national_id = registration()["national_id"]
    api_as(coordinator).post("/residents", registration())
    person = Person.objects.get()
    stored = [str(v) for v in Person.objects.values_list().get()]
    assert national_id not in " ".join(stored)
    assert person.national_id_last4 == national_id[-4:]
    assert len(person.national_id_hash) == 64


def test_registration_stores_the_declaration(api_as, coordinator):
    travel = [{"region": "330110", "date": "2020-01-20"}]
    body = registration(
        declaration={"travel": travel, "case_contact": True, "symptoms": ["cough", "fever"]}
    )
    assert api_as(coordinator).post("/residents", body).status_code == 201
    declaration = Declaration.objects.get()
    assert declaration.travel == travel
    assert declaration.case_contact is True
    assert declaration.symptoms == ["cough", "fever"]
    assert declaration.filed_by == coordinator


def test_second_registration_of_the_same_id_is_a_conflict(api_as, coordinator):
    client = api_as(coordinator)
    assert client.post("/residents", registration()).status_code == 201
    answer = client.post("/residents", registration(name="Someone Else"))
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "duplicate_national_id"
    assert "national_id" in error["fields"]
    assert Person.objects.count() == 1


def test_the_same_id_typed_differently_is_still_a_conflict(api_as, coordinator):
    client = api_as(coordinator)
    national_id = valid_national_id(5, birth="19491231")
    assert client.post("/residents", registration(national_id=national_id)).status_code == 201
    spaced = f"{national_id[:6]} {national_id[6:14]} {national_id[14:].lower()}"
    assert client.post("/residents", registration(national_id=spaced)).status_code == 409
    assert Person.objects.count() == 1


def test_registration_into_a_household_in_scope(api_as, coordinator, regions):
    household = household_create(region=regions[FUYANG_AREA], label="Building 1", actor=None)
    answer = api_as(coordinator).post("/residents", registration(household=household.pk))
    assert answer.status_code == 201
    assert answer.json()["household"] == household.pk


# Every field of registration, with a bad value: 422, the field named, nothing written.
BAD_FIELDS = [
    ("national_id", {"national_id": "12345"}),
    ("national_id", {"national_id": valid_national_id(1)[:-1] + "Y"}),
    ("national_id", {"national_id": "110105194902300024"}),
    ("national_id", {"national_id": ""}),
    ("national_id", {"national_id": "1" * 33}),
    ("national_id", {"national_id": 110105194912310021}),
    ("national_id", {"national_id": None}),
    ("name", {"name": ""}),
    ("name", {"name": "   "}),
    ("name", {"name": "x" * 101}),
    ("name", {"name": "x" * 201}),
    ("name", {"name": ["Li", "Wei"]}),
    ("name", {"name": "Li\x00Wei"}),
    ("phone", {"phone": "12"}),
    ("phone", {"phone": "abc"}),
    ("phone", {"phone": "1" * 16}),
    ("phone", {"phone": 13900000000}),
    ("phone", {"phone": "1390000\x000000"}),
    ("home_region", {"home_region": "999999"}),
    ("home_region", {"home_region": "330111"}),  # a county: too large to live in
    ("home_region", {"home_region": ""}),
    ("home_region", {"home_region": {"code": FUYANG_AREA}}),
    ("household", {"household": "first"}),
    ("household", {"household": 1.5}),
    ("declaration", {"declaration": "none"}),
    ("declaration.travel", {"declaration": {"travel": "330110"}}),
    ("declaration.travel.0.region", {"declaration": {"travel": [{"region": "999", "date": "2020-01-20"}]}}),
    ("declaration.travel.0.region", {"declaration": {"travel": [{"date": "2020-01-20"}]}}),
    ("declaration.travel.1.date", {"declaration": {"travel": [
        {"region": "330110", "date": "2020-01-20"}, {"region": "330110", "date": "2020-02-30"}]}}),
    ("declaration.travel.0.date", {"declaration": {"travel": [{"region": "330110", "date": "2999-01-01"}]}}),
    ("declaration.travel.0.date", {"declaration": {"travel": [{"region": "330110", "date": "yesterday"}]}}),
    ("declaration.travel.0.date", {"declaration": {"travel": [{"region": "330110"}]}}),
    ("declaration.case_contact", {"declaration": {"case_contact": "perhaps"}}),
    ("declaration.symptoms", {"declaration": {"symptoms": "cough"}}),
    ("declaration.symptoms", {"declaration": {"symptoms": ["cough"] * 21}}),
    ("declaration.symptoms", {"declaration": {"symptoms": ["cough"] * 51}}),
    ("declaration.symptoms.0", {"declaration": {"symptoms": [""]}}),
    ("declaration.symptoms.1", {"declaration": {"symptoms": ["cough", "drop table;"]}}),
    ("declaration.symptoms.0", {"declaration": {"symptoms": ["x" * 41]}}),
    ("declaration.symptoms.0", {"declaration": {"symptoms": [7]}}),
    ("declaration.symptoms", {"declaration": {"symptoms": ["co\x00ugh"]}}),
    ("declaration.travel.0.region", {"declaration": {"travel": [{"region": "33\x00", "date": "2020-01-20"}]}}),
]  # fmt: skip


@pytest.mark.parametrize("field, change", BAD_FIELDS, ids=[f for f, _ in BAD_FIELDS])
def test_a_bad_field_is_a_422_naming_it_and_nothing_is_written(api_as, coordinator, field, change):
    client = api_as(coordinator)
    before = counts()
    answer = client.post("/residents", registration(**change))
    assert answer.status_code == 422, answer.content
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"], error
    assert all(isinstance(m, str) and m for m in error["fields"][field])
    assert counts() == before


@pytest.mark.parametrize("field", ["national_id", "name", "home_region"])
def test_a_missing_required_field_is_named(api_as, coordinator, field):
    body = registration()
    del body[field]
    client = api_as(coordinator)
    before = counts()
    answer = client.post("/residents", body)
    assert answer.status_code == 422
    assert field in answer.json()["error"]["fields"]
    assert counts() == before


def test_every_bad_field_is_reported_at_once(api_as, coordinator):
    answer = api_as(coordinator).post(
        "/residents", registration(national_id="1", name="", phone="12", home_region="999999")
    )
    assert answer.status_code == 422
    assert {"national_id", "name", "phone", "home_region"} <= set(answer.json()["error"]["fields"])


def test_an_unknown_household_is_not_found(api_as, coordinator):
    client = api_as(coordinator)
    before = counts()
    answer = client.post("/residents", registration(household=999999))
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "household_not_found"
    assert counts() == before


def test_a_household_of_another_area_is_refused(api_as, coordinator, regions):
    household = household_create(region=regions[FUYANG_AREA_2], label="Building 2", actor=None)
    client = api_as(coordinator)
    before = counts()
    answer = client.post("/residents", registration(household=household.pk))
    assert answer.status_code == 422
    assert "household" in answer.json()["error"]["fields"]
    assert counts() == before


@pytest.mark.parametrize(
    "body", ['{"national_id": ', "not json", "[1, 2]", '"text"', "null", ""], ids=repr
)
def test_a_malformed_body_is_a_400_or_422_never_a_500(api_as, coordinator, body):
    client = api_as(coordinator)
    before = counts()
    answer = client.post("/residents", body)
    assert answer.status_code in (400, 422), answer.content
    error = answer.json()["error"]
    assert error["code"] in ("bad_request", "validation_error")
    assert error["message"]
    assert counts() == before


def test_malformed_json_is_a_400_in_the_error_shape(api_as, coordinator):
    answer = api_as(coordinator).post("/residents", '{"national_id": ')
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_request"


def test_a_resident_registers_themselves_and_the_account_is_linked(api_as, regions):
    from conftest import _user

    user = _user("newcomer")
    answer = api_as(user).post("/residents", registration(7))
    assert answer.status_code == 201, answer.content
    person = Person.objects.get(public_id=answer.json()["id"])
    assert person.user == user
    assert person.registered_by == user and not person.by_proxy
    assert api_as(user).get(f"/residents/{person.public_id}").status_code == 200


def test_a_second_self_registration_is_refused(api_as, resident):
    client = api_as(resident)
    before = counts()
    answer = client.post("/residents", registration(8))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "already_registered"
    assert counts() == before


def test_a_resident_cannot_put_themselves_in_a_household(api_as, regions):
    from conftest import _user

    household = household_create(region=regions[FUYANG_AREA], label="Building 1", actor=None)
    answer = api_as(_user("newcomer")).post("/residents", registration(household=household.pk))
    assert answer.status_code == 422
    assert "household" in answer.json()["error"]["fields"]


def test_a_resident_reads_their_own_record_but_not_another(api_as, resident, coordinator):
    own = Person.objects.get(user=resident).public_id
    other = api_as(coordinator).post("/residents", registration()).json()["id"]
    client = api_as(resident)
    assert client.get(f"/residents/{own}").json()["name"] == "Wang Fang"
    assert client.get(f"/residents/{other}").status_code == 404


def test_staff_read_of_a_person_is_audited_with_origin(api_as, county_official, resident):
    person = Person.objects.get(user=resident)
    answer = api_as(county_official).get(
        f"/residents/{person.public_id}", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="scanner/1"
    )
    assert answer.status_code == 200
    event = AuditEvent.objects.get(action="people.view", object_id=str(person.pk))
    assert event.actor == county_official
    assert event.actor_label == "county_official"
    assert event.origin_ip == "10.1.2.3"
    assert event.origin_agent == "scanner/1"
    assert event.origin_path == f"/api/v1/residents/{person.public_id}"
    assert event.object_type == "people.person"


def test_a_resident_reading_their_own_record_is_not_a_staff_view(api_as, resident):
    person = Person.objects.get(user=resident)
    api_as(resident).get(f"/residents/{person.public_id}")
    assert not AuditEvent.objects.filter(action="people.view").exists()


def test_resident_list_shows_people_in_scope_only(api_as, county_official, other_official):
    fuyang = person_record_unregistered(name="Chen Jie", home_region=FUYANG_AREA, actor=None)
    yuhang = person_record_unregistered(name="Zhou Min", home_region=YUHANG_AREA, actor=None)
    ids = {p["id"] for p in api_as(county_official).get("/residents").json()}
    assert fuyang.public_id in ids and yuhang.public_id not in ids
    ids = {p["id"] for p in api_as(other_official).get("/residents").json()}
    assert ids == {yuhang.public_id}


def test_resident_list_filters_and_pages(api_as, county_official, regions):
    for i in range(3):
        person_record_unregistered(name=f"Chen {i}", home_region=FUYANG_AREA, actor=None)
    person_record_unregistered(name="Wu Lan", home_region=FUYANG_AREA_2, actor=None)
    client = api_as(county_official)
    assert len(client.get("/residents?limit=2").json()) == 2
    assert [p["name"] for p in client.get("/residents?q=wu").json()] == ["Wu Lan"]
    assert len(client.get(f"/residents?region={FUYANG_AREA_2}").json()) == 1
    assert client.get("/residents?limit=0").status_code == 422
    assert client.get("/residents?limit=9999").status_code == 422


def test_an_official_corrects_a_record_and_it_is_audited(api_as, county_official, resident):
    person = Person.objects.get(user=resident)
    answer = api_as(county_official).patch(
        f"/residents/{person.public_id}", {"phone": "139 0000 0009", "home_region": FUYANG_AREA_2}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["phone"] == "13900000009"
    assert answer.json()["home_region"] == FUYANG_AREA_2
    event = AuditEvent.objects.get(action="people.update")
    assert event.details == {"fields": ["home_region", "phone"]}


def test_a_record_cannot_be_moved_out_of_scope(api_as, county_official, resident):
    person = Person.objects.get(user=resident)
    answer = api_as(county_official).patch(
        f"/residents/{person.public_id}", {"home_region": YUHANG_AREA}
    )
    assert answer.status_code == 403
    person.refresh_from_db()
    assert person.home_region_id == FUYANG_AREA


def test_a_bad_correction_is_a_422(api_as, county_official, resident):
    person = Person.objects.get(user=resident)
    answer = api_as(county_official).patch(f"/residents/{person.public_id}", {"name": " "})
    assert answer.status_code == 422
    assert "name" in answer.json()["error"]["fields"]


def test_a_tracer_records_an_unregistered_person(api_as, tracer):
    answer = api_as(tracer).post(
        "/people/unregistered",
        {"name": "Neighbour Liu", "home_region": FUYANG_AREA, "note": "seen at the market"},
    )
    assert answer.status_code == 201, answer.content
    person = Person.objects.get(public_id=answer.json()["id"])
    assert person.status == "unregistered" and person.registered_by == tracer
    assert person.national_id_hash is None
    assert AuditEvent.objects.filter(action="people.record_unregistered").count() == 1


def test_an_unregistered_person_with_a_bad_field_is_a_422(api_as, tracer):
    answer = api_as(tracer).post(
        "/people/unregistered", {"name": "Liu", "home_region": FUYANG_AREA, "national_id": "12"}
    )
    assert answer.status_code == 422
    assert "national_id" in answer.json()["error"]["fields"]
    assert Person.objects.count() == 0


def test_duplicates_and_merge_through_the_api(api_as, county_official, resident):
    registered = Person.objects.get(user=resident)
    named = person_record_unregistered(
        name="Wang Fang", phone="13800000001", home_region=FUYANG_AREA, actor=None
    )
    client = api_as(county_official)
    pairs = client.get("/people/duplicates").json()
    assert len(pairs) == 1
    assert {pairs[0]["a"]["id"], pairs[0]["b"]["id"]} == {registered.public_id, named.public_id}
    assert pairs[0]["same_phone"] and pairs[0]["similar_name_same_area"]
    answer = client.post("/people/merge", {"keep": registered.public_id, "remove": named.public_id})
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == registered.public_id
    survivor = client.get(f"/residents/{named.public_id}")
    assert survivor.status_code == 200 and survivor.json()["id"] == registered.public_id
    assert client.get("/people/duplicates").json() == []


def test_merging_two_different_ids_is_a_conflict(api_as, county_official, coordinator):
    client = api_as(coordinator)
    a = client.post("/residents", registration(1, name="Li Wei")).json()["id"]
    b = client.post("/residents", registration(2, name="Li Wei")).json()["id"]
    answer = api_as(county_official).post("/people/merge", {"keep": a, "remove": b})
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "different_national_ids"
    assert Person.objects.filter(status="merged").count() == 0


def test_a_coordinator_may_list_duplicates_but_not_merge(api_as, coordinator, resident):
    named = person_record_unregistered(name="Wang Fang", home_region=FUYANG_AREA, actor=None)
    own = Person.objects.get(user=resident)
    client = api_as(coordinator)
    assert client.get("/people/duplicates").status_code == 200
    answer = client.post("/people/merge", {"keep": own.public_id, "remove": named.public_id})
    assert answer.status_code == 403


def test_household_create_and_read(api_as, coordinator, county_official, resident):
    person = Person.objects.get(user=resident)
    answer = api_as(coordinator).post(
        "/households",
        {"region": FUYANG_AREA, "label": "Building 3, door 2", "members": [person.public_id]},
    )
    assert answer.status_code == 201, answer.content
    household_id = answer.json()["id"]
    assert answer.json()["members"] == [person.public_id]
    read = api_as(county_official).get(f"/households/{household_id}")
    assert read.status_code == 200 and read.json()["label"] == "Building 3, door 2"
    assert AuditEvent.objects.filter(action="people.household_create").count() == 1


def test_a_household_with_a_member_of_another_area_is_a_422(api_as, coordinator, resident):
    person = Person.objects.get(user=resident)
    answer = api_as(coordinator).post(
        "/households",
        {"region": FUYANG_AREA_2, "label": "Building 9", "members": [person.public_id]},
    )
    assert answer.status_code == 422
    assert "members" in answer.json()["error"]["fields"]
    assert Household.objects.count() == 0


def test_a_household_in_a_county_is_a_422(api_as, county_official):
    answer = api_as(county_official).post("/households", {"region": "330111", "label": "x"})
    assert answer.status_code == 422
    assert "region" in answer.json()["error"]["fields"]


def test_registration_uses_the_exercise_clock_for_future_dates(
    api_as, coordinator, settings, monkeypatch
):
    # A travel date "in the future" is judged on the platform's clock, not the machine's.
    settings.COPRODUCE_EXERCISE = True
    monkeypatch.setattr(clock, "_cache", None)  # restored afterwards: no drill leaks out

    clock.exercise_clock_set(moment=dt.datetime(2020, 2, 1, tzinfo=dt.UTC), actor=None)
    body = registration(declaration={"travel": [{"region": "330110", "date": "2020-02-05"}]})
    answer = api_as(coordinator).post("/residents", body)
    assert answer.status_code == 422
    assert "declaration.travel.0.date" in answer.json()["error"]["fields"]


@pytest.mark.parametrize("path", ["/residents/AB%00CD", "/residents?q=a%00b", "/households/1%00"])
def test_a_nul_in_the_path_or_query_is_bad_input_not_a_crash(api_as, county_official, path):
    answer = api_as(county_official).get(path)
    # SQLite stores a NUL and finds nobody (200, an empty list); PostgreSQL refuses it (400).
    assert answer.status_code in (200, 400, 404, 422), answer.content
    assert answer.json() == [] or answer.json()["error"]["code"]


def test_a_nul_in_a_page_address_is_bad_input_not_a_crash(client, county_official):
    client.force_login(county_official)
    assert client.get("/people/AB%00CD/").status_code in (400, 404)
