"""The recovery API: every endpoint's happy path, its refusals for outsiders and other scopes,
and bad input on every field of a report and a quote."""

import io

import pytest
from openpyxl import load_workbook

from coproduce.core import clock
from coproduce.recovery.services import enterprise_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return clock.today()


# --- parks and enterprises -------------------------------------------------------------------------


def test_park_and_enterprise_creation_and_scope(
    api_as, other_official, county_official, outsider, regions
):
    r = api_as(other_official).post("/parks", {"name": "Yuhang Park", "region": "330110"})
    assert r.status_code == 201, r.content
    park = r.json()["id"]
    assert (
        api_as(county_official).post("/parks", {"name": "x", "region": "330110"}).status_code == 403
    )
    assert api_as(outsider).post("/parks", {"name": "x", "region": "330110"}).status_code == 403
    body = {
        "name": "Works",
        "industry": "metal_products",
        "size_class": "small",
        "workers_total": 30,
        "region": "330110",
        "park": park,
    }
    r = api_as(other_official).post("/enterprises", body)
    assert r.status_code == 201, r.content
    ent = r.json()["id"]
    assert api_as(other_official).get(f"/enterprises/{ent}").status_code == 200
    assert api_as(county_official).get(f"/enterprises/{ent}").status_code == 404
    assert api_as(outsider).get(f"/enterprises/{ent}").status_code == 404
    # the Fuyang official cannot put an enterprise in a Yuhang park they cannot see
    r = api_as(county_official).post("/enterprises", {**body, "region": "330111"})
    assert r.status_code == 422 and "park" in r.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("industry", "mining"),
        ("size_class", "huge"),
        ("workers_total", -1),
        ("region", "999999"),
        ("associations", ["no-such"]),
        ("lat", "91"),
    ],
)
def test_enterprise_bad_input(api_as, other_official, field, value):
    body = {
        "name": "Works",
        "industry": "metal_products",
        "size_class": "small",
        "workers_total": 30,
        "region": "330110",
        "lat": "30.4",
        "lon": "120.3",
        field: value,
    }
    r = api_as(other_official).post("/enterprises", body)
    assert r.status_code == 422, r.content
    assert field in str(r.json()["error"]["fields"])


def test_a_representative_registers_their_enterprise_and_acts_for_it(api_as, enterprise_rep):
    r = api_as(enterprise_rep).post(
        "/enterprises",
        {
            "name": "Mine",
            "industry": "other",
            "size_class": "micro",
            "workers_total": 5,
            "region": "330110",
        },
    )
    assert r.status_code == 201
    assert [e["id"] for e in api_as(enterprise_rep).get("/enterprises").json()] == [r.json()["id"]]


def test_association_staff_add_members_of_their_own_association(
    api_as, association_staff, stranger, regions, province_admin, yuhang_association
):
    yuhang = enterprise_create(
        actor=province_admin,
        name="Not yet a member",
        industry="other",
        size_class="micro",
        workers_total=3,
        region=regions["330110"],
    )
    # not visible until it is a member; staff add an enterprise of their region, not another's
    staff = api_as(association_staff)
    assert staff.get(f"/enterprises/{yuhang.pk}").status_code == 404
    r = staff.post(f"/enterprises/{yuhang.pk}/associations", {"association": "yuhang-metal"})
    assert r.status_code == 201 and r.json()["associations"] == ["yuhang-metal"]
    assert staff.get(f"/enterprises/{yuhang.pk}").status_code == 200
    again = staff.post(f"/enterprises/{yuhang.pk}/associations", {"association": "yuhang-metal"})
    assert again.status_code == 409
    far = staff.post(f"/enterprises/{stranger.pk}/associations", {"association": "yuhang-metal"})
    assert far.status_code == 404


# --- reports ---------------------------------------------------------------------------------------


def test_a_report_then_a_second_for_the_day_is_409(api_as, enterprise_rep, member, today):
    rep = api_as(enterprise_rep)
    body = {
        "date": today.isoformat(),
        "open": True,
        "workers_on_site": 30,
        "capacity_pct": 70,
        "blockers": ["raw_materials"],
    }
    r = rep.post(f"/enterprises/{member.pk}/resumption-reports", body)
    assert r.status_code == 201, r.content
    r = rep.post(f"/enterprises/{member.pk}/resumption-reports", body)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "already_reported"
    assert len(rep.get(f"/enterprises/{member.pk}/resumption-reports").json()) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"workers_on_site": 41}, "workers_on_site"),
        ({"workers_on_site": -1}, "workers_on_site"),
        ({"workers_on_site": "many"}, "workers_on_site"),
        ({"open": False, "workers_on_site": 3}, "workers_on_site"),
        ({"capacity_pct": 101}, "capacity_pct"),
        ({"capacity_pct": -3}, "capacity_pct"),
        ({"date": "2999-01-01"}, "date"),
        ({"date": "26/02/2020"}, "date"),
        ({"open": "perhaps"}, "open"),
        ({"blockers": ["aliens"]}, "blockers"),
        ({"blockers": "raw_materials"}, "blockers"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_impossible_reports_are_422_with_the_field(
    api_as, enterprise_rep, member, today, changes, field
):
    body = {"date": today.isoformat(), "open": True, "workers_on_site": 10, **changes}
    r = api_as(enterprise_rep).post(f"/enterprises/{member.pk}/resumption-reports", body)
    assert r.status_code == 422, r.content
    assert field in str(r.json()["error"]["fields"])


def test_an_enterprise_cannot_report_or_read_for_another(
    api_as, enterprise_rep, stranger, outsider, member, today
):
    body = {"date": today.isoformat(), "open": True, "workers_on_site": 1}
    assert (
        api_as(enterprise_rep)
        .post(f"/enterprises/{stranger.pk}/resumption-reports", body)
        .status_code
        == 404
    )
    assert (
        api_as(enterprise_rep).get(f"/enterprises/{stranger.pk}/resumption-reports").status_code
        == 404
    )
    assert (
        api_as(outsider).post(f"/enterprises/{member.pk}/resumption-reports", body).status_code
        == 404
    )
    assert (
        api_as(None).post(f"/enterprises/{member.pk}/resumption-reports", body).status_code == 401
    )


# --- aggregates ------------------------------------------------------------------------------------


def test_aggregates_and_exports(
    api_as, enterprise_rep, other_official, county_official, outsider, member, today
):
    api_as(enterprise_rep).post(
        f"/enterprises/{member.pk}/resumption-reports",
        {"date": today.isoformat(), "open": True, "workers_on_site": 27, "blockers": ["logistics"]},
    )
    official = api_as(other_official)
    r = official.get(f"/recovery/resumption?region=330110&date={today}")
    assert r.status_code == 200
    body = r.json()
    assert (body["parks_total"], body["parks_reopened"], body["parks_reopened_pct"]) == (
        1,
        1,
        "100.0",
    )
    assert (body["workers_total"], body["workers_on_site"]) == (40, 27)
    assert body["production_resumption_pct"] == "67.5"
    trend = official.get(f"/recovery/resumption/trend?region=330110&end={today}").json()
    assert len(trend) == 14 and trend[-1]["workers_on_site"] == 27
    assert official.get("/recovery/resumption/blockers?region=330110").json() == [
        {"blocker": "logistics", "reports": 1}
    ]
    industries = official.get("/recovery/resumption/industries?region=330110").json()
    assert [i["industry"] for i in industries] == ["metal_products"]
    csv_body = official.get(f"/recovery/resumption.csv?region=330110&date={today}")
    assert csv_body.status_code == 200 and "67.5" in csv_body.content.decode("utf-8-sig")
    xlsx = official.get(f"/recovery/resumption.xlsx?region=330110&date={today}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "330110" and rows[-1][10] == 67.5
    # other regions and outsiders
    assert api_as(county_official).get("/recovery/resumption?region=330110").status_code == 404
    assert api_as(outsider).get("/recovery/resumption?region=330110").status_code == 403
    assert api_as(enterprise_rep).get("/recovery/resumption?region=330110").status_code == 403
    assert official.get("/recovery/resumption?region=330110&industry=mining").status_code == 422


# --- procurement -----------------------------------------------------------------------------------


def _second_member(regions, association_staff, yuhang_association, park):
    return enterprise_create(
        actor=association_staff,
        name="Donghu Tools",
        industry="metal_products",
        size_class="micro",
        workers_total=12,
        region=regions["330110"],
        park=park,
        associations=[yuhang_association.slug],
    )


def test_a_purchase_from_needs_to_receipt(
    api_as,
    association_staff,
    enterprise_rep,
    member,
    stranger,
    regions,
    yuhang_association,
    park,
    today,
    outsider,
):
    other = _second_member(regions, association_staff, yuhang_association, park)
    staff = api_as(association_staff)
    r = staff.post(
        "/procurements",
        {
            "association": "yuhang-metal",
            "item": "Surgical masks",
            "unit": "piece",
            "needed_by": today.isoformat(),
        },
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    # a representative states its own need; staff state another member's
    assert (
        api_as(enterprise_rep)
        .post(f"/procurements/{pid}/needs", {"enterprise": member.pk, "quantity": 600})
        .status_code
        == 201
    )
    assert (
        staff.post(
            f"/procurements/{pid}/needs", {"enterprise": other.pk, "quantity": 500}
        ).status_code
        == 201
    )
    assert (
        staff.post(
            f"/procurements/{pid}/needs", {"enterprise": other.pk, "quantity": 5}
        ).status_code
        == 409
    )
    r = staff.post(f"/procurements/{pid}/needs", {"enterprise": stranger.pk, "quantity": 5})
    assert r.status_code == 422 and "enterprise" in r.json()["error"]["fields"]
    r = staff.post(
        f"/procurements/{pid}/quotes",
        {
            "supplier": "Hangzhou Medical",
            "tiers": [
                {"min_quantity": 1, "unit_price": "0.50"},
                {"min_quantity": 1000, "unit_price": "0.35"},
            ],
        },
    )
    assert r.status_code == 201, r.content
    quote = r.json()["id"]
    assert api_as(outsider).post(f"/procurements/{pid}/award", {"quote": quote}).status_code == 404
    assert (
        api_as(enterprise_rep).post(f"/procurements/{pid}/award", {"quote": quote}).status_code
        == 404
    )
    r = staff.post(f"/procurements/{pid}/award", {"quote": quote})
    assert r.status_code == 200, r.content
    award = r.json()
    assert award["unit_price"] == "0.35" and award["total_quantity"] == 1100
    assert award["total_cost"] == "385.00" and award["saving"] == "165.00"
    assert [(ln["cost"], ln["alone_cost"], ln["saving"]) for ln in award["lines"]] == [
        ("210.00", "300.00", "90.00"),
        ("175.00", "250.00", "75.00"),
    ]
    assert staff.post(f"/procurements/{pid}/award", {"quote": quote}).status_code == 409
    assert staff.post(f"/procurements/{pid}/delivery").status_code == 409
    assert (
        staff.post(f"/procurements/{pid}/order", {"reference": "PO-1"}).json()["status"]
        == "ordered"
    )
    assert (
        api_as(enterprise_rep)
        .post(f"/procurements/{pid}/receipts", {"enterprise": member.pk})
        .status_code
        == 409
    )
    assert staff.post(f"/procurements/{pid}/delivery").json()["status"] == "delivered"
    assert (
        api_as(enterprise_rep)
        .post(f"/procurements/{pid}/receipts", {"enterprise": other.pk})
        .status_code
        == 404
    )
    assert (
        api_as(enterprise_rep)
        .post(f"/procurements/{pid}/receipts", {"enterprise": member.pk})
        .status_code
        == 200
    )
    assert staff.post(f"/procurements/{pid}/receipts", {"enterprise": other.pk}).status_code == 200
    assert staff.get(f"/procurements/{pid}").json()["status"] == "received"
    assert api_as(outsider).get(f"/procurements/{pid}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"supplier": ""}, "supplier"),
        ({"tiers": []}, "tiers"),
        ({"tiers": [{"min_quantity": 0, "unit_price": "1"}]}, "min_quantity"),
        ({"tiers": [{"min_quantity": 1, "unit_price": "0"}]}, "unit_price"),
        ({"tiers": [{"min_quantity": 1, "unit_price": "0.00001"}]}, "unit_price"),
        ({"tiers": [{"min_quantity": 1, "unit_price": "abc"}]}, "unit_price"),
        ({"tiers": [{"min_quantity": 5, "unit_price": "1"}]}, "tiers"),
        (
            {
                "tiers": [
                    {"min_quantity": 1, "unit_price": "1"},
                    {"min_quantity": 9, "unit_price": "2"},
                ]
            },
            "tiers",
        ),
        (
            {
                "tiers": [
                    {"min_quantity": 1, "unit_price": "1"},
                    {"min_quantity": 1, "unit_price": "1"},
                ]
            },
            "tiers",
        ),
        ({"tiers": "cheap"}, "tiers"),
    ],
)
def test_bad_quotes_are_422_with_the_field(
    api_as, association_staff, yuhang_association, today, body, field
):
    staff = api_as(association_staff)
    pid = staff.post(
        "/procurements",
        {
            "association": "yuhang-metal",
            "item": "Masks",
            "unit": "piece",
            "needed_by": today.isoformat(),
        },
    ).json()["id"]
    full = {"supplier": "S", "tiers": [{"min_quantity": 1, "unit_price": "1"}], **body}
    r = staff.post(f"/procurements/{pid}/quotes", full)
    assert r.status_code == 422, r.content
    assert field in str(r.json()["error"]["fields"])


def test_an_association_cannot_run_another_associations_purchase(
    api_as, association_staff, county_official, outsider, today
):
    body = {
        "association": "yuhang-metal",
        "item": "Masks",
        "unit": "piece",
        "needed_by": today.isoformat(),
    }
    assert api_as(county_official).post("/procurements", body).status_code == 403
    assert api_as(outsider).post("/procurements", body).status_code == 403
    assert (
        api_as(association_staff)
        .post("/procurements", {**body, "needed_by": "2000-01-01"})
        .status_code
        == 422
    )


# --- board, services, rent relief ------------------------------------------------------------------


def test_board_matches_both_sides_accept(
    api_as, enterprise_rep, association_staff, member, regions, yuhang_association, park, stranger
):
    other = _second_member(regions, association_staff, yuhang_association, park)
    r = api_as(association_staff).post(
        "/recovery/board/posts",
        {"enterprise": other.pk, "kind": "offer", "topic": "material", "material": "Steel wire"},
    )
    assert r.status_code == 201, r.content
    r = api_as(enterprise_rep).post(
        "/recovery/board/posts",
        {
            "enterprise": member.pk,
            "kind": "shortage",
            "topic": "material",
            "material": "steel-wire",
        },
    )
    assert r.status_code == 201
    matches = r.json()["matches"]
    assert len(matches) == 1
    mid = matches[0]["id"]
    assert (
        api_as(enterprise_rep)
        .post(f"/recovery/board/matches/{mid}/accept", {"enterprise": member.pk})
        .json()["status"]
        == "proposed"
    )
    assert (
        api_as(enterprise_rep)
        .post(f"/recovery/board/matches/{mid}/accept", {"enterprise": other.pk})
        .status_code
        == 404
    )
    assert (
        api_as(association_staff)
        .post(f"/recovery/board/matches/{mid}/accept", {"enterprise": other.pk})
        .json()["status"]
        == "agreed"
    )
    assert (
        api_as(enterprise_rep)
        .post(
            "/recovery/board/posts",
            {"enterprise": stranger.pk, "kind": "offer", "topic": "material", "material": "x"},
        )
        .status_code
        == 404
    )
    r = api_as(enterprise_rep).post(
        "/recovery/board/posts",
        {"enterprise": member.pk, "kind": "wish", "topic": "material", "material": "x"},
    )
    assert r.status_code == 422 and "kind" in r.json()["error"]["fields"]
    post = api_as(enterprise_rep).get("/recovery/board/posts").json()[0]["id"]
    assert (
        api_as(enterprise_rep).post(f"/recovery/board/posts/{post}/close").json()["status"]
        == "closed"
    )
    assert len(api_as(enterprise_rep).get("/recovery/board/posts?history=true").json()) == 2


def test_service_requests_at_the_desk(
    api_as, enterprise_rep, association_staff, member, outsider, county_official
):
    rep = api_as(enterprise_rep)
    r = rep.post(
        "/recovery/service-requests",
        {
            "enterprise": member.pk,
            "association": "yuhang-metal",
            "kind": "finance",
            "topic": "loan",
            "description": "Wages for March",
            "amount": "200000.00",
        },
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["amount"] == "200000.00"
    bad = rep.post(
        "/recovery/service-requests",
        {
            "enterprise": member.pk,
            "association": "yuhang-metal",
            "kind": "finance",
            "topic": "labor_law",
            "description": "x",
        },
    )
    assert bad.status_code == 422 and "topic" in bad.json()["error"]["fields"]
    assert (
        rep.patch(
            f"/recovery/service-requests/{rid}", {"status": "assigned", "partner": "Bank"}
        ).status_code
        == 404
    )
    staff = api_as(association_staff)
    r = staff.patch(f"/recovery/service-requests/{rid}", {"status": "assigned"})
    assert r.status_code == 422 and "partner" in r.json()["error"]["fields"]
    assert (
        staff.patch(
            f"/recovery/service-requests/{rid}",
            {"status": "assigned", "partner": "Yuhang Rural Bank"},
        ).json()["status"]
        == "assigned"
    )
    assert (
        staff.patch(
            f"/recovery/service-requests/{rid}", {"status": "resolved", "outcome": "Loan granted"}
        ).json()["status"]
        == "resolved"
    )
    assert (
        staff.patch(f"/recovery/service-requests/{rid}", {"status": "assigned"}).status_code == 409
    )
    assert api_as(outsider).get("/recovery/service-requests").json() == []
    assert api_as(county_official).get("/recovery/service-requests").status_code in (200, 403)


def test_rent_relief_with_totals(api_as, association_staff, member, stranger, outsider, park):
    staff = api_as(association_staff)
    r = staff.post(
        "/recovery/rent-relief",
        {
            "association": "yuhang-metal",
            "name": "Park rent cut",
            "provider_kind": "park",
            "provider_name": "Linping Park",
            "park": park.pk,
            "kind": "percentage",
            "percent": 50,
            "start_month": "2020-02-01",
            "months": 3,
        },
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    r = staff.post(
        f"/recovery/rent-relief/{pid}/beneficiaries",
        {"enterprise": member.pk, "monthly_rent": "12000.00"},
    )
    assert r.status_code == 201 and r.json()["relief"] == "18000.00"
    r = staff.post(
        f"/recovery/rent-relief/{pid}/beneficiaries",
        {"enterprise": stranger.pk, "monthly_rent": "100.00"},
    )
    assert r.status_code == 422
    assert staff.get("/recovery/rent-relief").json()[0]["relief_total"] == "18000.00"
    assert (
        api_as(outsider)
        .post(
            f"/recovery/rent-relief/{pid}/beneficiaries",
            {"enterprise": member.pk, "monthly_rent": "1.00"},
        )
        .status_code
        == 404
    )
    r = staff.post(
        "/recovery/rent-relief",
        {
            "association": "yuhang-metal",
            "name": "x",
            "provider_kind": "landlord",
            "provider_name": "y",
            "kind": "percentage",
            "percent": 0,
            "start_month": "2020-02-01",
            "months": 3,
        },
    )
    assert r.status_code == 422 and "percent" in r.json()["error"]["fields"]
    assert api_as(outsider).get("/recovery/rent-relief").json() == []


def test_every_endpoint_refuses_an_outsider_and_another_county(
    api_as,
    outsider,
    county_official,
    member,
    association_staff,
    yuhang_association,
    park,
    today,
    enterprise_rep,
):
    """Every endpoint: an account without a role, and a Fuyang official (another county), are
    refused (403 without the permission, 404 out of scope) or see nothing of Yuhang's."""
    staff = api_as(association_staff)
    pid = staff.post(
        "/procurements",
        {
            "association": "yuhang-metal",
            "item": "Masks",
            "unit": "piece",
            "needed_by": today.isoformat(),
        },
    ).json()["id"]
    post = (
        api_as(enterprise_rep)
        .post(
            "/recovery/board/posts",
            {"enterprise": member.pk, "kind": "shortage", "topic": "material", "material": "zinc"},
        )
        .json()["id"]
    )
    req = (
        api_as(enterprise_rep)
        .post(
            "/recovery/service-requests",
            {
                "enterprise": member.pk,
                "association": "yuhang-metal",
                "kind": "legal",
                "topic": "labor_law",
                "description": "x",
            },
        )
        .json()["id"]
    )
    prog = staff.post(
        "/recovery/rent-relief",
        {
            "association": "yuhang-metal",
            "name": "x",
            "provider_kind": "landlord",
            "provider_name": "y",
            "kind": "amount",
            "amount": "100.00",
            "start_month": "2020-02-01",
            "months": 1,
        },
    ).json()["id"]
    e = member.pk
    calls = [
        ("post", "/parks", {"name": "x", "region": "330110"}),
        ("get", "/parks?region=330110", None),
        (
            "post",
            "/enterprises",
            {
                "name": "x",
                "industry": "other",
                "size_class": "micro",
                "workers_total": 1,
                "region": "330110",
            },
        ),
        ("get", "/enterprises", None),
        ("get", f"/enterprises/{e}", None),
        ("post", f"/enterprises/{e}/associations", {"association": "yuhang-metal"}),
        ("post", f"/enterprises/{e}/representatives", {"username": "outsider"}),
        (
            "post",
            f"/enterprises/{e}/resumption-reports",
            {"date": today.isoformat(), "open": True, "workers_on_site": 1},
        ),
        ("get", f"/enterprises/{e}/resumption-reports", None),
        ("get", "/recovery/resumption?region=330110", None),
        ("get", "/recovery/resumption/regions?region=330110", None),
        ("get", "/recovery/resumption/industries?region=330110", None),
        ("get", "/recovery/resumption/trend?region=330110", None),
        ("get", "/recovery/resumption/blockers?region=330110", None),
        ("get", "/recovery/resumption.csv?region=330110", None),
        ("get", "/recovery/resumption.xlsx?region=330110", None),
        (
            "post",
            "/procurements",
            {
                "association": "yuhang-metal",
                "item": "x",
                "unit": "x",
                "needed_by": today.isoformat(),
            },
        ),
        ("get", "/procurements", None),
        ("get", f"/procurements/{pid}", None),
        ("post", f"/procurements/{pid}/needs", {"enterprise": e, "quantity": 1}),
        (
            "post",
            f"/procurements/{pid}/quotes",
            {"supplier": "x", "tiers": [{"min_quantity": 1, "unit_price": "1"}]},
        ),
        ("post", f"/procurements/{pid}/award", {"quote": 1}),
        ("post", f"/procurements/{pid}/order", {}),
        ("post", f"/procurements/{pid}/delivery", {}),
        ("post", f"/procurements/{pid}/receipts", {"enterprise": e}),
        (
            "post",
            "/recovery/board/posts",
            {"enterprise": e, "kind": "offer", "topic": "material", "material": "x"},
        ),
        ("get", "/recovery/board/posts", None),
        ("get", "/recovery/board/matches", None),
        ("post", "/recovery/board/matches/1/accept", {"enterprise": e}),
        ("post", f"/recovery/board/posts/{post}/close", {}),
        (
            "post",
            "/recovery/service-requests",
            {
                "enterprise": e,
                "association": "yuhang-metal",
                "kind": "legal",
                "topic": "labor_law",
                "description": "x",
            },
        ),
        ("get", "/recovery/service-requests", None),
        ("patch", f"/recovery/service-requests/{req}", {"status": "assigned", "partner": "x"}),
        (
            "post",
            "/recovery/rent-relief",
            {
                "association": "yuhang-metal",
                "name": "x",
                "provider_kind": "landlord",
                "provider_name": "y",
                "kind": "amount",
                "amount": "1.00",
                "start_month": "2020-02-01",
                "months": 1,
            },
        ),
        ("get", "/recovery/rent-relief", None),
        (
            "post",
            f"/recovery/rent-relief/{prog}/beneficiaries",
            {"enterprise": e, "monthly_rent": "1.00"},
        ),
    ]
    for user in (outsider, county_official):
        client = api_as(user)
        for method, path, body in calls:
            r = (
                getattr(client, method)(path, body)
                if body is not None
                else getattr(client, method)(path)
            )
            if r.status_code == 200 and method == "get":
                assert r.json() == [], (user.username, path, r.content)
            else:
                assert r.status_code in (403, 404), (
                    user.username,
                    method,
                    path,
                    r.status_code,
                    r.content[:200],
                )
