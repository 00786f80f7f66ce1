"""The relief staff pages that were API-only: each does its action through the same service,
keeps a refused form's input with the error beside its field, and refuses other scopes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.core import clock
from coproduce.relief import services
from coproduce.relief.models import Campaign, Donation, Lot, SupplyRequest, Warehouse

pytestmark = pytest.mark.django_db
LATER = (clock.today() + timedelta(days=5)).isoformat()


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def yuhang_coordinator(yuhang_org):
    return user_create(
        username="yuhang_coordinator",
        password="a-long-test-password",
        roles=[RoleSpec("cbo_coordinator", "330110", yuhang_org.pk)],
        check_password=False,
    )


def test_coordinator_records_a_donation_and_gets_its_receipt(coordinator, fuyang_org):
    page = _as(coordinator).post(
        "/relief/donations/new/",
        {
            "organization": fuyang_org.pk,
            "amount": "1234.50",
            "channel": "wechat",
            "donor_kind": "individual",
            "donor_name": "Li Na",
        },
        follow=True,
    )
    donation = Donation.objects.get()
    assert donation.amount == Decimal("1234.50")
    assert page.status_code == 200 and donation.receipt_no in page.content.decode()
    listing = _as(coordinator).get("/relief/money/").content.decode()
    assert donation.receipt_no in listing and "Li Na" in listing


def test_a_refused_donation_keeps_what_was_typed_with_the_error_beside_the_field(
    coordinator, fuyang_org
):
    page = _as(coordinator).post(
        "/relief/donations/new/",
        {
            "organization": fuyang_org.pk,
            "amount": "-5",
            "channel": "cash",
            "donor_kind": "individual",
            "donor_name": "Typed Name",
        },
    )
    text = page.content.decode()
    assert page.status_code == 422 and not Donation.objects.exists()
    assert 'value="Typed Name"' in text and 'class="field-error"' in text
    assert "above zero" in text and "amount.0" not in text


def test_other_county_sees_no_donation_and_outsider_is_refused(
    coordinator, fuyang_org, other_official, outsider
):
    services.donation_record(
        organization=fuyang_org,
        amount=Decimal(9),
        channel="cash",
        donor_kind="individual",
        donor_name="Zhao",
        actor=coordinator,
    )
    assert "Zhao" not in _as(other_official).get("/relief/money/").content.decode()
    for url in (
        "/relief/money/",
        "/relief/stock/",
        "/relief/warehouses/",
        "/relief/requests/",
        "/relief/donations/new/",
        "/relief/stock/receive/",
        "/relief/requests/new/",
    ):
        assert _as(outsider).get(url).status_code == 403, url
    # An official sees the money but may not record it.
    assert _as(other_official).get("/relief/donations/new/").status_code == 403


def test_campaign_is_started_from_the_page(coordinator, fuyang_org):
    page = _as(coordinator).post(
        "/relief/campaigns/new/",
        {
            "organization": fuyang_org.pk,
            "title": "Masks for Fuyang",
            "goal": "50000",
            "starts_at": "2020-02-12T09:00",
        },
    )
    assert page.status_code == 302
    assert Campaign.objects.get().title == "Masks for Fuyang"
    assert "Masks for Fuyang" in _as(coordinator).get("/relief/money/").content.decode()


def test_warehouse_is_opened_in_a_region_of_the_scope_only(coordinator, fuyang_org):
    client = _as(coordinator)
    refused = client.post(
        "/relief/warehouses/", {"organization": fuyang_org.pk, "name": "Far", "region": "330110"}
    )
    assert refused.status_code == 422 and not Warehouse.objects.exists()
    assert 'value="Far"' in refused.content.decode()
    done = client.post(
        "/relief/warehouses/", {"organization": fuyang_org.pk, "name": "Depot", "region": "330111"}
    )
    assert done.status_code == 302 and Warehouse.objects.get().region_id == "330111"


def test_goods_received_moved_and_issued_through_the_pages(
    coordinator, fuyang_org, warehouse, items
):
    client = _as(coordinator)
    received = client.post(
        "/relief/stock/receive/",
        {
            "warehouse": warehouse.pk,
            "item": "goggles",
            "quantity": "10",
            "lot_code": "G1",
            "donor_kind": "organization",
            "donor_name": "Factory",
        },
    )
    assert received.status_code == 302 and "/relief/receipts/" in received["Location"]
    lot = Lot.objects.get()
    second = services.warehouse_create(
        organization=fuyang_org, region=warehouse.region, name="Second", actor=coordinator
    )
    moved = client.post(
        "/relief/stock/transfer/", {"lot": lot.pk, "to_warehouse": second.pk, "quantity": "4"}
    )
    assert moved.status_code == 302
    too_much = client.post(
        "/relief/stock/issue/",
        {"lot": lot.pk, "quantity": "99", "recipient": "Clinic", "region": "330111"},
    )
    assert too_much.status_code == 422 and 'value="Clinic"' in too_much.content.decode()
    issued = client.post(
        "/relief/stock/issue/",
        {"lot": lot.pk, "quantity": "2", "recipient": "Clinic", "region": "330111"},
    )
    assert issued.status_code == 302
    lot.refresh_from_db()
    assert lot.quantity == 4 * lot.quantity // 4 and Lot.objects.count() == 2
    assert "Second" in client.get("/relief/stock/").content.decode()


def test_another_countys_lot_cannot_be_chosen(coordinator, yuhang_coordinator, warehouse, items):
    services.stock_receive(
        warehouse=warehouse,
        item=items["goggles"],
        quantity=Decimal(5),
        donor_kind="organization",
        donor_name="F",
        actor=coordinator,
    )
    lot = Lot.objects.get()
    page = _as(yuhang_coordinator).post(
        "/relief/stock/issue/",
        {"lot": lot.pk, "quantity": "1", "recipient": "X", "region": "330110"},
    )
    assert page.status_code == 422 and Lot.objects.get().quantity == lot.quantity


def test_request_for_supplies_filed_listed_and_withdrawn(county_official, other_official):
    client = _as(county_official)
    refused = client.post(
        "/relief/requests/new/",
        {
            "requester_kind": "hospital",
            "requester_name": "Fuyang First Hospital",
            "region": "330111",
            "needed_by": LATER,
            "item_1": "goggles",
        },
    )
    text = refused.content.decode()
    assert refused.status_code == 422 and "Give the quantity of this item." in text
    assert "lines.0" not in text
    filed = client.post(
        "/relief/requests/new/",
        {
            "requester_kind": "hospital",
            "requester_name": "Fuyang First Hospital",
            "region": "330111",
            "needed_by": LATER,
            "item_1": "goggles",
            "quantity_1": "30",
        },
    )
    assert filed.status_code == 302
    request = SupplyRequest.objects.get()
    assert "Fuyang First Hospital" in client.get("/relief/requests/").content.decode()
    assert _as(other_official).post(f"/relief/requests/{request.pk}/cancel/").status_code == 404
    assert client.post(f"/relief/requests/{request.pk}/cancel/").status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"
