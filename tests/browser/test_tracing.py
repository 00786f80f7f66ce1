"""Tracing in a real browser on a phone: the official starts a round, the tracer finishes a task
in one tap (htmx), the chain is drawn by cytoscape."""

import pytest

from coproduce.orgs.services import organization_create
from coproduce.tracing import services
from coproduce.tracing.tests.conftest import World, at

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def test_round_then_one_tap_outcome_then_chain(
    live_server, county_official, tracer, regions, settings, phone_page, screenshot
):
    from coproduce.core import clock

    settings.COPRODUCE_EXERCISE = True
    clock.exercise_clock_set(moment=at(12, 10), actor=None)
    world = World()
    world.place("market")
    world.person("Patient")
    world.person("Neighbour Li")
    world.seen("Patient", "market", at(10, 10))
    world.seen("Neighbour Li", "market", at(10, 10, 15))
    area = world.people["Neighbour Li"].home_region
    organization_create(
        name="Qiuyue Officers",
        category="government_unit",
        home_region=area,
        service_regions=[area],
        actor=None,
        slug="qiuyue",
        verified=True,
    )
    case = services.case_report(
        person=world.people["Patient"],
        status="confirmed",
        onset_date=at(10, 0).date(),
        cluster="B1",
        actor=county_official,
    )
    page = phone_page
    _sign_in(page, live_server.url, "county_official")
    page.goto(f"{live_server.url}/tracing/cases/{case.pk}/")
    assert "Neighbour Li" in page.locator("main").inner_text()
    page.click("[data-start-round]")
    assert "Round 1 started" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/tracing/chains/B1/")
    page.wait_for_function("window.chainGraph && window.chainGraph.nodes().length === 2")
    screenshot("tracing-chain-phone")
    page.click("text=Sign out")

    _sign_in(page, live_server.url, "tracer")
    page.goto(f"{live_server.url}/tracing/")
    card = page.locator("[data-task]").first
    assert "Neighbour Li" in card.inner_text()
    assert "Patient" not in page.locator("main").inner_text()  # privacy: the case is not named
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("tracing-tasks-phone")
    card.locator("button", has_text="Reached").click()
    page.wait_for_selector(".badge.outcome-reached")
    assert page.locator("[data-task] .outcomes").count() == 0
    screenshot("tracing-task-done-phone")
