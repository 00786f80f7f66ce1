"""Sign-in limits in a real browser on a phone: wrong passwords until the page refuses (429)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def submit(page, live_server, password):
    page.fill("#id_username", "county_official")
    page.fill("#id_password", password)
    with page.expect_response(
        lambda r: r.url == f"{live_server.url}/login/" and r.request.method == "POST"
    ) as answer:
        page.click("button.primary")
    page.wait_for_load_state()
    return answer.value


def test_wrong_passwords_until_blocked_then_the_page_says_when_to_retry(
    live_server, county_official, phone_page, screenshot
):
    page = phone_page
    page.goto(f"{live_server.url}/login/")

    for _ in range(5):
        answer = submit(page, live_server, "wrong-password")
        assert answer.status == 200
        assert "did not match" in page.locator("[role=alert]").inner_text()

    # The sixth try is refused before the password is looked at, the right one included.
    answer = submit(page, live_server, "a-long-test-password")
    assert answer.status == 429
    assert 0 < int(answer.headers["retry-after"]) <= 15 * 60
    message = page.locator("[data-sign-in-limited]").inner_text()
    assert message.startswith("Too many failed sign-ins for this username.")
    assert "try again at" in message and "(in 15 minutes)" in message
    assert page.url == f"{live_server.url}/login/"  # not signed in
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("sign-in-limited-phone")

    # The same refusal in Simplified Chinese.
    with page.expect_navigation():
        page.select_option("#language", "zh-hans")
    answer = submit(page, live_server, "a-long-test-password")
    assert answer.status == 429
    message = page.locator("[data-sign-in-limited]").inner_text()
    assert message.startswith("该用户名登录失败次数过多，已暂停登录")
    assert "分钟后" in message
    screenshot("sign-in-limited-zh-phone")
