"""The labor-force map in a real browser on a phone: counties drawn, drill-down by clicks."""

import importlib
from datetime import timedelta

import pytest

from coproduce.core import clock
from coproduce.labor import services
from coproduce.recovery.services import enterprise_create

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postings(transactional_db, regions, province_admin):
    """A Yuhang surplus and a Fuyang shortage (the skill catalogue reloaded after a flush)."""
    from django.apps import apps

    importlib.import_module("coproduce.labor.migrations.0002_skill_catalogue").add(apps, None)
    today = clock.today()
    for code, kind in (("330110", "surplus"), ("330111", "shortage")):
        ent = enterprise_create(
            actor=province_admin,
            name=f"Works {code}",
            industry="machinery",
            size_class="small",
            workers_total=50,
            region=regions[code],
        )
        services.posting_create(
            actor=province_admin,
            enterprise_id=ent.pk,
            kind=kind,
            skill="welder",
            workers=7,
            start_date=today,
            end_date=today + timedelta(days=20),
        )


def sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def _click_a_county(page):
    page.wait_for_selector("#labor-map[data-rendered]")
    # ECharts draws each county as an SVG path; the largest filled one is a county, not a legend.
    page.locator("#labor-map svg path[fill]:not([fill=none])").first.wait_for()
    box = page.evaluate(
        """() => {
          const paths = [...document.querySelectorAll('#labor-map svg path')]
            .filter(p => p.getAttribute('fill') && p.getAttribute('fill') !== 'none');
          const areas = paths.map(p => { const r = p.getBoundingClientRect();
            return {x: r.x + r.width / 2, y: r.y + r.height / 2, a: r.width * r.height}; });
          areas.sort((a, b) => b.a - a.a);
          return areas[0];
        }"""
    )
    page.mouse.click(box["x"], box["y"])


def test_the_map_draws_the_counties_and_drills_down(
    live_server, postings, province_admin, phone_page, screenshot
):
    page, url = phone_page, live_server.url
    sign_in(page, url, "province_admin")
    page.goto(f"{url}/labor/map/")
    page.wait_for_selector("#labor-map[data-rendered]")
    assert page.get_attribute("#labor-map", "data-rendered") == "2"  # the test tree's counties
    assert "Hangzhou City" in page.locator("#map-table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("labor-map-province-phone")

    _click_a_county(page)  # province -> the county's city
    page.wait_for_url("**/labor/map/?region=330100")
    page.wait_for_selector("#labor-map[data-rendered]")
    assert "Yuhang District" in page.locator("#map-table").inner_text()

    _click_a_county(page)  # city -> the county
    page.wait_for_url(lambda u: "region=33011" in u)  # Yuhang (330110) or Fuyang (330111)
    page.wait_for_selector("#labor-map[data-rendered]")
    assert "Welder" in page.locator(".map-tables").inner_text()
    screenshot("labor-map-county-phone")
