"""The bank's endpoints: balance, statement downloads, gifts, offers, redemptions, refusals."""

import pytest

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.timebank import services
from coproduce.timebank.models import Posting, Redemption
from coproduce.volunteers import services as volunteer_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(pending_record, coordinator):
    volunteer_services.service_record_confirm(record=pending_record, actor=coordinator)
    return services.account_of_volunteer(volunteer=pending_record.volunteer)


@pytest.fixture
def partner_user(regions):
    return user_create(
        username="banker",
        password="a-long-test-password",
        roles=[RoleSpec("partner", "330111")],
        check_password=False,
    )


@pytest.fixture
def bank(regions, county_official, partner_user):
    partner = services.partner_create(
        name="Fuyang Rural Bank",
        slug="fuyang-bank",
        kind="bank",
        region=regions["330111"],
        staff=[partner_user],
        actor=county_official,
    )
    offer = services.offer_create(
        partner=partner, title="Priority loan review", price_minutes=120, actor=partner_user
    )
    return partner, offer


def test_balance_and_statement_as_json_csv_and_pdf(api_as, volunteer, earned):
    client = api_as(volunteer)
    assert client.get("/timebank/accounts/me").json()["balance_hours"] == "4.00"
    statement = client.get("/timebank/accounts/me/statement").json()
    assert statement["closing"] == 240 and statement["lines"][0]["kind"] == "earn"
    csv = client.get("/timebank/accounts/me/statement?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"4.00" in csv.content
    pdf = client.get("/timebank/accounts/me/statement?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get("/timebank/accounts/me/statement?format=doc").status_code == 422


def test_gift_to_a_resident_by_public_id(api_as, volunteer, earned, resident):
    body = {"to": resident.person.public_id, "hours": "1.5", "key": "gift-1"}
    assert api_as(volunteer).post("/timebank/gifts", body).status_code == 201
    assert api_as(volunteer).post("/timebank/gifts", body).status_code == 201  # a retry
    assert api_as(resident).get("/timebank/accounts/me").json()["balance_minutes"] == 90
    assert Posting.objects.filter(kind="gift").count() == 1


def test_gift_of_a_fraction_of_a_minute_is_a_field_error(api_as, volunteer, earned, resident):
    body = {"to": resident.person.public_id, "hours": "0.001", "key": "g"}
    answer = api_as(volunteer).post("/timebank/gifts", body)
    assert answer.status_code == 422 and "hours" in answer.json()["error"]["fields"]


def test_redeem_then_the_partner_refuses_and_the_hours_return(
    api_as, volunteer, earned, bank, partner_user
):
    _, offer = bank
    assert [o["id"] for o in api_as(volunteer).get("/timebank/offers").json()] == [offer.pk]
    answer = api_as(volunteer).post("/timebank/redemptions", {"offer": offer.pk, "key": "r1"})
    assert answer.status_code == 201
    rid = answer.json()["id"]
    assert api_as(volunteer).get("/timebank/accounts/me").json()["balance_minutes"] == 120
    pending = api_as(partner_user).get("/timebank/partners/fuyang-bank/redemptions?status=pending")
    assert [r["id"] for r in pending.json()] == [rid]
    refused = api_as(partner_user).post(f"/timebank/redemptions/{rid}/refuse", {"note": "closed"})
    assert refused.json()["status"] == "refused"
    assert api_as(volunteer).get("/timebank/accounts/me").json()["balance_minutes"] == 240


def test_partner_publishes_an_offer_priced_in_hours(api_as, bank, partner_user):
    body = {"title": "Interest discount", "hours": "2.5"}
    answer = api_as(partner_user).post("/timebank/partners/fuyang-bank/offers", body)
    assert answer.status_code == 201 and answer.json()["price_minutes"] == 150


def test_official_registers_a_partner(api_as, county_official, partner_user):
    body = {"name": "Fuchun Market", "kind": "shop", "region": "330111", "staff": ["banker"]}
    assert api_as(county_official).post("/timebank/partners", body).status_code == 201
    bad = api_as(county_official).post("/timebank/partners", {**body, "kind": "casino"})
    assert bad.status_code == 422


def test_staff_see_statements_in_their_scope(api_as, county_official, other_official, earned):
    path = f"/timebank/accounts/volunteer/{earned.key}/statement"
    assert api_as(county_official).get(path).status_code == 200
    assert api_as(other_official).get(path).status_code == 404


# --- refusals: every endpoint, an outsider and another county's official ---------------------

ENDPOINTS = [
    ("get", "/timebank/accounts/me", None),
    ("get", "/timebank/accounts/me/statement", None),
    ("get", "/timebank/accounts", None),
    ("get", "/timebank/accounts/volunteer/{account}/statement", None),
    ("post", "/timebank/gifts", {"to": "{account}", "hours": "1", "key": "x"}),
    ("get", "/timebank/offers", None),
    ("post", "/timebank/redemptions", {"offer": "{offer}", "key": "x"}),
    ("get", "/timebank/redemptions/mine", None),
    ("post", "/timebank/partners", {"name": "X", "kind": "shop", "region": "330111"}),
    ("get", "/timebank/partners/mine", None),
    ("post", "/timebank/partners/fuyang-bank/offers", {"title": "X", "hours": "1"}),
    ("get", "/timebank/partners/fuyang-bank/redemptions", None),
    ("post", "/timebank/redemptions/{redemption}/confirm", {}),
    ("post", "/timebank/redemptions/{redemption}/refuse", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("who", ["outsider", "other_official"])
def test_outsiders_and_other_counties_are_refused(
    request, api_as, earned, bank, who, method, path, body
):
    _, offer = bank
    redemption = services.redemption_request(account=earned, offer=offer, key="r", actor=None)
    user = request.getfixturevalue(who)
    client = api_as(user)
    ids = {"account": earned.key, "redemption": redemption.pk, "offer": offer.pk}
    url = path.format(**ids)
    if body is not None:
        body = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in body.items()}
        answer = client._send(method, url, body)
    else:
        answer = client._send(method, url)
    assert answer.status_code in {403, 404} or (
        answer.status_code == 200 and answer.json() == []
    ), (answer.status_code, answer.content)
    assert Redemption.objects.get().status == "pending"
    assert Posting.objects.filter(kind="gift").count() == 0
