"""Staff register a family proxy from the People page, for a resident of their scope only."""

import pytest
from django.test import Client

from conftest import FUYANG_AREA, YUHANG_AREA, valid_national_id
from coproduce.accounts.services import RoleSpec, user_create
from coproduce.health_codes.models import ProxyConsent
from coproduce.people.services import person_register

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def daughter(regions):
    return user_create(
        username="daughter",
        password="a-long-test-password",
        roles=[RoleSpec("resident", FUYANG_AREA)],
        check_password=False,
    )


def test_proxy_registration_is_reached_from_the_people_page(county_official, daughter):
    grandma = person_register(
        national_id=valid_national_id(31),
        name="Grandma Lu",
        home_region=FUYANG_AREA,
        phone="",
        actor=county_official,
    )
    c = client_for(county_official)
    people = c.get("/people/").content.decode()
    assert "/codes/proxies/new/" in people and "/codes/register/" in people
    form = c.get(f"/codes/proxies/new/?person={grandma.public_id}").content.decode()
    assert f'value="{grandma.public_id}"' in form and "Grandma Lu" in form
    done = c.post(
        "/codes/proxies/new/",
        {
            "person": grandma.public_id,
            "username": "daughter",
            "relation": "daughter",
            "consent": "in person",
        },
    )
    assert done.status_code == 302
    assert ProxyConsent.objects.get().user == daughter


def test_a_resident_of_another_county_or_an_unknown_account_is_refused(
    county_official, other_official, daughter
):
    far = person_register(
        national_id=valid_national_id(32, area="330110"),
        name="Far Away",
        home_region=YUHANG_AREA,
        phone="",
        actor=other_official,
    )
    c = client_for(county_official)
    refused = c.post(
        "/codes/proxies/new/",
        {"person": far.public_id, "username": "daughter", "relation": "son", "consent": "x"},
    )
    assert refused.status_code == 422 and not ProxyConsent.objects.exists()
    unknown = c.post(
        "/codes/proxies/new/",
        {"username": "nobody-here", "relation": "son", "consent": "x"},
    )
    text = unknown.content.decode()
    assert "No active account has that name." in text and 'value="nobody-here"' in text


def test_people_list_pages(county_official):
    for n in range(55):
        person_register(
            national_id=valid_national_id(100 + n),
            name=f"Person {n:02}",
            home_region=FUYANG_AREA,
            phone="",
            actor=county_official,
        )
    c = client_for(county_official)
    first = c.get("/people/").content.decode()
    assert 'rel="next"' in first
    second = c.get("/people/?page=2").content.decode()
    assert 'rel="prev"' in second and "Person" in second
