"""Deliveries and transparency in a real browser on a phone: order, run, proof, public chain."""

import pytest

from conftest import FUYANG_AREA
from coproduce.deliveries.models import DeliveryOrder
from coproduce.people.selectors import person_of_user
from coproduce.people.services import household_create

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def test_household_order_delivered_against_its_code_and_public_chain(
    live_server, resident, coordinator, regions, phone_page, screenshot
):
    household_create(
        region=regions[FUYANG_AREA],
        label="3-1-502",
        members=[person_of_user(user=resident)],
        actor=coordinator,
    )
    page, url = phone_page, live_server.url

    sign_in(page, url, "resident")
    page.goto(f"{url}/deliveries/")
    page.fill("#qty-eggs", "2.5")
    page.fill("#note", "leave it at the door")
    page.click("#order-form button.primary")
    page.wait_for_selector("[data-order] .handover-code")
    code = page.locator("[data-order] .handover-code").inner_text()
    assert len(code) == 6
    assert "30.00" in page.locator("[data-order]").inner_text()  # 2.5 kg at RMB 12.00
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("deliveries-resident-phone")

    sign_in(page, url, "coordinator")
    page.goto(f"{url}/deliveries/")
    page.click("text=Plan the run and take it")
    page.wait_for_selector("[data-run] form.delivery")
    page.fill("[data-run] input[name=handover_code]", "000000")
    page.click("[data-run] button[type=submit]")
    assert "not the household" in page.locator(".messages").inner_text()
    page.fill("[data-run] input[name=handover_code]", code)
    page.click("[data-run] button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert DeliveryOrder.objects.get().status == "delivered"
    screenshot("deliveries-coordinator-phone")

    page.context.clear_cookies()
    page.goto(f"{url}/relief/transparency/")
    page.click("text=Verify the chain now")
    page.wait_for_selector("#verify .msg")
    assert "The chain holds" in page.locator("#verify").inner_text()
    screenshot("relief-transparency-phone")
