"""The bank's pages: balance, statement downloads, give, redeem, the partner's desk; refusals."""

import pytest

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.timebank import services
from coproduce.timebank.models import Redemption
from coproduce.volunteers import services as volunteer_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(pending_record, coordinator):
    volunteer_services.service_record_confirm(record=pending_record, actor=coordinator)
    return services.account_of_volunteer(volunteer=pending_record.volunteer)


@pytest.fixture
def banker(regions, county_official):
    user = user_create(
        username="banker", password="x", roles=[RoleSpec("partner", "330111")], check_password=False
    )
    partner = services.partner_create(
        name="Fuyang Rural Bank", kind="bank", region=regions["330111"], staff=[user], actor=None
    )
    services.offer_create(
        partner=partner, title="Priority loan review", price_minutes=60, actor=None
    )
    return user


def test_volunteer_sees_balance_redeems_and_downloads(client, volunteer, earned, banker):
    client.force_login(volunteer)
    html = client.get("/timebank/").content.decode()
    assert "4.00" in html and "Priority loan review" in html
    offer_id = Redemption._meta.get_field("offer").related_model.objects.get().pk
    client.post("/timebank/", {"action": "redeem", "offer": offer_id, "key": "k1"})
    client.post("/timebank/", {"action": "redeem", "offer": offer_id, "key": "k1"})  # resent
    assert Redemption.objects.count() == 1
    assert client.get("/timebank/statement/?format=pdf").content.startswith(b"%PDF")
    assert b"Closing balance" in client.get("/timebank/statement/?format=csv").content
    assert "Statement" in client.get("/timebank/statement/").content.decode()


def test_partner_confirms_on_the_desk(client, volunteer, earned, banker):
    offer = Redemption._meta.get_field("offer").related_model.objects.get()
    redemption = services.redemption_request(account=earned, offer=offer, key="k", actor=None)
    client.force_login(banker)
    assert "Priority loan review" in client.get("/timebank/partner/").content.decode()
    client.post("/timebank/partner/", {"redemption": redemption.pk, "action": "confirm"})
    assert Redemption.objects.get().status == "confirmed"


def test_pages_refuse_outsiders(client, outsider, other_official):
    for user in (outsider, other_official):
        client.force_login(user)
        assert client.get("/timebank/").status_code == 403
        assert client.get("/timebank/partner/").status_code == 403


def test_a_gift_to_a_resident_without_an_account_works_on_the_page_as_in_the_api(
    client, volunteer, earned, county_official
):
    """Issue 17: the page refused a resident who had no account yet; the API accepted them.
    One behaviour now, through services.hours_gift: both open the account and give."""
    from conftest import FUYANG_AREA, valid_national_id
    from coproduce.people.services import person_register
    from coproduce.timebank.models import Account

    neighbour = person_register(
        national_id=valid_national_id(77),
        name="Grandma Li",
        phone="13900000077",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    assert not Account.objects.filter(key=neighbour.public_id).exists()
    client.force_login(volunteer)
    answer = client.post(
        "/timebank/", {"action": "give", "to": neighbour.public_id, "hours": "1.5", "key": "g1"}
    )
    assert answer.status_code == 302
    assert Account.objects.get(key=neighbour.public_id).balance == 90
    refused = client.post(
        "/timebank/", {"action": "give", "to": "NOSUCHID", "hours": "1", "key": "g2"}, follow=True
    )
    assert "No volunteer or resident has this id." in refused.content.decode()
