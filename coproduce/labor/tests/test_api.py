"""The labor API: the contract of API.md, field errors, and refusals on every endpoint."""

import pytest

from coproduce.labor.models import Agreement


def test_post_a_posting(api_as, lender, enterprise_rep, days):
    r = api_as(enterprise_rep).post(
        "/labor/postings",
        {
            "enterprise": lender.pk,
            "kind": "surplus",
            "skill": "welder",
            "workers": 5,
            "start_date": days(1),
            "end_date": days(10),
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["id"] and r.json()["open_workers"] == 5


def test_bad_posting_fields_are_named(api_as, lender, enterprise_rep, days):
    r = api_as(enterprise_rep).post(
        "/labor/postings",
        {
            "enterprise": lender.pk,
            "kind": "surplus",
            "skill": "welder",
            "workers": -3,
            "start_date": days(10),
            "end_date": days(1),
        },
    )
    assert r.status_code == 422
    assert set(r.json()["error"]["fields"]) == {"workers", "end_date"}


def test_a_malformed_date_is_a_field_error(api_as, lender, enterprise_rep):
    r = api_as(enterprise_rep).post(
        "/labor/postings",
        {
            "enterprise": lender.pk,
            "kind": "surplus",
            "skill": "welder",
            "workers": 3,
            "start_date": "tomorrow",
            "end_date": "2020-13-40",
        },
    )
    assert r.status_code in (400, 422)
    assert "start_date" in r.json()["error"]["fields"]


def test_run_the_matching_as_api_md_says(api_as, surplus, shortage, province_admin):
    r = api_as(province_admin).post("/labor/matchings", {"region": "330100"})
    assert r.status_code == 201
    body = r.json()
    assert body["matched_workers"] == 4
    assert body["proposals"][0]["surplus"] == surplus.pk
    assert body["proposals"][0]["shortage"] == shortage.pk
    assert body["proposals"][0]["workers"] == 4
    assert 0 < body["proposals"][0]["distance_km"] <= 50


def test_a_shorter_distance_matches_nothing(api_as, surplus, shortage, province_admin):
    r = api_as(province_admin).post("/labor/matchings", {"max_distance_km": 1})
    assert r.status_code == 201 and r.json()["matched_workers"] == 0


def test_a_bad_distance_is_a_field_error(api_as, province_admin, regions):
    r = api_as(province_admin).post("/labor/matchings", {"max_distance_km": -5})
    assert r.status_code == 422 and "max_distance_km" in r.json()["error"]["fields"]


def test_the_map_counts_open_workers_per_county(api_as, surplus, shortage, province_admin):
    r = api_as(province_admin).get("/labor/map?region=330100")
    assert r.status_code == 200
    rows = {row["code"]: row for row in r.json()["regions"]}
    assert rows["330110"] == {
        "code": "330110",
        "name": "Yuhang District",
        "available": 6,
        "demand": 0,
    }
    assert rows["330111"]["demand"] == 4


def test_the_employment_map_counts_shortages_by_skill(api_as, shortage, province_admin):
    body = api_as(province_admin).get("/labor/employment?region=330000").json()
    assert body["skills"] == [{"skill": "welder", "name": "Welder", "demand": 4}]


def test_an_unknown_skill_on_the_employment_map_is_a_field_error(api_as, province_admin, regions):
    r = api_as(province_admin).get("/labor/employment?skill=juggler")
    assert r.status_code == 422 and "skill" in r.json()["error"]["fields"]


def test_accept_and_agree_through_the_api(api_as, proposal, enterprise_rep, fuyang_rep):
    r = api_as(enterprise_rep).post(
        f"/labor/proposals/{proposal.pk}/accept",
        {"pay_terms": "220 yuan a day", "insurance_terms": "lender's policy"},
    )
    assert r.status_code == 200 and r.json()["agreement"] is None
    r = api_as(fuyang_rep).post(f"/labor/proposals/{proposal.pk}/accept", {})
    assert r.status_code == 200 and r.json()["agreement"] == Agreement.objects.get().pk
    assert api_as(fuyang_rep).get("/labor/agreements").json()[0]["workers"] == 4


def test_an_enterprise_sees_only_proposals_that_involve_it(
    api_as, proposal, stranger, province_admin, regions, days
):
    from coproduce.accounts.services import RoleSpec, user_create
    from coproduce.recovery.services import enterprise_representative_add

    paper_rep = user_create(
        username="paper_rep",
        password="a-long-test-password",
        roles=[RoleSpec("enterprise_rep", "330111")],
        check_password=False,
    )
    enterprise_representative_add(actor=province_admin, enterprise=stranger, user=paper_rep)
    client = api_as(paper_rep)
    assert client.get("/labor/proposals").json() == []
    assert client.get(f"/labor/proposals/{proposal.pk}").status_code == 404
    assert client.post(f"/labor/proposals/{proposal.pk}/accept", {}).status_code == 404
    assert client.post(f"/labor/proposals/{proposal.pk}/refuse", {}).status_code == 404
    assert client.get(f"/labor/postings/{proposal.surplus_id}").status_code == 404
    assert client.get("/labor/agreements").json() == []


def test_association_staff_see_their_members_agreements_only(
    api_as, proposal, enterprise_rep, fuyang_rep, association_staff
):
    api_as(enterprise_rep).post(
        f"/labor/proposals/{proposal.pk}/accept", {"pay_terms": "x", "insurance_terms": "y"}
    )
    api_as(fuyang_rep).post(f"/labor/proposals/{proposal.pk}/accept", {})
    rows = api_as(association_staff).get("/labor/agreements").json()
    assert [a["lender_name"] for a in rows] == ["Linping Hardware"]


REFUSALS = [
    ("get", "/labor/skills", None),
    ("get", "/labor/postings", None),
    (
        "post",
        "/labor/postings",
        {
            "enterprise": 1,
            "kind": "surplus",
            "skill": "welder",
            "workers": 1,
            "start_date": "2030-01-01",
            "end_date": "2030-01-02",
        },
    ),
    ("get", "/labor/postings/{surplus}", None),
    ("patch", "/labor/postings/{surplus}", {"workers": 2}),
    ("post", "/labor/postings/{surplus}/withdraw", {}),
    ("post", "/labor/matchings", {}),
    ("get", "/labor/matchings/{run}", None),
    ("get", "/labor/matchings/{run}/inputs", None),
    ("get", "/labor/proposals", None),
    ("get", "/labor/proposals/{proposal}", None),
    ("post", "/labor/proposals/{proposal}/accept", {"pay_terms": "x", "insurance_terms": "y"}),
    ("post", "/labor/proposals/{proposal}/refuse", {}),
    ("get", "/labor/agreements", None),
    ("get", "/labor/map", None),
    ("get", "/labor/employment", None),
]


@pytest.mark.parametrize(("method", "path", "body"), REFUSALS)
def test_an_outsider_is_refused_every_endpoint(api_as, proposal, outsider, method, path, body):
    url = path.format(surplus=proposal.surplus_id, run=proposal.run_id, proposal=proposal.pk)
    client = api_as(outsider)
    r = getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)
    assert r.status_code == 403, (url, r.content)


@pytest.mark.parametrize(("method", "path", "body"), REFUSALS)
def test_anonymous_callers_are_refused_every_endpoint(api_as, proposal, method, path, body):
    url = path.format(surplus=proposal.surplus_id, run=proposal.run_id, proposal=proposal.pk)
    client = api_as(None)
    r = getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)
    assert r.status_code == 401


def test_another_county_sees_nothing_of_this_one(api_as, proposal, other_official):
    # other_official holds Yuhang: the Fuyang shortage, its map and its runs are out of scope.
    client = api_as(other_official)
    assert client.get(f"/labor/postings/{proposal.shortage_id}").status_code == 404
    assert client.get("/labor/map?region=330111").status_code == 404
    assert client.post("/labor/matchings", {"region": "330111"}).status_code == 404
    assert client.get(f"/labor/matchings/{proposal.run_id}").status_code == 404
    assert (
        client.patch(f"/labor/postings/{proposal.shortage_id}", {"workers": 1}).status_code == 403
    )


def test_a_rep_cannot_change_another_enterprises_posting(api_as, proposal, enterprise_rep):
    r = api_as(enterprise_rep).patch(f"/labor/postings/{proposal.shortage_id}", {"workers": 1})
    assert r.status_code == 404
    r = api_as(enterprise_rep).post(f"/labor/postings/{proposal.shortage_id}/withdraw")
    assert r.status_code == 404
