"""Health codes in a real browser on a phone: register with a declaration, see the red code,
read its QR off the screen with a real decoder, file a report, appeal; the official decides."""

import io

import pytest
import zxingcpp
from PIL import Image

from conftest import FUYANG_AREA, valid_national_id
from coproduce.health_codes import services

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def test_register_see_red_code_scan_it_report_and_appeal(
    live_server, outsider, county_official, browser, phone_page, screenshot
):
    page, url = phone_page, live_server.url
    _sign_in(page, url, "outsider")
    page.goto(f"{url}/codes/")
    page.wait_for_url(f"{url}/codes/register/")
    page.fill("#id_name", "Zhao Lei")
    page.fill("#id_national_id", valid_national_id(41))
    page.fill("#id_phone", "13800000041")
    page.fill("#id_home_region", FUYANG_AREA)
    page.check("#id_case_contact")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/codes/")
    assert page.locator("#code.code-red").count() == 1
    assert "close contact" in page.locator(".reasons").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("health-code-red-phone")

    # The QR on the screen decodes to a payload that verifies as a valid red live code.
    png = page.locator("#code .qr svg").screenshot()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert decoded and decoded[0].text.startswith("CP1:")
    verdict = services.payload_verify(payload=decoded[0].text)
    assert verdict.result.value == "valid" and verdict.claims.color.value == "red"

    page.click("text=File today's report")
    page.fill("#id_temperature_c", "36.5")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/codes/")
    assert "Today's report is filed." in page.content()

    page.fill("#id_reason", "I was never near that person.")
    page.click("text=Send an appeal")
    assert "Waiting for review" in page.content()

    official = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    op = official.new_page()
    _sign_in(op, url, "county_official")
    op.goto(f"{url}/codes/officials/")
    op.click(".card >> text=Zhao Lei")
    op.check("input[value=corrected]")
    op.fill("#id_decision", "The tracing team named someone else.")
    op.click("text=Record the decision")
    op.wait_for_url(f"{url}/codes/officials/")
    official.close()

    page.goto(f"{url}/codes/")
    assert page.locator("#code.code-green").count() == 1
    assert "The tracing team named someone else." in page.content()
    screenshot("health-code-corrected-phone")
