"""Each role of PRODUCT.md section 1 that exists today does its jobs (the table's "does" column)
through the pages only, on a phone (390x844), in English; and one journey in Chinese (issue 17).
On the same seed, axe-core walks every main page of every role.

They run on the demo seeded once for the module (tests/browser/demo_server.py). No API call and
no database write after the seed: the tests read the database only to check what the pages did
and to know a name to type. Screenshots of each journey's last page go to var/screenshots/.
"""

import os
import re
from datetime import timedelta

import pytest

from conftest import valid_national_id
from coproduce.accounts.models import User
from coproduce.care.models import Booking, Screening, Slot
from coproduce.checkpoints.models import Scan
from coproduce.core import clock
from coproduce.deliveries.models import DeliveryOrder
from coproduce.health_codes.models import HealthReport
from coproduce.labor.models import MatchingRun, Posting
from coproduce.people.models import Person
from coproduce.people.selectors import person_of_user
from coproduce.recovery.models import ResumptionReport, SupplierQuote
from coproduce.regions.models import Region, RegionRiskLevel
from coproduce.relief.models import Donation, Lot
from coproduce.stages.models import SuggestionDecision
from coproduce.timebank.models import Redemption
from coproduce.tracing.models import Case
from coproduce.volunteers.models import ServiceRecord, Signup
from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.browser.pages import AXE, PUBLIC, goods_receive, main_pages, pick_person, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db]
PASSWORD = "coproduce-demo"


@pytest.fixture
def phone(browser):
    # bypass_csp: the test's own waits and axe-core are evaluated in the page, which the policy
    # forbids; the policy itself is checked by test_content_security_policy.py.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, demo, username: str) -> None:
    page.goto(f"{demo.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{demo.url}/")


def tile(page, name: str) -> None:
    """Open a module from the home page, as a person would."""
    with page.expect_navigation():
        page.click(f"[data-module={name}] a")


def nav(page, name: str) -> None:
    """Open a module from the bottom bar, or from its "More" menu."""
    link = page.locator(f".mainnav li[data-nav={name}] a")
    if link.is_visible():
        with page.expect_navigation():
            link.click()
    else:
        page.click(".mainnav .more summary")
        with page.expect_navigation():
            page.click(f".mainnav .more a[href='{link.get_attribute('href')}']")


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"journey-{name}.png"), full_page=True)


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_resident_reports_shows_the_code_and_asks_for_a_delivery(demo, phone):
    page = phone
    sign_in(page, demo, "resident")
    tile(page, "resident")
    color = page.locator("#code .code-color").inner_text()
    assert color in {"Green", "Yellow", "Red"}  # the color said in words, not only shown
    page.click("text=File today's report")
    page.fill("#id_temperature_c", "36.6")
    page.click("text=File the report")
    page.wait_for_selector("text=Your daily report was filed")
    person = person_of_user(user=User.objects.get(username="resident"))
    assert HealthReport.objects.filter(person=person, on=clock.today()).exists()
    no_sideways_scroll(page)

    nav(page, "deliveries")
    before = DeliveryOrder.objects.filter(household=person.household).count()
    page.fill("#qty-rice", "5")
    page.fill("#note", "请放在门口")
    with page.expect_navigation():
        page.click("text=Place the order")
    assert DeliveryOrder.objects.filter(household=person.household).count() == before + 1
    code = page.locator(".handover-code").first
    # The handover code is readable: dark text (it was white on white).
    assert code.evaluate("e => getComputedStyle(e).color") != "rgb(255, 255, 255)"
    assert re.fullmatch(r"\d{4,6}", code.inner_text())
    page.click(".up a")  # the way back
    assert page.url == f"{demo.url}/"

    # Books a free clinic slot (the Voluntary Clinic), from the home page's care tile.
    tile(page, "care")
    slot = page.locator("#open-slots [data-slot]").first
    slot_id = int(slot.get_attribute("data-slot"))
    with page.expect_navigation():
        slot.locator("button.primary").click()
    page.wait_for_selector("#my-bookings [data-booking]")
    assert Booking.objects.filter(slot_id=slot_id, resident=person, status="booked").exists()
    no_sideways_scroll(page)
    shot(page, "resident")


def test_volunteer_signs_up_for_a_call_and_sees_the_hours(demo, phone):
    page = phone
    sign_in(page, demo, "volunteer")
    tile(page, "volunteers")
    call = page.locator("li.call", has=page.locator("button:has-text('Sign up')")).first
    title = call.locator("strong").inner_text()
    call.locator("button:has-text('Sign up')").click()
    page.wait_for_selector(f"li.call:has-text('{title}') button:has-text('Give back my place')")
    volunteer = User.objects.get(username="volunteer")
    assert Signup.objects.filter(volunteer__user=volunteer, call__title=title).exists()
    # Confirmed service records are green, not red (the red is a confirmed case's).
    confirmed = page.locator(".badge.status-confirmed").first
    assert confirmed.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(213, 240, 223)"

    nav(page, "timebank")
    balance = page.locator("[data-balance]").get_attribute("data-balance")
    assert int(balance) > 0  # hours earned from confirmed service
    no_sideways_scroll(page)

    # Registers a neighbour without a smartphone, by proxy, and gets the printable code card.
    page.goto(f"{demo.url}/")
    tile(page, "register")
    page.fill("#id_name", "王秀英")
    page.fill("#id_national_id", valid_national_id(997, birth="19470315"))
    with demo.db():  # a community of Fuchun, whose name the volunteer types in the picker
        community = Region.objects.filter(level="community", parent_id="330111001").first()
    page.fill("#id_home_region_q", community.name)
    page.click(f'#rpicker-home_region-results [data-region="{community.code}"]')
    page.wait_for_selector(
        f'input[type=hidden][name="home_region"][value="{community.code}"]', state="attached"
    )
    with page.expect_navigation():
        page.click("button:has-text('Register')")
    assert "/card/" in page.url, page.locator("form.card").inner_text()
    assert Person.objects.filter(name="王秀英", by_proxy=True, home_region=community).exists()
    no_sideways_scroll(page)
    shot(page, "volunteer")


def test_coordinator_confirms_service_and_posts_a_call(demo, phone):
    page = phone
    sign_in(page, demo, "coordinator")
    tile(page, "volunteers")
    page.goto(f"{demo.url}/volunteers/records/")
    pending = ServiceRecord.objects.filter(status="pending").count()
    assert pending
    buttons = page.locator("button:has-text('Confirm')").count()
    page.locator("button:has-text('Confirm')").first.click()
    # Done when the page shows one Confirm button fewer (htmx swapped the record's row).
    page.wait_for_function(
        "n => [...document.querySelectorAll('button')]"
        ".filter(b => b.textContent.includes('Confirm')).length < n",
        arg=buttons,
    )
    assert ServiceRecord.objects.filter(status="pending").count() == pending - 1

    page.goto(f"{demo.url}/volunteers/calls/")
    start = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT08:00")
    end = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT16:00")
    page.select_option("#id_organization", index=1)
    page.fill("#id_title", "Gate duty, east entrance")
    page.select_option("#id_activity", "checkpoint")
    page.select_option("#id_region", index=1)
    page.fill("#id_start", start)
    page.fill("#id_end", end)
    page.fill("#id_capacity", "4")
    page.click("text=Post the call")
    page.wait_for_selector("text=Gate duty, east entrance")
    no_sideways_scroll(page)

    # Donations (part A's pages): the relief desk, its money tab, a donation with its receipt.
    nav(page, "relief")
    page.click(".subnav a:has-text('Money'), a:has-text('Money')")
    page.click("text=Record a donation")
    page.fill("#id_amount", "1200.50")
    page.fill("#id_donor_name", "Li Na")
    page.select_option("#id_channel", "wechat")
    page.click("button.primary")
    page.wait_for_selector(".receipt")
    assert Donation.objects.filter(donor_name="Li Na").exists()

    # Opens a warehouse for the organization, then takes goods into it, with their receipt.
    nav(page, "relief")
    with page.expect_navigation():
        page.click(".subnav a:has-text('Warehouses')")
    page.fill("#id_name", "Fuchun street depot")
    page.fill("#id_region_q", "Fuchun")
    page.click('#rpicker-region-results [data-region="330111001"]')
    page.wait_for_selector('input[type=hidden][name="region"][value="330111001"]', state="attached")
    with page.expect_navigation():
        page.click("button:has-text('Open the warehouse')")
    with page.expect_navigation():
        page.click(".subnav a:has-text('Stock')")
    with page.expect_navigation():
        page.click("a:has-text('Goods received')")
    goods_receive(
        page, warehouse="Fuchun street depot", item="goggles", quantity=40, donor="Shoe factory"
    )
    assert Lot.objects.filter(item__slug="goggles", warehouse__name="Fuchun street depot").exists()
    no_sideways_scroll(page)
    shot(page, "coordinator")


def test_tracer_works_a_tracing_task(demo, phone):
    page = phone
    sign_in(page, demo, "tracer")
    tile(page, "tracing")
    task = page.locator("li.task:has(button:has-text('Reached'))").first
    task_id = task.get_attribute("data-task")
    task.locator("button:has-text('Reached')").click()
    page.wait_for_selector(f"#task-{task_id} .badge.outcome-reached")
    from coproduce.fieldwork.models import Task

    assert Task.objects.get(pk=task_id).outcome == "reached"
    no_sideways_scroll(page)
    shot(page, "tracer")


def test_health_official_reports_a_case_and_reads_the_chain(demo, phone):
    page = phone
    sign_in(page, demo, "official")
    tile(page, "tracing")
    page.goto(f"{demo.url}/tracing/cases/new/")
    with demo.db():
        known = set(Case.objects.values_list("person_id", flat=True))
        person = (
            Person.objects.filter(home_region__path__contains="/330111/", status="registered")
            .exclude(pk__in=known)
            .order_by("pk")
            .first()
        )
    pick_person(page, "person", person.name, person.public_id)
    page.select_option("#id_status", "confirmed")
    page.fill("#id_onset_date", (clock.today() - timedelta(days=2)).isoformat())
    with page.expect_navigation():
        page.click("button:has-text('Report')")
    assert Case.objects.filter(person=person, status="confirmed").exists()

    page.goto(f"{demo.url}/tracing/progress/")
    page.locator(".clusters a").first.click()
    page.wait_for_function("window.chainGraph && window.chainGraph.nodes().length > 0")
    # Labels of the chain do not overlap (the layout counts them in its spacing).
    overlaps = page.evaluate(
        """() => {
      const boxes = window.chainGraph.nodes().filter(n => n.style('label'))
        .map(n => n.boundingBox({includeLabels: true, includeNodes: true}));
      let n = 0;
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1) n++;
      }
      return n;
    }"""
    )
    assert overlaps == 0

    # Risk levels (part A's page), reached from the health codes overview.
    nav(page, "health_codes")
    page.click("text=Region risk levels")
    page.fill("#id_region_q", "Fuchun")
    page.click('#rpicker-region-results [data-region="330111001"]')
    page.wait_for_selector('input[type=hidden][name="region"][value="330111001"]', state="attached")
    page.check('input[name="level"][value="medium"]')
    page.click("button.primary")
    page.wait_for_selector('[data-region="330111001"] .badge.risk-medium')
    assert RegionRiskLevel.objects.filter(region_id="330111001", level="medium").exists()
    shot(page, "official")


def test_health_official_answers_the_stage_suggestion_and_reads_the_dashboard(demo, phone):
    page = phone
    sign_in(page, demo, "official")
    tile(page, "stages")
    # Fuyang's own cluster of 7-10 February: the records suggest going back to stage 1.
    assert page.locator(".suggestion").count() == 1
    with page.expect_navigation():
        page.click(".suggestion button[value=dismissed]")
    assert page.locator(".suggestion").count() == 0
    assert SuggestionDecision.objects.filter(region_id="330111", decision="dismissed").exists()
    no_sideways_scroll(page)

    nav(page, "dashboard")
    page.wait_for_selector("#panel-coproduction")
    town = page.locator("ul.chips a").first
    name = town.inner_text()
    with page.expect_navigation():
        town.click()
    assert page.locator(f".breadcrumbs span:has-text('{name}'), h1:has-text('{name}')").count()
    no_sideways_scroll(page)
    shot(page, "official-dashboard")


def test_enterprise_reports_resumption_and_posts_workers(demo, phone):
    page = phone
    sign_in(page, demo, "enterprise")
    tile(page, "recovery")
    form = page.locator("form.report-form").first
    enterprise_id = int(form.get_attribute("data-enterprise"))
    form.locator("input[name=workers_on_site]").fill("20")
    form.locator("input[name=capacity_pct]").fill("60")
    form.locator("summary").click()
    form.locator("input[value=raw_materials]").check()
    with page.expect_navigation():
        form.locator("button.primary").click()
    page.wait_for_selector(f"[data-enterprise='{enterprise_id}'] .status-confirmed")
    report = ResumptionReport.objects.get(enterprise_id=enterprise_id, date=clock.today())
    assert (report.workers_on_site, report.blockers) == (20, ["raw_materials"])
    no_sideways_scroll(page)

    # Lacks three forklift drivers for two weeks: a shortage for the next matching run.
    nav(page, "labor")
    with page.expect_navigation():
        page.click("a:has-text('Post workers')")
    page.select_option("#id_enterprise", str(enterprise_id))
    page.check("input[name=kind][value=shortage]")
    page.select_option("#id_skill", index=1)
    page.fill("#id_workers", "3")
    page.fill("#id_start_date", (clock.today() + timedelta(days=2)).isoformat())
    page.fill("#id_end_date", (clock.today() + timedelta(days=16)).isoformat())
    with page.expect_navigation():
        page.click("form button.primary")
    assert Posting.objects.filter(enterprise_id=enterprise_id, kind="shortage", workers=3).exists()
    no_sideways_scroll(page)
    shot(page, "enterprise")


def test_association_records_a_quote_and_runs_the_labor_matching(demo, phone):
    page = phone
    sign_in(page, demo, "association")
    tile(page, "recovery")
    with page.expect_navigation():
        page.locator("a[href^='/recovery/associations/']").first.click()
    open_purchase = page.locator("li.purchase", has=page.locator(".badge")).filter(
        has_not=page.locator(".badge:has-text('delivered'), .badge:has-text('awarded')")
    )
    with page.expect_navigation():
        open_purchase.first.locator("a").click()
    procurement_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.fill("#supplier", "Ouhai Chemical Co.")
    page.fill("#tiers", "1 = 12.00\n100 = 10.50")
    with page.expect_navigation():
        page.click("button:has-text('Record the quote')")
    assert SupplierQuote.objects.filter(
        procurement_id=procurement_id, supplier="Ouhai Chemical Co."
    ).exists()
    no_sideways_scroll(page)

    nav(page, "labor")
    runs = MatchingRun.objects.count()
    with page.expect_navigation():
        page.click("a:has-text('Board')")
    with page.expect_navigation():
        page.click("form button.primary:has-text('Run')")
    assert MatchingRun.objects.count() == runs + 1
    no_sideways_scroll(page)
    shot(page, "association")


def test_counselor_logs_a_call_with_its_screening(demo, phone):
    page = phone
    sign_in(page, demo, "counselor")
    tile(page, "care")
    with page.expect_navigation():
        page.click("a:has-text('Log a call')")
    page.check("input[name=group][value=health_worker]")
    page.select_option("#id_topic", index=1)
    page.select_option("#id_instrument", "gad7")
    page.click("#gad7 summary")
    for n in range(1, 8):
        page.select_option(f"#id_gad{n}", "1")
    page.fill("#id_outcome", "breathing exercise, call again Friday")
    with page.expect_navigation():
        page.click("#call-form button.primary")
    assert "/care/sessions/" in page.url
    session_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    screening = Screening.objects.get(session_id=session_id)
    assert (screening.instrument, screening.total) == ("gad7", 7)
    no_sideways_scroll(page)
    shot(page, "counselor")


def test_clinician_offers_a_clinic_slot(demo, phone):
    page = phone
    sign_in(page, demo, "clinician")
    tile(page, "care")
    clinician = User.objects.get(username="clinician")
    before = Slot.objects.filter(provider=clinician).count()
    start = (clock.now() + timedelta(days=3)).astimezone(clock.local_zone())
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT09:30"))
    page.fill("#id_minutes", "20")
    page.fill("#id_specialty", "respiratory")
    page.select_option("#id_mode", "online")
    with page.expect_navigation():
        page.click("#slot-form button.primary")
    assert Slot.objects.filter(provider=clinician).count() == before + 1
    no_sideways_scroll(page)
    shot(page, "clinician")


def test_partner_confirms_a_redemption(demo, phone):
    page = phone
    sign_in(page, demo, "partner")
    tile(page, "partner")
    pending = Redemption.objects.filter(status="pending").count()
    assert pending
    with page.expect_navigation():
        page.locator("button:has-text('Confirm')").first.click()
    assert Redemption.objects.filter(status="pending").count() == pending - 1
    shot(page, "partner")


def test_admin_opens_the_back_office_and_the_audit_trail(demo, phone):
    page = phone
    sign_in(page, demo, "admin")
    tile(page, "admin")
    assert page.url.startswith(f"{demo.url}/admin/")
    page.goto(f"{demo.url}/admin/core/auditevent/")
    assert page.locator("#result_list").count() == 1
    shot(page, "admin")


def scan_at_the_gate(page, demo, words: dict) -> None:
    """Checkpoint staff: open their checkpoint's scanner, type a resident's card id with a
    temperature, read the decision, then the checkpoint's statistics (it was a 403)."""
    tile(page, "checkpoints")
    with page.expect_navigation():
        page.locator("table a").first.click()
    checkpoint_url = page.url
    page.click(f".modules a:has-text('{words['scanner']}')")
    page.wait_for_selector("#scanner[data-ready=yes]")
    with demo.db():
        person = person_of_user(user=User.objects.get(username="resident"))
        before = Scan.objects.count()
    page.fill("#temperature", "36.5")
    page.fill("#payload", person.public_id)  # the id printed on the paper card, typed
    page.click("#manual button[type=submit]")
    page.wait_for_selector("#decision:not([hidden])")
    assert page.locator("#decision-word").inner_text() in words["decisions"]
    assert page.locator("#decision-color").inner_text() in words["colors"]
    page.click("#decision-close")
    assert Scan.objects.count() == before + 1
    page.goto(checkpoint_url)
    with page.expect_navigation():
        page.click(f".modules a:has-text('{words['statistics']}')")
    assert page.url.endswith("/stats/") and page.locator("h1").count() == 1


def test_checkpoint_staff_scan_codes_and_take_temperatures(demo, phone):
    page = phone
    sign_in(page, demo, "staff")
    scan_at_the_gate(
        page,
        demo,
        {
            "scanner": "Scanner",
            "statistics": "Statistics",
            "decisions": {"Pass", "Deny", "Refer"},
            "colors": {"Green code", "Yellow code", "Red code"},
        },
    )
    no_sideways_scroll(page)
    shot(page, "checkpoint-staff")


def test_checkpoint_staff_in_chinese(demo, phone):
    page = phone
    sign_in(page, demo, "staff")
    with page.expect_navigation():
        page.select_option("#language", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("[data-module=checkpoints] a").inner_text() == "卡口管理"
    scan_at_the_gate(
        page,
        demo,
        {
            "scanner": "扫码",
            "statistics": "统计",
            "decisions": {"通行", "劝返", "转诊"},
            "colors": {"绿码", "黄码", "红码"},
        },
    )
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    shot(page, "checkpoint-staff-zh")


# --- every main page of every role: axe-core, and screenshots for review ------------------------

DESKTOP = {"width": 1280, "height": 900}
LOGINS = [
    "resident",
    "volunteer",
    "staff",
    "coordinator",
    "tracer",
    "official",
    "province",
    "enterprise",
    "association",
    "counselor",
    "clinician",
    "partner",
    "admin",
]


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page (npm axe-core, pinned)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
        "({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


# COPRODUCE_SCREENSHOTS=1 saves every main page of every role, on a phone and on a desktop
# screen, to var/screenshots/pages/ (for people to look at; full-page shots of some 150 pages
# twice over cost minutes, so the suite takes them only when asked).
PAGE_SHOTS = os.environ.get("COPRODUCE_SCREENSHOTS") == "1"


def test_every_main_page_of_every_role_passes_axe(demo, browser):
    """No serious or critical axe-core violation on any main page of any role (and the public
    ones), on a phone's screen; with COPRODUCE_SCREENSHOTS=1 each page is saved as well."""
    (SCREENSHOTS / "pages").mkdir(parents=True, exist_ok=True)
    problems = {}
    sizes = ((PHONE, "phone"), (DESKTOP, "desktop")) if PAGE_SHOTS else ((PHONE, "phone"),)
    for username in [None, *LOGINS]:
        paths = main_pages(username) if username else PUBLIC
        for viewport, size in sizes:
            context = browser.new_context(
                viewport=viewport, is_mobile=size == "phone", bypass_csp=True
            )
            if username:
                context.add_cookies([session_cookie(demo.url, username)])
            page = context.new_page()
            page.set_default_timeout(15_000)
            for path in paths:
                answer = page.goto(demo.url + path)
                assert answer.status == 200, (username, path, answer.status)
                page.wait_for_load_state("networkidle")
                name = f"{username or 'public'}-{slug(path)}-{size}"
                if PAGE_SHOTS:
                    shot = SCREENSHOTS / "pages" / f"{name}.png"
                    page.screenshot(path=str(shot), full_page=True)
                if size == "phone" and (found := axe_problems(page)):
                    problems[f"{username} {path}"] = found
            context.close()
    report = "\n".join(f"{where}: {'; '.join(found)}" for where, found in problems.items())
    (SCREENSHOTS / "pages" / "axe.txt").write_text(report or "no serious or critical violation\n")
    assert not problems, report
