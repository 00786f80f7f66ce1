"""Organizations: registered by officials in their scope, listed and read in scope."""

import pytest

from coproduce.core.models import AuditEvent
from coproduce.orgs.models import Organization

pytestmark = pytest.mark.django_db


def org(**changes):
    return {
        "name": "Fuyang Charity Federation",
        "name_zh": "富阳区慈善总会",
        "category": "charity",
        "home_region": "330111",
    } | changes


def test_an_official_registers_an_organization_in_scope(api_as, county_official):
    answer = api_as(county_official).post("/organizations", org())
    assert answer.status_code == 201, answer.content
    assert answer.json() == {
        "slug": "fuyang-charity-federation",
        "name": "Fuyang Charity Federation",
        "name_zh": "富阳区慈善总会",
        "category": "charity",
        "home_region": "330111",
        "verification": "pending",
    }
    created = Organization.objects.get(slug="fuyang-charity-federation")
    assert list(created.service_regions.values_list("code", flat=True)) == ["330111"]
    assert AuditEvent.objects.filter(action="orgs.create", object_id=str(created.pk)).exists()


def test_a_taken_slug_is_a_conflict(api_as, county_official, fuyang_org):
    answer = api_as(county_official).post("/organizations", org(slug="fuyang-volunteers"))
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "slug_taken"


@pytest.mark.parametrize(
    "field, change",
    [
        ("category", {"category": "secret_society"}),
        ("name", {"name": "  "}),
        ("slug", {"slug": "Not A Slug"}),
        ("service_regions", {"service_regions": "330111"}),
    ],
)
def test_bad_fields_are_422(api_as, county_official, field, change):
    answer = api_as(county_official).post("/organizations", org(**change))
    assert answer.status_code == 422
    assert field in answer.json()["error"]["fields"]
    assert not Organization.objects.exists()


def test_serving_a_region_outside_the_scope_is_refused(api_as, county_official):
    answer = api_as(county_official).post("/organizations", org(service_regions=["330110"]))
    assert answer.status_code == 403
    assert not Organization.objects.exists()


def test_a_coordinator_cannot_register_organizations(api_as, coordinator):
    assert api_as(coordinator).post("/organizations", org()).status_code == 403


def test_list_filters_by_category_and_scope(api_as, county_official, fuyang_org, yuhang_org):
    client = api_as(county_official)
    assert [o["slug"] for o in client.get("/organizations").json()] == ["fuyang-volunteers"]
    assert client.get("/organizations?category=charity").json() == []
    assert client.get("/organizations/yuhang-volunteers").status_code == 404
