"""Scope isolation on every endpoint: another county's official and an outsider learn nothing.

Fuyang's data (a person, a household, a pair of possible duplicates, an organization) is set up
once; each endpoint is then called as `other_official` (Yuhang) and as `outsider` (no role). The
answer must be a refusal (403/404) or a list without Fuyang's records, and nothing is written.
"""

import re

import pytest

from config.api import api
from conftest import FUYANG_AREA, FUYANG_AREA_2, valid_national_id
from coproduce.people.models import Household, Person
from coproduce.people.services import (
    household_create,
    person_record_unregistered,
    person_register,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fuyang(regions, fuyang_org, county_official):
    registered = person_register(
        national_id=valid_national_id(11),
        name="Sun Li",
        phone="13811112222",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    named = person_record_unregistered(
        name="Sun Li", phone="13811112222", home_region=FUYANG_AREA, actor=county_official
    )
    household = household_create(
        region=regions[FUYANG_AREA], label="Fuyang door 1", members=[registered], actor=None
    )
    return {"registered": registered, "named": named, "household": household, "org": fuyang_org}


def secrets_of(data) -> list[str]:
    """Strings that must never appear in an answer to someone outside Fuyang."""
    return [
        data["registered"].public_id,
        data["named"].public_id,
        "Sun Li",
        "13811112222",
        "Fuyang door 1",
        "Fuyang Volunteers",
    ]


def calls(data, who):
    """Every endpoint of people, households, duplicates, merge and organizations."""
    pid, named_id = data["registered"].public_id, data["named"].public_id
    proxy_registration = [
        (
            "post",
            "/residents",
            {"national_id": valid_national_id(12), "name": "X", "home_region": FUYANG_AREA_2},
        )
    ]
    # An account without a role that registers is registering itself (its own record): allowed.
    return (proxy_registration if who == "other_official" else []) + [
        ("get", "/residents", None),
        ("get", f"/residents?region={FUYANG_AREA}", None),
        ("get", "/residents?q=Sun", None),
        ("get", f"/residents/{pid}", None),
        ("get", f"/residents/{named_id}", None),
        ("patch", f"/residents/{pid}", {"name": "Changed"}),
        ("patch", f"/residents/{pid}", {"home_region": FUYANG_AREA_2}),
        (
            "post",
            "/residents",
            {
                "national_id": valid_national_id(13),
                "name": "X",
                "home_region": FUYANG_AREA,
                "household": data["household"].pk,
            },
        ),
        ("post", "/people/unregistered", {"name": "X", "home_region": FUYANG_AREA}),
        ("get", "/people/duplicates", None),
        ("post", "/people/merge", {"keep": pid, "remove": named_id}),
        ("post", "/households", {"region": FUYANG_AREA, "label": "X", "members": []}),
        ("post", "/households", {"region": FUYANG_AREA, "label": "X", "members": [pid]}),
        ("get", f"/households/{data['household'].pk}", None),
        ("get", "/organizations", None),
        ("get", f"/organizations/{data['org'].slug}", None),
        (
            "post",
            "/organizations",
            {"name": "Intruder", "category": "charity", "home_region": "330111"},
        ),
    ]


def state():
    return (
        list(Person.objects.order_by("pk").values_list("pk", "name", "status", "home_region")),
        Household.objects.count(),
        list(Household.objects.values_list("pk", "label")),
    )


@pytest.mark.parametrize("who", ["other_official", "outsider"])
def test_no_endpoint_shows_or_changes_another_countys_people(request, api_as, fuyang, who):
    client = api_as(request.getfixturevalue(who))
    before = state()
    for method, path, body in calls(fuyang, who):
        answer = getattr(client, method)(path, body) if body else getattr(client, method)(path)
        label = f"{who} {method.upper()} {path}"
        assert answer.status_code in (200, 403, 404, 422), (label, answer.status_code)
        text = answer.content.decode()
        for secret in secrets_of(fuyang):
            assert secret not in text, (label, secret)
        if answer.status_code == 200:
            assert method == "get" and answer.json() == [], (label, answer.json())
        elif answer.status_code == 422:
            # Only the household of another area, refused before anything is looked up.
            assert "household" in answer.json()["error"]["fields"], label
        else:
            assert answer.json()["error"]["code"], label
    assert state() == before


def test_the_same_calls_succeed_for_fuyangs_official(api_as, fuyang, county_official):
    # The refusals above are about scope: the county's own official is allowed.
    client = api_as(county_official)
    pid = fuyang["registered"].public_id
    assert client.get(f"/residents/{pid}").json()["name"] == "Sun Li"
    assert client.get(f"/households/{fuyang['household'].pk}").status_code == 200
    assert len(client.get("/people/duplicates").json()) == 1
    assert client.get(f"/organizations/{fuyang['org'].slug}").status_code == 200


def test_an_outsider_registering_registers_only_themselves(api_as, fuyang, outsider):
    body = {"national_id": valid_national_id(14), "name": "Xu", "home_region": FUYANG_AREA_2}
    answer = api_as(outsider).post("/residents", body)
    assert answer.status_code == 201
    assert Person.objects.get(public_id=answer.json()["id"]).user == outsider
    assert api_as(outsider).post("/residents", body).status_code == 403


def test_a_resident_sees_only_their_own_record(api_as, fuyang, resident):
    client = api_as(resident)
    assert client.get(f"/residents/{fuyang['registered'].public_id}").status_code == 404
    assert client.get("/residents").status_code == 403
    assert client.get("/people/duplicates").status_code == 403
    assert client.get(f"/households/{fuyang['household'].pk}").status_code == 403


# Public by API.md; every other endpoint answers an anonymous caller with 401.
PUBLIC = {
    "health",
    "regions/<code>",
    "regions/<code>/children",
    "regions/<code>/risk",  # GET is public (a map of risk levels); PUT refuses anonymous callers
    "regions/<code>/stage",  # GET is public (API.md); PUT refuses anonymous callers
    "trust-list",
    "verify",
}
# Donation transparency is public (PRODUCT.md 3.6, 3.9): the catalog, campaigns and the ledger.
PUBLIC |= {
    "relief/items",
    "relief/campaigns",
    "relief/campaigns/<campaign_id>/progress",
    "relief/ledger",
    "relief/ledger/verify",
}


def _routes():
    for pattern in api.urls[0]:
        route = str(pattern.pattern)
        if not route or route.startswith(("openapi.json", "docs")):
            continue
        yield route, pattern


@pytest.mark.parametrize("route", [r for r, _ in _routes()])
def test_every_non_public_endpoint_refuses_an_anonymous_caller(api_as, regions, route):
    path = "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)
    client = api_as(None)
    for method in ("get", "post", "put", "patch", "delete"):
        answer = getattr(client, method)(path)
        if answer.status_code == 405:
            continue
        if route in PUBLIC or route.startswith("exercise/"):
            assert answer.status_code != 500, (method, path)
        else:
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert answer.json()["error"]["code"] == "not_authenticated"
