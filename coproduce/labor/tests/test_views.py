"""The labor pages: render for their roles in English and Chinese, refuse others."""

import pytest
from django.test import Client

from coproduce.labor.models import Agreement, MatchingRun, Posting


def client_for(user, lang="en"):
    c = Client(headers={"accept-language": lang})
    c.force_login(user)
    return c


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_rep_sees_the_pages_of_labor_sharing(proposal, enterprise_rep, lang):
    c = client_for(enterprise_rep, lang)
    for url in (
        "/labor/",
        "/labor/postings/new/",
        "/labor/proposals/",
        f"/labor/proposals/{proposal.pk}/",
        f"/labor/postings/{proposal.surplus_id}/",
        "/labor/map/",
        "/labor/employment/",
    ):
        response = c.get(url)
        assert response.status_code == 200, url
    assert ("劳动力" if lang != "en" else "Labor") in c.get("/labor/map/").content.decode()


def test_a_rep_posts_a_surplus_from_the_page(lender, enterprise_rep, days):
    c = client_for(enterprise_rep)
    response = c.post(
        "/labor/postings/new/",
        {
            "enterprise": lender.pk,
            "kind": "surplus",
            "skill": "welder",
            "workers": 5,
            "start_date": days(1),
            "end_date": days(9),
        },
    )
    assert response.status_code == 302
    assert Posting.objects.get().workers == 5


def test_a_bad_range_on_the_page_names_the_field(lender, enterprise_rep, days):
    c = client_for(enterprise_rep)
    response = c.post(
        "/labor/postings/new/",
        {
            "enterprise": lender.pk,
            "kind": "surplus",
            "skill": "welder",
            "workers": 5,
            "start_date": days(9),
            "end_date": days(1),
        },
    )
    assert response.status_code == 200
    assert "end date is before" in response.content.decode()
    assert not Posting.objects.exists()


def test_both_sides_accept_on_their_pages(proposal, enterprise_rep, fuyang_rep):
    r = client_for(fuyang_rep).post(
        f"/labor/proposals/{proposal.pk}/accept/",
        {"side": "borrower", "pay_terms": "220 yuan a day", "insurance_terms": "Lender's policy"},
    )
    assert r.status_code == 302
    r = client_for(enterprise_rep).post(
        f"/labor/proposals/{proposal.pk}/accept/", {"side": "lender"}
    )
    assert r.status_code == 302
    assert Agreement.objects.get().pay_terms == "220 yuan a day"


def test_association_staff_see_the_board_and_run_the_matching(surplus, shortage, association_staff):
    c = client_for(association_staff)
    assert c.get("/labor/board/").status_code == 200
    page = c.get("/labor/board/").content.decode()
    assert 'data-picker="region"' in page  # picked from the tree or by name, not typed
    r = c.post("/labor/runs/", {"region": "330110", "max_distance_km": "50"})
    assert r.status_code == 302
    assert c.get(r["Location"]).status_code == 200


def test_a_refused_run_keeps_the_form_with_errors_beside_the_fields(association_staff):
    """A region outside the association's area, a distance out of range: the board again (422)
    with each error beside its field and the distance as typed; no run is made."""
    runs = MatchingRun.objects.count()
    r = client_for(association_staff).post(
        "/labor/runs/", {"region": "330200", "max_distance_km": "900"}
    )
    assert r.status_code == 422
    form = r.context["form"]
    assert set(form.errors) == {"region", "max_distance_km"}
    assert 'value="900"' in r.content.decode()
    assert MatchingRun.objects.count() == runs


def test_the_map_drills_from_province_to_city_to_county(surplus, shortage, province_admin):
    c = client_for(province_admin)
    page = c.get("/labor/map/").content.decode()
    assert 'href="?region=330100"' in page
    page = c.get("/labor/map/?region=330100").content.decode()
    assert 'href="?region=330110"' in page
    page = c.get("/labor/map/?region=330110").content.decode()
    assert "Open workers by skill" in page


def test_the_geojson_comes_from_the_map_package(regions, province_admin):
    data = client_for(province_admin).get("/labor/geo/330100.geojson").json()
    assert {f["id"] for f in data["features"]} == {"330110", "330111"}
    assert data["features"][0]["geometry"]["type"] == "MultiPolygon"


@pytest.mark.parametrize("url", ["/labor/", "/labor/board/", "/labor/map/", "/labor/postings/new/"])
def test_an_outsider_is_refused_the_pages(outsider, url):
    assert client_for(outsider).get(url).status_code == 403


def test_a_map_outside_the_callers_region_is_not_found(other_official):
    assert client_for(other_official).get("/labor/map/?region=330111").status_code == 404


def test_a_rep_cannot_open_a_posting_of_another_enterprise(shortage, enterprise_rep):
    assert client_for(enterprise_rep).get(f"/labor/postings/{shortage.pk}/").status_code == 404
