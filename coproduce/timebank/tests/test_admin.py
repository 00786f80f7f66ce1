"""The back office lists and searches catalogues, partners and organizations."""

import pytest
from django.test import Client

from coproduce.accounts.models import User
from coproduce.timebank.models import Offer, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(regions):
    return User.objects.create_superuser("operator", "op@example.org", "a-long-test-password")


def test_back_office_lists_are_searchable_and_filterable(operator, fuyang_org):
    client = Client()
    client.force_login(operator)
    for url in (
        "/admin/relief/item/?q=goggles",
        "/admin/relief/item/?category__exact=medical",
        "/admin/relief/warehouse/",
        "/admin/relief/campaign/",
        "/admin/timebank/partner/?q=bank",
        "/admin/timebank/offer/",
        "/admin/orgs/organization/?q=Fuyang",
        "/admin/volunteers/volunteerprofile/?q=chen",
        "/admin/volunteers/team/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/relief/warehouse/add/").status_code == 403


def test_a_partner_and_its_offer_are_added_in_the_back_office(operator, regions):
    client = Client()
    client.force_login(operator)
    answer = client.post(
        "/admin/timebank/partner/add/",
        {
            "slug": "rural-bank",
            "name": "Rural Bank",
            "kind": "bank",
            "region": "330111",
            "active": "on",
            "offers-TOTAL_FORMS": "1",
            "offers-INITIAL_FORMS": "0",
            "offers-0-title": "Loan review",
            "offers-0-price_minutes": "120",
            "offers-0-active": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert Partner.objects.get().name == "Rural Bank"
    assert Offer.objects.get().created_at is not None
