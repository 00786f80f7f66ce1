"""Relief pages: the public transparency page without login, the desk in scope."""

from decimal import Decimal

import pytest
from django.test import Client

from coproduce.relief import services

pytestmark = pytest.mark.django_db


def test_transparency_page_needs_no_login_and_hides_anonymous_donors(
    regions, fuyang_org, coordinator
):
    services.donation_record(
        organization=fuyang_org,
        amount=Decimal("88.80"),
        channel="cash",
        donor_kind="individual",
        donor_name="Secret Person",
        anonymous=True,
        actor=coordinator,
    )
    page = Client().get("/relief/transparency/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "88.80" in text and "Secret Person" not in text
    check = Client().get("/relief/transparency/verify/", headers={"HX-Request": "true"})
    assert "1" in check.content.decode() and check.status_code == 200


def test_desk_is_refused_to_an_outsider_and_shown_to_the_coordinator(
    outsider, coordinator, warehouse, items
):
    services.stock_receive(
        warehouse=warehouse,
        item=items["goggles"],
        quantity=Decimal(7),
        donor_kind="organization",
        donor_name="Factory",
        actor=coordinator,
    )
    client = Client()
    client.force_login(outsider)
    assert client.get("/relief/").status_code == 403
    client.force_login(coordinator)
    page = client.get("/relief/")
    assert page.status_code == 200 and "Fuyang depot" in page.content.decode()


def test_receipt_link_shows_the_receipt(regions, fuyang_org, coordinator):
    gift = services.donation_record(
        organization=fuyang_org,
        amount=Decimal("5"),
        channel="cash",
        donor_kind="individual",
        donor_name="Zhao Lei",
        actor=coordinator,
    )
    page = Client().get(f"/relief/receipts/{gift.receipt_key}/")
    assert page.status_code == 200 and gift.receipt_no in page.content.decode()
    assert Client().get("/relief/receipts/guess/").status_code == 404
