"""Authentication of the API and GET /me."""

import pytest

from coproduce.accounts.models import ApiToken
from coproduce.accounts.services import token_create, token_revoke

pytestmark = pytest.mark.django_db


def test_me_lists_the_callers_roles_grants_and_modules(api_as, coordinator, fuyang_org):
    answer = api_as(coordinator).get("/me")
    assert answer.status_code == 200
    assert answer.json() == {
        "username": "coordinator",
        "roles": ["cbo_coordinator"],
        "grants": [{"role": "cbo_coordinator", "region": "330111", "organization": fuyang_org.pk}],
        "modules": [
            "people",
            "health_codes",
            "checkpoints",
            "volunteers",
            "relief",
            "deliveries",
            "care",
            "organizations",
        ],
    }


def test_me_for_an_account_without_roles(api_as, outsider):
    body = api_as(outsider).get("/me").json()
    assert (body["roles"], body["grants"], body["modules"]) == ([], [], [])


def test_me_works_with_a_browser_session(client, county_official):
    client.force_login(county_official)
    answer = client.get("/api/v1/me")
    assert answer.status_code == 200 and answer.json()["username"] == "county_official"


def test_a_session_write_without_csrf_is_refused(county_official, regions):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(county_official)
    answer = client.post("/api/v1/residents", {}, content_type="application/json")
    assert answer.status_code in (401, 403)
    assert "error" in answer.json()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer cpt_wrong"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwdw=="},
        {"Authorization": "Bearer " + "x" * 500},
    ],
    ids=["none", "wrong", "empty", "basic", "long"],
)
def test_no_or_a_bad_token_is_a_401_in_the_error_shape(client, regions, headers):
    answer = client.get("/api/v1/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Sign in, or send an API token.",
            "fields": {},
        }
    }


def test_a_revoked_token_is_a_401(client, county_official):
    token, key = token_create(user=county_official, name="phone")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token_revoke(token=ApiToken.objects.get(pk=token.pk))
    assert client.get("/api/v1/me", headers=headers).status_code == 401
