"""An official on a phone imposes a condition from the officials' overview and sees the person's
color change at once (htmx), then ends it with a reason; every step is in the history."""

import pytest

from conftest import FUYANG_AREA, valid_national_id
from coproduce.health_codes.models import Condition, HealthCode
from coproduce.people.services import person_register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def test_official_on_a_phone_imposes_a_condition_then_ends_it(
    live_server, county_official, phone_page, screenshot
):
    person = person_register(
        national_id=valid_national_id(61),
        name="Chen Jing",
        phone="13800000061",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    page, url = phone_page, live_server.url
    _sign_in(page, url, "county_official")

    page.goto(f"{url}/codes/officials/")
    page.fill("#q", "Chen Jing")
    page.click("text=Find a person")
    page.click(".card >> text=Chen Jing")
    page.wait_for_url(f"{url}/codes/people/{person.public_id}/history/")
    assert page.locator("#record .code-summary").get_attribute("data-color") == "green"

    page.click("text=Impose a condition")
    page.select_option("#id_impose-kind", "centralized_quarantine")
    page.select_option("#id_impose-reason", "close_contact")
    page.fill("#id_impose-days", "14")
    page.fill("#id_impose-why", "Named by the Qiuyue tracing team.")
    screenshot("health-code-condition-impose-form-phone")
    page.click("#record button:has-text('Impose')")
    # htmx swaps the record in place: the new color shows without leaving the page.
    page.wait_for_selector("#record .code-summary[data-color=red]")
    assert page.url == f"{url}/codes/people/{person.public_id}/history/"
    assert "The code is now Red." in page.locator("#record .msg").inner_text()
    assert "Named by the Qiuyue tracing team." in page.locator("#record .changes").inner_text()
    assert HealthCode.objects.get(person=person).color == "red"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("health-code-condition-imposed-phone")

    condition = Condition.objects.get(person=person)
    article = page.locator(f"#condition-{condition.pk}")
    article.locator("summary", has_text="End").click()
    page.fill(f"#id_c{condition.pk}-end-why", "The test came back negative.")
    screenshot("health-code-condition-end-form-phone")
    article.locator("button", has_text="End the condition").click()
    page.wait_for_selector("#record .code-summary[data-color=green]")
    assert "The code is now Green." in page.locator("#record .msg").inner_text()
    assert "The test came back negative." in page.locator("#record .changes").inner_text()
    assert HealthCode.objects.get(person=person).color == "green"
    screenshot("health-code-condition-ended-phone")
