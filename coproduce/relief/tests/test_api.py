"""The /relief endpoints: field errors write nothing, scope refusals, the public data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from coproduce.relief import services
from coproduce.relief.models import Donation, LedgerEntry, Lot, SupplyRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(warehouse, items, coordinator, county_official, regions):
    gift = services.stock_receive(
        warehouse=warehouse,
        item=items["surgical-mask"],
        quantity=Decimal(100),
        donor_kind="organization",
        donor_name="Factory",
        actor=coordinator,
    )
    request = services.supply_request_create(
        requester_kind="checkpoint",
        requester_name="Gate 1",
        region=regions["330111"],
        needed_by=date.today() + timedelta(days=1),
        lines=[services.LineInput("surgical-mask", Decimal(40))],
        actor=county_official,
    )
    allocation = services.stock_allocate(
        organization=warehouse.organization, region=regions["330111"], actor=coordinator
    )
    return {"gift": gift, "request": request, "allocation": allocation, "warehouse": warehouse}


def test_coordinator_records_a_donation_with_receipt(api_as, coordinator, fuyang_org):
    answer = api_as(coordinator).post(
        "/relief/donations",
        {
            "organization": fuyang_org.slug,
            "amount": "1234.56",
            "channel": "wechat",
            "donor_name": "Chen Jie",
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["amount"] == "1234.56" and body["receipt_no"].startswith("D")
    page = api_as(None).client.get(body["receipt_url"].split("testserver")[-1])
    assert page.status_code == 200 and "Chen Jie" in page.content.decode()


@pytest.mark.parametrize(
    "amount, field",
    [("12.345", "amount"), ("-5", "amount"), ("0", "amount"), ("abc", "amount")],
)
def test_bad_money_is_a_field_error_and_writes_nothing(
    api_as, coordinator, fuyang_org, amount, field
):
    answer = api_as(coordinator).post(
        "/relief/donations",
        {"organization": fuyang_org.slug, "amount": amount, "channel": "cash", "donor_name": "X"},
    )
    assert answer.status_code == 422
    assert field in answer.json()["error"]["fields"]
    assert not Donation.objects.exists() and not LedgerEntry.objects.exists()


def test_request_with_a_fraction_of_a_mask_is_refused(api_as, county_official, regions):
    answer = api_as(county_official).post(
        "/relief/requests",
        {
            "requester_kind": "hospital",
            "requester_name": "Fuyang Hospital",
            "region": "330111",
            "needed_by": str(date.today() + timedelta(days=1)),
            "lines": [{"item": "surgical-mask", "quantity": "1.5"}],
        },
    )
    assert answer.status_code == 422
    assert "lines.0.quantity" in answer.json()["error"]["fields"]
    assert not SupplyRequest.objects.exists()


def test_allocation_approve_dispatch_and_receipt(api_as, coordinator, county_official, stocked):
    client = api_as(coordinator)
    aid = stocked["allocation"].pk
    approved = client.post(f"/relief/allocations/{aid}/approve", {}).json()
    assert approved["status"] == "approved"
    sent = client.post(f"/relief/allocations/{aid}/dispatch").json()
    line = sent["lines"][0]
    assert line["status"] == "dispatched" and line["quantity"] == "40"
    got = api_as(county_official).post(
        f"/relief/dispatches/{line['id']}/receipt", {"quantity": "38", "note": "2 torn"}
    )
    assert got.status_code == 200 and got.json()["status"] == "partial"
    stock = client.get("/relief/stock").json()
    assert stock[0]["on_hand"] == "60"


def test_issue_beyond_stock_is_a_conflict(api_as, coordinator, stocked):
    answer = api_as(coordinator).post(
        "/relief/stock/issues",
        {"lot": stocked["gift"].lot_id, "quantity": "101", "region": "330111", "recipient": "X"},
    )
    assert answer.status_code == 409
    assert Lot.objects.get(pk=stocked["gift"].lot_id).quantity == 100


def test_public_data_needs_no_login(api_as, stocked):
    anonymous = api_as(None)
    assert anonymous.get("/relief/items").status_code == 200
    assert anonymous.get("/relief/campaigns").status_code == 200
    entries = anonymous.get("/relief/ledger").json()
    assert entries[0]["seq"] == 1 and entries[0]["previous_hash"] == "0" * 64
    assert anonymous.get("/relief/ledger/verify").json()["ok"] is True


def scoped_calls(stocked, fuyang_org):
    lot, wh = stocked["gift"].lot_id, stocked["warehouse"].pk
    aid, rid = stocked["allocation"].pk, stocked["request"].pk
    line = stocked["allocation"].lines.first().pk
    org = fuyang_org.slug
    return [
        (
            "post",
            "/relief/campaigns",
            {
                "organization": org,
                "slug": "abc",
                "title": "t",
                "goal": "10",
                "starts_at": "2020-01-25T00:00:00+08:00",
            },
        ),
        (
            "post",
            "/relief/donations",
            {"organization": org, "amount": "1", "channel": "cash", "donor_name": "x"},
        ),
        ("get", "/relief/donations", None),
        (
            "post",
            "/relief/disbursements",
            {
                "organization": org,
                "amount": "1",
                "region": "330111",
                "recipient": "x",
                "purpose": "y",
            },
        ),
        ("post", "/relief/warehouses", {"organization": org, "region": "330111", "name": "W2"}),
        ("get", "/relief/warehouses", None),
        ("get", "/relief/stock", None),
        ("get", "/relief/lots", None),
        (
            "post",
            "/relief/stock/receipts",
            {"warehouse": wh, "item": "goggles", "quantity": "1", "donor_name": "x"},
        ),
        ("post", "/relief/stock/transfers", {"lot": lot, "to_warehouse": wh, "quantity": "1"}),
        (
            "post",
            "/relief/stock/issues",
            {"lot": lot, "quantity": "1", "region": "330111", "recipient": "x"},
        ),
        (
            "post",
            "/relief/requests",
            {
                "requester_kind": "hospital",
                "requester_name": "h",
                "region": "330111",
                "needed_by": str(date.today()),
                "lines": [{"item": "goggles", "quantity": "1"}],
            },
        ),
        ("get", "/relief/requests", None),
        ("post", f"/relief/requests/{rid}/cancel", None),
        ("post", "/relief/allocations", {"organization": org, "region": "330111"}),
        ("get", f"/relief/allocations/{aid}", None),
        ("post", f"/relief/allocations/{aid}/approve", {}),
        ("post", f"/relief/allocations/{aid}/discard", None),
        ("post", f"/relief/allocations/{aid}/dispatch", None),
        ("post", f"/relief/dispatches/{line}/receipt", {"quantity": "1"}),
    ]


@pytest.mark.parametrize("who", ["outsider", "other_official"])
def test_every_staff_endpoint_refuses_outsiders_and_other_counties(
    api_as, stocked, fuyang_org, who, request
):
    client = api_as(request.getfixturevalue(who))
    before = LedgerEntry.objects.count()
    for method, path, body in scoped_calls(stocked, fuyang_org):
        answer = (
            getattr(client, method)(path, body)
            if body is not None
            else getattr(client, method)(path)
        )
        if method == "get" and answer.status_code == 200:
            assert answer.json() == [], (who, path)  # an empty list: nothing in their scope
        else:
            assert answer.status_code in (403, 404), (who, method, path, answer.content)
    assert LedgerEntry.objects.count() == before
    assert stocked["allocation"].lines.filter(status="proposed").exists()


def test_only_the_recipient_confirms_a_dispatch(api_as, coordinator, county_official, stocked):
    """Issue 17: any province-level coordinator could confirm another organization's dispatch.
    The request was filed by the county's official: the county's officials confirm; a
    coordinator of another charity, province-wide, finds no such dispatch."""
    from coproduce.accounts.services import RoleSpec, user_create
    from coproduce.orgs.models import Organization
    from coproduce.orgs.services import member_add, organization_create
    from coproduce.regions.models import Region

    province = Region.objects.get(code="330000")
    charity = organization_create(
        name="Another Charity",
        category=Organization.Category.CHARITY,
        home_region=province,
        service_regions=[province],
        actor=None,
        verified=True,
    )
    stranger = user_create(
        username="province_charity",
        password="x",
        roles=[RoleSpec("cbo_coordinator", "330000", charity.pk)],
        check_password=False,
    )
    member_add(organization=charity, user=stranger, kind="staff", actor=None)
    client = api_as(coordinator)
    aid = stocked["allocation"].pk
    client.post(f"/relief/allocations/{aid}/approve", {})
    line = client.post(f"/relief/allocations/{aid}/dispatch").json()["lines"][0]
    refused = api_as(stranger).post(f"/relief/dispatches/{line['id']}/receipt", {"quantity": "40"})
    assert refused.status_code == 404
    done = api_as(county_official).post(
        f"/relief/dispatches/{line['id']}/receipt", {"quantity": "40"}
    )
    assert done.status_code == 200 and done.json()["status"] == "received"
