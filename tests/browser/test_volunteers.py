"""Volunteers and the Voluntary Bank in a phone browser: sign up, check in, confirm, redeem."""

import pytest

from coproduce.timebank import services as bank
from coproduce.volunteers.models import ServiceRecord, Signup
from coproduce.volunteers.tests.conftest import *  # noqa: F403 - the volunteers' fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def test_volunteer_signs_up_checks_in_and_redeems_hours(
    live_server,
    phone_page,
    screenshot,
    vol,
    call,
    gate_payload,
    pending_record,
    coordinator,
    regions,
):
    page, url = phone_page, live_server.url
    partner = bank.partner_create(
        name="Fuyang Rural Bank", kind="bank", region=regions["330111"], actor=None
    )
    bank.offer_create(partner=partner, title="Priority loan review", price_minutes=180, actor=None)

    # The coordinator confirms the pending record: the hours reach the volunteer's account.
    sign_in(page, url, "coordinator")
    page.goto(f"{url}/volunteers/records/")
    page.click(f"#record-{pending_record.pk} button.ok")
    page.wait_for_selector(f"#record-{pending_record.pk} .status-confirmed")
    page.click("text=Sign out")

    sign_in(page, url, "volunteer")
    page.goto(f"{url}/volunteers/")
    page.click(f"li[data-call='{call.pk}'] button.primary")  # htmx: the list is redrawn
    page.wait_for_selector("text=Give back my place")
    assert Signup.objects.filter(call=call, status="active").count() == 1
    page.fill("#payload", gate_payload)
    page.click("button:has-text('Check in')")
    page.wait_for_selector("button:has-text('Check out')")
    assert ServiceRecord.objects.filter(status="checked_in").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("volunteers-home-phone")

    page.goto(f"{url}/timebank/")
    assert page.locator("[data-balance]").get_attribute("data-balance") == "240"
    page.click("li.offer button.primary")
    page.wait_for_selector("text=Requested: the partner will confirm.")
    assert page.locator("[data-balance]").get_attribute("data-balance") == "60"
    screenshot("timebank-home-phone")
    with page.expect_download() as download:
        page.click("a:has-text('PDF')")
    assert download.value.suggested_filename.endswith(".pdf")

    with page.expect_navigation():
        page.select_option("#language", "zh-hans")
    assert page.locator("h1").inner_text() == "志愿服务时间银行"
