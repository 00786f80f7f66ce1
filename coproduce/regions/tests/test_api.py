"""GET /regions/{code} and /regions/{code}/children: public, like a map."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_region_is_read_without_auth(api_as, regions):
    answer = api_as(None).get("/regions/330111")
    assert answer.status_code == 200
    assert answer.json() == {
        "code": "330111",
        "name": "富阳区",
        "name_en": "Fuyang District",
        "level": "county",
        "parent": "330100",
    }


def test_the_root_has_no_parent(api_as, regions):
    assert api_as(None).get("/regions/330000").json()["parent"] is None


def test_children_are_the_regions_directly_below(api_as, regions):
    answer = api_as(None).get("/regions/330100/children")
    assert answer.status_code == 200
    assert [r["code"] for r in answer.json()] == ["330110", "330111"]
    assert {r["parent"] for r in answer.json()} == {"330100"}


def test_a_leaf_has_no_children(api_as, regions):
    assert api_as(None).get("/regions/330111001001001/children").json() == []


@pytest.mark.parametrize("path", ["/regions/999999", "/regions/999999/children"])
def test_an_unknown_region_is_a_404_in_the_error_shape(api_as, regions, path):
    answer = api_as(None).get(path)
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["code"] == "region_not_found"
    assert "999999" in error["message"]
    assert error["fields"] == {}


def test_a_nul_in_a_code_is_bad_input_not_a_crash(api_as, regions):
    answer = api_as(None).get("/regions/33%00")
    assert answer.status_code in (400, 404)
    assert answer.json()["error"]["code"] in ("bad_request", "region_not_found")
