"""The health-code pages: full pages and htmx partials, for the roles that use them."""

import pytest
from django.test import Client

from conftest import FUYANG_AREA, valid_national_id
from coproduce.core.models import AuditEvent
from coproduce.health_codes import services
from coproduce.health_codes.models import Appeal, HealthReport
from coproduce.people.models import Person


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def own(resident):
    return Person.objects.get(user=resident)


def test_my_code_page_shows_the_qr_and_reasons(resident, own, county_official):
    from coproduce.core import clock

    services.condition_impose(
        person=own,
        kind="home_quarantine",
        reason="secondary_contact",
        starts_on=clock.today(),
        actor=county_official,
        source="test:1",
    )
    page = _client(resident).get("/codes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "code-yellow" in html and "<svg" in html and "contact of a close contact" in html
    partial = _client(resident).get("/codes/", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith("<section")


def test_my_code_in_chinese(resident, own):
    page = _client(resident).get("/codes/", headers={"Accept-Language": "zh-hans"})
    assert "健康码" in page.content.decode()


def test_daily_report_form_files_once(resident, own):
    client = _client(resident)
    assert client.get("/codes/report/").status_code == 200
    response = client.post("/codes/report/", {"temperature_c": "36.6"})
    assert response.status_code == 302
    again = client.post("/codes/report/", {"temperature_c": "36.6"})
    assert again.status_code == 200 and "already" in again.content.decode()
    assert HealthReport.objects.count() == 1
    bad = client.post("/codes/report/", {"temperature_c": "45"})
    assert bad.status_code == 200 and HealthReport.objects.count() == 1


def test_self_registration_with_declaration_then_my_code(regions, outsider):
    client = _client(outsider)
    assert client.get("/codes/").status_code == 302  # not registered: to registration
    response = client.post(
        "/codes/register/",
        {
            "name": "Zhao Lei",
            "national_id": valid_national_id(31),
            "phone": "13800000031",
            "home_region": FUYANG_AREA,
            "case_contact": "on",
            "symptoms": ["cough"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(user=outsider)
    assert "code-red" in client.get("/codes/").content.decode()
    assert person.health_conditions.count() == 2


@pytest.mark.parametrize("staff", ["county_official", "volunteer"])
def test_proxy_registration_leads_to_the_printable_card(staff, request, other_official):
    """PRODUCT.md 1: an official or a volunteer registers someone without a phone and prints
    their card (for the volunteer it was a 404: the card asked for health_codes.view, which
    volunteers do not hold). The card page and the API's card.svg agree; someone with no
    standing for the person still gets 404."""
    client = _client(request.getfixturevalue(staff))
    response = client.post(
        "/codes/register/",
        {
            "name": "Old Li",
            "national_id": valid_national_id(32, birth="19380101"),
            "home_region": FUYANG_AREA,
        },
    )
    person = Person.objects.get(name="Old Li")
    assert response.status_code == 302 and person.by_proxy
    card = client.get(response["Location"])
    assert card.status_code == 200 and person.public_id in card.content.decode()
    svg = client.get(f"/api/v1/residents/{person.public_id}/card.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    # An official of another county: the person is outside their scope.
    outsider = _client(other_official)
    assert outsider.get(response["Location"]).status_code == 404
    assert outsider.get(f"/api/v1/residents/{person.public_id}/card.svg").status_code == 404


def test_officials_overview_history_is_audited_and_appeal_decided(
    resident, own, county_official, other_official
):
    from coproduce.core import clock

    services.condition_impose(
        person=own,
        kind="centralized_quarantine",
        reason="close_contact",
        starts_on=clock.today(),
        actor=county_official,
        source="test:2",
    )
    _client(resident).post("/codes/appeal/", {"reason": "I never met them."})
    appeal = Appeal.objects.get()
    official = _client(county_official)
    overview = official.get("/codes/officials/")
    assert overview.status_code == 200 and own.name in overview.content.decode()
    assert (
        official.get("/codes/officials/?color=red", headers={"HX-Request": "true"}).status_code
        == 200
    )
    history = official.get(f"/codes/people/{own.public_id}/history/")
    assert history.status_code == 200
    assert AuditEvent.objects.filter(action="people.view", object_id=str(own.pk)).exists()
    assert _client(other_official).get(f"/codes/people/{own.public_id}/history/").status_code == 404
    assert _client(other_official).get(f"/codes/appeals/{appeal.pk}/").status_code == 404
    decided = official.post(
        f"/codes/appeals/{appeal.pk}/", {"outcome": "corrected", "decision": "Confirmed absent."}
    )
    assert decided.status_code == 302
    assert "Confirmed absent." in _client(resident).get("/codes/").content.decode()


def test_family_page_grants_consent(resident, own, county_official):
    from coproduce.accounts.services import RoleSpec, user_create

    son = user_create(
        username="son",
        password="a-long-test-password",
        roles=[RoleSpec("resident", FUYANG_AREA)],
        check_password=False,
    )
    response = _client(resident).post("/codes/family/", {"username": "son", "relation": "son"})
    assert response.status_code == 302
    page = _client(son).get("/codes/family/").content.decode()
    assert own.name in page
    assert _client(son).get(f"/codes/people/{own.public_id}/").status_code == 200


def test_outsider_pages_are_refused(outsider, own):
    client = _client(outsider)
    assert client.get("/codes/officials/").status_code == 403
    assert client.get(f"/codes/people/{own.public_id}/history/").status_code == 403
    assert client.get(f"/codes/people/{own.public_id}/").status_code == 404
    assert client.get(f"/codes/people/{own.public_id}/card/").status_code == 404


@pytest.fixture
def son(resident, own):
    """The resident's son, who manages her code (consent granted from her account)."""
    from coproduce.accounts.services import RoleSpec, user_create

    user = user_create(
        username="son",
        password="a-long-test-password",
        roles=[RoleSpec("resident", FUYANG_AREA)],
        check_password=False,
    )
    services.proxy_grant(
        person=own, user=user, relation="son", consent="own account", actor=resident
    )
    return user


def test_resident_revokes_a_proxy_from_the_family_page(resident, own, son):
    client = _client(resident)
    page = client.get("/codes/family/").content.decode()
    url = f"/codes/people/{own.public_id}/proxies/son/revoke/"
    assert "Who can manage my code" in page and f'action="{url}"' in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/codes/family/"
    after = client.get("/codes/family/").content.decode()
    assert "son can no longer manage this code." in after
    assert "No relative manages your code." in after
    assert _client(son).get(f"/codes/people/{own.public_id}/").status_code == 404
    assert AuditEvent.objects.filter(action="health_codes.proxy_revoke").count() == 1


def test_a_proxy_stops_managing_from_the_family_page(own, son):
    client = _client(son)
    page = client.get("/codes/family/").content.decode()
    url = f"/codes/people/{own.public_id}/proxies/son/revoke/"
    assert "Stop managing" in page and f'action="{url}"' in page
    assert client.post(url).status_code == 302
    after = client.get("/codes/family/").content.decode()
    assert "You no longer manage the code of Wang Fang." in after and url not in after


def test_revoking_is_refused_to_others_and_needs_a_post(own, son, outsider, other_official):
    url = f"/codes/people/{own.public_id}/proxies/son/revoke/"
    assert _client(son).get(url).status_code == 405
    assert _client(outsider).post(url).status_code == 403
    # Staff of another county: out of scope looks like absent (docs/architecture.md).
    assert _client(other_official).post(url).status_code == 404
    assert _client(son).get(f"/codes/people/{own.public_id}/").status_code == 200
    assert not AuditEvent.objects.filter(action="health_codes.proxy_revoke").exists()


def test_family_page_in_chinese(resident, own, son):
    page = _client(resident).get("/codes/family/", headers={"Accept-Language": "zh-hans"})
    assert "撤销" in page.content.decode()
