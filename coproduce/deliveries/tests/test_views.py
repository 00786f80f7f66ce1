"""Deliveries pages: a resident orders from the page; the report needs the report role."""

import pytest
from django.test import Client

from conftest import FUYANG_AREA
from coproduce.deliveries.models import DeliveryOrder
from coproduce.people.selectors import person_of_user
from coproduce.people.services import household_create

pytestmark = pytest.mark.django_db


def test_resident_orders_from_the_page(resident, regions, coordinator):
    household_create(
        region=regions[FUYANG_AREA],
        label="1-1-101",
        members=[person_of_user(user=resident)],
        actor=coordinator,
    )
    client = Client()
    client.force_login(resident)
    assert client.get("/deliveries/").status_code == 200
    answer = client.post(
        "/deliveries/orders/",
        {
            "kind": "groceries",
            "item": ["eggs", "rice"],
            "qty-eggs": "2",
            "price-eggs": "12.00",
            "qty-rice": "",
            "price-rice": "5.94",
        },
    )
    assert answer.status_code == 302
    order = DeliveryOrder.objects.get()
    assert order.total_fen == 2400 and order.lines.count() == 1


def test_report_page_refused_to_outsider_and_shown_to_official(outsider, county_official):
    client = Client()
    client.force_login(outsider)
    assert client.get("/deliveries/report/").status_code == 403
    client.force_login(county_official)
    assert client.get("/deliveries/report/?region=330111").status_code == 200
