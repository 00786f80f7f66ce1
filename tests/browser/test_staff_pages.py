"""Staff pages that were API-only, done on a phone through the pages only: money donations
with receipts, goods received, a request for supplies, risk levels with the region picker, a
case with the person picker, tasks given to teams, ordering contacts after confirmation, teams
and voiding, runs given to volunteers and the household's feedback, a family proxy."""

from datetime import timedelta
from decimal import Decimal

import pytest

from conftest import FUYANG_AREA, valid_national_id
from coproduce.accounts.services import RoleSpec, user_create
from coproduce.deliveries import services as deliveries
from coproduce.health_codes.models import ProxyConsent
from coproduce.people.selectors import person_of_user
from coproduce.people.services import household_create, person_register
from coproduce.regions.models import RegionRiskLevel
from coproduce.relief import services as relief
from coproduce.relief.models import Donation, Lot, SupplyRequest
from coproduce.tracing.models import Case
from coproduce.volunteers import services as volunteering
from coproduce.volunteers.models import ServiceRecord, Team
from tests.browser.pages import goods_receive, pick_person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-long-test-password"


def sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_coordinator_records_money_and_goods_with_receipts(
    live_server, phone_page, screenshot, coordinator, fuyang_org, regions
):
    page, url = phone_page, live_server.url
    relief.warehouse_create(
        organization=fuyang_org, region=regions["330111"], name="Fuchun depot", actor=coordinator
    )
    sign_in(page, url, "coordinator")
    page.goto(f"{url}/relief/money/")
    page.click("text=Record a donation")
    page.fill("#id_amount", "-3")
    page.fill("#id_donor_name", "Li Na")
    page.click("button.primary")
    page.wait_for_selector("#id_amount_error")  # beside its field, and the name kept
    assert page.input_value("#id_donor_name") == "Li Na"
    screenshot("staff-donation-refused-phone")
    page.fill("#id_amount", "1200.50")
    page.select_option("#id_channel", "wechat")
    page.click("button.primary")
    page.wait_for_selector(".receipt")
    assert Donation.objects.get().receipt_no in page.content()
    page.goto(f"{url}/relief/stock/receive/")
    goods_receive(page, warehouse="Fuchun depot", item="goggles", quantity=40, donor="Shoe factory")
    assert Lot.objects.get().quantity > 0
    page.goto(f"{url}/relief/stock/")
    fits_the_phone(page)
    screenshot("staff-stock-phone")


def test_official_files_a_request_and_sets_a_risk_level_with_the_region_picker(
    live_server, phone_page, screenshot, county_official
):
    page, url = phone_page, live_server.url
    sign_in(page, url, "county_official")
    page.goto(f"{url}/relief/requests/new/")
    page.select_option("#id_requester_kind", "hospital")
    page.fill("#id_requester_name", "Fuyang First Hospital")
    page.click('[data-region="330111"]')
    page.wait_for_selector('input[type=hidden][name="region"][value="330111"]', state="attached")
    page.select_option("#id_item_1", "goggles")
    page.fill("#id_quantity_1", "30")
    page.click("button.primary")
    page.wait_for_url(f"{url}/relief/requests/")
    assert SupplyRequest.objects.get().requester_name == "Fuyang First Hospital"

    page.goto(f"{url}/codes/risk/")
    page.fill("#id_region_q", "Fuchun")
    page.click('#rpicker-region-results [data-region="330111001"]')
    page.wait_for_selector('input[type=hidden][name="region"][value="330111001"]', state="attached")
    page.check('input[name="level"][value="high"]')
    page.click("button.primary")
    page.wait_for_selector('[data-region="330111001"] .badge.risk-high')
    assert RegionRiskLevel.objects.get().level == "high"
    fits_the_phone(page)
    screenshot("staff-risk-levels-phone")


def test_official_reports_a_case_with_the_person_picker(
    live_server, phone_page, screenshot, county_official, regions
):
    page, url = phone_page, live_server.url
    patient = person_register(
        national_id=valid_national_id(61),
        name="Sun Li",
        phone="13955556666",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    sign_in(page, url, "county_official")
    page.goto(f"{url}/tracing/cases/new/")
    pick_person(page, "person", patient.national_id_last4, patient.public_id)
    page.fill("#id_onset_date", "2020-02-10")
    screenshot("staff-case-picker-phone")
    page.click("button.primary")
    page.wait_for_url(f"{url}/tracing/cases/*/")
    assert Case.objects.get().person == patient
    page.click("[data-quarantine-contacts]")
    page.wait_for_selector("[data-confirm]")
    fits_the_phone(page)


def test_coordinator_makes_a_team_and_gives_a_run(
    live_server, phone_page, screenshot, coordinator, volunteer, fuyang_org, resident, regions
):
    page, url = phone_page, live_server.url
    vol = volunteering.volunteer_register(
        actor=volunteer,
        user=volunteer,
        name="Chen Jie",
        home_region=regions[FUYANG_AREA],
        skills=[],
        organization=fuyang_org,
    )
    household = household_create(
        region=regions[FUYANG_AREA],
        label="3-1-301",
        members=[person_of_user(user=resident)],
        actor=coordinator,
    )
    order = deliveries.order_place(
        household=household,
        kind="groceries",
        by_proxy=False,
        actor=resident,
        lines=[deliveries.LineInput(item="eggs", quantity=Decimal(1), unit_price=Decimal("12.00"))],
    )
    run = deliveries.run_create(
        region=regions["330111"], on=order.needed_on, organization=fuyang_org, actor=coordinator
    )
    sign_in(page, url, "coordinator")
    page.goto(f"{url}/volunteers/teams/")
    page.fill("#id_name", "Gate squad")
    page.click('[data-region="330111"]')
    page.wait_for_selector('input[type=hidden][name="region"][value="330111"]', state="attached")
    page.click("form:has(#id_name) button.primary")
    page.wait_for_selector("[data-team]")
    team = Team.objects.get()
    page.select_option(f"#volunteer-{team.pk}", vol.public_id)
    page.click(f'[data-team="{team.pk}"] button')
    page.wait_for_selector(f'[data-team="{team.pk}"] li:has-text("Chen Jie")')
    page.goto(f"{url}/deliveries/runs/all/")
    page.select_option(f"#assignee-{run.pk}", "volunteer")
    page.click(f'[data-run="{run.pk}"] button')
    page.wait_for_selector(f'[data-run="{run.pk}"]:has-text("volunteer")')
    fits_the_phone(page)
    screenshot("staff-runs-phone")
    page.click("text=Sign out")
    sign_in(page, url, "volunteer")
    page.goto(f"{url}/deliveries/runs/mine/")
    page.wait_for_selector(f'[data-run="{run.pk}"]')


def test_official_voids_a_record_and_gives_a_task_and_registers_a_proxy(
    live_server,
    phone_page,
    screenshot,
    county_official,
    coordinator,
    volunteer,
    fuyang_org,
    regions,
):
    page, url = phone_page, live_server.url
    from coproduce.core import clock

    vol = volunteering.volunteer_register(
        actor=volunteer,
        user=volunteer,
        name="Chen Jie",
        home_region=regions[FUYANG_AREA],
        skills=[],
        organization=fuyang_org,
    )
    now = clock.now()
    record = volunteering.service_record_create(
        volunteer=vol,
        start=now - timedelta(hours=5),
        end=now - timedelta(hours=2),
        activity="checkpoint",
        source="",
        actor=coordinator,
    )
    volunteering.service_record_confirm(record=record, actor=coordinator)
    grandma = person_register(
        national_id=valid_national_id(62),
        name="Grandma Lu",
        phone="",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    user_create(
        username="daughter",
        password=PASSWORD,
        roles=[RoleSpec("resident", FUYANG_AREA)],
        check_password=False,
    )

    sign_in(page, url, "county_official")
    page.goto(f"{url}/volunteers/records/confirmed/")
    page.click(f'[data-record="{record.pk}"] a')
    page.click("button.primary")
    page.wait_for_selector("#id_reason_error")
    page.fill("#id_reason", "Never came")
    page.click("button.primary")
    page.wait_for_url(f"{url}/volunteers/records/confirmed/")
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.VOIDED

    page.goto(f"{url}/people/")
    page.click("text=Register a family proxy")
    pick_person(page, "person", "Grandma", grandma.public_id)
    page.fill("#id_username", "daughter")
    page.fill("#id_relation", "daughter")
    page.click("button.primary")
    page.wait_for_url(f"{url}/people/{grandma.public_id}/")
    assert ProxyConsent.objects.get().person == grandma
    fits_the_phone(page)
    screenshot("staff-proxy-phone")
