"""Enterprise recovery in a phone browser: an enterprise files today's report; an association
awards a collective purchase and sees each member's share."""

import pytest

from coproduce.core import clock
from coproduce.recovery.models import Procurement, ResumptionReport
from coproduce.recovery.services import (
    procurement_create,
    procurement_need_add,
    procurement_quote_add,
)
from coproduce.recovery.tests.conftest import *  # noqa: F403 - the recovery fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def test_an_enterprise_files_its_report_on_a_phone(
    live_server, phone_page, screenshot, member, enterprise_rep
):
    page, url = phone_page, live_server.url
    sign_in(page, url, "enterprise_rep")
    page.click("a[href='/recovery/']")
    form = page.locator(f"form.report-form[data-enterprise='{member.pk}']")
    form.locator("input[name=workers_on_site]").fill("31")
    form.locator("input[name=capacity_pct]").fill("75")
    form.locator("summary").click()
    form.locator("input[value=raw_materials]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("recovery-report-phone")
    form.locator("button.primary").click()
    page.wait_for_selector("text=Today's report is in")
    report = ResumptionReport.objects.get(enterprise=member, date=clock.today())
    assert (report.workers_on_site, report.capacity_pct, report.blockers) == (
        31,
        75,
        ["raw_materials"],
    )


def test_an_association_awards_a_purchase_on_a_phone(
    live_server, phone_page, screenshot, member, association_staff, yuhang_association
):
    page, url = phone_page, live_server.url
    p = procurement_create(
        actor=association_staff,
        association=yuhang_association,
        item="Surgical masks",
        unit="piece",
        needed_by=clock.today(),
    )
    procurement_need_add(
        actor=association_staff, procurement_id=p.pk, enterprise_id=member.pk, quantity=600
    )
    procurement_quote_add(
        actor=association_staff, procurement_id=p.pk, supplier="Dear Supplier", tiers=[(1, "0.60")]
    )
    sign_in(page, url, "association_staff")
    page.goto(f"{url}/recovery/associations/yuhang-metal/")
    page.click(f"a[href='/recovery/purchases/{p.pk}/']")
    page.fill("#supplier", "Cheap Supplier")
    page.fill("#tiers", "1 = 0.50\n500 = 0.35")
    page.click("button:has-text('Record the quote')")
    page.wait_for_selector("text=Cheap Supplier")
    cheap = p.quotes.get(supplier="Cheap Supplier")
    page.click(f"li[data-quote='{cheap.pk}'] button.primary")
    page.wait_for_selector("section.award")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("recovery-award-phone")
    p = Procurement.objects.get(pk=p.pk)
    assert p.status == "awarded" and p.awarded_quote_id == cheap.pk and p.total_cost_fen == 21000
