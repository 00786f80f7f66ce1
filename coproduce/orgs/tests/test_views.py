"""The organization pages: the list and detail within the caller's scope."""

import pytest

pytestmark = pytest.mark.django_db


def test_official_sees_organizations_of_their_county_only(
    client, county_official, fuyang_org, yuhang_org
):
    client.force_login(county_official)
    page = client.get("/organizations/").content.decode()
    assert "Fuyang Volunteers" in page
    assert "Yuhang Volunteers" not in page


def test_organization_of_another_county_is_not_found(client, county_official, yuhang_org):
    client.force_login(county_official)
    assert client.get(f"/organizations/{yuhang_org.slug}/").status_code == 404


def test_a_resident_may_not_list_organizations(client, resident):
    client.force_login(resident)
    assert client.get("/organizations/").status_code == 403


def test_detail_names_the_regions_served(client, county_official, fuyang_org):
    client.force_login(county_official)
    page = client.get(f"/organizations/{fuyang_org.slug}/").content.decode()
    assert "Fuyang District" in page or "富阳区" in page
