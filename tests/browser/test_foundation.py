"""The foundation in a real browser on a phone: sign in, the home modules, 中文, sign out."""

import pytest

from coproduce.accounts.navigation import modules_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_sign_in_see_modules_switch_to_chinese_and_sign_out(
    live_server, county_official, phone_page, screenshot
):
    page = phone_page
    page.goto(f"{live_server.url}/")  # a visitor's landing page (issue 16), the sign-in beside it
    page.click("a[href='/login/']")
    page.wait_for_url(f"{live_server.url}/login/")

    page.fill("#id_username", "county_official")
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    # Only the modules whose pages exist here and that the official may open (accounts.navigation)
    assert page.locator("[data-module]").count() == len(modules_for(county_official))
    assert page.locator("[data-module=people] a").inner_text() == "People"
    # Nothing spills sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with page.expect_navigation():
        page.select_option("#language", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("[data-module=people] a").inner_text() == "人员管理"
    assert "欢迎您" in page.locator("h1").inner_text()
    screenshot("foundation-home-zh-phone")

    page.click("text=退出登录")
    page.wait_for_url(f"{live_server.url}/login/")
    assert page.locator("h1").inner_text() == "登录"
