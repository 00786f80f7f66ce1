"""The error shape of API.md on every status the API answers: 400, 401, 403, 404, 409, 422."""

import pytest

from conftest import FUYANG_AREA, valid_national_id

pytestmark = pytest.mark.django_db


def body(serial=1, **changes):
    return {
        "national_id": valid_national_id(serial),
        "name": "Li Wei",
        "home_region": FUYANG_AREA,
    } | changes


def assert_error_shape(answer, status, code):
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"].startswith("application/json")
    payload = answer.json()
    assert set(payload) == {"error"}
    error = payload["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for name, messages in error["fields"].items():
        assert isinstance(name, str) and messages and all(isinstance(m, str) for m in messages)
    return error


def test_400_malformed_json(api_as, coordinator):
    assert_error_shape(api_as(coordinator).post("/residents", "{"), 400, "bad_request")


def test_401_no_credentials(api_as, regions):
    assert_error_shape(api_as(None).get("/residents"), 401, "not_authenticated")


def test_403_permission_not_held(api_as, resident):
    assert_error_shape(api_as(resident).get("/residents"), 403, "permission_denied")


def test_403_out_of_scope(api_as, coordinator):
    answer = api_as(coordinator).post("/residents", body(home_region="330110001001001"))
    assert_error_shape(answer, 403, "permission_denied")


def test_404_unknown_person(api_as, county_official):
    assert_error_shape(
        api_as(county_official).get("/residents/NOSUCHPERSON0000"), 404, "person_not_found"
    )


def test_409_duplicate(api_as, coordinator):
    client = api_as(coordinator)
    client.post("/residents", body())
    error = assert_error_shape(client.post("/residents", body()), 409, "duplicate_national_id")
    assert list(error["fields"]) == ["national_id"]


def test_422_names_the_field_in_the_message_and_fields(api_as, coordinator):
    error = assert_error_shape(
        api_as(coordinator).post("/residents", body(name="")), 422, "validation_error"
    )
    assert list(error["fields"]) == ["name"]
    assert error["message"].startswith("name: ")


def test_422_from_the_schema_uses_dotted_field_paths(api_as, coordinator):
    answer = api_as(coordinator).post(
        "/residents", body(declaration={"travel": [{"region": "330110", "date": "soon"}]})
    )
    error = assert_error_shape(answer, 422, "validation_error")
    assert list(error["fields"]) == ["declaration.travel.0.date"]


def test_422_from_a_query_parameter(api_as, county_official):
    error = assert_error_shape(
        api_as(county_official).get("/residents?limit=many"), 422, "validation_error"
    )
    assert "limit" in error["fields"]


def test_a_page_refusal_is_an_html_page_not_json(client, resident):
    client.force_login(resident)
    answer = client.get("/people/")
    assert answer.status_code == 403
    assert answer["Content-Type"].startswith("text/html")
