"""Region risk levels through the officials' page: set from a date, with the history."""

import pytest
from django.test import Client

from coproduce.regions.models import RegionRiskLevel

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_official_sets_a_level_and_sees_the_history(county_official):
    c = client_for(county_official)
    assert c.get("/codes/risk/").status_code == 200
    first = c.post(
        "/codes/risk/", {"region": "330111001", "level": "high", "effective_from": "2020-01-25"}
    )
    assert first.status_code == 302 and first["Location"].endswith("?region=330111001")
    c.post(
        "/codes/risk/",
        {
            "region": "330111001",
            "level": "medium",
            "effective_from": "2020-02-10",
            "note": "fewer cases",
        },
    )
    page = c.get("/codes/risk/?region=330111001").content.decode()
    assert page.count('class="badge risk-') >= 3 and "fewer cases" in page
    assert RegionRiskLevel.objects.filter(region_id="330111001").count() == 2


def test_another_countys_region_is_refused(county_official, other_official, coordinator, outsider):
    refused = client_for(county_official).post(
        "/codes/risk/", {"region": "330110", "level": "high", "effective_from": "2020-02-01"}
    )
    assert refused.status_code == 422 and not RegionRiskLevel.objects.exists()
    assert client_for(county_official).get("/codes/risk/?region=330110").status_code == 404
    assert client_for(coordinator).get("/codes/risk/").status_code == 403
    assert client_for(outsider).get("/codes/risk/").status_code == 403


def test_a_missing_level_keeps_the_region_and_says_so_beside_the_field(county_official):
    page = client_for(county_official).post(
        "/codes/risk/", {"region": "330111001", "effective_from": "2020-02-01", "note": "kept"}
    )
    text = page.content.decode()
    assert page.status_code == 422 and 'id="id_level_error"' in text
    assert 'value="330111001"' in text and 'value="kept"' in text
