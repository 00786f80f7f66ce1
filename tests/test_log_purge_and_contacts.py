"""Across apps: the nightly log purge deletes the visits that found a case's contacts, and the
contacts keep their evidence as recorded (API and page), their degree and their exposure."""

import datetime as dt

import pytest
from django.test import Client

from coproduce.checkpoints import retention
from coproduce.checkpoints.models import Visit
from coproduce.checkpoints.services import visit_record
from coproduce.core import clock
from coproduce.places.models import Presence
from coproduce.tracing import services as tracing
from coproduce.tracing.tests.conftest import World, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbreak(regions, settings):
    """The case shopped at a market on 10 February: `near` and `home` (who lives with the case)
    were there within minutes; on the 11th `near` went to a shop where `later` came by."""
    settings.COPRODUCE_EXERCISE = True
    clock.exercise_clock_set(moment=at(12, 12), actor=None)
    world = World()
    market, shop = world.place("market"), world.place("shop")
    for name in ("case", "near", "home", "later", "stranger"):
        world.person(name)
    world.household("case", "home")

    def visit(name, place, moment):
        visit_record(person=world.people[name], place=place, visited_at=moment, actor=None)

    visit("case", market, at(10, 10))
    visit("near", market, at(10, 10, 10))
    visit("home", market, at(10, 10, 5))
    visit("near", shop, at(11, 9))
    visit("later", shop, at(11, 9, 10))
    visit("stranger", shop, at(12, 11))  # recent: kept by the purge
    return world


def _contacts(api, case) -> dict[str, dict]:
    answer = api.get(f"/cases/{case.pk}/contacts")
    assert answer.status_code == 200, answer.content
    return {c["name"]: c for c in answer.json()["contacts"]}


def test_contacts_keep_their_evidence_after_the_log_is_purged(outbreak, api_as, county_official):
    case = tracing.case_report(
        person=outbreak.people["case"],
        status="confirmed",
        onset_date=dt.date(2020, 2, 10),
        actor=county_official,
    )
    api = api_as(county_official)
    before = _contacts(api, case)
    assert {name: c["degree"] for name, c in before.items()} == {"near": 1, "home": 1, "later": 2}
    assert before["home"]["kinds"] == ["household", "co_presence"]

    # Forty days on, the nightly purge takes every visit older than 28 days.
    clock.exercise_clock_set(moment=at(12, 12) + dt.timedelta(days=40), actor=None)
    purged = retention.logs_purge(actor=None)
    assert (purged.visits, purged.presences) == (6, 6)
    assert not Visit.objects.exists() and not Presence.objects.exists()

    # Every view of the contacts rediscovers them; what the log can no longer show stands.
    after = _contacts(api, case)
    assert after == before
    near = after["near"]["evidence"]
    assert [(e["kind"], e["place_name"]) for e in near] == [("co_presence", "market")]
    assert after["later"]["evidence"][0]["via"] == outbreak.people["near"].public_id

    client = Client()
    client.force_login(county_official)
    page = client.get(f"/tracing/cases/{case.pk}/").content.decode()
    assert "market" in page and "data-log-purged" in page
    assert "Scans and visits are kept 28 days" in page
    chinese = client.get(f"/tracing/cases/{case.pk}/", headers={"accept-language": "zh-hans"})
    assert "扫码和到访记录保留 28 天" in chinese.content.decode()


def test_the_page_says_nothing_of_the_purge_while_the_log_holds_the_evidence(
    outbreak, county_official
):
    case = tracing.case_report(
        person=outbreak.people["case"],
        status="confirmed",
        onset_date=dt.date(2020, 2, 10),
        actor=county_official,
    )
    client = Client()
    client.force_login(county_official)
    page = client.get(f"/tracing/cases/{case.pk}/").content.decode()
    assert "near" in page and "data-log-purged" not in page
